"""Who may see which volunteering record. Missing and forbidden both give 404.

Volunteers see their own records only; coordinators see everyone's; DBS details are for
coordinators only (and each view is audited by the view); a risk assessment is for the
coordinator who wrote it, nobody else.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_coordinator, require_coordinator  # noqa: F401 - one rule, every app
from accounts.roles import Role
from volunteering.models import (
    DBSCheck,
    HoursEntry,
    Onboarding,
    RiskAssessment,
    Shift,
    TrainingCompletion,
)


def access_volunteer(user: User, pk: int) -> User:
    """A person's volunteering file, for coordinators."""
    require_coordinator(user)
    try:
        return User.objects.select_related("onboarding").get(pk=pk, is_active=True)
    except User.DoesNotExist:
        raise Http404 from None


def access_onboarding(user: User, pk: int) -> Onboarding:
    require_coordinator(user)
    try:
        return Onboarding.objects.select_related("user").get(pk=pk)
    except Onboarding.DoesNotExist:
        raise Http404 from None


def access_dbs_check(user: User, pk: int) -> DBSCheck:
    require_coordinator(user)
    try:
        return DBSCheck.objects.select_related("volunteer").get(pk=pk)
    except DBSCheck.DoesNotExist:
        raise Http404 from None


def access_risk_assessment(user: User, pk: int) -> RiskAssessment:
    """Only the coordinator who wrote it (and still is a coordinator) may read it."""
    require_coordinator(user)
    try:
        return RiskAssessment.objects.select_related("dbs_check__volunteer", "role").get(
            pk=pk, assessor=user
        )
    except RiskAssessment.DoesNotExist:
        raise Http404 from None


def access_training(user: User, pk: int) -> TrainingCompletion:
    """A training record (and its certificate): its owner and coordinators."""
    completions = TrainingCompletion.objects.select_related("course", "user")
    if not is_coordinator(user):
        completions = completions.filter(user=user)
    try:
        return completions.get(pk=pk)
    except TrainingCompletion.DoesNotExist:
        raise Http404 from None


def access_hours(user: User, pk: int) -> HoursEntry:
    entries = HoursEntry.objects.select_related("role", "volunteer")
    if not is_coordinator(user):
        entries = entries.filter(volunteer=user)
    try:
        return entries.get(pk=pk)
    except HoursEntry.DoesNotExist:
        raise Http404 from None


def access_shift(user: User, pk: int) -> Shift:
    """Coordinators see every shift; a volunteer sees upcoming ones and shifts they are on.

    Whether they may sign up is for ``services.sign_up`` to say (with the reason).
    """
    try:
        shift = Shift.objects.select_related("role").get(pk=pk)
    except Shift.DoesNotExist:
        raise Http404 from None
    if is_coordinator(user):
        return shift
    if not user.has_role(Role.VOLUNTEER, Role.PEER_MENTOR):
        raise Http404
    if shift.starts_at >= timezone.now() or shift.signups.filter(volunteer=user).exists():
        return shift
    raise Http404
