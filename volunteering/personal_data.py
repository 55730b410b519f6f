"""Volunteering's part of "My data": the volunteer's own records, never a coordinator's.

A coordinator's name on a record (interviewed by, recorded by, decided by), references' verdicts
and DBS risk assessments are the organisation's; they are not in the download.
"""

from __future__ import annotations

from accounts.hooks import Section
from accounts.models import User
from accounts.personal_data import section
from volunteering.models import (
    DBSCheck,
    HoursEntry,
    Onboarding,
    Reference,
    ShiftSignup,
    TrainingCompletion,
)


def sections(user: User) -> list[Section]:
    return [
        *section(
            "volunteering.application",
            "Your application to volunteer",
            Onboarding.objects.filter(user=user),
            [
                "stage",
                "why",
                "availability",
                "lived_experience_to_use",
                ("roles_you_are_interested_in", _role_titles),
                "applied_on",
                "interviewed_on",
                "induction_completed_on",
                "supervision_agreed_on",
            ],
        ),
        *section(
            "volunteering.references",
            "References you gave us",
            Reference.objects.filter(volunteer=user).order_by("pk"),
            ["referee_name", "relationship", "requested_on", "received_on"],
        ),
        *section(
            "volunteering.dbs_checks",
            "Your DBS checks",
            DBSCheck.objects.filter(volunteer=user).order_by("pk"),
            [
                "level",
                "issued_on",
                "certificate_number",
                "update_service",
                "recheck_due",
                "has_disclosure",
                "recorded_at",
            ],
        ),
        *section(
            "volunteering.training",
            "Your training",
            TrainingCompletion.objects.filter(user=user).select_related("course").order_by("pk"),
            [
                "course.title",
                "completed_on",
                "expires_on",
                "certificate",
                "certificate_type",
                "recorded_at",
                "verified_at",
            ],
        ),
        *section(
            "volunteering.shifts",
            "Shifts you signed up for",
            ShiftSignup.objects.filter(volunteer=user).select_related("shift__role").order_by("pk"),
            [
                "shift.role.title",
                "shift.starts_at",
                "shift.ends_at",
                "shift.place",
                "status",
                "joined_at",
            ],
        ),
        *section(
            "volunteering.hours",
            "Hours you logged",
            HoursEntry.objects.filter(volunteer=user).select_related("role").order_by("pk"),
            [
                "role.title",
                "worked_on",
                "month",
                "minutes",
                "note",
                "status",
                "decided_at",
                "created_at",
            ],
        ),
    ]


def _role_titles(onboarding: Onboarding) -> list[str]:
    return [role.title for role in onboarding.roles_wanted.all()]
