"""Demo content for `manage.py seed_demo`: safe to run again, it only adds what is missing."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from volunteering.models import (
    DBSCheck,
    DBSLevel,
    HoursEntry,
    HoursStatus,
    Onboarding,
    Reference,
    Shift,
    Stage,
    TrainingCompletion,
    TrainingCourse,
    VolunteerRole,
)


@transaction.atomic
def seed(personas: dict, stdout) -> None:
    today = timezone.localdate()
    sam, priya = personas.get(Role.PEER_MENTOR), personas.get(Role.VOLUNTEER)
    coordinator = personas.get(Role.COORDINATOR)
    roles = {role.slug: role for role in VolunteerRole.objects.all()}
    if sam:
        clear_for_demo(sam, roles["peer-mentor"], today)
    if priya:
        # Cleared as an event helper, so the demo volunteer can sign up for the event shifts
        # below (and log hours for them).
        clear_for_demo(priya, roles["event-helper"], today)
        _training(priya, "safeguarding", today - timedelta(days=300), coordinator)
        _training(priya, "naloxone", today - timedelta(days=340), coordinator)  # due soon
        _hours(priya, roles["event-helper"], today)
    if not Shift.objects.filter(starts_at__gte=timezone.now()).exists():
        monday = today + timedelta(days=7 - today.weekday())
        _shift(roles["event-helper"], monday + timedelta(days=1), 10, 3, "Community café, High St")
        _shift(roles["peer-mentor"], monday + timedelta(days=2), 18, 2, "Recovery hub")
        _shift(
            roles["gate-companion"],
            monday + timedelta(days=3),
            8,
            1,
            "HMP gate, visitors' car park",
        )
        _shift(roles["event-helper"], monday + timedelta(days=5), 13, 5, "Family fun day, the park")
    stdout.write(
        "volunteering: roles, Sam cleared as a peer mentor, Priya as an event helper (with "
        "training and hours), shifts"
    )


def _onboarded(user, today) -> Onboarding:
    onboarding, _ = Onboarding.objects.get_or_create(
        user=user,
        defaults={
            "why": "I was helped when I came out. I want to do the same for someone else.",
            "availability": ["tue-morning", "sat-afternoon"],
            "applied_on": today - timedelta(days=400),
            "interviewed_on": today - timedelta(days=390),
            "induction_completed_on": today - timedelta(days=380),
            "supervision_agreed_on": today - timedelta(days=380),
            "stage": Stage.ACTIVE,
        },
    )
    return onboarding


def clear_for_demo(user, role: VolunteerRole, today) -> None:
    _onboarded(user, today)
    while Reference.objects.filter(volunteer=user).count() < role.references_required:
        Reference.objects.create(
            volunteer=user,
            referee_name="A former employer",
            received_on=today - timedelta(days=370),
            satisfactory=True,
        )
    if role.dbs_level != DBSLevel.NONE and not DBSCheck.objects.filter(volunteer=user).exists():
        DBSCheck.objects.create(
            volunteer=user,
            level=DBSLevel.ENHANCED,
            issued_on=today - timedelta(days=365),
            certificate_number="001234567890",
            update_service=True,
            recheck_due=today + timedelta(days=2 * 365),
        )
    for course in role.required_courses.all():
        _training(user, course.slug, today - timedelta(days=200), None)


def _training(user, slug: str, on, coordinator) -> None:
    course = TrainingCourse.objects.get(slug=slug)
    TrainingCompletion.objects.get_or_create(
        user=user,
        course=course,
        defaults={
            "completed_on": on,
            "expires_on": course.expiry_for(on),
            "verified_by": coordinator,
            "verified_at": timezone.now(),
        },
    )


def _hours(user, role, today) -> None:
    if HoursEntry.objects.filter(volunteer=user).exists():
        return
    HoursEntry.objects.bulk_create(
        HoursEntry(
            volunteer=user,
            role=role,
            worked_on=today - timedelta(days=days),
            minutes=minutes,
            status=HoursStatus.APPROVED if days > 10 else HoursStatus.PENDING,
        )
        for days, minutes in [(90, 180), (60, 240), (35, 150), (14, 210), (6, 120), (2, 90)]
    )


def _shift(role, day, hour: int, places: int, place: str) -> None:
    starts = timezone.make_aware(datetime.combine(day, time(hour)))
    Shift.objects.create(
        role=role, starts_at=starts, ends_at=starts + timedelta(hours=3), places=places, place=place
    )
