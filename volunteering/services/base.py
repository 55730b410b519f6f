"""Helpers the volunteering services share: words for a time and a shift, the coordinator check."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from volunteering.models import Shift
from volunteering.permissions import is_coordinator

# --- Telling people ------------------------------------------------------------------------------


def _when(moment: datetime, fmt: str = "l j F, H:i") -> str:
    return date_format(timezone.localtime(moment), fmt)


def _shift_words(shift: Shift) -> dict[str, str]:
    return {
        "role": str(shift.role.title),
        "when": _when(shift.starts_at),
        "time": _when(shift.starts_at, "H:i"),
        "place": shift.place,
    }


def _require_coordinator(user: User) -> None:
    if not is_coordinator(user):
        raise PermissionDenied
