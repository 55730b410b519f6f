"""Mobile numbers: what people type ("07123 456789") stored one way, E.164 ("+447123456789"),
so a reply from Twilio finds the person whose number it is."""

from __future__ import annotations

import phonenumbers

REGION = "GB"
UK_COUNTRY_CODE = 44
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def uk_mobile(raw: str) -> str | None:
    """The number in E.164 when ``raw`` is a UK mobile number (the Channel Islands and the Isle of
    Man share +44), else None."""
    try:
        number = phonenumbers.parse(str(raw or "").strip(), REGION)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != UK_COUNTRY_CODE or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164(raw: str) -> str:
    """Any number as E.164 where it parses (a sender's number from Twilio already is), else the
    digits and a leading + as given."""
    text = str(raw or "").strip()
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in text if ch.isdigit() or ch == "+")[:20]
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[:20]


def national(number: str) -> str:
    """ "+447123456789" as people write it: "07123 456789"."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, REGION)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
