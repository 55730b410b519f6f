from django.core.management.base import BaseCommand
from django.utils import timezone

from chat.services.crisis import escalate_due


class Command(BaseCommand):
    help = (
        "Raise a safeguarding concern for every crisis item nobody has acted on in time, and "
        "tell the safeguarding leads. Run it from cron every few minutes; safe to run twice."
    )

    def handle(self, *args, **options):
        count = escalate_due(now=timezone.now())
        self.stdout.write(f"Escalated {count} crisis item(s).")
