"""The personal-data register: what a person receives when they download "My data".

Each app declares its own part in ``<app>/personal_data.py`` and returns it from the
``personal_data(user)`` hook on its AppConfig (accounts/hooks.py). Nothing is exported by default:
a row is in the download only when an app selects it as the person's, and only the fields it
names. Another person's name, the organisation's notes about someone (risk notes, safeguarding,
references, match reasons) and log-in secrets are never named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise

from accounts.hooks import Section
from accounts.models import ConsentRecord, Profile, User

# A field is named as "attribute" (dotted for a related object: "shift.starts_at"), or as
# ("label", getter) for a value worked out from the row.
FieldSpec = str | tuple[str, Callable[[Any], Any]]


def plain(value: Any) -> Any:
    """A value as it goes into the file: text, numbers, dates and lists of those."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def _get(obj: Any, path: str) -> Any:
    for name in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def rows(objects: Iterable[models.Model], fields: Sequence[FieldSpec]) -> list[dict]:
    """One dict per object holding only ``fields``."""
    found = []
    for obj in objects:
        row = {}
        for spec in fields:
            if isinstance(spec, tuple):
                label, getter = spec
                row[label] = plain(getter(obj))
            else:
                row[spec.replace(".", "_")] = plain(_get(obj, spec))
        found.append(row)
    return found


def section(key: str, title: str, objects: Iterable[models.Model], fields: Sequence[FieldSpec]):
    """A Section, or nothing when the person has no such rows (the file stays short)."""
    found = rows(objects, fields)
    return [Section(key=key, title=title, rows=found)] if found else []


def account_sections(user: User) -> list[Section]:
    """accounts' own part: the account, profile, agreements, addresses, log-in methods, sessions."""
    account = Section(
        key="account",
        title="Your account",
        rows=[
            {
                "email": user.email,
                "display_name": user.display_name,
                "pronouns": user.pronouns,
                "joined": user.date_joined,
                "last_login": user.last_login,
                "roles": sorted(user.roles),
            }
        ],
    )
    return [
        account,
        *section(
            "profile",
            "Your profile",
            Profile.objects.filter(user=user),
            [
                "area",
                "languages",
                "interests",
                "availability",
                "accessibility_needs",
                "lived_experience",
                "updated_at",
            ],
        ),
        *section(
            "consents",
            "Agreements you gave",
            ConsentRecord.objects.filter(user=user).order_by("given_at", "pk"),
            ["purpose", "wording_version", "given_at", "withdrawn_at"],
        ),
        *section(
            "email_addresses",
            "Your e-mail addresses",
            EmailAddress.objects.filter(user=user).order_by("pk"),
            ["email", "verified", "primary"],
        ),
        # The type and dates only: an authenticator's secret never leaves the server.
        *section(
            "two_step_log_in",
            "Your two-step log-in",
            Authenticator.objects.filter(user=user).order_by("pk"),
            ["type", "created_at", "last_used_at"],
        ),
        # Where and when, never the session key (it would let anyone holding the file log in).
        *section(
            "sessions",
            "Where you are logged in",
            UserSession.objects.filter(user=user).order_by("pk"),
            ["ip", "user_agent", "created_at", "last_seen_at"],
        ),
    ]
