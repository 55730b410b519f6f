"""What a message says, checked before it is saved: word filters and the boundaries policy.

Pure functions over text (the word list is passed in), so they are cheap to test and to run on
every message. The default lists fit recovery communities; moderators edit them (WordFilter).

Word lists match what people type, not what they mean (TRUST.md 13), so text is read in several
forms before anything is matched:

- ``words``: NFKC, case folded, look-alike letters from other alphabets made Latin, invisible
  characters gone, digits and symbols inside words read as letters ("s3lling c0ke", "$elling"),
  punctuation between words a space ("selling-coke"), letters spelled out one by one joined up
  ("s e l l i n g"), and runs of a repeated letter squeezed ("sellllling" reads as "seling", as
  "selling" does);
- ``digits``: number words read as digits ("oh seven seven double oh"), letters that stand in for
  digits inside numbers read as digits ("O77OO"), for phone numbers;
- ``contact``: "at" and "dot" read as "@" and "." for e-mail addresses and links.

Safe recovery words are taken out before matching: meeting at a Narcotics Anonymous (NA) or
Alcoholics Anonymous (AA) meeting, day counts, years, and the helplines' own numbers. The corpus in
tests/chat/filter_corpus.py measures recall and false positives (bench/filters.py prints them).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from chat.filters.reading import Reading, _digits, normalise, read
from chat.filters.rules import SAFE_NUMBERS, _contact, _crisis, _dealing, contact_detail

__all__ = [
    "DEFAULT_FILTERS",
    "SAFE_NUMBERS",
    "Reading",
    "Verdict",
    "_digits",
    "check",
    "contact_detail",
    "normalise",
    "read",
]

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

# --- The verdict --------------------------------------------------------------------------------


@dataclass
class Verdict:
    """What to do with a message: block it, hold it, and what to tell the author."""

    block: bool = False
    hold_reason: str = ""
    crisis: bool = False
    support: bool = False
    matched: list[str] = field(default_factory=list)
    # Which rules fired ("word:selling coke", "dealing:emoji", "contact:phone", …): kept with a
    # blocked attempt so moderators see why.
    rules: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.block or bool(self.hold_reason) or self.crisis or self.support


@dataclass(frozen=True)
class _Phrase:
    """A word-list phrase read once, its patterns compiled once."""

    words_text: str  # the phrase's words, as a regular expression (escaped)
    squeezed_text: str
    words: re.Pattern
    squeezed: re.Pattern
    joined: str  # matched spelled with gaps when it is long enough (len >= 9), else ""

    def found_in(self, reading: Reading) -> bool:
        if self.words.search(reading.words) or self.words.search(reading.words_l):
            return True
        if self.squeezed.search(reading.squeezed):
            return True
        # A phrase of some length written with gaps or without spaces ("sel ling co ke").
        return bool(self.joined) and self.joined in reading.joined


def _whole(alternatives) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")


@functools.lru_cache(maxsize=2048)
def _phrase(phrase: str) -> _Phrase | None:
    form = read(phrase)
    if not form.words:
        return None
    words, squeezed = re.escape(form.words), re.escape(form.squeezed)
    joined = form.joined if len(form.joined) >= 9 else ""
    return _Phrase(words, squeezed, _whole([words]), _whole([squeezed]), joined)


@dataclass(frozen=True)
class _Screen:
    """Every phrase of a word list in one pattern per form: a message that none of them is in
    (most messages) is passed after three searches instead of three per phrase."""

    words: re.Pattern | None
    squeezed: re.Pattern | None
    joined: tuple[str, ...]

    def may_match(self, reading: Reading) -> bool:
        if self.words is None:
            return False
        return bool(
            self.words.search(reading.words)
            or self.words.search(reading.words_l)
            or self.squeezed.search(reading.squeezed)
            or any(joined in reading.joined for joined in self.joined)
        )


@functools.lru_cache(maxsize=32)
def _screen(phrases: tuple[str, ...]) -> _Screen:
    forms = [form for form in (_phrase(phrase) for phrase in phrases) if form is not None]
    if not forms:
        return _Screen(None, None, ())
    words = sorted({f.words_text for f in forms})
    squeezed = sorted({f.squeezed_text for f in forms})
    return _Screen(_whole(words), _whole(squeezed), tuple(f.joined for f in forms if f.joined))


def _phrase_in(reading: Reading, phrase: str) -> bool:
    form = _phrase(phrase)
    return form is not None and form.found_in(reading)


def check(
    text: str, filters: list[tuple[str, str]], allowed_numbers: frozenset[str] = frozenset()
) -> Verdict:
    """Check ``text`` against ``filters`` (phrase, action), the built-in rules (dealing, crisis)
    and the boundaries policy (contact details)."""
    verdict = Verdict()
    reading = read(text)
    screen = _screen(tuple(phrase for phrase, _action in filters))
    for phrase, action in filters if screen.may_match(reading) else ():
        if not _phrase_in(reading, phrase):
            continue
        verdict.matched.append(phrase)
        verdict.rules.append(f"word:{phrase}")
        if action == "block":
            verdict.block = True
        elif action == "hold" and not verdict.hold_reason:
            verdict.hold_reason = "word list"
        elif action == "support":
            verdict.support = True
        elif action == "crisis":
            verdict.crisis = True
    dealing = _dealing(reading)
    if dealing:
        verdict.block = True
        verdict.rules.append(dealing)
    crisis = _crisis(reading)
    if crisis:
        verdict.crisis = True
        verdict.rules.append(crisis)
    issue, rule = _contact(reading, SAFE_NUMBERS | allowed_numbers)
    if issue:
        verdict.rules.append(rule)
        if not verdict.hold_reason:
            verdict.hold_reason = issue
    return verdict
