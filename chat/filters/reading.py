"""Reading a message the way people write it: the forms that the filters match against.

See the package's docstring (chat/filters/__init__.py) for what each form is for.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# --- Reading the text ---------------------------------------------------------------------------

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
# Digits and symbols that stand for letters inside a word.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s",
     "€": "e", "£": "l", "!": "i", "|": "i", "+": "t"}
)  # fmt: skip
_LEET_L = {**_LEET, ord("1"): "l", ord("|"): "l"}


@functools.cache
def _confusables() -> dict[str, str]:
    """Non-Latin characters that look like a Latin letter or digit, and that letter."""
    import confusable_homoglyphs

    path = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    table: dict[str, str] = {}
    for char, glyphs in json.loads(path.read_text(encoding="utf-8")).items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            target = glyph["c"]
            if len(target) == 1 and target.isascii() and target.isalnum():
                table[char] = target.lower()
                break
    return table


def normalise(text: str) -> str:
    """NFKC, case folded, invisible characters gone, look-alike letters Latin, one space."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    table = _confusables()
    text = "".join(table.get(c, c) for c in text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip()


def _join_spelled(tokens: list[str]) -> list[str]:
    """Runs of three or more one-letter tokens ("s e l l i n g") joined into one word. An empty
    token (punctuation) ends a run."""
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if len(run) >= 3:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if token:
            out.append(token)
    return out


def _squeeze(text: str) -> str:
    return re.sub(r"([a-z])\1+", r"\1", text)


@dataclass(frozen=True)
class Reading:
    """The forms a message is matched in (see the module's docstring)."""

    plain: str
    words: str
    squeezed: str
    joined: str  # the words with no spaces (for words spelled with gaps in them: "sel ling")
    digits: str
    # The words again with "1" read as "l" rather than "i" ("se11ing").
    words_l: str
    emoji: frozenset[str]


def read(text: str) -> Reading:
    plain = normalise(text)
    words = _words(plain, _LEET)
    squeezed = _squeeze(words)
    return Reading(
        plain=plain,
        words=words,
        squeezed=squeezed,
        joined=_squeeze(words.replace(" ", "")),
        digits=_digit_reading(plain),
        # The two tables differ only for "1" and "|": without them the words read the same.
        words_l=_words(plain, _LEET_L) if "1" in plain or "|" in plain else words,
        emoji=frozenset(c for c in plain if unicodedata.category(c) == "So"),
    )


def _words(plain: str, leet: dict) -> str:
    # Letters with the digits and symbols inside them; "." and "-" inside a word go ("s.e.l.l",
    # "c-o-k-e" are spelled with gaps); other punctuation ends a word and a run of spelled letters.
    spaced = _GAP_IN_WORD.sub(" ", plain)
    tokens = []
    for token in _TOKEN.findall(spaced):
        if _LETTER.search(token):
            token = token.translate(leet)
        tokens.append(_NOT_WORD.sub("", token.strip("'")))
    words = " ".join(_join_spelled(tokens))
    for safe in _SAFE_PHRASES:
        words = safe.sub(" ", words)
    return _SPACES.sub(" ", words).strip()


_GAP_IN_WORD = re.compile(r"(?<=\w)[.\-*~](?=\w)")
_TOKEN = re.compile(r"[a-z0-9@$€£!|+'_]+|[^\sa-z0-9]")
_LETTER = re.compile(r"[a-z]")
_NOT_WORD = re.compile(r"[^a-z0-9_]")
_SPACES = re.compile(r" +")


# --- Safe recovery words ------------------------------------------------------------------------

_MEETING = (
    r"(?:na|aa|ca|cma|smart|recovery|meeting|meetings|group|session|hub|centre|center|church)"
)
_SAFE_PHRASES = [
    re.compile(p)
    for p in (
        # Meeting at a recovery meeting, or the people in it.
        rf"\b(?:meet|meets|meeting|see) (?:up |me |you )?(?:at|after|before|outside) (?:the )?"
        rf"(?:\w+ )?{_MEETING}\b",
        r"\bmeet up every \w+\b",
        r"\b(?:my )?sponsor and i meet up\b",
        r"\bthe meet up\b",
        # A drink of something that is not alcohol.
        r"\bhad a drink of (?:water|tea|coffee|squash|pop|juice|milk|lemonade|coke|cola|hot "
        r"chocolate)\b",
        # Recovery stories in the past tense: what someone did, not what they offer.
        r"\b(?:i )?(?:used to|was|were) (?:a )?(?:sell|selling|plug|dealing|deal)\b"
        r"(?: \w+){0,3}",
        r"\b(?:nicked|done|went down|inside|sent down|arrested|convicted) for selling(?: \w+)?",
        # Looking back on a crisis that has passed.
        r"\b(?:i )?(?:wanted|used) to die back then\b",
        r"\bwhen i felt suicidal\b",
        r"\boverdose awareness\b",
        r"\b(?:lost|died of|died from) (?:\w+ ){0,2}(?:to )?(?:an |a )?overdose\b",
        r"\bafter (?:two|three|\d+|several|a few|many) overdoses\b",
    )
]


# --- Numbers ------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_REPEAT_WORDS = {"double": 2, "treble": 3, "triple": 3}
_HUNDRED = {"hundred": "00", "thousand": "000"}


def _digit_reading(plain: str) -> str:
    """Number words as digits, and letters that stand in for digits inside a number as digits."""
    out: list[str] = []
    repeat = 1
    for token in re.findall(r"[a-z0-9|]+|[^a-z0-9|\s]", plain):
        if token in _REPEAT_WORDS:
            repeat = _REPEAT_WORDS[token]
            continue
        if token in _NUMBER_WORDS:
            out.append(_NUMBER_WORDS[token] * repeat)
        elif token in _HUNDRED and out and out[-1].isdigit():
            out.append(_HUNDRED[token])
        elif re.fullmatch(r"[0-9oil|]+", token) and any(c.isdigit() for c in token):
            out.append(token.translate(str.maketrans("oil|", "0111")))
        else:
            if token.isdigit() or not re.fullmatch(r"[().+\-]", token):
                out.append(token if token.isdigit() else f" {token} ")
            else:
                out.append(token)
        repeat = 1
    # Digits separated only by spaces, commas, dots, dashes or brackets are one number.
    text = " ".join(out)
    return re.sub(r"(?<=[\d)])[\s,.\-()]+(?=[\d(])", "", text)


_PHONE = re.compile(r"(?<![\d])(?:\+|00)?\d{10,13}(?!\d)")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _phone_numbers(reading: Reading, allowed: frozenset[str]) -> list[str]:
    found = []
    for match in _PHONE.finditer(reading.digits):
        number = match.group().lstrip("+")
        if number in allowed or number.lstrip("0") in {n.lstrip("0") for n in allowed}:
            continue
        # UK numbers start 0 (or 44, or 0044); people drop the 0 of a mobile (7…).
        if number.startswith(("0", "44", "7")) or match.group().startswith("+"):
            found.append(number)
    return found
