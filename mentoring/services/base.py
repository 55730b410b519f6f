"""Helpers the mentoring services share: who the coordinators are, and times in words."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from mentoring.permissions import is_coordinator


def when_words(moment: datetime) -> str:
    """A time as people say it, in the site's time zone: "Tuesday 3 March, 14:00"."""
    return date_filter(timezone.localtime(moment), "l j F, H:i")


def _coordinators(*, besides: User | None = None) -> list[User]:
    people = User.objects.filter(is_active=True, groups__name=Role.COORDINATOR).distinct()
    if besides is not None:
        people = people.exclude(pk=besides.pk)
    return list(people)


def _require_coordinator(by: User) -> None:
    if not is_coordinator(by):
        raise PermissionDenied
