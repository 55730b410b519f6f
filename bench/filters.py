"""Benchmark: recall and false positives of the chat's word filters on a labelled corpus.

    .venv/bin/python bench/filters.py           # add -v to list the messages it gets wrong

The corpus is tests/chat/filter_corpus.py (contact details, dealing, crisis, innocent recovery
talk, written the ways people get round filters). The filter is chat.filters.check with the
default word lists, as a new site installs them. No database. The last line reads
``filters: recall_contact=<r> recall_dealing=<r> recall_crisis=<r> false_positive=<r>``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chat import filters  # noqa: E402
from tests.chat.filter_corpus import CORPUS, figures_line, measure  # noqa: E402


def main() -> int:
    defaults = [(p, a) for a, phrases in filters.DEFAULT_FILTERS.items() for p in phrases]
    started = time.perf_counter()
    figures, misses = measure(filters.check, defaults)
    elapsed = time.perf_counter() - started
    total = sum(len(m) for m in CORPUS.values())
    if "-v" in sys.argv:
        for category, wrong in misses.items():
            for message in wrong:
                sys.stdout.write(f"{category:9} {message!r}\n")
    sys.stdout.write(f"messages={total} ms_per_message={elapsed * 1000 / total:.2f}\n")
    sys.stdout.write(figures_line(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
