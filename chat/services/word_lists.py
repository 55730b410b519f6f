"""The word lists messages are checked against (moderators edit them; cached per process)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from chat import filters
from chat.models import (
    FilterAction,
    WordFilter,
)
from chat.services.base import (
    _log,
)

# --- Word filters -------------------------------------------------------------------------------

_filter_cache: dict[str, tuple[float, list[tuple[str, str]]]] = {}
FILTER_CACHE_SECONDS = 10


def clear_filter_cache() -> None:
    _filter_cache.clear()


def active_filters() -> list[tuple[str, str]]:
    """(phrase, action) pairs; read at most every few seconds per process."""
    cached = _filter_cache.get("all")
    if cached and time.monotonic() - cached[0] < FILTER_CACHE_SECONDS:
        return cached[1]
    rows = list(WordFilter.objects.values_list("phrase", "action"))
    _filter_cache["all"] = (time.monotonic(), rows)
    return rows


def _support_numbers() -> frozenset[str]:
    """The crisis support lines' numbers: sharing them is never a boundaries problem."""
    return frozenset(filters._digits(line["phone"]) for line in settings.CRISIS_SUPPORT_LINES)


def install_default_filters() -> int:
    """Add the default word lists (filters.DEFAULT_FILTERS); keeps moderators' own changes."""
    existing = set(WordFilter.objects.values_list("phrase", flat=True))
    new = [
        WordFilter(phrase=phrase, action=action, note=_("default list"))
        for action, phrases in filters.DEFAULT_FILTERS.items()
        for phrase in phrases
        if phrase not in existing
    ]
    WordFilter.objects.bulk_create(new)
    clear_filter_cache()
    return len(new)


@transaction.atomic
def save_word_filter(
    *, by: User, phrase: str, action: str, note: str = "", pk: int | None = None
) -> WordFilter:
    from chat.permissions import can_manage_filters

    if not can_manage_filters(by):
        raise PermissionDenied
    phrase = filters.normalise(phrase or "").strip()
    if not phrase:
        raise ValidationError({"phrase": _("Please give a word or phrase.")})
    if action not in FilterAction.values:
        raise ValidationError({"action": _("Please choose what happens.")})
    clash = WordFilter.objects.filter(phrase=phrase).exclude(pk=pk).exists()
    if clash:
        raise ValidationError({"phrase": _("That word or phrase is already on the list.")})
    if pk:
        word = WordFilter.objects.select_for_update().get(pk=pk)
        word.phrase, word.action, word.note = phrase, action, note[:120]
        word.save()
    else:
        word = WordFilter.objects.create(phrase=phrase, action=action, note=note[:120])
    _log(room=None, actor=by, action="filter.saved", reason=f"{action}: {phrase}")
    transaction.on_commit(clear_filter_cache)
    return word


@transaction.atomic
def delete_word_filter(*, by: User, pk: int) -> None:
    from chat.permissions import can_manage_filters

    if not can_manage_filters(by):
        raise PermissionDenied
    word = WordFilter.objects.filter(pk=pk).first()
    if word is None:
        return
    _log(room=None, actor=by, action="filter.deleted", reason=word.phrase)
    word.delete()
    transaction.on_commit(clear_filter_cache)
