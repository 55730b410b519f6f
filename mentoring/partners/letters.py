"""A letter to someone still inside: a mentor writes to the mentee they will meet at the gate, and
prints it to post.

The paper carries only what posting it needs and what the mentor chooses to say: the mentee's
name and prison, a line for their prison number (written by hand: we do not keep it), the
mentor's first or chosen name, and the charity's name and postal address as the return address.
Never the mentor's phone, e-mail or surname. The body is not kept: the audit trail says a letter
was made, not what it said.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from accounts import audit
from accounts.models import User
from mentoring.models import Match
from mentoring.permissions import MENTOR_WORKING, is_coordinator

MAX_BODY = 4000
# A Unicode font where the machine has one (Debian's fonts-dejavu-core); otherwise a core PDF
# font, with what it cannot print turned into its nearest plain letters.
FONT_PATHS = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
]
PLAIN_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u2022": "-",
        "\u00a0": " ",
        "\u0141": "L",
        "\u0142": "l",
        "\u0110": "D",
        "\u0111": "d",
    }
)


def first_name(user: User) -> str:
    """The first word of the name the person chose to be known by."""
    words = (user.display_name or "").split()
    return words[0] if words else _("Your mentor")


def still_inside(match: Match, today: date | None = None) -> bool:
    release = match.referral.release_date
    return release is not None and release > (today or timezone.localdate())


def can_write(user: User, match: Match, today: date | None = None) -> bool:
    """The match's mentor (or a coordinator) while the match is under way, and only while the
    mentee has a release date still to come."""
    if not still_inside(match, today) or match.status not in MENTOR_WORKING:
        return False
    return is_coordinator(user) or match.mentor_id == user.pk


def template_for(match: Match) -> str:
    """A short start in plain words: who I am, what happens at the gate, that I will be there."""
    return _(
        "Hello %(mentee)s,\n\n"
        "My name is %(mentor)s. I am a peer mentor with %(organisation)s. I have been where you "
        "are now, and I got through it.\n\n"
        "On the day you come out, you will be given your things, and then you walk out through "
        "the gate. I will be there, waiting for you outside. We can get a cup of tea, and I can "
        "go with you to your first appointments if you would like that.\n\n"
        "You do not have to do this on your own. I will be there.\n\n"
        "See you soon,\n%(mentor)s"
    ) % {
        "mentee": first_name(match.mentee),
        "mentor": first_name(match.mentor),
        "organisation": settings.ORGANISATION_NAME,
    }


def clean_body(body: str) -> str:
    """What the mentor wrote, as the letter prints it; a plain message if it cannot be used."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    body = "".join(ch for ch in body if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Please write your letter.")})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": _("Please keep the letter under %(n)s characters.") % {"n": MAX_BODY}}
        )
    return body


def return_address() -> list[str]:
    lines = [settings.ORGANISATION_NAME]
    address = (settings.ORGANISATION_ADDRESS or "").replace("\r", "")
    parts = address.split("\n") if "\n" in address else address.split(",")
    lines += [part.strip() for part in parts if part.strip()]
    return lines


def _latin1(text: str) -> str:
    """Text a core PDF font can print: curly quotes made straight, accents kept where Latin-1
    has them, otherwise the plain letter (or "?")."""
    text = text.translate(PLAIN_PUNCTUATION)
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            plain = "".join(c for c in plain if not unicodedata.combining(c))
            out.append(plain or "?")
        else:
            out.append(ch)
    return "".join(out)


class _Letter(FPDF):
    def __init__(self):
        super().__init__(format="A4")
        self.set_margins(25, 20, 25)
        self.set_auto_page_break(True, margin=25)
        font = next((path for path in FONT_PATHS if path.is_file()), None)
        if font is not None:
            self.add_font("Letter", "", str(font))
            self.letter_font, self.printable = "Letter", str
        else:
            self.letter_font, self.printable = "Helvetica", _latin1
        self.set_font(self.letter_font, size=12)
        self.set_title(self.printable(_("A letter")))

    def lines(self, lines: list[str], *, align: str = "L", size: int = 12, gap: float = 6):
        self.set_font(self.letter_font, size=size)
        for line in lines:
            self.multi_cell(
                0, gap, self.printable(line), align=align, new_x="LMARGIN", new_y="NEXT"
            )


def letter_pdf(*, match: Match, body: str, today: date | None = None) -> bytes:
    """The printable letter. ``body`` has been cleaned (``clean_body``)."""
    today = today or timezone.localdate()
    referral = match.referral
    pdf = _Letter()
    pdf.add_page()
    pdf.lines(return_address(), align="R", size=10, gap=5)
    pdf.ln(4)
    pdf.lines([date_format(today, "j F Y")], align="R", size=10, gap=5)
    pdf.ln(8)
    to = [match.mentee.display_name, _("Prison number: ____________")]
    if referral.prison:
        to.append(referral.prison)
    pdf.lines(to)
    pdf.ln(10)
    pdf.lines(body.split("\n"))
    pdf.ln(10)
    pdf.lines(
        [
            _("If this letter cannot be delivered, please return it to:"),
            ", ".join(return_address()),
        ],
        size=9,
        gap=4.5,
    )
    return bytes(pdf.output())


def make_letter(*, match: Match, by: User, body: str) -> bytes:
    """Make the printable letter and audit that it was made (never what it says).

    Preconditions: ``by`` is the match's mentor while they work together, or a coordinator; the
    mentee's release date is still to come.
    """
    if not can_write(by, match):
        raise PermissionDenied
    pdf = letter_pdf(match=match, body=clean_body(body))
    audit.record(actor=by, action="letter.made", target=match, subject=match.mentee)
    return pdf
