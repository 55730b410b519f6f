"""Whatever people type into the volunteering forms: a page with a message, never a 500.

(Lone surrogates are left out: a browser cannot send them, and the test client cannot encode them.)
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

NASTY = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300),
    st.just("\x00"),
    st.just("ﬁ\u202eevil"),
    st.just("x" * 100_000),
    st.just("2026-02-30"),
    st.just("-1"),
    st.just("99999999999999999999"),
    st.just("line\r\nbreak"),
)
CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=25, deadline=None, suppress_health_check=CHECKS)
@given(worked_on=NASTY, hours=NASTY, minutes=NASTY, role=NASTY, note=NASTY, shift=NASTY)
def test_log_hours_form(client_of, event_helper, worked_on, hours, minutes, role, note, shift):
    response = client_of(event_helper).post(
        reverse("volunteering:my_hours"),
        {
            "worked_on": worked_on,
            "hours": hours,
            "minutes": minutes,
            "role": role,
            "note": note,
            "shift": shift,
        },
    )
    assert response.status_code in (200, 302)


@settings(max_examples=25, deadline=None, suppress_health_check=CHECKS)
@given(day=NASTY, starts=NASTY, ends=NASTY, place=NASTY, places=NASTY, repeat=NASTY)
def test_new_shift_form(client_of, coordinator, day, starts, ends, place, places, repeat):
    response = client_of(coordinator).post(
        reverse("volunteering:new_shift"),
        {
            "role": "1",
            "day": day,
            "starts": starts,
            "ends": ends,
            "place": place,
            "places": places,
            "repeat_weeks": repeat,
        },
    )
    assert response.status_code in (200, 302)


@settings(max_examples=25, deadline=None, suppress_health_check=CHECKS)
@given(level=NASTY, issued=NASTY, number=NASTY, due=NASTY)
def test_dbs_form(client_of, coordinator, applicant, level, issued, number, due):
    response = client_of(coordinator).post(
        reverse("volunteering:add_dbs_check", args=[applicant.pk]),
        {"level": level, "issued_on": issued, "certificate_number": number, "recheck_due": due},
    )
    assert response.status_code == 302


@settings(max_examples=25, deadline=None, suppress_health_check=CHECKS)
@given(why=NASTY, lived=NASTY, roles=NASTY, availability=NASTY)
def test_apply_form(client_of, mentee, why, lived, roles, availability):
    from volunteering.models import Onboarding

    Onboarding.objects.filter(user=mentee).delete()
    response = client_of(mentee).post(
        reverse("volunteering:apply"),
        {
            "why": why,
            "lived_experience_to_use": lived,
            "roles": roles,
            "availability": availability,
        },
    )
    assert response.status_code in (200, 302)
