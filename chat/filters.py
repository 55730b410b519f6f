"""What a message says, checked before it is saved: word filters and the boundaries policy.

Pure functions over text (the word list is passed in), so they are cheap to test and to run on
every message. The default lists fit recovery communities; moderators edit them (WordFilter).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Moderators change these in the app; these are the starting lists (seeded by a migration).
DEFAULT_FILTERS: dict[str, list[str]] = {
    # Selling or naming drugs for sale: never shown.
    "block": [
        "selling gear",
        "selling coke",
        "selling spice",
        "selling ket",
        "selling bud",
        "pills for sale",
        "bars for sale",
        "xans for sale",
        "gear for sale",
        "got gear",
        "on tick",
        "county lines",
    ],
    # Dealing and meet-up phrases: a moderator looks first.
    "hold": [
        "dm me",
        "message me privately",
        "meet up",
        "meet me",
        "link up",
        "hook you up",
        "sort you out",
        "drop off",
        "cash only",
        "my plug",
        "whatsapp me",
        "snapchat",
        "telegram",
        "wickr",
    ],
    # Someone says they have lapsed: support, never a sanction.
    "support": [
        "relapsed",
        "i lapsed",
        "i used again",
        "used again",
        "slipped up",
        "had a drink",
        "fell off the wagon",
        "back on it",
        "picked up again",
    ],
    # Someone may be in danger: support lines for them, an alert for moderators.
    "crisis": [
        "suicide",
        "suicidal",
        "kill myself",
        "end it all",
        "want to die",
        "overdose",
        "overdosed",
        "self harm",
        "self-harm",
        "take my own life",
        "no reason to live",
    ],
}

_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s().-]?\d){9,13}(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\))\s*[\w-]+)+", re.I)
_POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b", re.I)
_STREET = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(?:[a-z']+\s+){1,3}"
    r"(?:street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|crescent|terrace|court|place|"
    r"grove|gardens|row|walk|hill|square|mews)\b",
    re.I,
)


@dataclass
class Verdict:
    """What to do with a message: block it, hold it, and what to tell the author."""

    block: bool = False
    hold_reason: str = ""
    crisis: bool = False
    support: bool = False
    matched: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text)


def _contains(text: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def boundary_issue(text: str, allowed_numbers: frozenset[str] = frozenset()) -> str:
    """A plain name for contact details found in ``text`` (boundaries policy), or "".

    ``allowed_numbers`` (digits only) are numbers anyone may share: the support lines.
    """
    if _EMAIL.search(text):
        return "an e-mail address"
    if any(_digits(m.group()) not in allowed_numbers for m in _PHONE.finditer(text)):
        return "a phone number"
    if _POSTCODE.search(text) or _STREET.search(text):
        return "an address"
    return ""


def check(
    text: str, filters: list[tuple[str, str]], allowed_numbers: frozenset[str] = frozenset()
) -> Verdict:
    """Check ``text`` against ``filters`` (phrase, action) and the boundaries policy."""
    verdict = Verdict()
    plain = normalise(text)
    for phrase, action in filters:
        if not _contains(plain, normalise(phrase)):
            continue
        verdict.matched.append(phrase)
        if action == "block":
            verdict.block = True
        elif action == "hold" and not verdict.hold_reason:
            verdict.hold_reason = "word list"
        elif action == "support":
            verdict.support = True
        elif action == "crisis":
            verdict.crisis = True
    issue = boundary_issue(text, allowed_numbers)
    if issue and not verdict.hold_reason:
        verdict.hold_reason = issue
    return verdict
