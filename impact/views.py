"""The impact report (coordinators and admins) and the lists behind "Needs you today"."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from impact import outcomes, selectors, sources, tables
from impact.forms import PeriodForm
from impact.permissions import require_coordinator, require_report_reader
from mentoring import selectors as mentoring_selectors


@never_cache
@require_GET
def report(request):
    require_report_reader(request.user)
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "impact/report.html", {"form": form}, status=400)
    period = form.cleaned_data["period"] if form.is_bound else selectors.Period.last_twelve_months()
    report = selectors.impact_report(period)
    found = tables.all_tables(report)
    by_source, source_grid = sources.source_tables(sources.sources_report(period))
    found.insert(2, by_source)  # after the journey, as the grid below it
    outcome = outcomes.outcomes_report(period)
    found[0].rows += outcomes.key_rows(outcome)
    found += outcomes.outcome_tables(outcome)
    if request.GET.get("format") == "csv":
        return _csv([*found, source_grid], request.GET.get("table", ""), period)
    return render(
        request,
        "impact/report.html",
        {
            "form": form,
            "report": report,
            "summary": found[0],
            "charts": found[1:],
            "by_source": source_grid,
            "query": _query(period),
        },
    )


def _query(period: selectors.Period) -> str:
    return f"start={period.start.isoformat()}&end={period.end.isoformat()}"


def _csv(
    found: list[tables.Table | tables.Grid], name: str, period: selectors.Period
) -> HttpResponse:
    table = next((table for table in found if table.name == name), None)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"impact-{table.name}-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    csv.writer(response).writerows(table.csv_rows())
    return response


@require_GET
def no_recent_shift(request):
    require_coordinator(request.user)
    people = Paginator(selectors.volunteers_without_recent_shift(), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "impact/no_recent_shift.html",
        {"page": people, "days": selectors.NO_SHIFT_DAYS},
    )


@require_GET
def missed_twice(request):
    require_coordinator(request.user)
    return render(
        request,
        "impact/missed_twice.html",
        {"matches": mentoring_selectors.missed_twice_in_a_row()},
    )
