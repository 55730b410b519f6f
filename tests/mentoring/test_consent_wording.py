"""What a mentee agrees to share is exactly what her mentor then sees: the referral's agreement
names every item shared by default, and nothing more is shared without her choosing it."""

import pytest

from mentoring.choices import SharedItem
from mentoring.forms import ReferralForm
from mentoring.services import DEFAULT_SHARED
from tests.factories import person

pytestmark = pytest.mark.django_db


def test_the_agreement_names_every_item_shared_by_default():
    wording = str(ReferralForm.base_fields["consent_to_share"].label).lower()
    for item in DEFAULT_SHARED:
        assert str(SharedItem(item).label).lower() in wording, item


def test_private_items_are_never_shared_by_default():
    private = {SharedItem.PRISON, SharedItem.RELEASE_DATE, SharedItem.LIVED_EXPERIENCE}
    assert not private & set(DEFAULT_SHARED)


def test_without_the_agreement_the_mentor_sees_nothing():
    from mentoring import selectors, services

    mentee = person()
    services.refer(person=mentee, by=mentee, consent_to_share=False, needs=["housing"])
    assert selectors.shared_items(mentee.pk) == frozenset()
