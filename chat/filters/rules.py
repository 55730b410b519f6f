"""The built-in rules: contact details (the boundaries policy), dealing, crisis and lapses."""

from __future__ import annotations

import re

from chat.filters.reading import Reading, _phone_numbers, _squeeze, read

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
_HANDLE_WORDS_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in _HANDLE_WORDS))
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
        or _HANDLE_WORDS_ANY.search(reading.words)
        or _HANDLE_WORDS_ANY.search(plain)
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


def _any_of(patterns: list[re.Pattern]) -> re.Pattern:
    """One pattern that matches where any of ``patterns`` does (one search, not one each)."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns))


_DEALING_ANY = _any_of(_DEALING)


def _dealing(reading: Reading) -> str:
    """The rule that reads the message as dealing drugs, or ""."""
    for words in dict.fromkeys((reading.words, reading.words_l)):  # each once
        words = _NOT_DEALING.sub(" ", words)
        if _DEALING_ANY.search(words) or _DEALING_ANY.search(_squeeze(words)):
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


_CRISIS_ANY = _any_of(_CRISIS)


def _crisis(reading: Reading) -> str:
    for text in dict.fromkeys((reading.words, reading.squeezed, reading.words_l)):  # each once
        if _CRISIS_ANY.search(text):
            return "crisis:phrase"
    return ""
