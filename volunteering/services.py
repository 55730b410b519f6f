"""Actions on volunteering records; the clearance check other apps rely on is re-exported here.

Every function that changes something authorises, validates, changes inside a transaction, audits
and notifies after commit. Read-only queries shared by views and reports live in selectors.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import audit
from accounts.models import User
from accounts.roles import Role
from accounts.services import grant_role
from notifications import notify
from volunteering.clearance import Clearance, clearance, clearances, plain_date  # noqa: F401 - the contract
from volunteering.models import (
    DBSCheck,
    HoursEntry,
    HoursStatus,
    Onboarding,
    Reference,
    RiskAssessment,
    RiskDecision,
    Shift,
    ShiftSignup,
    SignupStatus,
    Stage,
    TrainingCompletion,
    TrainingCourse,
    VolunteerRole,
    add_months,
)
from volunteering.permissions import is_coordinator
from volunteering.uploads import clean_certificate

# --- Telling people ------------------------------------------------------------------------------


def _when(moment: datetime, fmt: str = "l j F, H:i") -> str:
    return date_format(timezone.localtime(moment), fmt)


def _shift_words(shift: Shift) -> dict[str, str]:
    return {
        "role": str(shift.role.title),
        "when": _when(shift.starts_at),
        "time": _when(shift.starts_at, "H:i"),
        "place": shift.place,
    }


def _require_coordinator(user: User) -> None:
    if not is_coordinator(user):
        raise PermissionDenied


# --- Onboarding ----------------------------------------------------------------------------------


def _roles_with_shifts_open_to(user: User) -> dict[int, VolunteerRole]:
    """The roles whose shifts ``user`` can take today: a volunteer, cleared for the role."""
    if not user.has_role(Role.VOLUNTEER, Role.PEER_MENTOR):
        return {}
    from volunteering.selectors import my_clearances

    return {role.pk: role for role, check in my_clearances(user) if check.cleared}


@contextmanager
def _telling_when_cleared(user: User) -> Iterator[None]:
    """Around a coordinator's step in someone's onboarding: when the step is what clears them
    for a role (the last reference, the DBS check, the induction, the volunteer role itself…),
    tell them, with a link to the shifts they can now take. Told once per role and day."""
    before = _roles_with_shifts_open_to(user)
    yield
    user.forget_roles()
    for pk, role in _roles_with_shifts_open_to(user).items():
        if pk in before:
            continue
        notify(
            to=user,
            kind="volunteering.cleared",
            key=f"cleared:{role.pk}:{timezone.localdate():%Y%m%d}",
            context={"url": reverse("volunteering:shifts"), "role": str(role.title)},
        )


@transaction.atomic
def apply_to_volunteer(
    *,
    user: User,
    why: str,
    availability: list[str],
    lived_experience_to_use: str = "",
    roles: Iterable[VolunteerRole] = (),
) -> Onboarding:
    """Start someone's onboarding. Anyone signed in may apply, once."""
    if Onboarding.objects.filter(user=user).exists():
        raise ValidationError(_("You have already applied. Your coordinator will be in touch."))
    onboarding = Onboarding.objects.create(
        user=user,
        why=why.strip(),
        availability=list(availability),
        lived_experience_to_use=lived_experience_to_use.strip(),
    )
    onboarding.roles_wanted.set(roles)
    audit.record(actor=user, action="volunteering.applied", target=onboarding, subject=user)
    return onboarding


@transaction.atomic
def move_to_stage(*, onboarding: Onboarding, stage: str, by: User) -> Onboarding:
    """Move a person along the pipeline. Reaching "volunteering" gives them the volunteer role."""
    _require_coordinator(by)
    if stage not in Stage.values:
        raise ValidationError(_("Choose a step from the list."))
    onboarding = Onboarding.objects.select_for_update().select_related("user").get(pk=onboarding.pk)
    with _telling_when_cleared(onboarding.user):
        onboarding.stage = stage
        onboarding.save(update_fields=["stage", "updated_at"])
        if stage == Stage.ACTIVE and not onboarding.user.has_role(Role.VOLUNTEER):
            grant_role(user=onboarding.user, role=Role.VOLUNTEER, by=by)
    audit.record(
        actor=by,
        action="volunteering.stage_moved",
        target=onboarding,
        subject=onboarding.user,
        summary=f"moved to {stage}",
    )
    return onboarding


STEPS = {
    "interview": "interviewed_on",
    "induction": "induction_completed_on",
    "supervision": "supervision_agreed_on",
}


@transaction.atomic
def record_step(*, onboarding: Onboarding, step: str, on: date, by: User) -> Onboarding:
    """Record that an interview, induction or supervision agreement happened on ``on``."""
    _require_coordinator(by)
    if step not in STEPS:
        raise ValidationError(_("Choose a step from the list."))
    if on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    with _telling_when_cleared(onboarding.user):
        setattr(onboarding, STEPS[step], on)
        fields = [STEPS[step], "updated_at"]
        if step == "interview":
            onboarding.interviewed_by = by
            fields.append("interviewed_by")
        onboarding.save(update_fields=fields)
    audit.record(
        actor=by,
        action=f"volunteering.{step}_recorded",
        target=onboarding,
        subject=onboarding.user,
    )
    return onboarding


@transaction.atomic
def add_reference(*, volunteer: User, referee_name: str, relationship: str, by: User) -> Reference:
    _require_coordinator(by)
    reference = Reference.objects.create(
        volunteer=volunteer, referee_name=referee_name.strip(), relationship=relationship.strip()
    )
    audit.record(
        actor=by, action="volunteering.reference_requested", target=reference, subject=volunteer
    )
    return reference


@transaction.atomic
def record_reference(
    *, reference: Reference, received_on: date, satisfactory: bool, by: User
) -> Reference:
    _require_coordinator(by)
    if received_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    with _telling_when_cleared(reference.volunteer):
        reference.received_on = received_on
        reference.satisfactory = satisfactory
        reference.save(update_fields=["received_on", "satisfactory"])
    audit.record(
        actor=by,
        action="volunteering.reference_received",
        target=reference,
        subject=reference.volunteer,
    )
    return reference


# A DBS certificate has no end date; organisations re-check. Three years is common practice.
DEFAULT_RECHECK_YEARS = 3


@transaction.atomic
def record_dbs_check(
    *,
    volunteer: User,
    level: str,
    issued_on: date,
    certificate_number: str,
    update_service: bool,
    has_disclosure: bool,
    by: User,
    recheck_due: date | None = None,
) -> DBSCheck:
    """Record a DBS certificate a coordinator has seen. What it discloses is never stored here."""
    _require_coordinator(by)
    number = "".join(certificate_number.split())
    if not (number.isdigit() and len(number) == 12):
        raise ValidationError(_("A DBS certificate number is 12 digits."))
    if issued_on > timezone.localdate():
        raise ValidationError(_("The issue date cannot be in the future."))
    recheck_due = recheck_due or add_months(issued_on, 12 * DEFAULT_RECHECK_YEARS)
    if recheck_due <= issued_on:
        raise ValidationError(_("The re-check date must be after the issue date."))
    with _telling_when_cleared(volunteer):
        dbs = DBSCheck.objects.create(
            volunteer=volunteer,
            level=level,
            issued_on=issued_on,
            certificate_number=number,
            update_service=update_service,
            recheck_due=recheck_due,
            has_disclosure=has_disclosure,
            recorded_by=by,
        )
    audit.record(actor=by, action="volunteering.dbs_recorded", target=dbs, subject=volunteer)
    return dbs


@transaction.atomic
def record_risk_assessment(
    *, dbs_check: DBSCheck, role: VolunteerRole, decision: str, notes: str, by: User
) -> RiskAssessment:
    """A named coordinator weighs a disclosure against one role. Only they can read it later."""
    _require_coordinator(by)
    if not dbs_check.has_disclosure:
        raise ValidationError(_("This check discloses nothing, so no risk assessment is needed."))
    if decision not in RiskDecision.values:
        raise ValidationError(_("Choose a decision."))
    if not notes.strip():
        raise ValidationError(_("Write down what you weighed up."))
    if RiskAssessment.objects.filter(dbs_check=dbs_check, role=role).exists():
        raise ValidationError(_("There is already a risk assessment for this role and check."))
    with _telling_when_cleared(dbs_check.volunteer):
        assessment = RiskAssessment.objects.create(
            dbs_check=dbs_check, role=role, assessor=by, decision=decision, notes=notes.strip()
        )
    audit.record(
        actor=by,
        action="volunteering.risk_assessed",
        target=assessment,
        subject=dbs_check.volunteer,
        summary=f"{role.slug}: {decision}",
    )
    return assessment


# --- Training ------------------------------------------------------------------------------------


@transaction.atomic
def record_training(
    *,
    user: User,
    course: TrainingCourse,
    completed_on: date,
    by: User,
    certificate=None,
) -> TrainingCompletion:
    """Record a course someone completed, with an optional certificate (checked and cleaned).

    A coordinator's record counts at once; one a volunteer adds counts once a coordinator has
    verified it.
    """
    if by != user:
        _require_coordinator(by)
    if completed_on > timezone.localdate():
        raise ValidationError(_("The date you completed it cannot be in the future."))
    clean = clean_certificate(certificate) if certificate else None
    completion = TrainingCompletion(
        user=user,
        course=course,
        completed_on=completed_on,
        expires_on=course.expiry_for(completed_on),
    )
    if is_coordinator(by):
        completion.verified_by, completion.verified_at = by, timezone.now()
    if clean:
        completion.certificate_type = clean.content_type
        completion.certificate.save(
            f"certificate.{clean.suffix}", ContentFile(clean.content), save=False
        )
    with _telling_when_cleared(user):
        completion.save()
    audit.record(actor=by, action="volunteering.training_recorded", target=completion, subject=user)
    return completion


@transaction.atomic
def verify_training(*, completion: TrainingCompletion, by: User) -> TrainingCompletion:
    _require_coordinator(by)
    if completion.verified_at is None:
        with _telling_when_cleared(completion.user):
            completion.verified_by, completion.verified_at = by, timezone.now()
            completion.save(update_fields=["verified_by", "verified_at"])
        audit.record(
            actor=by,
            action="volunteering.training_verified",
            target=completion,
            subject=completion.user,
        )
    return completion


# --- Shifts --------------------------------------------------------------------------------------

MAX_REPEAT_WEEKS = 26


@transaction.atomic
def create_shifts(
    *,
    role: VolunteerRole,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    places: int,
    by: User,
    notes: str = "",
    repeat_weeks: int = 0,
) -> list[Shift]:
    """Create a shift, or a weekly series of them: ``repeat_weeks`` more after the first."""
    _require_coordinator(by)
    if ends_at <= starts_at:
        raise ValidationError(_("The shift must end after it starts."))
    if ends_at - starts_at > timedelta(hours=24):
        raise ValidationError(_("A shift can be at most 24 hours long."))
    if starts_at < timezone.now():
        raise ValidationError(_("The shift cannot start in the past."))
    if not 1 <= places <= 500:
        raise ValidationError(_("A shift needs between 1 and 500 places."))
    if not 0 <= repeat_weeks <= MAX_REPEAT_WEEKS:
        raise ValidationError(
            _("A shift can repeat for up to %(weeks)d weeks.") % {"weeks": MAX_REPEAT_WEEKS}
        )
    series = uuid.uuid4() if repeat_weeks else None
    shifts = Shift.objects.bulk_create(
        Shift(
            role=role,
            # Add weeks to the local time so a shift stays at 10:00 when the clocks change.
            starts_at=_same_local_time(starts_at, week),
            ends_at=_same_local_time(ends_at, week),
            place=place.strip(),
            places=places,
            notes=notes.strip(),
            series=series,
            created_by=by,
        )
        for week in range(repeat_weeks + 1)
    )
    audit.record(
        actor=by,
        action="volunteering.shifts_created",
        target=shifts[0],
        summary=f"{len(shifts)} shift(s) for {role.slug}",
    )
    return shifts


def _same_local_time(moment: datetime, weeks: int) -> datetime:
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None) + timedelta(weeks=weeks)
    return timezone.make_aware(naive, timezone.get_current_timezone())


@transaction.atomic
def sign_up(*, shift: Shift, volunteer: User) -> ShiftSignup:
    """Take a place on ``shift``, or join its waiting list when it is full.

    The shift row is locked first, so two people can never take the last place at once.
    """
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started."))
    check = clearance(volunteer, shift.role, on=timezone.localdate(shift.starts_at))
    if not check.cleared:
        raise ValidationError(
            _("You are not cleared for %(role)s yet: %(why)s")
            % {"role": shift.role.title, "why": "; ".join(check.reasons)}
        )
    signup = ShiftSignup.objects.filter(shift=shift, volunteer=volunteer).first()
    if signup and signup.status != SignupStatus.WITHDRAWN:
        raise ValidationError(_("You are already on this shift."))
    taken = shift.signups.filter(status=SignupStatus.SIGNED_UP).count()
    status = SignupStatus.SIGNED_UP if taken < shift.places else SignupStatus.WAITING
    if signup is None:
        signup = ShiftSignup(shift=shift, volunteer=volunteer)
    signup.status, signup.joined_at = status, timezone.now()
    signup.save()
    audit.record(
        actor=volunteer,
        action=f"volunteering.shift_{status}",
        target=shift,
        subject=volunteer,
    )
    return signup


@transaction.atomic
def withdraw(*, shift: Shift, volunteer: User) -> ShiftSignup | None:
    """Give up a place (or leave the waiting list). The first person waiting gets the place."""
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    signup = ShiftSignup.objects.filter(shift=shift, volunteer=volunteer).first()
    if signup is None or signup.status == SignupStatus.WITHDRAWN:
        raise ValidationError(_("You are not on this shift."))
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started. Please tell your coordinator."))
    had_place = signup.status == SignupStatus.SIGNED_UP
    signup.status = SignupStatus.WITHDRAWN
    signup.save(update_fields=["status"])
    audit.record(
        actor=volunteer, action="volunteering.shift_withdrawn", target=shift, subject=volunteer
    )
    if had_place and shift.starts_at - timezone.now() <= LATE_WITHDRAWAL:
        _tell_coordinator_of_late_withdrawal(shift, signup)
    if had_place:
        return _promote_from_waiting_list(shift)
    return None


# Someone giving up a place this close to the start leaves the coordinator short: they are told.
LATE_WITHDRAWAL = timedelta(days=2)


def _tell_coordinator_of_late_withdrawal(shift: Shift, signup: ShiftSignup) -> None:
    coordinator = shift.created_by
    if coordinator is None or not coordinator.is_active:
        return
    notify(
        to=coordinator,
        kind="volunteering.shift_withdrawn",
        key=f"shift:{shift.pk}:withdrawn:{signup.pk}:{signup.joined_at:%Y%m%d%H%M%S%f}",
        context={
            "url": reverse("volunteering:shift", args=[shift.pk]),
            "volunteer_name": signup.volunteer.display_name,
            **_shift_words(shift),
        },
    )


def answer_shift_reminder(*, shift: Shift, volunteer: User, word: str) -> str:
    """A text reply to a shift reminder: YES says they will be there, NO gives up the place (the
    next person waiting gets it; the coordinator is told). Returns the confirmation's words."""
    signup = ShiftSignup.objects.filter(shift=shift, volunteer=volunteer).first()
    if signup is None or signup.status != SignupStatus.SIGNED_UP:
        return _("You are not on that shift now. Nothing has changed.")
    when = _when(shift.starts_at)
    if word.upper() == "YES":
        audit.record(
            actor=volunteer, action="volunteering.shift_confirmed", target=shift, subject=volunteer
        )
        return _("Thank you. See you on %(when)s.") % {"when": when}
    if word.upper() == "NO":
        withdraw(shift=shift, volunteer=volunteer)
        return _("You are off the shift on %(when)s. We have told your coordinator.") % {
            "when": when
        }
    raise ValidationError(_("Please reply YES or NO."))


def _people_on(shift: Shift) -> list[ShiftSignup]:
    return list(
        shift.signups.filter(status__in=[SignupStatus.SIGNED_UP, SignupStatus.WAITING])
        .select_related("volunteer")
        .order_by("joined_at", "id")
    )


@transaction.atomic
def update_shift(
    *,
    shift: Shift,
    by: User,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    places: int,
    notes: str = "",
) -> Shift:
    """A coordinator changes a shift to come. Everyone signed up or waiting is told when its time
    or place changes; more places go to the people waiting longest."""
    _require_coordinator(by)
    shift = Shift.objects.select_for_update().select_related("role").get(pk=shift.pk)
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started, so it cannot be changed."))
    if ends_at <= starts_at:
        raise ValidationError(_("The shift must end after it starts."))
    if ends_at - starts_at > timedelta(hours=24):
        raise ValidationError(_("A shift can be at most 24 hours long."))
    if starts_at < timezone.now():
        raise ValidationError(_("The shift cannot start in the past."))
    if not 1 <= places <= 500:
        raise ValidationError(_("A shift needs between 1 and 500 places."))
    taken = shift.signups.filter(status=SignupStatus.SIGNED_UP).count()
    if places < taken:
        raise ValidationError(
            _(
                "%(taken)d people already have a place. Keep at least %(taken)d places, or ask "
                "someone to withdraw first."
            )
            % {"taken": taken}
        )
    was = {"was": _when(shift.starts_at), "was_place": shift.place}
    moved = shift.starts_at != starts_at or shift.ends_at != ends_at or shift.place != place.strip()
    shift.starts_at, shift.ends_at, shift.place = starts_at, ends_at, place.strip()
    shift.places, shift.notes = places, notes.strip()
    shift.save(update_fields=["starts_at", "ends_at", "place", "places", "notes"])
    audit.record(actor=by, action="volunteering.shift_changed", target=shift)
    if moved:
        stamp = f"{timezone.now():%Y%m%d%H%M%S%f}"
        for signup in _people_on(shift):
            notify(
                to=signup.volunteer,
                kind="volunteering.shift_changed",
                key=f"shift:{shift.pk}:changed:{stamp}",
                context={
                    "url": reverse("volunteering:shift", args=[shift.pk]),
                    "change": "changed",
                    "waiting": signup.status == SignupStatus.WAITING,
                    **was,
                    **_shift_words(shift),
                },
            )
    while _promote_from_waiting_list(shift) is not None:
        pass
    return shift


@transaction.atomic
def cancel_shift(*, shift: Shift, by: User) -> int:
    """A coordinator cancels a shift to come: it is gone, and everyone signed up or waiting is
    told (nobody moves up from the waiting list, as there is no shift). Returns how many were
    told. Hours already logged against it keep their record without the shift."""
    _require_coordinator(by)
    shift = Shift.objects.select_for_update().select_related("role").get(pk=shift.pk)
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started, so it cannot be cancelled."))
    people = _people_on(shift)
    words = {"was": _when(shift.starts_at), "was_place": shift.place, **_shift_words(shift)}
    audit.record(
        actor=by,
        action="volunteering.shift_cancelled",
        target=shift,
        summary=f"{shift.role.slug} on {shift.starts_at:%Y-%m-%d %H:%M}",
    )
    key = f"shift:{shift.pk}:cancelled"
    for signup in people:
        notify(
            to=signup.volunteer,
            kind="volunteering.shift_changed",
            key=key,
            context={"url": reverse("volunteering:shifts"), "change": "cancelled", **words},
        )
    shift.delete()
    return len(people)


def _promote_from_waiting_list(shift: Shift) -> ShiftSignup | None:
    """Give a free place to the person who has waited longest. Call with the shift row locked."""
    taken = shift.signups.filter(status=SignupStatus.SIGNED_UP).count()
    if taken >= shift.places:
        return None
    first = shift.signups.filter(status=SignupStatus.WAITING).order_by("joined_at", "id").first()
    if first is None:
        return None
    first.status = SignupStatus.SIGNED_UP
    first.save(update_fields=["status"])
    audit.record(
        actor=None, action="volunteering.shift_promoted", target=shift, subject=first.volunteer
    )
    notify(
        to=first.volunteer,
        kind="volunteering.shift_place",
        key=f"shift:{shift.pk}:place:{first.joined_at:%Y%m%d%H%M%S%f}",
        context={"url": reverse("volunteering:shift", args=[shift.pk]), **_shift_words(shift)},
    )
    return first


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
        if not shift.signups.filter(volunteer=volunteer, status=SignupStatus.SIGNED_UP).exists():
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
            status=SignupStatus.SIGNED_UP,
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
