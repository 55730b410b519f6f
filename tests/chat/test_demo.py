"""seed_demo: a peer support group, Alex moderating, Jay and Sam in it; running twice is once."""

import io

import pytest
from django.core.management import call_command

from accounts.roles import Role
from chat.models import MemberRole, Membership, Message, Room, WordFilter

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    room = Room.objects.get(name__icontains="recovery group")
    roles = {m.user.display_name.split()[0]: m.role for m in Membership.objects.filter(room=room)}
    assert roles["Alex"] == MemberRole.MODERATOR
    assert roles["Jay"] == MemberRole.MEMBER and roles["Sam"] == MemberRole.MEMBER
    assert Message.objects.filter(room=room).count() == 5  # four shown, one held for Alex
    assert Message.objects.filter(room=room, state="held").count() == 1
    assert WordFilter.objects.filter(action="crisis").exists()
    assert Role.MODERATOR
