"""Explain known acronyms where they are used, in a way a phone can reach.

A hover tooltip (``<abbr title>``) shows nothing to a tap or a screen reader's default reading,
so the first use of an acronym on a page also says what it stands for in the text, linked to its
glossary entry: ``DRR (Drug Rehabilitation Requirement)``. A tap, a click or the keyboard reaches
the plain explanation; no JavaScript is needed. Later uses on the same page are left as written.

The term list is read once and cached; rendering a page costs no query for it. A term is never
explained inside a link, another abbr, code or a tag.
"""

from __future__ import annotations

import re

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import slugify

CACHE_KEY = "glossary:terms:v1"
_TAG = re.compile(r"(<[^>]*>)")
# Set on the request: the acronyms already explained on the page being rendered.
EXPLAINED_ATTR = "_glossary_explained"


def terms() -> dict[str, str]:
    found = cache.get(CACHE_KEY)
    if found is None:
        from cms.models import GlossaryTerm

        found = dict(GlossaryTerm.objects.values_list("acronym", "meaning"))
        cache.set(CACHE_KEY, found, 60 * 60)
    return found


def glossary_url() -> str:
    """A fixed address that leads to the glossary page wherever editors put it (cms.views
    .glossary redirects; a #term-… fragment survives the redirect). Costs no query."""
    return reverse("cms:glossary")


def term_url(acronym: str) -> str:
    return f"{glossary_url()}#term-{slugify(acronym)}"


def forget_terms() -> None:
    cache.delete(CACHE_KEY)


def find_terms(query: str) -> list[dict[str, str]]:
    """Glossary entries for a search: the acronym itself, or words of what it stands for."""
    query = query.strip()
    if not query:
        return []
    known = terms()
    lowered = query.lower()
    found = [
        {"acronym": acronym, "meaning": meaning, "url": term_url(acronym)}
        for acronym, meaning in sorted(known.items())
        if acronym.lower() == lowered or (len(lowered) >= 3 and lowered in meaning.lower())
    ]
    return found


def explained_on(request) -> set[str]:
    """The acronyms explained so far on the page this request renders."""
    if request is None:
        return set()
    explained = getattr(request, EXPLAINED_ATTR, None)
    if explained is None:
        explained = set()
        setattr(request, EXPLAINED_ATTR, explained)
    return explained


def explain_acronyms(
    html: str,
    known: dict[str, str] | None = None,
    *,
    explained: set[str] | None = None,
) -> str:
    """Explain each known acronym the first time it appears (in ``html``, or on the page when
    ``explained`` is the page's set, see ``explained_on``)."""
    known = terms() if known is None else known
    if not known or not html:
        return html
    explained = set() if explained is None else explained
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(a) for a in sorted(known, key=len, reverse=True))
        + r")(?![\w-])"
    )
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
            meaning = escape(known[acronym])
            said = f'<a href="{escape(term_url(acronym))}">{meaning}</a>'
            return (
                f'<abbr title="{meaning}">{acronym}</abbr>'
                f' <span class="term__meaning">({said})</span>'
            )

        parts[i] = pattern.sub(replace, part)
    return "".join(parts)
