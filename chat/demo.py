"""Demo content for `manage.py seed_demo` (idempotent)."""

from __future__ import annotations

from django.db import transaction

from accounts.roles import Role
from chat.models import MemberRole, Membership, Message, Room, RoomKind
from chat.services import install_default_filters, post_message

GROUP_NAME = "Thursday evening recovery group"

DEMO_MESSAGES = [
    (Role.MODERATOR, "Welcome, everyone. This is a space to share how the week went. Be kind."),
    (Role.PEER_MENTOR, "Evening all. Ninety days clean today, which I never thought I'd say."),
    (Role.MENTEE, "That's brilliant, Sam. Rough week here, but I'm still going."),
    (Role.MODERATOR, "Thanks for saying so, Jay. Anyone else want to check in?"),
]


@transaction.atomic
def seed(personas: dict, stdout) -> None:
    installed = install_default_filters()
    room, created = Room.objects.get_or_create(
        name=GROUP_NAME,
        kind=RoomKind.PEER_SUPPORT,
        defaults={"description": "A peer support group that meets on Thursdays.", "is_open": True},
    )
    roles = {
        Role.MODERATOR: MemberRole.MODERATOR,
        Role.PEER_MENTOR: MemberRole.MEMBER,
        Role.MENTEE: MemberRole.MEMBER,
    }
    for persona_role, member_role in roles.items():
        person = personas.get(persona_role)
        if person is not None:
            # Demo members are established: their messages are not held as a newcomer's would be.
            Membership.objects.update_or_create(
                room=room, user=person, defaults={"role": member_role, "posted_count": 10}
            )
    if created:
        for persona_role, body in DEMO_MESSAGES:
            person = personas.get(persona_role)
            if person is not None:
                Message.objects.create(room=room, author=person, body=body)
        # A message the word list holds ("meet up"): waiting for the moderator to approve or hide.
        jay = personas.get(Role.MENTEE)
        if jay is not None:
            post_message(
                room=room,
                author=jay,
                body="Anyone want to meet up for a coffee before group next week?",
                client_id="demo-held-1",
                broadcast=False,
            )
    state = "new" if created else "kept"
    stdout.write(
        f"chat: {room.name} ({state}); {installed} filter words added"
        + ("; one message held for the moderator" if created else "")
    )
