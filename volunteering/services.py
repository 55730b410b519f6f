"""Actions on volunteering records, and the clearance check other apps rely on.

Every function that changes something authorises, validates, changes inside a transaction, audits
and notifies after commit. Read-only queries shared by views and reports live in selectors.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from volunteering.models import (
    DBS_RANK,
    DBSCheck,
    DBSLevel,
    Onboarding,
    Reference,
    RiskAssessment,
    RiskDecision,
    TrainingCompletion,
    VolunteerRole,
)

# --- Clearance ----------------------------------------------------------------------------------
#
# Whether a person is cleared for a role is worked out from the onboarding records and their expiry
# dates every time it is asked: there is no "cleared" flag to forget. Reasons are plain words a
# volunteer and a coordinator can both read; they never repeat what a DBS certificate disclosed or
# what a risk assessment says.


@dataclass(frozen=True)
class Clearance:
    cleared: bool
    reasons: tuple[str, ...]
    expires_on: date | None


LEVEL_WORDS = {
    DBSLevel.BASIC: _lazy("basic"),
    DBSLevel.STANDARD: _lazy("standard"),
    DBSLevel.ENHANCED: _lazy("enhanced"),
}


NEEDS_LEVEL = {
    DBSLevel.BASIC: _lazy("a basic check"),
    DBSLevel.STANDARD: _lazy("a standard check"),
    DBSLevel.ENHANCED: _lazy("an enhanced check"),
}


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _role(role: VolunteerRole | str) -> VolunteerRole:
    if isinstance(role, VolunteerRole):
        return role
    return VolunteerRole.objects.get(slug=role)


def _user_id(user) -> int:
    return user if isinstance(user, int) else user.pk


@dataclass
class _Check:
    """What one person has against one role; ``cleared`` when nothing is missing."""

    missing: list[str]
    met: list[str]
    expiries: list[date]

    def result(self) -> Clearance:
        if self.missing:
            return Clearance(cleared=False, reasons=tuple(self.missing), expires_on=None)
        return Clearance(
            cleared=True,
            reasons=tuple(self.met),
            expires_on=min(self.expiries) if self.expiries else None,
        )


def clearance(user, role: VolunteerRole | str, *, on: date | None = None) -> Clearance:
    """Whether ``user`` is cleared for ``role`` (a VolunteerRole or its slug) on day ``on``."""
    return clearances([user], role, on=on)[_user_id(user)]


def clearances(users: Iterable, role: VolunteerRole | str, *, on: date | None = None):
    """``clearance`` for many people at once, keyed by user id, in a fixed number of queries.

    Queries: the role (if given by slug), its courses, onboarding records, references, DBS checks,
    risk assessments, training completions — however many people are asked about.
    """
    on = on or timezone.localdate()
    role = _role(role)
    ids = sorted({_user_id(user) for user in users})
    courses = list(role.required_courses.all())
    checks = {user_id: _Check([], [], []) for user_id in ids}
    if not ids:
        return {}

    _check_onboarding(role, ids, on, checks)
    _check_references(role, ids, on, checks)
    _check_dbs(role, ids, on, checks)
    _check_training(courses, ids, on, checks)
    return {user_id: check.result() for user_id, check in checks.items()}


def _check_onboarding(role, ids, on, checks) -> None:
    if not (role.induction_required or role.supervision_agreement_required):
        return
    steps = {
        row["user_id"]: row
        for row in Onboarding.objects.filter(user_id__in=ids).values(
            "user_id", "induction_completed_on", "supervision_agreed_on"
        )
    }
    for user_id, check in checks.items():
        row = steps.get(user_id, {})
        if role.induction_required:
            done = row.get("induction_completed_on")
            if done and done <= on:
                check.met.append(_("Cleared: induction completed on %s") % _day(done))
            else:
                check.missing.append(_("Induction not completed yet"))
        if role.supervision_agreement_required:
            signed = row.get("supervision_agreed_on")
            if signed and signed <= on:
                check.met.append(_("Cleared: supervision agreement signed on %s") % _day(signed))
            else:
                check.missing.append(_("Supervision agreement not signed yet"))


def _check_references(role, ids, on, checks) -> None:
    needed = role.references_required
    if not needed:
        return
    received = dict(
        Reference.objects.filter(volunteer_id__in=ids, received_on__lte=on, satisfactory=True)
        .values("volunteer_id")
        .annotate(count=Count("id"))
        .values_list("volunteer_id", "count")
    )
    for user_id, check in checks.items():
        count = received.get(user_id, 0)
        if count >= needed:
            check.met.append(
                ngettext(
                    "Cleared: %(count)d reference received",
                    "Cleared: %(count)d references received",
                    count,
                )
                % {"count": count}
            )
        else:
            check.missing.append(
                ngettext(
                    "Needs %(needed)d reference; %(count)d received so far",
                    "Needs %(needed)d references; %(count)d received so far",
                    needed,
                )
                % {"needed": needed, "count": count}
            )


def _check_dbs(role, ids, on, checks) -> None:
    needed = DBS_RANK[DBSLevel(role.dbs_level)]
    if not needed:
        return
    by_person: dict[int, list[DBSCheck]] = defaultdict(list)
    for dbs in DBSCheck.objects.filter(volunteer_id__in=ids, issued_on__lte=on).order_by(
        "-recheck_due", "-id"
    ):
        by_person[dbs.volunteer_id].append(dbs)
    decisions = {
        dbs_check_id: (decision, decided_on)
        for dbs_check_id, decision, decided_on in RiskAssessment.objects.filter(
            dbs_check__volunteer_id__in=ids, role=role, decided_on__lte=on
        ).values_list("dbs_check_id", "decision", "decided_on")
    }
    level_name = NEEDS_LEVEL[role.dbs_level]
    for user_id, check in checks.items():
        adequate = [c for c in by_person[user_id] if DBS_RANK[DBSLevel(c.level)] >= needed]
        current = [c for c in adequate if c.recheck_due > on]
        if not by_person[user_id]:
            check.missing.append(
                _("No DBS (criminal record) check on record; this role needs %s") % level_name
            )
        elif not adequate:
            check.missing.append(
                _("The DBS check on record is not enough; this role needs %s") % level_name
            )
        elif not current:
            check.missing.append(_("DBS check expired on %s") % _day(adequate[0].recheck_due))
        else:
            _weigh_disclosures(role, current, decisions, check)


def _weigh_disclosures(role, current: list[DBSCheck], decisions, check: _Check) -> None:
    """Fair chance: a disclosure clears once a coordinator's risk assessment approves the role."""
    for dbs in current:
        decision = decisions.get(dbs.pk)
        if not dbs.has_disclosure:
            check.met.append(
                _("Cleared: %(level)s DBS check until %(day)s")
                % {"level": LEVEL_WORDS[dbs.level], "day": _day(dbs.recheck_due)}
            )
        elif decision and decision[0] == RiskDecision.APPROVED:
            check.met.append(
                _("Cleared: %(level)s DBS check until %(day)s, with a risk assessment for %(role)s")
                % {
                    "level": LEVEL_WORDS[dbs.level],
                    "day": _day(dbs.recheck_due),
                    "role": role.title,
                }
            )
        else:
            continue
        check.expiries.append(dbs.recheck_due)
        return
    decision = decisions.get(current[0].pk)
    if decision is None:
        check.missing.append(_("Waiting for a coordinator's risk assessment for %s") % role.title)
    else:
        check.missing.append(
            _("The risk assessment on %(day)s did not approve %(role)s")
            % {"day": _day(decision[1]), "role": role.title}
        )


def _check_training(courses, ids, on, checks) -> None:
    if not courses:
        return
    done: dict[tuple[int, int], list[TrainingCompletion]] = defaultdict(list)
    for completion in TrainingCompletion.objects.filter(
        user_id__in=ids, course__in=courses, completed_on__lte=on
    ).only("user_id", "course_id", "completed_on", "expires_on"):
        done[(completion.user_id, completion.course_id)].append(completion)
    for user_id, check in checks.items():
        for course in courses:
            completions = done[(user_id, course.pk)]
            current = [c for c in completions if c.expires_on is None or c.expires_on > on]
            if any(c.expires_on is None for c in current):
                check.met.append(_("Cleared: %s completed") % course.title)
            elif current:
                until = max(c.expires_on for c in current)
                check.met.append(
                    _("Cleared: %(course)s until %(day)s")
                    % {"course": course.title, "day": _day(until)}
                )
                check.expiries.append(until)
            elif completions:
                latest = max(c.expires_on for c in completions)
                check.missing.append(
                    _("%(course)s expired on %(day)s")
                    % {"course": course.title, "day": _day(latest)}
                )
            else:
                check.missing.append(_("Needs training: %s") % course.title)
