import pytest

from accounts.roles import Role
from tests.factories import person
from tests.mentoring.factories import cleared_mentor, match_between, meeting_of


@pytest.fixture
def other_mentor(db):
    return cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Other Mentor"))


@pytest.fixture
def other_mentee(db):
    return person(Role.MENTEE, display_name="Other Mentee")


@pytest.fixture
def match(mentor, mentee):
    cleared_mentor(mentor)
    return match_between(mentor, mentee)


@pytest.fixture
def meeting(match):
    return meeting_of(match)
