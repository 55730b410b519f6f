"""Retention: sensitive records go once their period is over, the sweep says so in the audit
trail, and "My data" tells the person in plain words how long we keep things."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import retention
from accounts.hooks import run_daily
from accounts.models import AuditEvent
from chat.models import Message, Report
from mentoring.models import RiskNote
from tests.chat.conftest import make_room
from tests.mentoring.factories import referral_for
from volunteering.models import DBSCheck, RiskAssessment, RiskDecision, VolunteerRole

pytestmark = pytest.mark.django_db

# The sweep is told what day it is; rows are dated against that day, never against the clock.
NOW = timezone.now() + timedelta(days=400)


def months_ago(months: int, days: int = 0):
    return retention.months_before(NOW, months) - timedelta(days=days)


def last_seen(user, when):
    user.last_login = when
    user.save(update_fields=["last_login"])
    return user


def note(referral, written_at):
    return RiskNote.objects.create(referral=referral, body="SENTINEL-RISK", created_at=written_at)


def message(room, author, sent_at, body="hello"):
    return Message.objects.create(room=room, author=author, body=body, created_at=sent_at)


def retention_events():
    return list(AuditEvent.objects.filter(action=retention.AUDIT_ACTION).order_by("id"))


def test_an_old_risk_note_about_someone_gone_quiet_is_deleted_and_the_sweep_audited(mentee, mentor):
    last_seen(mentee, months_ago(13))
    referral = referral_for(mentee)
    old = note(referral, months_ago(13))
    recent = note(referral, months_ago(2))
    # Someone who still logs in keeps their old note: the later of the two dates counts.
    last_seen(mentor, NOW - timedelta(days=3))
    active_old = note(referral_for(mentor), months_ago(20))

    run_daily(NOW)

    remaining = set(RiskNote.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {recent.pk, active_old.pk} <= remaining
    [event] = [e for e in retention_events() if e.summary.startswith("mentoring.risk_notes")]
    assert event.summary.startswith("mentoring.risk_notes: 1 removed")
    assert "SENTINEL" not in event.summary


def test_chat_messages_past_their_period_are_deleted_unless_a_report_is_open(
    mentee, mentor, moderator
):
    room = make_room(mentee, mentor, moderators=[moderator])
    old = message(room, mentee, months_ago(24, days=1))
    reported = message(room, mentor, months_ago(30))
    Report.objects.create(message=reported, reporter=mentee)
    recent = message(room, mentor, months_ago(23))

    retention.run(NOW)

    assert set(Message.objects.values_list("pk", flat=True)) == {reported.pk, recent.pk}
    assert old.pk not in Message.objects.values_list("pk", flat=True)
    [event] = [e for e in retention_events() if e.summary.startswith("chat.messages")]
    assert event.summary.startswith("chat.messages: 1 removed")


def test_running_twice_removes_nothing_more_and_writes_no_second_event(mentee, mentor, moderator):
    last_seen(mentee, months_ago(14))
    note(referral_for(mentee), months_ago(14))
    room = make_room(mentee, mentor, moderators=[moderator])
    message(room, mentee, months_ago(25))
    message(room, mentee, months_ago(26))

    first = retention.run(NOW)
    events = retention_events()
    second = retention.run(NOW)

    assert first["mentoring.risk_notes"] == 1
    assert first["chat.messages"] == 2
    assert not any(second.values())
    assert retention_events() == events
    assert len(events) == 2


def test_dbs_checks_that_ran_out_go_and_fair_chance_notes_are_cleared(volunteer, coordinator):
    last_seen(volunteer, months_ago(15))
    role = VolunteerRole.objects.first()
    ran_out = DBSCheck.objects.create(
        volunteer=volunteer,
        issued_on=date(2020, 1, 1),
        certificate_number="001234567890",
        recheck_due=months_ago(13).date(),
        has_disclosure=True,
    )
    current = DBSCheck.objects.create(
        volunteer=volunteer,
        issued_on=NOW.date() - timedelta(days=500),
        certificate_number="009876543210",
        recheck_due=NOW.date() + timedelta(days=200),
        has_disclosure=True,
    )
    assessment = RiskAssessment.objects.create(
        dbs_check=current,
        role=role,
        assessor=coordinator,
        decision=RiskDecision.values[0],
        notes="SENTINEL-DISCLOSURE",
        decided_on=months_ago(13).date(),
    )

    done = retention.run(NOW)

    assert not DBSCheck.objects.filter(pk=ran_out.pk).exists()
    assessment.refresh_from_db()
    assert assessment.notes == ""
    assert assessment.decision == RiskDecision.values[0]  # the decision stands
    assert done["volunteering.dbs_disclosures"] == 1
    assert done["volunteering.risk_assessments"] == 1


def test_the_audit_trail_expires_but_keeps_what_the_sweep_just_wrote():
    ancient = AuditEvent.objects.create(action="viewed", summary="old")
    AuditEvent.objects.filter(pk=ancient.pk).update(at=months_ago(73))
    young = AuditEvent.objects.create(action="viewed", summary="young")

    retention.run(NOW)

    assert not AuditEvent.objects.filter(pk=ancient.pk).exists()
    assert AuditEvent.objects.filter(pk=young.pk).exists()
    [event] = retention_events()
    assert event.summary.startswith("accounts.audit: 1 removed")
    assert retention.run(NOW)["accounts.audit"] == 0  # its own record is younger than 72 months


def test_the_trail_of_a_safeguarding_concern_lives_as_long_as_the_concern(mentee):
    from accounts import audit
    from safeguarding.services import raise_concern

    concern = raise_concern(raised_by=None, summary="worried", subject=mentee, source_ref="auto:t")
    gone = raise_concern(
        raised_by=None, summary="closed long ago", subject=mentee, source_ref="auto:u"
    )
    kept_read = audit.record_view(actor=None, target=concern, subject=mentee, what="concern")
    gone_read = audit.record_view(actor=None, target=gone, subject=mentee, what="concern")
    other = AuditEvent.objects.create(
        action="viewed", target_type="mentoring.referral", target_id=str(concern.pk)
    )
    events = [kept_read.pk, gone_read.pk, other.pk]
    AuditEvent.objects.filter(pk__in=events).update(at=months_ago(73))
    type(gone).objects.filter(pk=gone.pk).delete()

    retention.run(NOW)

    assert set(AuditEvent.objects.filter(pk__in=events).values_list("pk", flat=True)) == {
        kept_read.pk
    }


def test_my_data_says_how_long_we_keep_things_in_plain_words(client_of, mentee):
    page = client_of(mentee).get(reverse("accounts:my_data")).content.decode()

    assert "How long we keep things" in page
    assert "Chat messages: deleted 24 months after they were sent." in page
    assert "Risk notes a coordinator wrote about a request for a mentor: deleted 12 months" in page
    assert "DBS (criminal record) checks: deleted 12 months" in page
    assert "record of actions" in page and "deleted 72 months after each action" in page
    assert "safeguarding concern, kept as long as the concern is" in page


def test_the_setting_changes_the_period_on_the_page_and_in_the_sweep(
    settings, client_of, mentee, mentor, moderator
):
    settings.RETENTION_MONTHS = {**settings.RETENTION_MONTHS, "chat.messages": 6}
    room = make_room(mentee, mentor, moderators=[moderator])
    seven_months = message(room, mentee, months_ago(7))

    retention.run(NOW)

    assert not Message.objects.filter(pk=seven_months.pk).exists()
    page = client_of(mentee).get(reverse("accounts:my_data")).content.decode()
    assert "Chat messages: deleted 6 months after they were sent." in page
