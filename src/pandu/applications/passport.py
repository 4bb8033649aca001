"""Which electronic-passport data a passport service asks for, and the checks on that data.

The catalogue's passport services differ in what they need: a renewal needs the current passport's
number and expiry; a replacement of a lost or damaged passport needs the reason (and, for a lost
one, the police report); a first passport needs neither. That is data, per service: the
``applications.ServiceRule`` row (admin: *Aturan permohonan layanan*); a passport service without
one gets the personal data with the old passport asked for but optional.

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


DEFAULT_FORM = PassportForm()


def form_for(service) -> PassportForm:
    """The passport data ``service`` asks for, from its ``ServiceRule`` (or the defaults)."""
    rule = getattr(service, "application_rule", None) if service.pk else None
    if rule is None:
        return DEFAULT_FORM
    return PassportForm(
        asks_old_passport=rule.asks_old_passport or rule.old_passport_required,
        old_passport_required=rule.old_passport_required,
        asks_replacement_reason=rule.asks_replacement_reason,
    )


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
