"""Which electronic-passport data a passport service asks for, and the checks on that data.

The catalogue's passport services differ in what they need: a renewal needs the current passport's
number and expiry; a replacement of a lost or damaged passport needs the reason (and, for a lost
one, the police report); a first passport needs neither. These are keyed by the catalogue's stable
service codes (the same codes the API and the booking pages use); any other passport service gets
the personal data with the old passport asked for but optional.

The checks here are plain functions on plain values; the service layer turns their codes into
translated messages.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class PassportForm:
    asks_old_passport: bool = True
    old_passport_required: bool = False
    asks_replacement_reason: bool = False


FORMS = {
    "paspor-baru": PassportForm(asks_old_passport=False),
    "paspor-ganti": PassportForm(old_passport_required=True),
    "paspor-hilang-rusak": PassportForm(asks_replacement_reason=True),
}
DEFAULT_FORM = PassportForm()


def form_for(service_code: str) -> PassportForm:
    return FORMS.get(service_code, DEFAULT_FORM)


# Letters the passport's visual zone prints: Latin capitals, with spaces, hyphens and apostrophes
# between words. Anything else must first be transliterated (ICAO 9303 part 3).
PRINTED_NAME = re.compile(r"^[A-Z]+(?:[ '\-][A-Z]+)*$")
MAX_NAME = 60  # the civil registry's longest name (the MRZ truncates beyond 39, with a warning)


def printed_name(raw: str) -> str:
    """Upper-case, trimmed, spaces collapsed, in NFC (the caller checks ``is_printable``)."""
    return unicodedata.normalize("NFC", " ".join((raw or "").split())).upper()


def is_printable(name: str) -> bool:
    return bool(PRINTED_NAME.match(name))


def birth_date_problem(value: dt.date | None, today: dt.date) -> str | None:
    if value is None:
        return "required"
    if value > today:
        return "future"
    if value.year < 1900:
        return "too_old"
    return None
