"""Demo safeguarding: one new concern for the safeguarding lead to triage. Idempotent."""

from __future__ import annotations

from accounts.roles import Role
from safeguarding.models import Concern, Source
from safeguarding.services import raise_concern

DEMO_REF = "demo:hostel"


def seed(personas, stdout) -> None:
    if Concern.objects.filter(source_ref=DEMO_REF).exists():
        return
    raise_concern(
        raised_by=personas[Role.PEER_MENTOR],
        subject=personas[Role.MENTEE],
        source=Source.DIRECT,
        source_ref=DEMO_REF,
        summary=(
            "Jay told me the hostel has asked him to leave on Friday and he has nowhere to go. "
            "He said he is scared he will start using again if he ends up on the street."
        ),
    )
    stdout.write("safeguarding: one new concern (Jay, raised by Sam) for the safeguarding lead")
