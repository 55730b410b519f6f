"""How other apps add to the shared screens without accounts importing them.

An app's AppConfig may define any of these methods; accounts calls them on every installed app:

- ``nav_items(user) -> Iterable[NavItem]``: links for the main navigation, by role.
- ``nav_filter(user, items) -> list[NavItem]``: narrow the gathered links for people whose roles
  allow only a few pages (partner workers), so the navigation never offers a door that is shut.
- ``today_cards(request) -> Iterable[TodayCard]``: cards on the person's "Today" page.
- ``start_notes(user) -> Iterable[StartNote]``: for someone new, what they already began with
  the app ("Your request for a peer mentor is with the coordinators"), shown on the "Where to
  start" card in place of that offer, beside the other ways in. One query at most.
- ``seed_demo(personas, stdout) -> None``: demo content for ``manage.py seed_demo`` (idempotent);
  ``personas`` maps a role value to the demo person holding it.
- ``attention_items(user) -> Iterable[AttentionItem]``: counts of things waiting for this person
  ("Hours waiting for approval: 4"), each with a link; gathered into one "Needs you today" card
  at the top of the Today page (the coordinator's home). Return only items that apply to the
  person's roles; a count of 0 is shown as done. One query per item at most.
- ``consent_withdrawn(user, purpose) -> None``: a person took back a consent; erase at once the
  data the app kept only under it (called inside the withdrawal's transaction).
- ``my_data_sections(request) -> Iterable[TodayCard]``: sections of the person's "My data" page
  about their own records (for example the information-sharing register); same shape as a card.
- ``daily(now) -> None``: the once-a-day sweep (``manage.py run_daily``, run by cron or a systemd
  timer in production): enqueue reminders, expiry warnings and the like as django-tasks tasks.
  It must be safe to run twice on the same day (remember what was sent).
- ``due(now) -> int``: the every-few-minutes sweep (``manage.py run_due``, run by cron): the
  time-critical checks that have fallen due (a crisis nobody picked up, a mentor's time to answer
  that ran out, a reminder whose time has come). Do only what is due now, never queue work ahead;
  return how many things were done. Safe to run twice (remember what was done).
- ``personal_data(user) -> Iterable[Section]``: the person's own rows for their "My data"
  download, each row a dict of only the fields that are theirs to receive
  (``<app>/personal_data.py`` builds them with ``accounts.personal_data.section``). Nothing is
  exported unless an app names it here: a row about someone else (a referral a coordinator made,
  a match's reasons, a risk note) never is, and neither is another person's name.
- ``calendar_entries(user, since, details) -> Iterable[notifications.calendar.Entry]``: the
  person's own meetings, shifts, events… from ``since`` on, for their one calendar feed (one query).
  Keep titles discreet (no prison, drugs or health words, another person by their chosen name only)
  unless ``details`` (the person asked for details in notices). Cancelled things stay in, marked
  ``cancelled``, so a phone that already has them shows the change.
- ``retention_rules() -> Iterable[accounts.retention.Rule]``: how long the app keeps its sensitive
  records (``<app>/retention.py``); applied by the daily sweep, listed in plain words on "My data".
- ``find_local_services(needs, area, limit) -> Iterable[ServiceSummary]``: published local
  services (``accounts.directory``) that help with any of ``needs`` (``ServiceNeed`` values) in
  the town or part of town ``area`` (as a person wrote it), and services for everywhere.
- ``local_services_by_id(ids) -> Iterable[ServiceSummary]``: the published ones among ``ids``.

Keep each cheap: they run on every page (nav) or on the home page (cards); a card should cost one
or two queries whatever the data size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 50


@dataclass(frozen=True)
class TodayCard:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50
    url: str = ""


@dataclass(frozen=True)
class StartNote:
    """On "Where to start": what the person began, in place of the offer named ``replaces`` (a
    URL name from accounts.apps.START_HERE)."""

    replaces: str
    label: str
    why: str
    url: str


@dataclass(frozen=True)
class AttentionItem:
    label: str
    count: int
    url: str
    order: int = 50


@dataclass(frozen=True)
class Section:
    """One part of a person's data download: ``key`` names it in the file, ``rows`` hold only
    JSON-ready values (text, numbers, dates, lists)."""

    key: str
    title: str
    rows: list[dict] = field(default_factory=list)


def _collect(method: str, *args) -> list:
    found: list = []
    for config in apps.get_app_configs():
        hook = getattr(config, method, None)
        if hook is not None:
            result: Iterable | None = hook(*args)
            if result:
                found.extend(result)
    return found


def nav_items(user) -> list[NavItem]:
    items = _collect("nav_items", user)
    for config in apps.get_app_configs():
        narrow = getattr(config, "nav_filter", None)
        if narrow is not None:
            items = list(narrow(user, items))
    return sorted(items, key=lambda item: (item.order, item.label))


def today_cards(request) -> list[TodayCard]:
    return sorted(_collect("today_cards", request), key=lambda card: (card.order, card.title))


def start_notes(user) -> list[StartNote]:
    return _collect("start_notes", user)


def my_data_sections(request) -> list[TodayCard]:
    return sorted(_collect("my_data_sections", request), key=lambda card: (card.order, card.title))


def attention_items(user) -> list[AttentionItem]:
    return sorted(_collect("attention_items", user), key=lambda item: (item.order, item.label))


def personal_data(user) -> list[Section]:
    return _collect("personal_data", user)


def calendar_entries(user, *, since, details: bool) -> list:
    return _collect("calendar_entries", user, since, details)


def seed_demo(personas: dict, stdout) -> None:
    for config in apps.get_app_configs():
        hook = getattr(config, "seed_demo", None)
        if hook is not None:
            hook(personas, stdout)


def consent_withdrawn(user, purpose: str) -> None:
    for config in apps.get_app_configs():
        hook = getattr(config, "consent_withdrawn", None)
        if hook is not None:
            hook(user, purpose)


def local_services(*, needs, area: str, limit: int = 6) -> list:
    """Services for these needs in this area, from whichever app publishes the directory."""
    return _collect("find_local_services", list(needs), area, limit)[:limit]


def local_services_by_id(ids) -> list:
    ids = list(ids)
    return _collect("local_services_by_id", ids) if ids else []


def retention_rules() -> list:
    return _collect("retention_rules")


def audit_trail_kept() -> list:
    """Models whose audit trail is kept for as long as the record itself is (each app's
    ``audit_trail_kept()`` hook returns model classes)."""
    return _collect("audit_trail_kept")


def run_daily(now) -> None:
    for config in apps.get_app_configs():
        hook = getattr(config, "daily", None)
        if hook is not None:
            hook(now)


def run_due(now) -> dict[str, int]:
    """Every app's ``due(now)`` hook, by app label: how many things each did."""
    done: dict[str, int] = {}
    for config in apps.get_app_configs():
        hook = getattr(config, "due", None)
        if hook is not None:
            done[config.label] = hook(now) or 0
    return done
