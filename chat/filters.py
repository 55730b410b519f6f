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
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

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

# Numbers anyone may share: helplines (digits only). The chat adds settings.CRISIS_SUPPORT_LINES.
SAFE_NUMBERS = frozenset(
    {
        "03009991212",  # Narcotics Anonymous (NA) helpline
        "08009177650",  # Alcoholics Anonymous (AA) helpline
        "116123",  # Samaritans
        "08007766600",  # Talk to Frank
        "111",
        "999",
    }
)

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
        words_l=_words(plain, _LEET_L),
        emoji=frozenset(c for c in plain if unicodedata.category(c) == "So"),
    )


def _words(plain: str, leet: dict) -> str:
    # Letters with the digits and symbols inside them; "." and "-" inside a word go ("s.e.l.l",
    # "c-o-k-e" are spelled with gaps); other punctuation ends a word and a run of spelled letters.
    spaced = re.sub(r"(?<=\w)[.\-*~](?=\w)", " ", plain)
    tokens = []
    for token in re.findall(r"[a-z0-9@$€£!|+'_]+|[^\sa-z0-9]", spaced):
        if re.search(r"[a-z]", token):
            token = token.translate(leet)
        tokens.append(re.sub(r"[^a-z0-9_]", "", token.strip("'")))
    words = " ".join(_join_spelled(tokens))
    for safe in _SAFE_PHRASES:
        words = safe.sub(" ", words)
    return re.sub(r" +", " ", words).strip()


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


# --- Contact details ----------------------------------------------------------------------------

_TLD = r"(?:com|co|uk|org|net|me|io|info|biz|ly|ee|gg|app|link|page|site|online|xyz)"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_SPOKEN = re.compile(
    r"[\w.+-]+\s*(?:@|\(at\)|\[at\]|\bat\b)\s*(?:gmail|hotmail|outlook|yahoo|icloud|live|aol|"
    r"protonmail|proton|btinternet|sky|mail|[\w-]+\s*(?:\.|\(dot\)|\[dot\]|\bdot\b)\s*"
    + _TLD
    + r")\b"
)
_MAIL_PROVIDER = re.compile(
    r"\b(?:my|add my|email|e-mail|mail)\b.{0,12}\b(?:gmail|hotmail|outlook|yahoo|icloud|"
    r"protonmail)\b"
)
_URL = re.compile(
    r"(?:https?://|www\.|\b[\w-]+(?:\.|\(dot\)| dot )" + _TLD + r"\b(?:\.\w+)?(?:/\S*)?|"
    r"\b(?:bit\.ly|t\.me|linktr\.ee|wa\.me)/)"
)
_SAFE_SITES = re.compile(
    r"(?:https?://)?(?:[\w-]+\.)*(?:ukna\.org|alcoholics-anonymous\.org\.uk|samaritans\.org|"
    r"nhs\.uk|talktofrank\.com|gov\.uk|smartrecovery\.org\.uk)\b(?:/\S*)?"
)
_PLATFORM = r"(?:insta|instagram|ig|snap|snapchat|sc|tiktok|telegram|tele|wickr|kik|discord|" \
    r"whatsapp|whats app|wa|signal|facebook|fb|twitter|x)"  # fmt: skip
_HANDLE_WORDS = [
    # "add me on insta", "find me on snap", "hmu on telegram", "message me on fb"
    re.compile(
        r"\b(?:add|find|follow|message|msg|dm|hmu|hit me up|text|chat|snap|contact|reach|ring|"
        r"call|signal|wa|whatsapp|search)\b(?: me| us)?(?: up)? (?:on|at|via) (?:my )?"
        + _PLATFORM
        + r"\b"
    ),
    # "insta is jay", "my snap: daz", "ig: sober", "telegram: jk"
    re.compile(r"\b(?:my )?" + _PLATFORM + r"(?:'s| is| name is| name| handle| id|:| -)\s*\S"),
    # "snap me", "whatsapp me", "kik me", "signal me"
    re.compile(
        r"\b(?:snap|snapchat|whatsapp|whats app|kik|wickr|telegram|signal|wa|insta|dm) me\b"
    ),
    # The apps people move a conversation to, named at all.
    re.compile(r"\b(?:snapchat|instagram|wickr|telegram|kik|tiktok)\b"),
    re.compile(r"\b(?:insta|ig|snap|sc) (?:is |@ ?)?[a-z0-9_.]*[0-9_.][a-z0-9_.]*\b"),
    re.compile(r"\b(?:insta|instagram|ig|snap|snapchat|tiktok|fb|facebook) [a-z]+(?:_|\.)[a-z0-9]"),
    re.compile(r"\binsta [a-z]{4,}\b"),
]
_AT_HANDLE = re.compile(r"(?<![\w.])@ ?[a-z0-9_][a-z0-9_.]{2,}")
_DISCORD = re.compile(r"\b\w+#\d{4}\b")
_ADDRESS = re.compile(
    r"\b\d{1,4}[a-z]?,?\s+(?:[a-z']+\s+){1,3}"
    r"(?:street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|crescent|terrace|court|place|"
    r"grove|gardens|row|walk|hill|square|mews)\b"
)
_POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b")
_PRIVATE = re.compile(
    r"\b(?:send|give|dm|text|pm) (?:me )?(?:you )?(?:your|my) (?:number|digits|mobile|email)\b|"
    r"\bi'?ll give you my (?:number|digits|mobile|email)\b|\bmy (?:number|num|digits|mobile)\b"
)


def contact_detail(text: str, allowed_numbers: frozenset[str] = frozenset()) -> str:
    """A plain name for the contact details found in ``text`` (boundaries policy), or "".

    ``allowed_numbers`` (digits only) are numbers anyone may share, with SAFE_NUMBERS.
    """
    return _contact(read(text), SAFE_NUMBERS | allowed_numbers)[0]


def _contact(reading: Reading, allowed: frozenset[str]) -> tuple[str, str]:
    """(plain name, rule) of contact details in the reading, or ("", "")."""
    plain = reading.plain
    # "jay at gmail dot com" → "jay@gmail.com": e-mail and links as the reader would see them.
    spoken = re.sub(r"\s*(?:\(dot\)|\[dot\]|\bdot\b)\s*", ".", plain)
    spoken = re.sub(r"\s*(?:\(at\)|\[at\])\s*", "@", spoken)
    spoken = re.sub(r"\s*@\s*", "@", spoken)
    squashed = re.sub(r"(?<=\S) (?=\S( |$))", "", spoken)  # "k e l l y" → "kelly"
    for text in (spoken, squashed):
        if _EMAIL.search(text) or _EMAIL_SPOKEN.search(text):
            return "an e-mail address", "contact:email"
    if _MAIL_PROVIDER.search(plain):
        return "an e-mail address", "contact:email"
    if _phone_numbers(reading, allowed):
        return "a phone number", "contact:phone"
    if _URL.search(_SAFE_SITES.sub(" ", spoken)):
        return "a link", "contact:link"
    if (
        _AT_HANDLE.search(plain)
        or _DISCORD.search(plain)
        or any(p.search(t) for p in _HANDLE_WORDS for t in (reading.words, plain))
    ):
        return "a social media name", "contact:handle"
    if _ADDRESS.search(plain) or _POSTCODE.search(plain):
        return "an address", "contact:address"
    if _PRIVATE.search(reading.words):
        return "a phone number", "contact:private"
    return "", ""


# Kept for callers that ask only about contact details.
boundary_issue = contact_detail


# --- Dealing ------------------------------------------------------------------------------------

_DRUGS = (
    r"(?:coke|cocaine|charlie|crack|white|snow|gear|smack|brown|heroin|ket|ketamine|spice|mamba|"
    r"bud|weed|green|skunk|hash|pills|bars|xans|xanax|benzos|vallies|valium|diazepam|pregabs|"
    r"pregabalin|subs|subutex|methadone|mdma|molly|mandy|pingers|tabs|acid|shrooms|oxy|oxys|"
    r"fent|fentanyl|tramadol|zopis|zopiclone|lean|meth|speed|bits)"
)
_SALE = (
    r"(?:for sale|4 sale|forsale|available|going cheap|going spare|going|in stock|on tick|cheap|"
    r"dm|dms|pm|hmu|hit me up|message me|menu|prices|delivery|drop off|discreet|each|a g|a bag|"
    r"per g|plenty|loads|in|who wants|if anyone needs|if anyone wants|if anyone s after it|"
    r"if anyone needs sorting)"
)
_DEALING = [
    re.compile(p)
    for p in (
        rf"\b(?:sel+ing|sel+in|seln|sel+|selin)\b(?: \w+){{0,2}} {_DRUGS}\b",
        rf"\b(?:sel+ing|sel+in|seln)(?:my )?{_DRUGS}\b",  # "sellingcoke" spelled out
        rf"\b{_DRUGS}\b(?: \w+){{0,3}} {_SALE}\b",
        rf"\bgot (?:a |some |that |loads of |plenty of |a q of |an? \w+ of )?{_DRUGS}\b",
        rf"\b(?:anyone|who|whos|who s) (?:want|wants|needs|after|selling|s got|has got|got)\b"
        rf"(?: \w+){{0,2}} {_DRUGS}\b",
        r"\b(?:anyone|who s|whos) selling\b",
        r"\b(?:where|who) (?:can i|to|do i) (?:get|score|buy)\b",
        r"\bwhere can i get some\b",
        r"\banyone know where (?:i can|to) (?:score|get|buy)\b",
        rf"\b(?:looking for|need|after) (?:some |a )?(?:{_DRUGS}|plug)\b(?: \w+){{0,2}} "
        r"(?:anyone|round here|in \w+)\b",
        r"\bneed a plug\b",
        r"\b(?:i can |can )?(?:hook you up|sort you out)\b",
        r"\bi can get you some\b",
        r"\b(?:good|fast|easy) (?:money|pay)\b.*\b(?:dm|message|runners|work)\b",
        r"\bneed runners\b",
        r"\bcounty lines\b",
        r"\b(?:drop off|delivery)\b.*\b(?:cash|dm|tonight|areas)\b",
        rf"\b(?:8ths|eighths|q|oz|half|ounce|tenner|score) (?:of )?{_DRUGS}\b",
        rf"\b{_DRUGS} (?:£|\d)",
        r"\bplug\b.*\b(?:dm|prices|menu|here)\b",
        rf"\bmy plug\b(?: \w+){{0,3}} (?:{_DRUGS}|going|loads)\b",
        r"\b(?:fresh|new) batch\b",
        r"\b(?:c o k e|g e a r|w e e d|x a n s)\b",
    )
]
# Uses of the drug words above that are not dealing.
_NOT_DEALING = re.compile(
    r"\b(?:on|my|the) (?:subs|methadone|script)\b(?! (?:for sale|available|going|dm))|"
    r"\bselling (?:my old|cakes|cake|tickets|bikes)\b|\bgoing (?:down|to)\b|"
    r"\bgreen tea\b|\bwhite christmas\b|\bbrown bread\b|\bin stock\b(?=.*\bshop\b)"
)
_DRUG_EMOJI = frozenset("🍃🌿❄💊🍄💉🥦☃⛄🍁🔌💨🌱🍚🧊")
_SALE_EMOJI_WORDS = re.compile(
    r"\b(?:for sale|4 sale|dm|dms|hmu|hit me up|menu|prices|available|in stock|got|selling|"
    r"sale|£\d+|\d+ each)\b|£\d"
)


def _dealing(reading: Reading) -> str:
    """The rule that reads the message as dealing drugs, or ""."""
    forms = []
    for words in (reading.words, reading.words_l):
        words = _NOT_DEALING.sub(" ", words)
        forms += [words, _squeeze(words)]
    for pattern in _DEALING:
        if any(pattern.search(form) for form in forms):
            return "dealing:slang"
    if reading.emoji & _DRUG_EMOJI and _SALE_EMOJI_WORDS.search(reading.plain):
        return "dealing:emoji"
    return ""


# --- Crisis and lapses --------------------------------------------------------------------------

_CRISIS = [
    re.compile(p)
    for p in (
        r"\bki?l+(?:ing)? my ?self\b",
        r"\bk ?m ?s\b",
        r"\b(?:end|ending|take|taking) (?:my|my own) life\b",
        r"\b(?:end|ending) it all\b",
        r"\b(?:to|gonna|going to|wanna|will|ll|i) end it\b",
        r"\b(?:end|ending) things\b",
        r"\bwant(?:s|ed)? (?:to )?(?:die|be dead|d ie)\b",
        r"\bwanna (?:die|be dead)\b",
        r"\bwish (?:i was|i were|i d never been born|i was never born|i d) (?:dead|born|die)",
        r"\bwish i was dead\b",
        r"\bwish i ?d never been born\b",
        r"\bd(?:on)?'?t (?:want|wanna|wana) (?:to )?(?:be here|be alive|live|wake up)\b",
        r"\bdont (?:want|wanna) (?:to )?(?:be here|be alive|live|wake up)\b",
        r"\bnot (?:want|wanting) to be (?:here|alive)\b",
        r"\bhope i don ?t wake up\b",
        r"\bsu ?i ?c ?i ?d(?:e|al)\b",
        r"\bsewer ?slide\b",
        r"\bunaliv(?:e|ing)\b",
        r"\b(?:over ?dose|over ?dosed|overdosing|o ?d ?d|od|oded|o ?d ?ing)\b",
        r"\b(?:take|taking|took|taken) (?:all|too many|loads of|all of) (?:my )?"
        r"(?:pills|tablets|meds)\b",
        r"\b(?:enough|all my) (?:pills|tablets) (?:saved|stored)\b",
        r"\bno (?:reason|point) (?:to )?(?:live|living|go on)\b",
        r"\bnothing to live for\b",
        r"\bbetter off (?:dead|without me)\b",
        r"\blife'?s? (?:is )?not worth living\b",
        r"\bcan ?t go on\b",
        r"\bself ?harm(?:ing)?\b",
        r"\bcutting myself\b",
        r"\b(?:hurt|hurting|hurted) myself\b",
        r"\bhang myself\b",
        r"\bthe rope\b",
        r"\bjump off (?:the |a )?(?:bridge|roof|building|car park)\b",
        r"\bgoodbye everyone\b",
        r"\bmy last message\b",
        r"\bwritten (?:my|a) (?:suicide )?note\b",
        r"\bdisappear forever\b",
        r"\bdone with life\b",
        r"\bwant it to stop for good\b",
        r"\bwant out for good\b",
        r"\bnight i end it\b",
    )
]


def _crisis(reading: Reading) -> str:
    for text in (reading.words, reading.squeezed, reading.words_l):
        if any(p.search(text) for p in _CRISIS):
            return "crisis:phrase"
    return ""


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


@functools.lru_cache(maxsize=2048)
def _phrase_form(phrase: str) -> Reading:
    return read(phrase)


def _phrase_in(reading: Reading, phrase: str) -> bool:
    form = _phrase_form(phrase)
    if not form.words:
        return False
    for words in (reading.words, reading.words_l):
        if re.search(rf"(?<!\w){re.escape(form.words)}(?!\w)", words):
            return True
    if re.search(rf"(?<!\w){re.escape(form.squeezed)}(?!\w)", reading.squeezed):
        return True
    # A phrase of some length written with gaps or without spaces ("sel ling co ke").
    joined = form.joined
    return len(joined) >= 9 and joined in reading.joined


def check(
    text: str, filters: list[tuple[str, str]], allowed_numbers: frozenset[str] = frozenset()
) -> Verdict:
    """Check ``text`` against ``filters`` (phrase, action), the built-in rules (dealing, crisis)
    and the boundaries policy (contact details)."""
    verdict = Verdict()
    reading = read(text)
    for phrase, action in filters:
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
