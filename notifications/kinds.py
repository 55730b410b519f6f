"""What Alongside tells people: each kind of notice is declared once, here or in a domain app's
``notices.py`` (imported from its ``AppConfig.ready``).

A kind says what it is about (its label on the preferences page), which channels it may use
besides the inbox (every notice is in the inbox), whether the person may switch those off, whether
it is urgent (urgent notices ignore quiet hours), and whether it waits for an answer (shown on
Today until the domain calls ``notifications.resolve``), and whether it is about the account itself
(``account_email``: an invitation to choose a password, sent to the account's e-mail address
whatever channels the person picked, its words shown in full as they name nothing private). Its
words are one template with the blocks ``title`` (one line), ``body`` (plain text), ``action``
(the link's words) and optionally ``sms`` (a short text; the title is used when it is missing) and
``replies`` (what a text reply can say).
"""

from __future__ import annotations

from dataclasses import dataclass

EMAIL = "email"
SMS = "sms"
PUSH = "push"
CHANNELS = (EMAIL, SMS, PUSH)
CHANNEL_LABELS = {EMAIL: "E-mail", SMS: "Text message", PUSH: "Phone notification"}


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    template: str
    channels: tuple[str, ...] = (EMAIL, SMS, PUSH)
    optional: bool = True
    urgent: bool = False
    needs_answer: bool = False
    # Words that may follow "Reply" in a text: {"YES": "confirm", "NO": "cancel"}; the domain
    # registers a handler for them (notifications.inbound.register_reply_handler).
    replies: tuple[str, ...] = ()
    group: str = "Other"
    # An invitation to an account made for the person: it goes to the account's e-mail address
    # (the only way in before they have a password) and shows its words even when the person
    # keeps details hidden, so its words must name nothing private (no purpose, no names).
    account_email: bool = False

    def __post_init__(self):
        unknown = set(self.channels) - set(CHANNELS)
        if unknown:
            raise ValueError(f"Unknown channels for {self.name}: {sorted(unknown)}")
        if self.account_email and self.channels != (EMAIL,):
            raise ValueError(f"{self.name}: an account e-mail goes by e-mail only")


_KINDS: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    for kind in kinds:
        existing = _KINDS.get(kind.name)
        if existing is not None and existing != kind:
            raise ValueError(f"Notice kind {kind.name!r} is declared twice")
        _KINDS[kind.name] = kind


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No notice kind {name!r}: declare it with kinds.register") from None


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.group, kind.label))
