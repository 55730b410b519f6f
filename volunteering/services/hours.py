"""Hours volunteers log, and a coordinator's decision on them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import audit
from accounts.models import User
from notifications import notify
from volunteering.clearance import clearance, plain_date
from volunteering.models import HoursEntry, HoursStatus, Shift, VolunteerRole
from volunteering.services.base import _require_coordinator

# --- Hours ---------------------------------------------------------------------------------------

MINUTES_IN_A_DAY = 24 * 60


@transaction.atomic
def log_hours(
    *,
    volunteer: User,
    worked_on: date,
    minutes: int,
    role: VolunteerRole,
    shift: Shift | None = None,
    note: str = "",
) -> HoursEntry:
    """Log time given. It waits for a coordinator's approval.

    Refused with a plain message: a future date, a role the person was not cleared for on that
    day, more than 24 hours on one day, the same shift twice, or the same hours for the same
    role on the same day twice.
    """
    today = timezone.localdate()
    if worked_on > today:
        raise ValidationError(_("You can only log hours for today or earlier."))
    if minutes < 1:
        raise ValidationError(_("Enter how long you volunteered."))
    check = clearance(volunteer, role, on=worked_on)
    if not check.cleared:
        raise ValidationError(
            _(
                "You can only log hours for a role you are cleared for, and on %(day)s you "
                "were not cleared for %(role)s: %(why)s. Ask your coordinator if this is wrong."
            )
            % {"day": plain_date(worked_on), "role": role.title, "why": "; ".join(check.reasons)}
        )
    # Lock the person's row so two logs sent at once cannot both squeeze under 24 hours.
    User.objects.select_for_update().filter(pk=volunteer.pk).first()
    mine = HoursEntry.objects.counted().filter(volunteer=volunteer)
    if shift is not None:
        if not shift.signups.booked().filter(volunteer=volunteer).exists():
            raise ValidationError(_("You were not signed up for that shift."))
        if shift.starts_at > timezone.now():
            raise ValidationError(_("That shift has not happened yet."))
        if mine.filter(shift=shift).exists():
            raise ValidationError(_("You have already logged hours for that shift."))
    if mine.filter(worked_on=worked_on, role=role, minutes=minutes).exists():
        raise ValidationError(
            _("You have already logged this time for %(role)s on %(day)s.")
            % {"role": role.title, "day": plain_date(worked_on)}
        )
    already = mine.filter(worked_on=worked_on).aggregate(total=Sum("minutes"))["total"] or 0
    if already + minutes > MINUTES_IN_A_DAY:
        raise ValidationError(
            _("That would make more than 24 hours on %(day)s. You have already logged %(hours)s.")
            % {"day": plain_date(worked_on), "hours": format_minutes(already)}
        )
    entry = HoursEntry.objects.create(
        volunteer=volunteer,
        worked_on=worked_on,
        minutes=minutes,
        role=role,
        shift=shift,
        note=note.strip(),
    )
    audit.record(
        actor=volunteer, action="volunteering.hours_logged", target=entry, subject=volunteer
    )
    return entry


def format_minutes(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if not rest:
        return ngettext("%(h)d hour", "%(h)d hours", hours) % {"h": hours}
    return _("%(h)d h %(m)02d min") % {"h": hours, "m": rest}


@transaction.atomic
def decide_hours(*, entry_ids: Iterable[int], approve: bool, by: User) -> int:
    """Approve or reject waiting entries (one or many). Returns how many were decided.

    Entries already decided are left as they are, so two coordinators cannot decide twice.
    """
    _require_coordinator(by)
    entries = list(
        HoursEntry.objects.select_for_update(of=("self",))
        .select_related("volunteer")
        .pending()
        .filter(pk__in=list(entry_ids))
        .exclude(volunteer=by)
    )
    status = HoursStatus.APPROVED if approve else HoursStatus.REJECTED
    now = timezone.now()
    for entry in entries:
        entry.status, entry.decided_by, entry.decided_at = status, by, now
    HoursEntry.objects.bulk_update(entries, ["status", "decided_by", "decided_at"])
    for entry in entries:
        audit.record(
            actor=by, action=f"volunteering.hours_{status}", target=entry, subject=entry.volunteer
        )
    # One notice per person per decision, however many entries it covered.
    by_person: dict[int, list[HoursEntry]] = {}
    for entry in entries:
        by_person.setdefault(entry.volunteer_id, []).append(entry)
    for mine in by_person.values():
        notify(
            to=mine[0].volunteer,
            kind="volunteering.hours_decided",
            key=f"hours:{min(entry.pk for entry in mine)}:{status}",
            context={
                "url": reverse("volunteering:my_hours"),
                "approved": approve,
                "hours": format_minutes(sum(entry.minutes for entry in mine)),
            },
        )
    return len(entries)
