"""The directory of local services, read by other apps through the accounts hooks."""

from __future__ import annotations

from accounts.directory import ServiceNeed, ServiceSummary
from cms.models import LocalServicePage, ServiceArea, ServiceDirectoryPage, normalise_area


def directory_page() -> ServiceDirectoryPage | None:
    return ServiceDirectoryPage.objects.live().public().first()


def find_services(*, needs: list[str], area: str, limit: int) -> list[ServiceSummary]:
    """Published services that help with any of ``needs`` in ``area`` (a person's own words:
    the area of that name, whatever the case and spacing), or anywhere. Four queries."""
    needs = [need for need in needs if need in ServiceNeed.values]
    if not needs:
        return []
    areas = ServiceArea.objects.filter(key=normalise_area(area)) if area.strip() else []
    found = (
        LocalServicePage.objects.published().helping_with(needs).serving(areas).for_cards()[:limit]
    )
    return [page.as_summary() for page in found]


def services_by_id(ids: list[int]) -> list[ServiceSummary]:
    """The published services among ``ids``, by name (three queries)."""
    found = LocalServicePage.objects.published().filter(pk__in=ids).for_cards()
    return [page.as_summary() for page in found]
