"""Local services for a mentee, from the site's directory, read through ``accounts.hooks``
(mentoring never imports the site). Only with her agreement: ``SharedItem.LOCAL_SERVICES``.
"""

from __future__ import annotations

from accounts import hooks
from accounts.directory import ServiceNeed, ServiceSummary
from accounts.models import User
from mentoring.choices import Need, SharedItem
from mentoring.models import Goal, GoalStep, Referral, SuggestedService
from mentoring.selectors import shared_items

# What a mentee wants help with (mentoring's words) -> the directory's kinds of help.
SERVICE_NEEDS: dict[str, tuple[str, ...]] = {
    Need.HOUSING: (ServiceNeed.HOUSING,),
    Need.WORK: (ServiceNeed.WORK,),
    Need.RECOVERY: (ServiceNeed.DRUGS_ALCOHOL,),
    Need.FAMILY: (ServiceNeed.FAMILY,),
    Need.HEALTH: (ServiceNeed.HEALTH,),
    Need.MONEY: (ServiceNeed.BENEFITS, ServiceNeed.DEBT, ServiceNeed.ID_DOCUMENTS),
    Need.LEARNING: (ServiceNeed.WORK,),
}


def agreed(mentee_id: int) -> bool:
    return SharedItem.LOCAL_SERVICES in shared_items(mentee_id)


def _needs_and_area(mentee: User) -> tuple[list[str], str]:
    referral = Referral.objects.filter(person=mentee).order_by("-created_at", "-id").first()
    needs = list(referral.needs) if referral else []
    area = referral.area if referral and referral.area else ""
    if not area:
        profile = getattr(mentee, "profile", None)
        area = getattr(profile, "area", "") or ""
    wanted: list[str] = []
    for need in needs:
        for service_need in SERVICE_NEEDS.get(need, ()):
            if service_need not in wanted:
                wanted.append(service_need)
    return wanted, area


def suggestions_for(mentee: User, *, limit: int = 6) -> list[ServiceSummary]:
    """Services for her needs in her area, for her mentor to choose from; none without her
    agreement. Those already on her "My people" are left out."""
    if not agreed(mentee.pk):
        return []
    needs, area = _needs_and_area(mentee)
    if not needs:
        return []
    added = set(SuggestedService.objects.filter(mentee=mentee).values_list("service_id", flat=True))
    found = hooks.local_services(needs=needs, area=area, limit=limit + len(added))
    return [service for service in found if service.id not in added][:limit]


def on_my_people(mentee: User) -> list[ServiceSummary]:
    """The services her mentor added, while she agrees (and still published)."""
    if not agreed(mentee.pk):
        return []
    ids = SuggestedService.objects.filter(mentee=mentee).values_list("service_id", flat=True)
    return hooks.local_services_by_id(list(ids))


def steps_with_services(goal: Goal) -> list[GoalStep]:
    """A goal's steps, each with ``service`` (a ``ServiceSummary`` or None) for the link."""
    steps = list(goal.steps.all())
    ids = {step.service_id for step in steps if step.service_id}
    found = {service.id: service for service in hooks.local_services_by_id(ids)}
    for step in steps:
        step.service = found.get(step.service_id)
    return steps
