"""Factories for volunteering records, and ``make_cleared`` for any app's tests.

from tests.volunteering.factories import make_cleared
make_cleared(mentor)                      # cleared as a peer mentor today
make_cleared(person, "gate-companion")    # or for another role
"""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from tests.factories import UserFactory
from volunteering.defaults import ensure_default_roles
from volunteering.models import (
    DBSCheck,
    DBSLevel,
    Onboarding,
    Reference,
    RiskAssessment,
    RiskDecision,
    Shift,
    Stage,
    TrainingCompletion,
    TrainingCourse,
    VolunteerRole,
)


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    valid_for_months = 12


class VolunteerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerRole
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"role-{n}")
    title = factory.Sequence(lambda n: f"Role {n}")
    dbs_level = DBSLevel.NONE
    references_required = 0


class OnboardingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Onboarding
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    why = "I want to give back what I was given."
    availability = ["tue-evening"]


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    volunteer = factory.SubFactory(UserFactory)
    referee_name = factory.Sequence(lambda n: f"Referee {n}")
    relationship = "Former employer"
    received_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    satisfactory = True


class DBSCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DBSCheck

    volunteer = factory.SubFactory(UserFactory)
    level = DBSLevel.ENHANCED
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    certificate_number = factory.Sequence(lambda n: f"{n:012d}")
    recheck_due = factory.LazyAttribute(lambda o: o.issued_on + timedelta(days=3 * 365))


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAssessment

    dbs_check = factory.SubFactory(DBSCheckFactory, has_disclosure=True)
    role = factory.LazyFunction(lambda: VolunteerRole.objects.get(slug="peer-mentor"))
    assessor = factory.SubFactory(UserFactory)
    decision = RiskDecision.APPROVED
    notes = "Spent conviction from 2009; unrelated to this role. Supervision monthly."


class TrainingCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCompletion

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(TrainingCourseFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    expires_on = factory.LazyAttribute(lambda o: o.course.expiry_for(o.completed_on))
    verified_at = factory.LazyFunction(timezone.now)


def ensure_roles() -> None:
    """Put back the roles migration 0002 creates, if a transactional test flushed them."""
    if not VolunteerRole.objects.filter(slug="peer-mentor").exists():
        ensure_default_roles(TrainingCourse, VolunteerRole)


def make_cleared(user, role_slug: str = "peer-mentor", *, on: date | None = None):
    """Create every record ``user`` needs so ``clearance(user, role_slug, on=on).cleared`` is True.

    Records are dated a month before ``on`` (today by default) and stay valid well after it.
    """
    ensure_roles()
    on = on or timezone.localdate()
    earlier = on - timedelta(days=30)
    role = VolunteerRole.objects.get(slug=role_slug)
    OnboardingFactory(
        user=user,
        applied_on=earlier - timedelta(days=14),
        induction_completed_on=earlier,
        supervision_agreed_on=earlier,
        interviewed_on=earlier,
    )
    Onboarding.objects.filter(user=user).update(
        induction_completed_on=earlier, supervision_agreed_on=earlier, stage=Stage.ACTIVE
    )
    for _ in range(role.references_required):
        ReferenceFactory(volunteer=user, received_on=earlier)
    if role.dbs_level != DBSLevel.NONE:
        DBSCheckFactory(
            volunteer=user,
            level=role.dbs_level,
            issued_on=earlier,
            recheck_due=on + timedelta(days=3 * 365),
        )
    for course in role.required_courses.all():
        TrainingCompletionFactory(user=user, course=course, completed_on=earlier)
    return role


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    role = factory.LazyFunction(lambda: VolunteerRole.objects.get(slug="event-helper"))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    place = "Community café"
    places = 5
