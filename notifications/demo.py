"""Demo phone numbers and preferences, so ``make run`` shows texts on the console."""

from __future__ import annotations

from django.utils import timezone

from notifications.kinds import EMAIL, SMS
from notifications.models import Preferences

# Ofcom keeps 07700 900000-900999 for drama and demos: these numbers reach nobody.
DEMO_PHONES = {
    "mentee": "+447700900101",
    "peer_mentor": "+447700900102",
    "volunteer": "+447700900103",
    "coordinator": "+447700900104",
}


def seed_demo(personas, stdout) -> None:
    now = timezone.now()
    for role, person in personas.items():
        phone = DEMO_PHONES.get(str(role))
        defaults = {"default_channels": [EMAIL]}
        if phone:
            # The demo mentee asked to be contacted by text message; the others get both.
            channels = [SMS] if role == "mentee" else [EMAIL, SMS]
            defaults = {"default_channels": channels, "phone": phone, "phone_confirmed_at": now}
        Preferences.objects.update_or_create(user=person, defaults=defaults)
    stdout.write("Demo phone numbers (texts are printed here, like e-mails).\n")
