"""One questionnaire engine: a questionnaire is data, read from a definition file.

A definition file is YAML (or JSON, which is YAML too) in ``mentoring/questionnaires/`` or in any
folder listed in the setting ``QUESTIONNAIRE_DIRS``. docs/questionnaires.md describes the format.
``load_all()`` reads every file and refuses a broken one with plain messages naming the file, the
place in it and what is wrong (``manage.py check_questionnaires`` prints them).

No queries here: definitions are read once per process and cached.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

BUILT_IN = Path(__file__).resolve().parent.parent / "questionnaires"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,49}$")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
ANSWERED_BY = {"mentee", "mentor", "both"}
SEEN_BY = {"person", "mentor_if_shared", "coordinator"}
METHODS = {"sum", "mean"}


class DefinitionError(ValueError):
    """A definition file that cannot be used. ``problems`` are plain sentences."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Choice:
    value: int
    label: str


@dataclass(frozen=True)
class Scale:
    key: str
    choices: tuple[Choice, ...]

    @property
    def values(self) -> set[int]:
        return {choice.value for choice in self.choices}

    @property
    def lowest(self) -> int:
        return min(self.values)

    @property
    def highest(self) -> int:
        return max(self.values)

    def label_of(self, value: int | None) -> str:
        return next((c.label for c in self.choices if c.value == value), "")


@dataclass(frozen=True)
class Domain:
    key: str
    label: str


@dataclass(frozen=True)
class Item:
    key: str
    domain: str
    text: str
    scale: Scale
    hint: str = ""
    reverse: bool = False  # a higher answer means things are worse: flipped when scoring


@dataclass(frozen=True)
class Questionnaire:
    slug: str
    version: int
    title: str
    intro: str
    answered_by: str
    seen_by: frozenset[str]
    every_days: int | None  # how often it is asked after the first time; None: once
    at_start: bool
    method: str
    higher_is_better: bool
    licence: str
    enabled: bool
    example: bool
    domains: tuple[Domain, ...]
    items: tuple[Item, ...]
    source: str = ""
    scales: dict[str, Scale] = field(default_factory=dict, compare=False)

    def item(self, key: str) -> Item | None:
        return next((item for item in self.items if item.key == key), None)

    def domain_label(self, key: str) -> str:
        return next((d.label for d in self.domains if d.key == key), key)

    def _value(self, item: Item, value: int) -> float:
        """The answer turned so that more is always better, from 0 to 1."""
        low, high = item.scale.lowest, item.scale.highest
        share = (value - low) / (high - low) if high > low else 0.0
        if item.reverse != (not self.higher_is_better):
            share = 1 - share
        return share

    def domain_scores(self, answers: dict[str, int | None]) -> dict[str, float]:
        """Per domain, 0 to 100 (more is better), from the items answered; skipped items and
        domains with no answer are left out, so a skip never counts as a bad answer."""
        found: dict[str, list[float]] = {}
        for item in self.items:
            value = answers.get(item.key)
            if value is None or value not in item.scale.values:
                continue
            found.setdefault(item.domain, []).append(self._value(item, value))
        return {key: round(100 * sum(v) / len(v), 1) for key, v in found.items()}

    def total(self, answers: dict[str, int | None]) -> float | None:
        """The scoring rule of the file: ``sum`` of the raw answers (as the measure's own manual
        counts them, reversed items flipped) or ``mean`` of the 0–100 values. None when nothing
        was answered."""
        answered = [
            (item, answers[item.key])
            for item in self.items
            if answers.get(item.key) in item.scale.values
        ]
        if not answered:
            return None
        if self.method == "sum":
            return float(
                sum(
                    (item.scale.lowest + item.scale.highest - value) if item.reverse else value
                    for item, value in answered
                )
            )
        return round(100 * sum(self._value(i, v) for i, v in answered) / len(answered), 1)


def _text(raw, where: str, problems: list[str], *, required: bool = True) -> str:
    if raw is None or raw == "":
        if required:
            problems.append(f"{where} is missing.")
        return ""
    if not isinstance(raw, str):
        problems.append(f"{where} must be words, not {type(raw).__name__}.")
        return ""
    return raw.strip()


def parse(data, source: str = "") -> Questionnaire:
    """Check one definition (already read from YAML) and build it, or raise DefinitionError."""
    name = source or "the definition"
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError([f"{name}: the file must hold named fields (slug, title, items…)."])
    known = {
        "slug", "version", "title", "intro", "answered_by", "seen_by", "asked", "scoring",
        "licence", "enabled", "example", "scales", "domains", "items",
    }  # fmt: skip
    for unknown in sorted(set(data) - known):
        problems.append(f"{name}: '{unknown}' is not a field we know (check its spelling).")
    slug = _text(data.get("slug"), f"{name}: 'slug'", problems)
    if slug and not SLUG.match(slug):
        problems.append(
            f"{name}: 'slug' must be small letters, numbers and dashes (like how-things-are)."
        )
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(f"{name}: 'version' must be a whole number from 1.")
        version = 1
    title = _text(data.get("title"), f"{name}: 'title'", problems)
    intro = _text(data.get("intro"), f"{name}: 'intro'", problems, required=False)
    licence = _text(data.get("licence"), f"{name}: 'licence'", problems)
    answered_by = data.get("answered_by", "mentee")
    if answered_by not in ANSWERED_BY:
        problems.append(f"{name}: 'answered_by' must be one of {', '.join(sorted(ANSWERED_BY))}.")
    seen_by = data.get("seen_by", ["person", "mentor_if_shared", "coordinator"])
    if not isinstance(seen_by, list) or not set(seen_by) <= SEEN_BY:
        problems.append(f"{name}: 'seen_by' must be a list from {', '.join(sorted(SEEN_BY))}.")
        seen_by = ["person"]
    if "person" not in seen_by:
        problems.append(
            f"{name}: 'seen_by' must include 'person': people always see their own answers."
        )
    asked = data.get("asked", {}) or {}
    if not isinstance(asked, dict):
        problems.append(f"{name}: 'asked' must hold 'at_start' and 'every_days'.")
        asked = {}
    every_days = asked.get("every_days")
    if every_days is not None and (not isinstance(every_days, int) or not 7 <= every_days <= 366):
        problems.append(f"{name}: 'asked: every_days' must be a number of days from 7 to 366.")
        every_days = None
    scoring = data.get("scoring", {}) or {}
    if not isinstance(scoring, dict):
        problems.append(f"{name}: 'scoring' must hold 'method' and 'higher_is_better'.")
        scoring = {}
    method = scoring.get("method", "mean")
    if method not in METHODS:
        problems.append(f"{name}: 'scoring: method' must be 'sum' or 'mean', not '{method}'.")

    scales: dict[str, Scale] = {}
    raw_scales = data.get("scales")
    if not isinstance(raw_scales, dict) or not raw_scales:
        problems.append(f"{name}: 'scales' is missing: name at least one answer scale.")
        raw_scales = {}
    for key, raw in raw_scales.items():
        where = f"{name}: scale '{key}'"
        if not isinstance(raw, list) or len(raw) < 2:
            problems.append(f"{where} needs at least two answers.")
            continue
        choices = []
        for n, entry in enumerate(raw, 1):
            if not isinstance(entry, dict) or not isinstance(entry.get("value"), int):
                problems.append(f"{where}, answer {n}, needs a whole-number 'value' and a 'label'.")
                continue
            label = _text(entry.get("label"), f"{where}, answer {n}: 'label'", problems)
            choices.append(Choice(entry["value"], label))
        if len({c.value for c in choices}) != len(choices):
            problems.append(f"{where} uses the same value twice.")
        scales[str(key)] = Scale(str(key), tuple(choices))

    domains: list[Domain] = []
    raw_domains = data.get("domains")
    if not isinstance(raw_domains, list) or not raw_domains:
        problems.append(f"{name}: 'domains' is missing: list the areas of life the items cover.")
        raw_domains = []
    for n, raw in enumerate(raw_domains, 1):
        if not isinstance(raw, dict):
            problems.append(f"{name}: domain {n} needs a 'key' and a 'label'.")
            continue
        key = _text(raw.get("key"), f"{name}: domain {n}: 'key'", problems)
        if key and not KEY.match(key):
            problems.append(f"{name}: domain '{key}': a key is small letters and underscores.")
        domains.append(
            Domain(key, _text(raw.get("label"), f"{name}: domain {n}: 'label'", problems))
        )
    domain_keys = [d.key for d in domains]
    if len(set(domain_keys)) != len(domain_keys):
        problems.append(f"{name}: two domains have the same key.")

    items: list[Item] = []
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(f"{name}: 'items' is missing: a questionnaire needs at least one question.")
        raw_items = []
    for n, raw in enumerate(raw_items, 1):
        if not isinstance(raw, dict):
            problems.append(f"{name}: item {n} needs a 'key', 'domain', 'text' and 'scale'.")
            continue
        key = _text(raw.get("key"), f"{name}: item {n}: 'key'", problems)
        where = f"{name}: item '{key or n}'"
        if key and not KEY.match(key):
            problems.append(f"{where}: a key is small letters and underscores.")
        domain = raw.get("domain")
        if domain not in domain_keys:
            problems.append(
                f"{where} belongs to the domain '{domain}', which is not under 'domains'."
            )
        scale = scales.get(str(raw.get("scale")))
        if scale is None:
            problems.append(
                f"{where} uses the scale '{raw.get('scale')}', which is not defined under 'scales'."
            )
            continue
        items.append(
            Item(
                key=key,
                domain=str(domain),
                text=_text(raw.get("text"), f"{where}: 'text'", problems),
                scale=scale,
                hint=_text(raw.get("hint"), f"{where}: 'hint'", problems, required=False),
                reverse=bool(raw.get("reverse", False)),
            )
        )
    item_keys = [item.key for item in items]
    if len(set(item_keys)) != len(item_keys):
        problems.append(f"{name}: two items have the same key.")
    if problems:
        raise DefinitionError(problems)
    return Questionnaire(
        slug=slug,
        version=version,
        title=title,
        intro=intro,
        answered_by=answered_by,
        seen_by=frozenset(seen_by),
        every_days=every_days,
        at_start=bool(asked.get("at_start", False)),
        method=method,
        higher_is_better=bool(scoring.get("higher_is_better", True)),
        licence=licence,
        enabled=bool(data.get("enabled", True)),
        example=bool(data.get("example", False)),
        domains=tuple(domains),
        items=tuple(items),
        source=source,
        scales=scales,
    )


def read_file(path: Path) -> Questionnaire:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise DefinitionError([f"{path.name}: this is not valid YAML{where}."]) from None
    except (OSError, UnicodeDecodeError):
        raise DefinitionError([f"{path.name}: the file cannot be read as text."]) from None
    return parse(data, path.name)


def definition_files() -> list[Path]:
    folders = [BUILT_IN, *map(Path, getattr(settings, "QUESTIONNAIRE_DIRS", []))]
    found = []
    for folder in folders:
        for pattern in ("*.yaml", "*.yml", "*.json"):
            found.extend(sorted(folder.glob(pattern)))
    return found


def check_all() -> tuple[list[Questionnaire], list[str]]:
    """Every definition, and every problem found (nothing raised)."""
    good: list[Questionnaire] = []
    problems: list[str] = []
    for path in definition_files():
        try:
            good.append(read_file(path))
        except DefinitionError as error:
            problems.extend(error.problems)
    slugs = [q.slug for q in good]
    for slug in sorted({s for s in slugs if slugs.count(s) > 1}):
        problems.append(f"Two files use the slug '{slug}': each questionnaire needs its own.")
    return good, problems


@functools.cache
def load_all() -> dict[str, Questionnaire]:
    """The questionnaires in use, by slug. A broken file stops this (and the check command says
    why), so nobody is asked a half-read questionnaire."""
    good, problems = check_all()
    if problems:
        raise DefinitionError(problems)
    return {q.slug: q for q in good}


def get(slug: str) -> Questionnaire:
    return load_all()[slug]


SELF_CHECK = "how-things-are"


def self_check() -> Questionnaire:
    return get(SELF_CHECK)
