"""Bad input never reaches a server error: odd ids, dates out of range, unsafe names."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.forms import ProfileForm, SignupForm
from accounts.inputs import parse_date, parse_id
from mentoring.forms import MeetingForm
from tests.mentoring.factories import referral_for
from volunteering.forms import ShiftForm
from volunteering.models import VolunteerRole

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "Please give a date between 1900 and 2100."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", 42), (" 7 ", 7), ("²", None), ("٣", None), ("1" * 30, None), ("-1", None), ("", None),
     (None, None), ("0", None), ("9223372036854775807", 2**63 - 1), ("9223372036854775808", None)],
)  # fmt: skip
def test_ids_are_parsed_once_safely(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-12-07", date(2026, 12, 7)), ("9999-12-31", None), ("0001-01-01", None),
     ("1899-12-31", None), ("2100-12-31", date(2100, 12, 31)), ("next week", None), ("", None)],
)  # fmt: skip
def test_dates_in_addresses_are_between_1900_and_2100(raw, expected):
    assert parse_date(raw) == expected


def test_a_thirty_digit_id_in_an_address_is_a_plain_404(client_of, coordinator):
    client = client_of(coordinator)
    for url in (
        "/mentoring/referrals/" + "9" * 30 + "/",
        "/volunteering/shifts/" + "1" * 30 + "/",
        "/me/people/" + "9" * 30 + "/roles/",
        "/chat/rooms/" + "9" * 30 + "/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_biggest_possible_id_is_a_404_too(client_of, coordinator):
    response = client_of(coordinator).get(f"/volunteering/shifts/{10**18 - 1}/")
    assert response.status_code == 404


@pytest.mark.parametrize("mentor", ["²", "1" * 30, "abc", ""])
def test_do_not_match_with_an_odd_mentor_id_is_refused_plainly(
    client_of, coordinator, mentee, mentor
):
    referral = referral_for(mentee)
    response = client_of(coordinator).post(
        reverse("mentoring:do_not_match", args=[referral.pk]),
        {"mentor": mentor, "reason": "They know each other"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Please choose a mentor and say why." in response.content.decode()


def test_the_rota_for_the_year_9999_shows_this_week_and_says_why(client_of, coordinator):
    response = client_of(coordinator).get(reverse("volunteering:rota") + "?week=9999-12-31")
    assert response.status_code == 200
    assert "We can only show weeks between 1900 and 2100" in response.content.decode()


def test_a_shift_near_midnight_on_9999_12_31_is_refused():
    role = VolunteerRole.objects.first()
    form = ShiftForm(
        data={"role": role.pk, "day": "9999-12-31", "starts": "23:00", "ends": "01:00",
              "place": "Hall", "places": 2, "repeat_weeks": 0}
    )  # fmt: skip
    assert not form.is_valid()
    assert form.errors["day"] == [OUT_OF_RANGE]


def test_a_meeting_on_9999_12_31_near_midnight_is_refused():
    form = MeetingForm(
        data={"day": "9999-12-31", "time": "23:59", "minutes": 60, "place_kind": "phone"}
    )
    assert not form.is_valid()
    assert form.errors["day"] == [OUT_OF_RANGE]


def test_a_new_shift_on_9999_12_31_is_refused_on_the_page(client_of, coordinator):
    role = VolunteerRole.objects.first()
    response = client_of(coordinator).post(
        reverse("volunteering:new_shift"),
        {"role": role.pk, "day": "9999-12-31", "starts": "23:00", "ends": "01:00",
         "place": "Hall", "places": 2, "repeat_weeks": 3},
    )  # fmt: skip
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()


UNSAFE_NAMES = ["Sam\nBcc: everyone", "Sa\rm", "\u202eSam", "Sam\u2066x", "Sam\x00", "S\u200bam",
                "Sam\u2028x"]  # fmt: skip


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_the_profile_refuses_line_breaks_and_invisible_characters_in_a_name(
    name, client_of, mentee
):
    response = client_of(mentee).post(reverse("accounts:profile"), {"display_name": name})
    assert response.status_code == 200
    assert "no line breaks or invisible characters" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.display_name == "Jay Mentee"


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_sign_up_and_the_service_refuse_them_too(name, mentee):
    assert "display_name" in SignupForm(data={"display_name": name}).errors
    assert "display_name" in ProfileForm(data={"display_name": name}).errors
    with pytest.raises(ValidationError):
        services.update_profile(user=mentee, by=mentee, display_name=name)
    mentee.display_name = name
    with pytest.raises(ValidationError):
        mentee.full_clean()  # the Django admin's form


def test_ordinary_names_are_still_fine(mentee):
    for name in ("Zoë O'Neil-Smith", "Kasia (she/her)", "李雷", "Sam 👩‍👧"):
        services.update_profile(user=mentee, by=mentee, display_name=name)
        mentee.refresh_from_db()
        assert mentee.display_name == name
