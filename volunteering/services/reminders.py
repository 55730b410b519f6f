"""What the daily sweep sends: reminders the day before a shift, and before a check runs out."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications import notify
from notifications.places import PlaceStatus
from volunteering.clearance import plain_date
from volunteering.models import DBSCheck, Shift, ShiftSignup, TrainingCompletion
from volunteering.services.base import _shift_words

# --- Reminders (run by the daily sweep) ----------------------------------------------------------

REMINDER_DAYS = (60, 30, 7)


def shift_reminder_key(shift: Shift) -> str:
    # The shift's time is in the key, so a shift moved to another day is reminded of again.
    return f"shift:{shift.pk}:day_before:{shift.starts_at:%Y%m%d%H%M}"


def send_shift_reminders(*, now: datetime) -> int:
    """Remind everyone with a place on a shift tomorrow. Safe to run twice: a reminder is a
    notice keyed on the shift and its time, told once per person."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    due = list(
        ShiftSignup.objects.filter(
            status=PlaceStatus.BOOKED,
            shift__starts_at__gte=start,
            shift__starts_at__lt=start + timedelta(days=1),
        ).select_related("shift__role", "volunteer")
    )
    told = 0
    with transaction.atomic():
        for signup in due:
            shift = signup.shift
            told += len(
                notify(
                    to=signup.volunteer,
                    kind="volunteering.shift_reminder",
                    key=shift_reminder_key(shift),
                    context={
                        "url": reverse("volunteering:shift", args=[shift.pk]),
                        "shift_id": shift.pk,
                        **_shift_words(shift),
                    },
                )
            )
    return told


def send_expiry_reminders(*, today: date) -> int:
    """Warn people 60, 30 and 7 days before a DBS check or training runs out. Never twice: the
    notice is keyed on the record and the step.

    Only the newest record of each kind counts: a renewed check or refreshed course is not nagged.
    """
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    newer_dbs = DBSCheck.objects.filter(
        volunteer=OuterRef("volunteer"), recheck_due__gt=OuterRef("recheck_due")
    )
    newer_training = TrainingCompletion.objects.filter(
        user=OuterRef("user"), course=OuterRef("course"), expires_on__gt=OuterRef("expires_on")
    )
    due: list[tuple[str, int, User, date, str, str]] = []
    for dbs in (
        DBSCheck.objects.filter(recheck_due__gt=today, recheck_due__lte=horizon)
        .exclude(Exists(newer_dbs))
        .select_related("volunteer")
    ):
        what = _("Your DBS check")
        due.append(("dbs", dbs.pk, dbs.volunteer, dbs.recheck_due, what, _("Your check")))
    for done in (
        TrainingCompletion.objects.verified()
        .filter(expires_on__gt=today, expires_on__lte=horizon)
        .exclude(Exists(newer_training))
        .select_related("course", "user")
    ):
        title = str(done.course.title)
        due.append(("training", done.pk, done.user, done.expires_on, title, title))

    sent = 0
    url = reverse("volunteering:my_training")
    with transaction.atomic():
        for record_type, record_id, person, expires_on, what, short in due:
            days_left = (expires_on - today).days
            step = min(days for days in REMINDER_DAYS if days >= days_left)
            sent += len(
                notify(
                    to=person,
                    kind="volunteering.expiry_warning",
                    key=f"{record_type}:{record_id}:{step}",
                    context={
                        "url": url,
                        "what": str(what),
                        "short": str(short),
                        "day": plain_date(expires_on),
                        "days": days_left,
                    },
                )
            )
    return sent
