"""Journeys end to end, for every role, in Chromium at 390×844 with DEBUG off (issues 12 and 16).

Each test starts at the person's Today page (the only address typed), then uses only what a
person can see and tap: roles, labels and link text. When the next person has to act, the test
logs in as them and starts from their Today again. axe-core checks every page visited, and each
test prints how many taps and fills the journey took (``journey <name>: taps=<n>``).
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.roles import Role
from mentoring import services
from mentoring.choices import MeetingPlace
from mentoring.models import Meeting
from mentoring.partners.models import MentorIntro
from stories.models import StoryConsent, StoryPage
from tests.cms import factories as cms_factories
from tests.e2e.waiting import wait_for
from tests.factories import person
from tests.mentoring.factories import cleared_mentor, meeting_of
from tests.mentoring.partner_factories import organisation, partner_worker
from tests.volunteering.factories import ShiftFactory, ensure_roles, make_cleared
from volunteering.models import Shift, VolunteerRole

pytestmark = pytest.mark.django_db(transaction=True)


class Journey:
    """A person's hands on the phone: every tap, fill, tick and choice is counted, and every
    page a tap lands on is checked with axe-core."""

    def __init__(self, page, login, assert_accessible, name: str):
        self.page, self._login, self._axe, self.name = page, login, assert_accessible, name
        self.taps = 0

    def start(self, user, url: str = "/me/"):
        """Log in as ``user`` and open their Today page: the one address a test types."""
        self._login(self.page, user)
        self.page.goto(url)
        self.check()

    def check(self):
        self.page.wait_for_load_state()
        if "/admin/" in self.page.url:
            # Wagtail's messages fade in: axe would measure a colour half way.
            self.page.wait_for_timeout(1000)
        self._axe(self.page)

    def tap(self, locator, *, lands: bool = True):
        """Tap ``locator``; when it loads a page, wait for it and check it."""
        locator = locator.first if locator.count() > 1 else locator
        self.taps += 1
        try:
            if lands:
                with self.page.expect_navigation():
                    locator.click()
            else:
                locator.click()
        except PlaywrightTimeoutError as error:
            # Say what the person had in front of them, not only what was missing.
            seen = self.page.locator("body").aria_snapshot()
            raise AssertionError(f"{error}\non {self.page.url}:\n{seen}") from None
        if lands:
            self.check()

    def link(self, name: str, *, within=None, exact: bool = False):
        self.tap((within or self.page).get_by_role("link", name=name, exact=exact))

    def button(self, name: str, *, within=None, exact: bool = False, lands: bool = True):
        self.tap((within or self.page).get_by_role("button", name=name, exact=exact), lands=lands)

    def menu(self, name: str):
        """Open the menu and tap one of its links."""
        self.tap(self.page.get_by_text("Menu", exact=True), lands=False)
        self.link(name, within=self.page.get_by_role("navigation", name="Main"), exact=True)

    def _field(self, label, role, exact):
        # In Wagtail's admin a panel is labelled like its field: ask for the field's role there.
        if role:
            return self.page.get_by_role(role, name=label, exact=exact)
        return self.page.get_by_label(label, exact=exact)

    def fill(self, label, value: str, *, exact: bool = False, role: str | None = None):
        self.taps += 1
        self._field(label, role, exact).fill(value)

    def tick(self, label, *, exact: bool = False, role: str | None = None):
        self.taps += 1
        self._field(label, role, exact).check()

    def choose(self, label, value: str, *, role: str | None = None):
        self.taps += 1
        self._field(label, role, False).select_option(value)

    def sees(self, text: str, *, exact: bool = False):
        expect(self.page.get_by_text(text, exact=exact).first).to_be_visible()

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()

    def done(self):
        print(f"journey {self.name}: taps={self.taps}")  # noqa: T201 - the closing note reads it


@pytest.fixture
def journey(request, page, login, assert_accessible, settings):
    assert settings.DEBUG is False
    walk = Journey(page, login, assert_accessible, request.node.name)
    yield walk


def emailed_code() -> str:
    body = mail.outbox[-1].body
    found = re.search(r"^\s*([A-Z0-9-]{6,9})\s*$", body, re.MULTILINE)
    assert found, body
    return found.group(1)


# 1 ------------------------------------------------------------------------------------------


def test_asking_for_help(journey, page):
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    mail.outbox.clear()

    # Kim joins on her own from the public home page.
    page.goto("/")
    journey.check()
    journey.link("Join")
    journey.fill("E-mail address", "kim@example.org")
    journey.fill("Name others see", "Kim")
    journey.fill("Password", "a long walk home 2026", exact=True)
    journey.fill("Password again", "a long walk home 2026")
    journey.button("Join")
    journey.fill("Code", emailed_code())
    journey.button("Confirm")
    expect(page.get_by_role("heading", name="Hello, Kim")).to_be_visible()

    # Today offers what she can do here.
    start = page.get_by_role("region", name="Where to start")
    for offer in (
        "Ask for a peer mentor",
        "Apply to volunteer",
        "Join a group",
        "Share your story",
        "Find an event",
    ):
        expect(start.get_by_role("link", name=offer)).to_be_visible()
    journey.link("Ask for a peer mentor", within=start)
    journey.choose("Best way to get in touch", "email")
    journey.fill("Area", "Hackney", role="textbox")
    journey.tick("Housing")
    journey.button("Send")
    journey.sees("Thank you. A coordinator will be in touch.")

    # Back on Today, "Where to start" stays: the request is with the coordinators, and the
    # other ways in are still there.
    journey.menu("Today")
    start = page.get_by_role("region", name="Where to start")
    expect(
        start.get_by_role("link", name="Your request for a peer mentor is with the coordinators")
    ).to_be_visible()
    for offer in ("Apply to volunteer", "Join a group", "Share your story", "Find an event"):
        expect(start.get_by_role("link", name=offer)).to_be_visible()
    expect(start.get_by_role("link", name="Ask for a peer mentor")).to_have_count(0)

    # The coordinator sees it at once, from her Today.
    journey.start(coordinator)
    mentoring = page.get_by_role("region", name="Mentoring")
    expect(mentoring.get_by_text("1 referrals waiting for a match")).to_be_visible()
    journey.link("Mentoring", within=mentoring)
    journey.link("Kim")
    expect(page.get_by_role("heading", name="Referral for Kim")).to_be_visible()
    journey.sees("Hackney")
    journey.done()


# 2 ------------------------------------------------------------------------------------------


def test_referral_to_first_meeting(journey, page):
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    jay = person(display_name="Jay", email="jay@example.org")  # joined, no role yet
    sam = cleared_mentor(
        person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Sam"),
        area="Hackney",
        availability=["tue-evening"],
    )
    release = timezone.localdate() + timedelta(days=3)

    # The coordinator refers Jay from her Today, and proposes Sam with reasons.
    journey.start(coordinator)
    journey.link("New referral")
    journey.fill("E-mail address of the person", "jay@example.org")
    journey.choose("Best way to get in touch", "email")
    journey.fill("Area", "Hackney", role="textbox")
    journey.tick("Housing")
    journey.fill("Prison (if any)", "HMP Northshire")
    journey.fill("Release date (if any)", release.isoformat())
    journey.tick("Tuesday evenings")
    journey.tick(
        "I agree that my mentor may see what I want help with, when I am usually free, "
        "my area and my goals"
    )
    journey.button("Save and find mentors")
    suggestion = page.locator("li.suggestion").first
    expect(suggestion.get_by_text("Both live in Hackney")).to_be_visible()
    journey.button("Propose Sam", within=suggestion)

    # Jay is now a mentee: his Today says what happens next.
    journey.start(jay)
    card = page.get_by_role("region", name="My mentoring")
    expect(card.get_by_text("We have asked a mentor who may fit")).to_be_visible()
    journey.link("You have been put forward for a mentor")
    expect(page.get_by_role("heading", name="Referral for Jay")).to_be_visible()

    # Sam sees what he needs to decide, and says yes.
    journey.start(sam)
    journey.link("Mentoring Jay?")
    expect(page.get_by_role("heading", name="Would you mentor Jay?")).to_be_visible()
    main = journey.main_text()
    for fact in ("Hackney", "Housing", "Tuesday evenings"):
        assert fact in main, fact
    journey.button("Yes, I will")

    # Jay says yes on Today.
    journey.start(jay)
    journey.link("Your mentor said yes")
    journey.button("Yes, let's meet")

    # Sam is told on Today and plans the first meeting: "at the gate", from the release date
    # and the prison.
    journey.start(sam)
    journey.link("Jay said yes: you can start")  # lands on the meeting form
    expect(page.get_by_label("Day")).to_have_value(release.isoformat())
    expect(page.get_by_label("How you will meet")).to_have_value(MeetingPlace.PRISON_GATE)
    expect(page.get_by_label("Where")).to_have_value("HMP Northshire")
    journey.button("Plan it")
    journey.sees("Meeting planned. You will both get reminders.")

    # Jay sees it on Today and adds it to his phone's calendar.
    journey.start(jay)
    card = page.get_by_role("region", name="My mentoring")
    expect(card.get_by_text("HMP Northshire")).to_be_visible()
    journey.link("Meeting planned")
    with page.expect_download() as download:
        journey.tap(page.get_by_role("link", name="Add to my calendar"), lands=False)
    ics = open(download.value.path(), encoding="utf-8").read()
    assert "BEGIN:VEVENT" in ics and "Meeting with Sam" in ics
    # Discreet by default: a shared phone's calendar does not say "prison"; the meeting page
    # (behind log-in, linked from the entry) says where.
    assert "HMP Northshire" not in ics and "/mentoring/meetings/" in ics

    # Sam moves it an hour later; Jay is told, and can cancel it; Sam is told.
    journey.start(sam)
    mentees = page.get_by_role("region", name="My mentees")
    journey.tap(mentees.get_by_role("link", name=re.compile(release.strftime("%-d %b"))))
    journey.link("Move this meeting")
    journey.fill("Time", "11:00")
    journey.button("Move it")
    journey.sees("Meeting moved. We have told the other person.")

    # Jay cannot make 11:00 either: he moves it himself, and Sam is told.
    journey.start(jay)
    journey.link("Meeting moved to")
    expect(page.get_by_role("heading", level=1)).to_contain_text("11:00")
    journey.link("Move this meeting")
    journey.fill("Time", "12:30")
    journey.button("Move it")
    journey.sees("Meeting moved. We have told the other person.")

    journey.start(sam)
    journey.link("Meeting moved to")
    expect(page.get_by_role("heading", level=1)).to_contain_text("12:30")

    # Then it cannot happen at all: Jay opens it from his mentoring card, cancels, Sam is told.
    journey.start(jay)
    card = page.get_by_role("region", name="My mentoring")
    journey.tap(card.get_by_role("link", name=re.compile("12:30")))
    journey.button("Cancel this meeting")
    journey.sees("Meeting cancelled. We have told the other person.")

    journey.start(sam)
    expect(page.get_by_role("link", name=re.compile("Meeting cancelled"))).to_be_visible()
    journey.done()


def test_referral_of_someone_with_no_account(journey, page, live_server, settings):
    """The coordinator refers Lee, who has no account: Lee gets an e-mailed invitation, chooses a
    password from its link, logs in and finds the referral (and what happens next) on Today."""
    settings.SITE_URL = live_server.url  # the e-mailed links open on this test server
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    mail.outbox.clear()

    journey.start(coordinator)
    journey.link("New referral")
    journey.fill("E-mail address of the person", "lee@example.org")
    journey.fill("Name they go by", "Lee")
    journey.choose("Best way to get in touch", "email")
    journey.fill("Area", "Hackney", role="textbox")
    journey.tick("Housing")
    journey.button("Save and find mentors")
    journey.sees("Referral saved.")

    # Lee opens the link in the invitation on his own phone (not logged in).
    [invitation] = [m for m in mail.outbox if "/accounts/password/reset/key/" in m.body]
    assert invitation.to == ["lee@example.org"] and "ask for a code" in invitation.body
    link = re.search(r"(http\S+/accounts/password/reset/key/\S+/)", invitation.body).group(1)
    assert link.startswith(live_server.url)
    page.context.clear_cookies()
    page.goto(link)
    journey.check()
    journey.fill("New password", "a fresh start 2026", exact=True)
    journey.fill("New password again", "a fresh start 2026")
    journey.button("Change your password")
    journey.link("Log in")
    journey.fill("E-mail address", "lee@example.org")
    journey.fill("Password", "a fresh start 2026", exact=True)
    journey.button("Log in")
    expect(page.get_by_role("heading", name="Hello, Lee")).to_be_visible()
    card = page.get_by_role("region", name="My mentoring")
    expect(card.get_by_text("We are looking for the right mentor for you")).to_be_visible()
    journey.link("You have been put forward for a mentor")
    expect(page.get_by_role("heading", name="Referral for Lee")).to_be_visible()
    journey.sees("Hackney")
    journey.done()


def _active_pair(coordinator, mentee, mentor, **referral):
    """Jay and Sam matched through the real steps: referred, proposed, accepted, agreed."""
    referral.setdefault("contact_preference", "email")
    referral.setdefault("consent_to_share", True)
    made = services.refer(person=mentee, by=coordinator, **referral)
    match = services.propose_match(referral=made, mentor=mentor, by=coordinator)
    services.answer_proposal(match=match, by=mentor, accept=True)
    return services.agree_to_match(match=match, by=mentee)


# 3 ------------------------------------------------------------------------------------------


def test_what_my_mentor_sees(journey, page):
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    jay = person(display_name="Jay")
    sam = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Sam"))
    _active_pair(coordinator, jay, sam, area="Hackney", prison="HMP Northshire", needs=["housing"])

    # Sam sees Jay's area, and not the prison he was in.
    journey.start(sam)
    journey.link("Jay", within=page.get_by_role("region", name="My mentees"), exact=True)
    shared = page.get_by_role("region", name="What they chose to share with you")
    expect(shared).to_contain_text("Hackney")
    expect(shared).not_to_contain_text("HMP Northshire")

    # Jay changes what Sam sees: the prison yes, his area no.
    journey.start(jay)
    journey.link("My mentoring", within=page.get_by_role("region", name="My mentoring"))
    journey.link("What my mentor sees")
    journey.tick("The prison I was in")
    journey.taps += 1
    page.get_by_label("My area", exact=True).uncheck()
    journey.button("Save")
    journey.sees("Saved. Your mentor sees this from now on.")

    # Sam's page has changed at once.
    journey.start(sam)
    journey.link("Jay", within=page.get_by_role("region", name="My mentees"), exact=True)
    shared = page.get_by_role("region", name="What they chose to share with you")
    expect(shared).to_contain_text("HMP Northshire")
    expect(shared).not_to_contain_text("Hackney")
    journey.done()


# 7 ------------------------------------------------------------------------------------------


def test_worry_after_meeting(journey, page):
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    lead = person(Role.SAFEGUARDING_LEAD, display_name="Lee")
    jay = person(display_name="Jay")
    sam = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Sam"))
    match = _active_pair(coordinator, jay, sam)
    meeting = meeting_of(match, in_hours=20)
    when = f"{timezone.localtime(meeting.starts_at):%a %-d %b, %H:%M}"  # as the card shows it
    worry = "Jay said his ex-partner has been waiting outside his hostel at night."

    # Sam raises a concern from the meeting, starting at his Today.
    journey.start(sam)
    mentees = page.get_by_role("region", name="My mentees")
    journey.link(when, within=mentees)
    journey.link("Raise a safeguarding concern")
    journey.fill("What happened or what worries you", worry)
    journey.button("Send to the safeguarding lead")
    journey.sees("Thank you. The safeguarding lead has been told and will follow up.")

    # The safeguarding lead is told on Today, triages, records and closes it.
    journey.start(lead)
    journey.link("Urgent: something new needs you")
    journey.sees(worry)
    journey.choose("How urgent is this?", "high")
    journey.button("Set urgency")
    journey.choose("Who takes this on?", "Lee")
    journey.button("Assign")
    journey.fill("What was done?", "Called Jay; he is safe. Housing team asked to move him.")
    journey.button("Add to the record")
    journey.fill("Outcome", "Moved to another hostel. Nothing more needed.")
    journey.button("Close with this outcome")
    journey.sees("Moved to another hostel. Nothing more needed.")

    # Sam sees that it was received, and nothing of what was done.
    journey.start(sam)
    journey.link(when, within=page.get_by_role("region", name="My mentees"))
    for private in ("Moved to another hostel", "Called Jay", "Housing team", "ex-partner"):
        assert private not in page.content()
    journey.done()


# 4 ------------------------------------------------------------------------------------------

DATE = re.compile(r"^Date:?$")


def test_mentee_to_volunteer(journey, page, settings):
    settings.ORGANISATION_NAME = "Alongside Recovery CIC"
    settings.ORGANISATION_ADDRESS = "12 Mill Lane, Hackney, London E8 1AA"
    ensure_roles()
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    jay = person(Role.MENTEE, display_name="Jay")
    soon = timezone.localtime() + timedelta(days=2)
    helper, mentor_role = (
        VolunteerRole.objects.get(slug=slug) for slug in ("event-helper", "peer-mentor")
    )
    shifts = [
        ShiftFactory(
            role=helper,
            starts_at=soon + timedelta(days=n),
            ends_at=soon + timedelta(days=n, hours=3),
            place=place,
            places=4,
        )
        for n, place in enumerate(["Community café", "Town hall"])
    ]
    ShiftFactory(role=mentor_role, starts_at=soon, ends_at=soon + timedelta(hours=2))
    # The coordinator records each step on the day it happened, a week or so back.
    earlier = (timezone.localdate() - timedelta(days=10)).isoformat()

    # Jay applies from Today.
    journey.start(jay)
    journey.link("Apply to volunteer")
    journey.fill("Why would you like to volunteer?", "Someone met me at the gate. I want to.")
    journey.tick("Event helper")
    journey.button("Send my application")
    journey.sees("Thank you for applying.")

    # The coordinator moves him through the pipeline until he is cleared as an event helper.
    journey.start(coordinator)
    journey.link("1 person in the pipeline")
    journey.link("Jay")
    for stage, step in (("interview", "interview"), ("checks", None), ("induction", "induction")):
        journey.choose("Move to", stage)
        journey.button("Move")
        if step:
            journey.choose("Step", step)
            journey.fill(DATE, earlier)
            journey.button("Save step")
        if stage == "checks":
            journey.fill("Referee's name", "Ann Reed")
            journey.fill("How they know the volunteer", "Hostel key worker")
            journey.button("Add reference")
            journey.fill("Received on", earlier)
            journey.button("Record reference from Ann Reed")
    journey.choose("Move to", "active")
    journey.button("Move")
    cleared = page.get_by_role("region", name="Cleared for").get_by_role("listitem")
    expect(cleared.filter(has_text="Event helper").first).to_contain_text("Cleared")
    expect(cleared.filter(has_text="Peer mentor").first).to_contain_text("Not yet")

    # Jay is told on Today that he is cleared, and the notice opens the shifts he can take; the
    # peer-mentor shift is not offered to him. He signs up for both event-helper shifts.
    journey.start(jay)
    journey.link("You can now take shifts as Event helper")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shifts")
    expect(page.get_by_role("link", name=re.compile("^Peer mentor"))).to_have_count(0)
    for shift in shifts:
        journey.link(f"Event helper, {timezone.localtime(shift.starts_at):%a %-d %b}")
        journey.button("Sign up")
        journey.sees("You are signed up. Thank you!")
        journey.link("Back to shifts")

    # The shifts happen (moved into the past rather than waiting), and he logs their hours.
    for n, shift in enumerate(shifts):
        held = timezone.now() - timedelta(days=n + 1)
        Shift.objects.filter(pk=shift.pk).update(starts_at=held, ends_at=held + timedelta(hours=3))
    journey.start(jay)
    journey.link("Volunteering", within=page.get_by_role("region", name="Volunteering"))
    journey.link("My hours", within=page.get_by_role("navigation", name="Volunteering"))
    for _shift in shifts:
        journey.link("Log Event helper")
        expect(page.get_by_label("Hours")).to_have_value("3")
        journey.button("Log hours")
        journey.sees("Your hours are logged.")
    expect(page.get_by_role("link", name="Log Event helper")).to_have_count(0)
    journey.sees("Waiting for approval: 6 hours")

    # The coordinator approves both at once.
    journey.start(coordinator)
    journey.link("2 hours entries waiting for approval")
    journey.tick("Select all (2 entries)")
    journey.button("Approve ticked")
    journey.sees("2 entries decided.")

    # Jay's total and his printable record have gone up, with the charity's name and address.
    journey.start(jay)
    journey.link("Volunteering", within=page.get_by_role("region", name="Volunteering"))
    journey.sees("Approved: 6 hours")
    journey.link("Print my record of training and hours")
    expect(page.get_by_role("row", name=re.compile("Event helper"))).to_contain_text("6 hours")
    journey.sees("Alongside Recovery CIC")
    journey.sees("12 Mill Lane, Hackney, London E8 1AA")
    journey.done()


# 5 ------------------------------------------------------------------------------------------


def test_coordinators_week(journey, page):
    ensure_roles()
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    ann, bo, cy = (
        person(Role.VOLUNTEER, display_name=name, email=f"{name.lower()}@example.org")
        for name in ("Ann", "Bo", "Cy")
    )
    for volunteer in (ann, bo, cy):
        make_cleared(volunteer, "event-helper")
    # Next week's Tuesday and Wednesday: both on the rota's next page, whatever today is.
    today = timezone.localdate()
    weekly_day = today + timedelta(days=7 - today.weekday() + 1)
    one_off_day = weekly_day + timedelta(days=1)

    # Dee makes a weekly shift (one place, this week and next) and a one-off.
    journey.start(coordinator)
    journey.menu("Volunteering")
    journey.link("Rota", within=page.get_by_role("navigation", name="Coordinating volunteers"))
    for day, place, places, repeat in (
        (weekly_day, "Community café", "1", "1"),
        (one_off_day, "Town hall", "2", "0"),
    ):
        journey.link("New shift")
        journey.choose("Role", "Event helper")
        journey.fill(DATE, day.isoformat())
        journey.fill("Starts", "10:00")
        journey.fill("Ends", "13:00")
        journey.fill(re.compile(r"^Place:?$"), place)
        journey.fill("Number of places", places)
        journey.fill("Repeat weekly for how many more weeks?", repeat)
        journey.button("Create shift")
    journey.sees("1 shift(s) created.")
    weekly = Shift.objects.filter(place="Community café").order_by("starts_at")
    assert [timezone.localdate(s.starts_at) for s in weekly] == [
        weekly_day,
        weekly_day + timedelta(days=7),
    ]

    def shift_link(day):
        return re.compile(rf"^Event helper, {day:%a %-d %b}, 10:00")

    # Ann takes the weekly shift's one place; Bo, then Cy, join its waiting list; Cy also
    # takes the one-off.
    for volunteer, answer in ((ann, "Sign up"), (bo, "Join the waiting list"), (cy, None)):
        journey.start(volunteer)
        journey.link("Find a shift")
        journey.tap(page.get_by_role("link", name=shift_link(weekly_day)))
        journey.button(answer or "Join the waiting list")
        if volunteer == cy:
            journey.link("Back to shifts")
            journey.tap(page.get_by_role("link", name=shift_link(one_off_day)))
            journey.button("Sign up")

    # Dee moves the weekly shift an hour later: everyone on it, or waiting, is told.
    journey.start(coordinator)
    journey.menu("Volunteering")
    journey.link("Rota", within=page.get_by_role("navigation", name="Coordinating volunteers"))
    journey.link("Next week")
    day = page.get_by_role("region", name=f"{weekly_day:%A %-d %B}")
    journey.link("10:00–13:00 Event helper", within=day)
    journey.link("Change or cancel this shift")
    journey.fill("Starts", "11:00")
    journey.fill("Ends", "14:00")
    journey.button("Save the changes")
    journey.sees("Shift changed. We have told everyone on it.")

    # ...and cancels the one-off: one person was on it.
    journey.link("Back to the rota")
    day = page.get_by_role("region", name=f"{one_off_day:%A %-d %B}")
    journey.link("10:00–13:00 Event helper", within=day)
    journey.link("Change or cancel this shift")
    journey.button("Cancel this shift")
    journey.sees("Shift cancelled. We have told the 1 person on it.")

    # Each is told on Today. Ann can no longer come, and withdraws.
    journey.start(cy)
    journey.sees(f"Shift cancelled: Event helper, {one_off_day:%A %-d %B}")
    journey.start(bo)
    journey.sees("Shift changed: Event helper, now")
    journey.start(ann)
    journey.link("Shift changed: Event helper, now")
    journey.button("Withdraw from this shift")
    journey.sees("You have withdrawn from this shift.")

    # The freed place goes to the first on the waiting list, Bo; Cy is still waiting.
    journey.start(bo)
    journey.link("A place came up: Event helper")
    expect(page.get_by_role("main")).to_contain_text("11:00")
    journey.sees("Signed up", exact=True)
    journey.start(cy)
    journey.sees("(you are on the waiting list)")
    journey.link("Find a shift")
    link = page.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=re.compile(f"{weekly_day:%a %-d %b}, 11:00"))
    )
    expect(link.first).to_contain_text("On the waiting list")
    journey.done()


# 8 (issue 16) -------------------------------------------------------------------------------


def test_partner_referral_to_gate(journey, page):
    worker = partner_worker(organisation("Northshire Probation"), display_name="Pat")
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    jay = person(display_name="Jay", email="jay@example.org")
    mentors = {}
    for name, words in (
        ("Sam", "I came out of Northshire in 2021. I know the first week is the hardest."),
        ("Ash", "Five years clean. I like football and a cheap café."),
        ("Bo", "I cook a lot, and I am good with forms and phone calls."),
    ):
        mentors[name] = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name=name))
        MentorIntro.objects.create(mentor=mentors[name], words=words)
    sam = mentors["Sam"]
    release = timezone.localdate() + timedelta(days=5)

    # Pat, a probation worker, refers Jay from her Today, with a release date.
    journey.start(worker)
    journey.link("Refer someone", within=page.get_by_role("region", name="Your referrals"))
    journey.fill("Their name", "Jay")
    journey.choose("Best way to reach them", "email")
    journey.fill("E-mail address (if any)", "jay@example.org")
    journey.fill("How to reach them safely", "E-mail only, please")
    journey.fill("Prison (if they are in prison)", "HMP Northshire")
    journey.fill("Release date (if known)", release.isoformat())
    journey.tick("Housing")
    journey.tick("Their prison and release date")
    journey.tick("I asked the person and they agreed")
    journey.fill("Risk information (only coordinators read this)", "Not near Town Rd")
    journey.button("Send the referral")
    journey.sees("Waiting for the person")

    # Jay sees who referred him and what was passed on, and agrees.
    journey.start(jay)
    journey.link("Northshire Probation referred you for a peer mentor")
    journey.sees("Pat at Northshire Probation referred you")
    assert "Not near Town Rd" not in journey.main_text()
    journey.button("Yes, I agree to be referred")
    journey.sees("Thank you. We have saved your answer.")

    # The coordinator offers him three mentors to choose from.
    journey.start(coordinator)
    journey.link("Someone agreed to their referral")
    journey.link("Find a mentor")
    journey.link("Let them choose: offer two or three mentors")
    for name in mentors:
        journey.tick(name, exact=True)
    journey.button("Send the list")
    journey.sees("Sent. They will choose, or tell us.")

    # Jay reads them in their own words and picks Sam.
    journey.start(jay)
    journey.link("Choose your mentor")
    for words in ("the first week is the hardest", "I like football", "good with forms"):
        journey.sees(words)
    journey.button("Choose Sam")
    journey.sees("We have asked Sam.")
    # ...and says who to ask if Sam does not answer in time.
    journey.button("Ask Ash next")
    journey.sees("we will ask Ash next")

    # Sam accepts.
    journey.start(sam)
    journey.link("Mentoring Jay?")
    journey.button("Yes, I will")

    # Jay says yes to meeting him.
    journey.start(jay)
    journey.link("Your mentor said yes")
    journey.button("Yes, let's meet")

    # Sam plans the first meeting: at the gate, on release day, at the prison, as it stands.
    journey.start(sam)
    journey.link("Jay said yes: you can start")
    expect(page.get_by_label("Day")).to_have_value(release.isoformat())
    expect(page.get_by_label("How you will meet")).to_have_value(MeetingPlace.PRISON_GATE)
    expect(page.get_by_label("Where")).to_have_value("HMP Northshire")
    journey.button("Plan it")
    meeting = Meeting.objects.get(match__mentee=jay)
    assert timezone.localtime(meeting.starts_at).date() == release
    assert meeting.place_kind == MeetingPlace.PRISON_GATE

    # Jay is still inside: Sam writes to him from the match page, and prints the letter.
    journey.start(sam)
    journey.link("Jay", within=page.get_by_role("region", name="My mentees"), exact=True)
    journey.link("Write a letter to print")
    journey.sees("I will be there")
    with page.expect_download() as download:
        journey.button("Make the letter to print (PDF)", lands=False)
    letter = PdfReader(download.value.path()).pages[0].extract_text()
    assert "Jay" in letter and "HMP Northshire" in letter and "I will be there" in letter

    # Release day comes (the clock moves on), and Sam records that they met.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    journey.start(sam)
    journey.link("Jay", within=page.get_by_role("region", name="My mentees"), exact=True)
    meeting.refresh_from_db()
    met = f"{timezone.localtime(meeting.starts_at):%A %-d %B, %H:%M}"  # as the page shows it
    journey.link(met, within=page.get_by_role("region", name="Meetings"))
    journey.choose("What happened", "held")
    journey.tap(page.get_by_role("button", name="Save", exact=True))

    # Pat sees "First meeting held", and nothing more.
    journey.start(worker)
    journey.link("Jay", within=page.get_by_role("region", name="Your referrals"))
    journey.sees("First meeting held")
    main = journey.main_text()
    for private in ("Sam", "gate", "Not near Town Rd", "E-mail only", "football"):
        assert private not in main, private
    journey.done()


# 6 ------------------------------------------------------------------------------------------


def _admin_actions(page):
    """Open the admin's footer menu of actions (Submit, Approve, ...)."""
    page.locator(
        ".footer__container .dropdown-toggle, [data-w-dropdown-target='toggle']"
    ).last.click()


def test_story_draft_to_withdrawal(journey, page, browser, live_server, settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0  # see test_stories: autosave races a timed submit
    cache.clear()
    cms_factories.ensure_site()
    lead = person(Role.INVOLVEMENT_LEAD, display_name="Lou")
    person(Role.MODERATOR, display_name="Mo")
    kim = person(display_name="Kim", email="kim@example.org")

    # Lou reaches the admin from her menu and drafts Kim's story under a pseudonym.
    journey.start(lead)
    journey.menu("Edit the website")
    journey.link(re.compile("Pages created in"))
    journey.link("Stories", exact=True)  # the stories list's page in the editor
    journey.link("Stories", within=page.get_by_role("navigation", name="Breadcrumb"), exact=True)
    journey.link("Add child page")  # a story is the only kind of page here
    journey.fill("Title*", "Out of the gate", role="textbox")
    journey.fill("Told by*", "K.", role="textbox")  # the pseudonym Kim chose
    journey.fill("Storyteller's account", "kim@example.org", role="textbox")
    journey.fill("Content note", "mentions prison", role="textbox")
    journey.tap(page.get_by_role("button", name="Insert a block").first, lands=False)
    journey.tap(page.get_by_role("option", name="Paragraph").first, lands=False)
    editor = page.locator(".public-DraftEditor-content").first
    editor.wait_for()
    editor.click()
    journey.taps += 1
    editor.press_sequentially("The day I left, a peer mentor was waiting with a coffee.")
    page.get_by_role(
        "textbox", name="Told by*"
    ).click()  # leave the editor so it writes its hidden field
    expect(page.locator('input[name="body-0-value"]')).to_have_value(re.compile("coffee"))
    for box in ("No other person is named", "No place that could identify", "Faces are blurred"):
        journey.tick(box, role="checkbox")
    _admin_actions(page)
    journey.taps += 1
    journey.button(re.compile("Submit to Story review"))
    story = wait_for(lambda: StoryPage.objects.filter(title="Out of the gate").first(), page)
    assert not story.live

    # She records Kim's consent (Stories, then Consent records, in the admin's menu).
    journey.tap(page.get_by_role("button", name="Toggle sidebar"), lands=False)
    journey.tap(page.get_by_role("button", name="Stories"), lands=False)
    journey.link("Consent records")
    journey.link(re.compile("Add"))
    journey.tap(page.get_by_role("button", name="Choose a page"), lands=False)
    chooser = page.get_by_role("dialog")
    journey.fill("Search term", "Out of the gate")
    journey.tap(chooser.get_by_role("link", name="Out of the gate"), lands=False)
    journey.fill("Who consented", "Kim S.", role="textbox")
    journey.choose("How", "written", role="combobox")
    journey.tick("This website", role="checkbox")
    journey.fill(
        "Review consent by",
        (timezone.localdate() + timedelta(days=365)).isoformat(),
        role="textbox",
    )
    journey.button("Save")
    assert StoryConsent.objects.filter(story=story).exists()

    # Kim reads the final words from her Today and approves them.
    journey.start(kim)
    journey.link("Read it and tell us if it is right")
    journey.sees("The day I left")
    journey.button("Yes, it is right")
    journey.sees("Thank you: the involvement lead will check it and publish it.")

    # Lou, not a chat moderator, publishes it.
    journey.start(lead)
    journey.menu("Edit the website")
    journey.link(re.compile("Out of the gate"))
    _admin_actions(page)
    journey.taps += 1
    journey.tap(
        page.locator(
            'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
        ),
        lands=False,
    )
    wait_for(lambda: StoryPage.objects.filter(pk=story.pk, live=True).first(), page)

    # A visitor finds it in the list, the search, the feed and the sitemap.
    visitor = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    reader = visitor.new_page()

    def everywhere() -> dict[str, bool]:
        found = {}
        for where in ("/stories/", "/site/search/?q=coffee", "/stories/feed/", "/sitemap.xml"):
            response = reader.request.get(where)
            found[where] = "Out of the gate" in response.text() or story.url in response.text()
        found["page"] = reader.request.get(story.url).status == 200
        return found

    assert all(everywhere().values()), everywhere()

    # Kim takes it down from her Today, after a confirmation step: it is gone everywhere at once.
    journey.start(kim)
    journey.link("Take my story down")
    journey.button("Yes, take it down")
    assert not any(everywhere().values()), everywhere()
    visitor.close()
    journey.done()
