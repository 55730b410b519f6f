"""Whatever people type into a referral or a check-in: a message or a save, never a 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from mentoring.models import CheckIn, Referral
from tests.factories import person

nasty = st.one_of(
    st.text(max_size=300),
    st.just("\x00"),
    st.just("a" * 100_000),
    st.just("line\r\nInjected: header"),
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(area=nasty, prison=nasty, language=nasty, release=nasty, line=nasty, feeling=nasty)
def test_referral_and_check_in_never_fail(
    client_of, area, prison, language, release, line, feeling
):
    user = person(Role.MENTEE)
    client = client_of(user)
    response = client.post(
        reverse("mentoring:refer_self"),
        {
            "contact_preference": "text",
            "area": area,
            "prison": prison,
            "wants_language": language,
            "release_date": release,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        referral = Referral.objects.get(person=user)
        assert referral.area == area.strip()
    response = client.post(reverse("mentoring:check_in"), {"feeling": feeling, "line": line})
    assert response.status_code in (200, 302)
    assert CheckIn.objects.filter(mentee=user).count() == (1 if response.status_code == 302 else 0)
