"""The word filters read text the way people write it (TRUST.md 13), measured on a corpus.

The figures line is printed at the end of every pytest run that includes this file
(tests/chat/conftest.py, pytest_terminal_summary), and by bench/filters.py.
"""

import pytest

from chat import filters
from tests.chat import filter_corpus

DEFAULTS = [(p, a) for a, phrases in filters.DEFAULT_FILTERS.items() for p in phrases]
FIGURES: dict[str, float] = {}


def verdict(text):
    return filters.check(text, DEFAULTS)


def test_corpus_is_large_and_labelled():
    sizes = {k: len(v) for k, v in filter_corpus.CORPUS.items()}
    assert sum(sizes.values()) >= 300
    assert min(sizes.values()) >= 60


def test_recall_and_false_positives_meet_the_targets():
    figures, misses = filter_corpus.measure(filters.check, DEFAULTS)
    FIGURES.update(figures)
    assert figures["contact"] >= 0.95, misses["contact"]
    assert figures["crisis"] >= 0.95, misses["crisis"]
    assert figures["dealing"] >= 0.9, misses["dealing"]
    assert figures["innocent"] <= 0.02, misses["innocent"]


@pytest.mark.parametrize(
    "text",
    [
        "selling coke",
        "s e l l i n g c o k e",
        "s3lling c0ke",
        "selling-coke",
        "sellllling cokeee",
        "s\u0435lling c\u043eke",  # Cyrillic е and о
        "sel\u200bling co\u200dke",  # zero-width space and joiner
        "ＳＥＬＬＩＮＧ ＣＯＫＥ",  # full-width letters (NFKC)
    ],
)
def test_evasions_of_a_blocked_phrase_are_blocked(text):
    result = verdict(text)
    assert result.block
    assert result.rules


def test_drug_emoji_with_a_sale_are_blocked_but_emoji_alone_are_not():
    assert verdict("🍃❄️💊 dm for menu").block
    assert not verdict("I love the autumn leaves 🍃").flagged
    assert not verdict("remember your meds 💊").flagged


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("oh seven seven double oh nine double oh one two three", "a phone number"),
        ("o77oo 9oo l23", "a phone number"),
        ("07700 900 123", "a phone number"),
        ("jay at gmail dot com", "an e-mail address"),
        ("jay.k@gmail.com", "an e-mail address"),
        ("add me on insta @jay_k", "a social media name"),
        ("snap me, its daz_88", "a social media name"),
        ("www.jaysite.co.uk", "a link"),
    ],
)
def test_contact_details_are_found_however_written(text, what):
    assert filters.contact_detail(text) == what
    assert verdict(text).hold_reason == what


@pytest.mark.parametrize(
    "text",
    [
        "meet up at the NA meeting",
        "see you at the NA meeting tonight",
        "90 days clean",
        "clean in 2019, 2020, 2021 and 2022",
        "NA helpline 0300 999 1212",
        "AA 0800 9177 650",
        "Samaritans on 116 123",
        "had a drink of water",
        "I used to sell coke, never again",
    ],
)
def test_safe_recovery_words_pass(text):
    result = verdict(text)
    assert not result.flagged, result.rules


@pytest.mark.parametrize(
    "text",
    ["I don't want to be here anymore", "ending my life", "I OD'd", "overdose", "kill myself",
     "k1ll mys3lf", "su1c1dal"],
)  # fmt: skip
def test_crisis_words_are_found(text):
    assert verdict(text).crisis


def test_a_drink_of_water_is_not_a_lapse_but_a_drink_is():
    assert not verdict("had a drink of water").support
    assert verdict("I had a drink last night").support


def test_moderators_phrases_match_with_the_same_reading():
    words = [("blue bananas", "hold")]
    assert filters.check("b l u e  b-a-n-a-n-a-s", words).hold_reason == "word list"
    assert filters.check("blu3 bananas", words).matched == ["blue bananas"]


# The check is on every message's path (TRUST.md 13): the word list is screened with one pattern
# per form, and the built-in rules are one pattern each. Whatever the text, that gives the same
# answers as trying every phrase and every rule one by one.
_TEXTS = [m for messages in filter_corpus.CORPUS.values() for m in messages]
_PHRASE_LISTS = [
    tuple(p for p, _a in DEFAULTS),
    ("blue bananas", "sellin g", "a+b (c)", "x", "dot.com", "1337", "ünïcödé", "!!!"),
]


@pytest.mark.parametrize("phrases", _PHRASE_LISTS, ids=["defaults", "odd"])
def test_the_word_list_screen_passes_only_what_no_phrase_is_in(phrases):
    from chat.filters import _phrase_in, _screen

    screen = _screen(phrases)
    extra = ["b l u e  b-a-n-a-n-a-s", "sellin g now", "a+b (c) here", "x", "go to dot.com"]
    for text in _TEXTS + extra:
        reading = filters.read(text)
        found = any(_phrase_in(reading, phrase) for phrase in phrases)
        assert screen.may_match(reading) == found, text


def test_the_rules_in_one_pattern_match_where_one_of_them_does():
    from chat.filters import rules

    for text in _TEXTS:
        reading = filters.read(text)
        for form in (reading.words, reading.squeezed, reading.words_l, reading.plain):
            assert bool(rules._CRISIS_ANY.search(form)) == any(
                p.search(form) for p in rules._CRISIS
            ), text
            assert bool(rules._DEALING_ANY.search(form)) == any(
                p.search(form) for p in rules._DEALING
            ), text
            assert bool(rules._HANDLE_WORDS_ANY.search(form)) == any(
                p.search(form) for p in rules._HANDLE_WORDS
            ), text
