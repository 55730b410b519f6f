"""Thin views: parse, one access helper, one service, render."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from accounts import audit
from cms import calendar, glossary, services
from cms.models import (
    EventPage,
    EventRegistration,
    GlossaryPage,
    ServiceDirectoryPage,
)
from cms.permissions import (
    access_event,
    access_event_attendees,
    access_event_for_registration,
)
from notifications.calendar import ics_response
from notifications.places import PlaceStatus


@login_not_required
@require_GET
def ping(request):
    """A plain Django page with a small template: the yardstick bench/pages.py compares with."""
    return render(request, "cms/ping.html", {"name": "Alongside"})


@login_not_required
@require_GET
def search(request):
    # Control characters (NUL above all) break full-text query parsers: keep printable text.
    query = "".join(ch for ch in request.GET.get("q", "") if ch.isprintable()).strip()[:200]
    results = None
    terms = []
    # A double quote reaches SQLite's full-text MATCH unescaped ('"' is "unterminated string"):
    # search the words around it.
    words = " ".join(query.replace('"', " ").split())
    if words:
        found = Page.objects.live().public().specific().search(words)
        results = Paginator(found, 10).get_page(request.GET.get("page"))
        terms = glossary.find_terms(query)
    return render(request, "cms/search.html", {"query": query, "results": results, "terms": terms})


@login_not_required
@require_GET
def glossary_page(request):
    """The glossary, wherever editors have put it: the footer and explained terms link here."""
    page = GlossaryPage.objects.live().public().first()
    if page is None:
        raise Http404
    return redirect(page.url)


@login_not_required
@require_GET
def directory(request):
    """The directory of local services, wherever editors have put it: the menu links here."""
    page = ServiceDirectoryPage.objects.live().public().first()
    if page is None:
        raise Http404
    query = request.GET.urlencode()
    return redirect(f"{page.url}?{query}" if query else page.url)


@login_not_required
def sitemap(request):
    return django_sitemap(request, sitemaps={"pages": Sitemap(request)})


@require_POST
def event_register(request, page_id: int):
    event = access_event_for_registration(request.user, page_id)
    try:
        registration = services.register_for_event(event=event, user=request.user)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        if registration.status == PlaceStatus.BOOKED:
            messages.success(request, _("You have a place. We'll remind you the day before."))
        else:
            messages.info(request, _("The event is full: you are on the waiting list."))
    return redirect(event.url)


@require_POST
def event_cancel(request, page_id: int):
    event = access_event(request.user, page_id)
    if services.cancel_registration(event=event, user=request.user):
        messages.success(request, _("Cancelled. Thank you for letting us know."))
    return redirect(event.url)


def _attendees(event):
    return (
        EventRegistration.objects.filter(event=event)
        .exclude(status=PlaceStatus.CANCELLED)
        .select_related("user")
        .order_by("status", "joined_at", "id")
    )


@require_GET
def event_attendees(request, page_id: int):
    event = access_event_attendees(request.user, page_id)
    audit.record_view(actor=request.user, target=event, subject=None, what="event attendee list")
    return render(
        request, "cms/attendees.html", {"event": event, "registrations": _attendees(event)}
    )


@require_GET
def event_attendees_csv(request, page_id: int):
    event = access_event_attendees(request.user, page_id)
    audit.record_view(actor=request.user, target=event, subject=None, what="attendee list (CSV)")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-attendees.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("E-mail"), _("Status"), _("Registered at")])
    for registration in _attendees(event):
        writer.writerow(
            [
                _csv_safe(registration.user.display_name),
                _csv_safe(registration.user.email),
                registration.status_label,
                registration.joined_at.isoformat(),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ runs as a formula in a spreadsheet: defuse it.
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_not_required
@require_GET
def event_ics(request, page_id: int):
    """One event as an ``.ics`` file ("Add to my calendar"), the same entry as the person's feed."""
    event = access_event(request.user, page_id)
    has_a_place = (
        request.user.is_authenticated
        and event.registrations.filter(user=request.user, status=PlaceStatus.BOOKED).exists()
    )
    entry = calendar.event_entry(event, has_a_place=has_a_place)
    return ics_response([entry], filename=f"event-{event.pk}.ics")


@login_not_required
@require_GET
def events_ics(request):
    """Every public event to come, for anyone's calendar (not a person's own: no places)."""
    events = EventPage.objects.live().public().upcoming()[:200]
    entries = [calendar.event_entry(event) for event in events]
    name = _("%(site)s events") % {"site": settings.SITE_NAME}
    return ics_response(entries, filename="alongside-events.ics", name=name)
