"""Onboarding a volunteer (application, steps, references, DBS checks, risk assessments) and
their training records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from accounts.roles import Role
from accounts.services import grant_role
from notifications import notify
from volunteering.models import (
    DBSCheck,
    Onboarding,
    Reference,
    RiskAssessment,
    RiskDecision,
    Stage,
    TrainingCompletion,
    TrainingCourse,
    VolunteerRole,
    add_months,
)
from volunteering.permissions import is_coordinator
from volunteering.services.base import _require_coordinator
from volunteering.uploads import clean_certificate

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
