"""Server-rendered charts: an SVG line per area of "How things are", each with a table behind it
(the template shows both), so the chart works without JavaScript and with a screen reader."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from mentoring.outcomes.selectors import DomainJourney, Journey

WIDTH, HEIGHT, PAD = 300, 90, 12
LOWEST, HIGHEST = 1, 5


@dataclass
class Chart:
    domain: DomainJourney
    summary: str  # what the chart says, in words (its accessible name)
    dots: list[tuple[float, float]]
    line: str  # SVG polyline points


def _y(value: int) -> float:
    share = (value - LOWEST) / (HIGHEST - LOWEST)
    return round(HEIGHT - PAD - share * (HEIGHT - 2 * PAD), 1)


def chart_for(domain: DomainJourney) -> Chart:
    count = len(domain.points)
    step = (WIDTH - 2 * PAD) / (count - 1) if count > 1 else 0
    dots = [
        (round(PAD + n * step, 1), _y(point.value))
        for n, point in enumerate(domain.points)
        if point.value is not None
    ]
    answered = domain.answered
    if not answered:
        summary = _("%(area)s: no answers yet.") % {"area": domain.label}
    elif len(answered) == 1:
        summary = _("%(area)s: %(now)s.") % {"area": domain.label, "now": answered[0].label}
    else:
        summary = _("%(area)s: from %(first)s to %(now)s.") % {
            "area": domain.label,
            "first": answered[0].label,
            "now": answered[-1].label,
        }
    return Chart(domain, summary, dots, " ".join(f"{x},{y}" for x, y in dots))


def for_journey(journey: Journey) -> list[Chart]:
    return [chart_for(domain) for domain in journey.domains]
