import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import AuditEvent, ConsentPurpose, ConsentRecord

pytestmark = pytest.mark.django_db


def test_lived_experience_is_refused_without_consent(mentee):
    with pytest.raises(ValidationError):
        services.update_profile(user=mentee, by=mentee, lived_experience=["prison"])
    assert services.profile_for(mentee).lived_experience == []


def test_withdrawing_consent_erases_lived_experience(mentee):
    services.give_consent(user=mentee, purpose=ConsentPurpose.LIVED_EXPERIENCE)
    services.update_profile(user=mentee, by=mentee, lived_experience=["prison", "drugs"])

    services.withdraw_consent(user=mentee, purpose=ConsentPurpose.LIVED_EXPERIENCE)

    assert services.profile_for(mentee).lived_experience == []
    record = ConsentRecord.objects.get(user=mentee)
    assert record.withdrawn_at is not None and record.wording_version
    actions = set(AuditEvent.objects.filter(subject=mentee).values_list("action", flat=True))
    assert {"consent.given", "consent.withdrawn"} <= actions


def test_another_member_cannot_change_my_profile(mentee, mentor):
    with pytest.raises(PermissionDenied):
        services.update_profile(user=mentee, by=mentor, area="Somewhere")


def test_profile_page_saves_with_consent(client_of, mentee):
    response = client_of(mentee).post(
        reverse("accounts:profile"),
        {
            "display_name": "Jay",
            "area": "Leeds",
            "languages": "English, Polish, english",
            "availability": ["tue-evening"],
            "lived_experience_consent": "on",
            "lived_experience": ["residential_rehab"],
        },
    )
    assert response.status_code == 302
    profile = services.profile_for(mentee)
    assert profile.languages == ["English", "Polish"]
    assert profile.lived_experience == ["residential_rehab"]
    assert profile.availability == ["tue-evening"]


def test_profile_page_without_consent_explains_and_keeps_nothing(client_of, mentee):
    response = client_of(mentee).post(
        reverse("accounts:profile"),
        {"display_name": "Jay", "lived_experience": ["prison"]},
    )
    assert response.status_code == 200
    assert "we need your agreement" in response.content.decode()
    assert services.profile_for(mentee).lived_experience == []


@pytest.mark.parametrize("bad", ["%00", "a" * 5000, "%ED%A0%80", "x%0D%0Ay", "%FF%FE"])
def test_profile_page_never_fails_on_odd_input(client_of, mentee, bad):
    # Sent as raw form bytes: NUL, very long, a lone surrogate, CRLF, invalid UTF-8.
    body = f"display_name={bad}&area={bad}&languages={bad}"
    response = client_of(mentee).post(
        reverse("accounts:profile"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in {200, 302}
