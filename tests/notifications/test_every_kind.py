"""Every kind of notice, told by the real services: each declared once with plain rules, every
link absolute and opening for the right person (the log-in page for anyone else), and nothing
sensitive in what a shared phone or lock screen shows."""

import re
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.roles import Role
from chat.models import CrisisItem
from chat.services import crisis, install_default_filters, post_message
from cms import services as cms_services
from mentoring import services as mentoring
from mentoring.outcomes.services import remind_self_checks_due
from mentoring.partners import choice as partner_choice
from mentoring.partners import people as partner_people
from mentoring.partners import services as partners
from mentoring.partners.choices import ConsentHow
from mentoring.partners.models import MentorIntro
from notifications import kinds, notify
from notifications.delivery import reply_hint
from notifications.models import Notification
from notifications.render import Words, email_parts, push_payload, sms_text
from safeguarding.services import raise_concern
from stories import services as stories
from tests.chat.conftest import make_room
from tests.cms import factories as cms_factories
from tests.factories import person
from tests.mentoring.factories import cleared_mentor
from tests.mentoring.partner_factories import organisation, partner_worker
from tests.volunteering.factories import DBSCheckFactory, ShiftFactory, make_cleared
from volunteering import services as volunteering
from volunteering.models import Onboarding, VolunteerRole

pytestmark = pytest.mark.django_db

# Told directly here: the text-reply notice comes from inbound texts (another part of the
# platform), and the test kind belongs to the tests of the layer itself.
TOLD_DIRECTLY = {"notifications.text_reply", "tests.any_channel"}

SENSITIVE = [
    "prison",
    "release",
    "released",
    "drug",
    "drugs",
    "alcohol",
    "relapse",
    "relapsed",
    "safeguarding",
    "concern",
    "crisis",
    "overdose",
    "probation",
    "DBS",
    "offence",
    "conviction",
    "addiction",
    "recovery",
    "suicide",
    "self-harm",
    "risk",
]
STAFF_ALERTS = {"safeguarding.concern_raised", "chat.crisis", "chat.crisis_escalated"}
# Urgent notices to one person that cannot be switched off either: a moderator's private
# check-in with them, and their answer to the moderator.
CHECK_INS = {"chat.check_in", "chat.check_in_reply"}


# A link that is itself the key: the invitation's one-time link to choose a password, for an
# account that has no password yet, so it cannot ask anyone to log in first. Whoever holds it
# may open it (that is what it is for); it stops working once used or after
# PASSWORD_RESET_TIMEOUT. Checked below to open the set-password page, for anyone, without a
# log-in, rather than to send the anonymous to the log-in page.
KEY_LINK_KINDS = {"partners.invitation", "mentoring.invited"}
KEY_LINK_PATH = "/accounts/password/reset/key/"


def _at(day_offset: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture
def told(
    mentee,
    mentor,
    coordinator,
    volunteer,
    safeguarding_lead,
    moderator,
    involvement_lead,
    django_capture_on_commit_callbacks,
):
    """Run each service that tells someone something, once, as people would."""
    expiring = person(Role.VOLUNTEER, display_name="Eve Expiring")
    waiting_volunteer = person(Role.VOLUNTEER, display_name="Wes Waiting")
    with django_capture_on_commit_callbacks(execute=True):
        # Mentoring: a referral, a proposal and its answers, meetings planned, moved, cancelled.
        cleared_mentor(mentor)
        referral = mentoring.refer(
            person=mentee, by=mentee, contact_preference="email", needs=["housing"]
        )
        # Someone with no account yet, referred by a coordinator: an account and an invitation.
        mentoring.refer(
            email="kim.new@example.org",
            display_name="Kim New",
            by=coordinator,
            contact_preference="email",
        )
        match = mentoring.propose_match(referral=referral, mentor=mentor, by=coordinator)
        match = mentoring.answer_proposal(match=match, by=mentor, accept=True)
        match = mentoring.agree_to_match(match=match, by=mentee)
        # Local services on My people: a service added, and a worker there to say yes to.
        mentoring.set_sharing(mentee=mentee, by=mentee, items=["needs", "local_services"])
        service = cms_factories.local_service(needs=["housing"], areas=[], everywhere=True)
        suggestion = mentoring.suggest_service(match=match, by=mentor, service_id=service.pk)
        partner_people.add_named_worker(
            match=match,
            by=mentor,
            suggestion_id=suggestion.pk,
            name="Kim",
            role="Housing officer",
            how_to_reach="Desk 3",
        )
        soon = mentoring.schedule_meeting(
            match=match,
            by=mentor,
            starts_at=timezone.now() + timedelta(hours=1, minutes=30),
            place_kind="phone",
        )  # the two-hour reminder is due at once
    with django_capture_on_commit_callbacks(execute=True):
        mentoring.move_meeting(meeting=soon, by=mentor, starts_at=_at(3, 11))
        other = mentoring.schedule_meeting(
            match=match, by=mentor, starts_at=_at(5, 15), place_kind="phone"
        )
        mentoring.cancel_meeting(meeting=other, by=mentee)

        # Volunteering: a reminder, a place from the waiting list, a change, hours, an expiry.
        for somebody in (volunteer, waiting_volunteer):
            make_cleared(somebody, "event-helper")
        role = VolunteerRole.objects.get(slug="event-helper")
        # A coordinator records the induction, the last step that clears someone for the role.
        cleo = person(Role.VOLUNTEER, display_name="Cleo Cleared")
        make_cleared(cleo, "event-helper")
        Onboarding.objects.filter(user=cleo).update(induction_completed_on=None)
        volunteering.record_step(
            onboarding=Onboarding.objects.get(user=cleo),
            step="induction",
            on=timezone.localdate(),
            by=coordinator,
        )
        tomorrow = ShiftFactory(
            role=role, starts_at=_at(1, 10), ends_at=_at(1, 12), places=1, created_by=coordinator
        )
        volunteering.sign_up(shift=tomorrow, volunteer=volunteer)
        volunteering.send_shift_reminders(now=timezone.now())
        volunteering.withdraw(shift=tomorrow, volunteer=volunteer)  # at short notice
        full = ShiftFactory(role=role, starts_at=_at(4, 10), ends_at=_at(4, 12), places=1)
        volunteering.sign_up(shift=full, volunteer=waiting_volunteer)
        volunteering.sign_up(shift=full, volunteer=volunteer)  # waiting
        volunteering.withdraw(shift=full, volunteer=waiting_volunteer)
        volunteering.update_shift(
            shift=full,
            by=coordinator,
            starts_at=_at(4, 13),
            ends_at=_at(4, 15),
            place="The community hall",
            places=1,
        )
        entry = volunteering.log_hours(
            volunteer=volunteer, worked_on=timezone.localdate(), minutes=90, role=role
        )
        volunteering.decide_hours(entry_ids=[entry.pk], approve=True, by=coordinator)
        DBSCheckFactory(volunteer=expiring, recheck_due=timezone.localdate() + timedelta(days=20))
        volunteering.send_expiry_reminders(today=timezone.localdate())

        # Events: the day-before reminder, a place for the person waiting, one cancelled.
        event = cms_factories.event(title="Coffee morning", capacity=1, days=1)
        cms_services.register_for_event(event=event, user=mentee)
        cms_services.register_for_event(event=event, user=mentor)
        cms_services.enqueue_event_reminders(now=timezone.now())
        cms_services.cancel_registration(event=event, user=mentee)
        called_off = cms_factories.event(title="Picnic", capacity=5, days=6)
        cms_services.register_for_event(event=called_off, user=mentor)
        called_off.unpublish()  # taken off the site before it happens: cancelled for everyone

        # Stories: shared, ready for the storyteller to read, taken down.
        stories.share_story(by=mentee, told_by="Jay", title="My way back", story="Words", themes=[])
        draft = cms_factories.story(title="Finding my feet", storyteller=mentee, publish=False)
        draft.get_workflow().start(draft, involvement_lead)
        live = cms_factories.story(title="A new start", storyteller=mentee)
        stories.withdraw_story_consent(story=live, by=mentee)

        # Keeping people safe: a concern, and crisis words in a moderated room.
        raise_concern(raised_by=mentor, subject=mentee, summary="SENTINEL-worry about Jay")
        install_default_filters()
        room = make_room(mentee, moderators=[moderator])
        post_message(room=room, author=mentee, body="I keep thinking about suicide")
        # A moderator checks in privately and the person answers; another crisis nobody picks
        # up is escalated to the safeguarding leads.
        item = CrisisItem.objects.get(room=room)
        check_in = crisis.send_check_in(item=item, by=moderator, body="Are you safe?")
        crisis.reply_to_check_in(check_in=check_in, by=mentee, reply="safe")
        other_room = make_room(mentor, moderators=[moderator])
        post_message(room=other_room, author=mentor, body="I want to end my life")
        crisis.escalate_due(now=timezone.now() + timedelta(minutes=16))

        # Outcomes: the monthly "How things are" is due for the mentee in an active match.
        remind_self_checks_due(timezone.now())

        # Partners: a worker invited; a partner refers someone with an account, who agrees
        # online; another agreed by phone with a coordinator, so an account is made for them.
        org = organisation(name="Northshire Partners")
        partners.invite_partner_worker(
            by=coordinator, organisation=org, email="robin@partner.example", display_name="Robin"
        )
        worker = partner_worker(org, display_name="Pat Partner")
        chris = person(Role.MENTEE, display_name="Chris Person", email="chris@example.org")
        agreed_online = partners.refer_from_partner(
            by=worker,
            name="Chris Person",
            contact_preference="email",
            email=chris.email,
            person_agreed=True,
        )
        agreed_online = partners.record_consent(
            referral=agreed_online, by=chris, agreed=True, how=ConsentHow.ONLINE
        )
        by_phone = partners.refer_from_partner(
            by=worker,
            name="Dana New",
            contact_preference="phone",
            phone="07700900123",
            person_agreed=True,
        )
        by_phone = partners.record_consent(
            referral=by_phone,
            by=coordinator,
            agreed=True,
            how=ConsentHow.PHONE,
            email="dana@example.org",
        )
        # The mentee's choice: one picks a mentor who then does not answer in time; the other
        # asks the coordinator to choose.
        choosable = []
        for name in ("Ash", "Bo"):
            somebody = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name=name))
            MentorIntro.objects.create(mentor=somebody, words="I like football.")
            choosable.append(somebody)
        picked = partner_choice.offer_shortlist(
            referral=agreed_online.referral, by=coordinator, mentors=choosable
        )
        partner_choice.answer_shortlist(
            shortlist=picked, by=chris, answer="picked", mentor=choosable[0]
        )
        partner_choice.set_next_choice(shortlist=picked, by=chris, mentor=choosable[1])
        left_to_us = partner_choice.offer_shortlist(
            referral=by_phone.referral, by=coordinator, mentors=choosable
        )
        partner_choice.answer_shortlist(
            shortlist=left_to_us, by=by_phone.person, answer="coordinator"
        )
        # Neither chosen mentor answers in time: the next is asked, then the coordinators told.
        late = settings.MENTOR_ANSWER_HOURS + 1
        partner_choice.time_out_late_answers(timezone.now() + timedelta(hours=late))
        partner_choice.time_out_late_answers(timezone.now() + timedelta(hours=2 * late))
        # Offered again, the mentee picks Bo, who says no: she hears at once.
        again = partner_choice.offer_shortlist(
            referral=agreed_online.referral, by=coordinator, mentors=choosable
        )
        again = partner_choice.answer_shortlist(
            shortlist=again, by=chris, answer="picked", mentor=choosable[1]
        )
        again.refresh_from_db()
        mentoring.answer_proposal(match=again.match, by=choosable[1], accept=False)

        notify(
            to=coordinator,
            kind="notifications.text_reply",
            key="text:1",
            context={
                "url": reverse("notifications:inbox"),
                "sender_name": mentee.display_name,
                "text": "Running late",
            },
        )
        notify(
            to=mentee,
            kind="tests.any_channel",
            key="test:1",
            context={"url": "/me/", "sender_name": "Sam", "text": "Hello"},
        )
    return list(Notification.objects.select_related("recipient").order_by("kind", "id"))


def test_every_kind_is_told_by_the_real_services(told):
    by_services = {n.kind for n in told} - TOLD_DIRECTLY
    declared = {kind.name for kind in kinds.all_kinds()} - TOLD_DIRECTLY
    assert by_services == declared


def _links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>)]+", text)


def _everything_sent(notification, *, show_details: bool) -> dict[str, str]:
    kind = kinds.get(notification.kind)
    words = Words(notification.title, notification.body, notification.action, "")
    subject, text, html = email_parts(notification, words, show_details=show_details)
    link = push_payload(notification, words, show_details=show_details)
    from notifications.render import render_kind

    detailed = render_kind(kind.template, notification.context)
    return {
        "subject": subject,
        "e-mail text": text,
        "e-mail html": html,
        "text message": sms_text(
            detailed if show_details else words,
            link["url"],
            show_details=show_details,
            replies=reply_hint(kind),
        ),
        "push": f"{link['title']} {link['body']} {link['url']}",
    }


def _path(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _is_key_link(notification, link: str) -> bool:
    return notification.kind in KEY_LINK_KINDS and _path(link).startswith(KEY_LINK_PATH)


def _check_key_links(notification, site: str) -> None:
    key_links = {
        link
        for show_details in (False, True)
        for words in _everything_sent(notification, show_details=show_details).values()
        for link in _links(words)
        if _is_key_link(notification, link)
    }
    assert key_links, notification.kind
    for link in key_links:
        where = (notification.kind, link)
        assert link.startswith(site), where
        opened = Client().get(_path(link), follow=True)
        assert opened.status_code == 200, where
        assert 'name="password1"' in opened.content.decode(), where


def test_every_link_is_absolute_and_opens_for_the_right_person_only(told, client_of):
    site = settings.SITE_URL.rstrip("/") + "/"
    login = reverse("account_login")
    checked: set[tuple[int, str]] = set()
    for notification in told:
        if notification.kind in KEY_LINK_KINDS:
            # Before the recipient logs in below: logging in changes what the key was made from.
            _check_key_links(notification, site)
        mine = client_of(notification.recipient)
        for show_details in (False, True):
            for channel, words in _everything_sent(notification, show_details=show_details).items():
                links = _links(words)
                assert bool(links) == (channel != "subject"), (notification.kind, channel)
                for link in links:
                    where = (notification.kind, channel, link)
                    assert link.startswith(site), where
                    if _is_key_link(notification, link):
                        continue  # checked above
                    if (notification.recipient_id, link) in checked:
                        continue
                    checked.add((notification.recipient_id, link))
                    opened = mine.get(_path(link), follow=True)
                    assert opened.status_code == 200, where
                    anonymous = Client().get(_path(link), follow=True)
                    assert anonymous.status_code == 200, where
                    assert anonymous.redirect_chain, where
                    assert urlsplit(anonymous.redirect_chain[-1][0]).path == login, where
        # The link lands where the person acts, not on a page that sends them elsewhere.
        landed = mine.get(reverse("notifications:open", args=[notification.pk]), follow=True)
        if notification.kind == "partners.invitation":
            # A new staff account (no two-step log-in yet): the site asks them to set it up
            # first, as it does every staff role, before the page the notice links to.
            assert landed.redirect_chain[-1][0] == reverse("mfa_activate_totp"), notification.kind
            continue
        assert landed.redirect_chain[-1][0] == notification.url, notification.kind


def _sensitive_in(text: str) -> list[str]:
    return [w for w in SENSITIVE if re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)]


def test_discreet_words_tell_a_shared_phone_nothing(told, mentee, mentor):
    names = {mentee.display_name, mentor.display_name, *mentee.display_name.split()}
    for notification in told:
        sent = _everything_sent(notification, show_details=False)
        for channel in ("subject", "text message", "push"):
            assert not _sensitive_in(sent[channel]), (notification.kind, channel, sent[channel])
            for name in names:
                assert name not in sent[channel], (notification.kind, channel)


def test_even_with_details_on_no_kind_says_a_sensitive_word(told):
    for notification in told:
        sent = _everything_sent(notification, show_details=True)
        for channel in ("subject", "text message", "push"):
            assert not _sensitive_in(sent[channel]), (notification.kind, channel, sent[channel])


def test_staff_alerts_name_no_one_and_repeat_nothing_in_any_channel(told, mentee, mentor):
    alerts = [n for n in told if n.kind in STAFF_ALERTS]
    assert {n.kind for n in alerts} == STAFF_ALERTS
    for notification in alerts:
        assert notification.urgent
        for show_details in (False, True):
            for channel, words in _everything_sent(notification, show_details=show_details).items():
                for secret in ("SENTINEL", "suicide", mentee.display_name, mentor.display_name):
                    assert secret not in words, (notification.kind, channel, secret)
        assert "SENTINEL" not in notification.title + notification.body


def test_what_needs_an_answer_leaves_today_once_answered(told, mentor, mentee):
    waiting = {
        (n.kind, n.recipient_id)
        for n in Notification.objects.filter(needs_answer=True, done_at__isnull=True)
    }
    # The mentor answered and the mentee agreed: neither waits any more; the story review waits.
    assert ("mentoring.match_proposed", mentor.pk) not in waiting
    assert ("mentoring.mentor_said_yes", mentee.pk) not in waiting
    assert ("stories.ready_to_read", mentee.pk) in waiting


def test_each_kind_is_declared_once_with_plain_rules(client_of, mentee):
    declared = kinds.all_kinds()
    assert len({k.name for k in declared}) == len(declared)
    for kind in declared:
        assert str(kind.label).strip() and kind.channels, kind.name
        if not kind.optional:
            assert kind.urgent, kind.name  # only urgent staff alerts cannot be switched off
    assert {k.name for k in declared if not k.optional} == STAFF_ALERTS | CHECK_INS
    answers = {k.name for k in declared if k.needs_answer}
    assert {"mentoring.match_proposed", "mentoring.mentor_said_yes"} <= answers
    for name in ("mentoring.meeting_reminder", "volunteering.shift_reminder"):
        assert kinds.get(name).replies == ("YES", "NO")
    page = client_of(mentee).get(reverse("notifications:preferences")).content.decode()
    for kind in declared:
        assert escape(str(kind.label)) in page, kind.name
