"""Every action a person takes is one service call in one transaction: when the second half
fails, the first half is undone too (issue 12)."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import ConsentPurpose, ConsentRecord, User
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_profile_that_fails_to_save_leaves_the_agreement_as_it_was(mentee):
    with (
        mock.patch.object(services, "update_profile", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.save_profile(user=mentee, lived_experience_consent=True, area="Leeds")
    assert not ConsentRecord.objects.filter(user=mentee).exists()


def test_a_refused_profile_page_does_not_withdraw_the_agreement_or_erase_anything(
    client_of, mentee
):
    services.give_consent(user=mentee, purpose=ConsentPurpose.LIVED_EXPERIENCE)
    services.update_profile(user=mentee, by=mentee, lived_experience=["prison"])
    response = client_of(mentee).post(
        reverse("accounts:profile"),
        {"display_name": "   ", "area": "Leeds", "lived_experience": ["prison"]},
    )
    assert response.status_code == 200  # the form says what to put right
    assert services.has_consent(mentee, ConsentPurpose.LIVED_EXPERIENCE)
    assert services.profile_for(mentee).lived_experience == ["prison"]


def test_the_profile_page_saves_the_agreement_and_the_profile_together(client_of, mentee):
    response = client_of(mentee).post(
        reverse("accounts:profile"),
        {
            "display_name": "Jay",
            "area": "Leeds",
            "lived_experience": ["prison"],
            "lived_experience_consent": "on",
        },
    )
    assert response.status_code == 302
    assert services.has_consent(mentee, ConsentPurpose.LIVED_EXPERIENCE)
    assert services.profile_for(mentee).lived_experience == ["prison"]


def test_a_role_change_that_fails_half_way_changes_no_role(coordinator, mentee):
    with (
        mock.patch.object(services, "revoke_role", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.set_roles(user=mentee, roles={Role.VOLUNTEER}, by=coordinator)
    mentee = User.objects.get(pk=mentee.pk)
    assert mentee.roles == {Role.MENTEE}


def test_a_volunteer_role_that_cannot_be_given_leaves_the_applicant_where_they_were(
    coordinator, outsider
):
    from volunteering import services as volunteering
    from volunteering.models import Onboarding, Stage

    onboarding = volunteering.apply_to_volunteer(user=outsider, why="To help", availability=[])
    with (
        mock.patch(
            "volunteering.services.onboarding.grant_role", side_effect=ValidationError("no")
        ),
        pytest.raises(ValidationError),
    ):
        volunteering.move_to_stage(onboarding=onboarding, stage=Stage.ACTIVE, by=coordinator)
    assert Onboarding.objects.get(pk=onboarding.pk).stage == Stage.APPLIED
