"""Explain known acronyms in place with ``<abbr title="…">``.

The term list is read once and cached; rendering a page costs no query for it. A term is explained
at its first appearance in each piece of text, never inside a link, another abbr or a tag.
"""

from __future__ import annotations

import re

from django.core.cache import cache
from django.utils.html import escape

CACHE_KEY = "glossary:terms:v1"
_TAG = re.compile(r"(<[^>]*>)")


def terms() -> dict[str, str]:
    found = cache.get(CACHE_KEY)
    if found is None:
        from cms.models import GlossaryTerm

        found = dict(GlossaryTerm.objects.values_list("acronym", "meaning"))
        cache.set(CACHE_KEY, found, 60 * 60)
    return found


def forget_terms() -> None:
    cache.delete(CACHE_KEY)


def explain_acronyms(html: str, known: dict[str, str] | None = None) -> str:
    known = terms() if known is None else known
    if not known or not html:
        return html
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(a) for a in sorted(known, key=len, reverse=True))
        + r")(?![\w-])"
    )
    explained: set[str] = set()
    skip_depth = 0
    parts = _TAG.split(str(html))
    for i, part in enumerate(parts):
        if part.startswith("<"):
            name = (
                part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(part) > 2 else ""
            )
            if name in ("a", "abbr", "script", "style", "code"):
                skip_depth += -1 if part.startswith("</") else 1
                skip_depth = max(skip_depth, 0)
            continue
        if skip_depth:
            continue

        def replace(match):
            acronym = match.group(1)
            if acronym in explained:
                return acronym
            explained.add(acronym)
            return f'<abbr title="{escape(known[acronym])}">{acronym}</abbr>'

        parts[i] = pattern.sub(replace, part)
    return "".join(parts)
