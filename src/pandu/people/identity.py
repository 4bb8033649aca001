"""Rules for Indonesian and Canadian identity data, on plain values (no Django import).

NIK (Nomor Induk Kependudukan), the Indonesian population number, has 16 digits:
``PP KK CC DDMMYY NNNN``: province, regency, district, date of birth (day + 40 for women) and
a serial number. Citizens born abroad may have none, so it is optional everywhere in Pandu.

Canadian postal codes are ``A1A 1A1``; the letters D, F, I, O, Q and U never appear and W and Z
never start one. The first letter names the province.

Names: many Indonesians have one name only. A single name is a complete, valid name.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# Province codes of the NIK (BPS/Kemendagri), including the Papua provinces formed in 2022.
NIK_PROVINCE_CODES = frozenset(
    {
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        21,
        31,
        32,
        33,
        34,
        35,
        36,
        51,
        52,
        53,
        61,
        62,
        63,
        64,
        65,
        71,
        72,
        73,
        74,
        75,
        76,
        81,
        82,
        91,
        92,
        93,
        94,
        95,
        96,
        97,
    }
)


@dataclass(frozen=True)
class NikFacts:
    province_code: int
    birth_date_day: int
    birth_month: int
    birth_year_2digits: int
    is_female: bool


class IdentityError(ValueError):
    """Carries a stable ``code`` so callers can pick a translated message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def normalise_nik(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw or "")


def parse_nik(raw: str) -> NikFacts:
    nik = normalise_nik(raw)
    if not re.fullmatch(r"\d{16}", nik):
        raise IdentityError("nik_format")
    province = int(nik[0:2])
    if province not in NIK_PROVINCE_CODES:
        raise IdentityError("nik_province")
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    is_female = day > 40
    if is_female:
        day -= 40
    if not _is_real_date(day, month, year):
        raise IdentityError("nik_date")
    if nik[12:16] == "0000":
        raise IdentityError("nik_serial")
    return NikFacts(province, day, month, year, is_female)


def _is_real_date(day: int, month: int, yy: int) -> bool:
    # The century is unknown from the NIK alone; 2000 is a leap year, so 29 February of any
    # two-digit year divisible by 4 is accepted here and checked against the full birth date.
    try:
        dt.date(2000 + yy, month, day)
    except ValueError:
        return False
    return True


def nik_consistency(
    facts: NikFacts, *, date_of_birth: dt.date | None, sex: str | None
) -> list[str]:
    """Codes of the facts in the NIK that disagree with the given birth date and sex."""
    problems = []
    if date_of_birth is not None and (
        facts.birth_date_day != date_of_birth.day
        or facts.birth_month != date_of_birth.month
        or facts.birth_year_2digits != date_of_birth.year % 100
    ):
        problems.append("nik_birth_date_mismatch")
    if sex in {"F", "M"} and facts.is_female != (sex == "F"):
        problems.append("nik_sex_mismatch")
    return problems


POSTAL_CODE_RE = re.compile(
    r"^([ABCEGHJ-NPRSTVXY])(\d)([ABCEGHJ-NPRSTV-Z]) ?(\d)([ABCEGHJ-NPRSTV-Z])(\d)$"
)

POSTAL_FIRST_LETTER_PROVINCES = {
    "A": {"NL"}, "B": {"NS"}, "C": {"PE"}, "E": {"NB"}, "G": {"QC"}, "H": {"QC"}, "J": {"QC"},
    "K": {"ON"}, "L": {"ON"}, "M": {"ON"}, "N": {"ON"}, "P": {"ON"}, "R": {"MB"}, "S": {"SK"},
    "T": {"AB"}, "V": {"BC"}, "X": {"NT", "NU"}, "Y": {"YT"},
}  # fmt: skip


def normalise_postal_code(raw: str) -> str:
    """``m5v3l9`` -> ``M5V 3L9``; raises ``IdentityError('postal_code_format')``."""
    compact = re.sub(r"\s+", "", (raw or "").upper())
    match = POSTAL_CODE_RE.match(compact)
    if not match:
        raise IdentityError("postal_code_format")
    return f"{compact[:3]} {compact[3:]}"


def postal_code_provinces(code: str) -> set[str]:
    return POSTAL_FIRST_LETTER_PROVINCES.get(code[:1].upper(), set())


NAME_ALLOWED = re.compile(r"^[^\W\d_]+(?:[ '\-.,][^\W\d_]*)*$")


def normalise_name(raw: str) -> str:
    """Trim and collapse spaces; raise ``IdentityError`` when the text is not a person's name.

    Letters of any script, spaces, apostrophes, hyphens, periods and commas (for titles and
    degrees such as ``S.H.``) are allowed. Digits and other symbols are not. One word is enough.
    """
    name = unicodedata.normalize("NFC", " ".join((raw or "").split()))
    if not name:
        raise IdentityError("name_required")
    if len(name) > 100:
        raise IdentityError("name_too_long")
    if not NAME_ALLOWED.match(name):
        raise IdentityError("name_characters")
    return name


PASSPORT_RE = re.compile(r"^[A-Z]{1,2}\d{6,7}$")


def normalise_passport_number(raw: str) -> str:
    """Indonesian passport numbers: one or two letters then six or seven digits (e.g. X1234567)."""
    value = re.sub(r"\s+", "", (raw or "").upper())
    if not PASSPORT_RE.match(value):
        raise IdentityError("passport_format")
    return value


PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{7,20}$")


def normalise_phone(raw: str) -> str:
    value = " ".join((raw or "").split())
    if not PHONE_RE.match(value) or sum(c.isdigit() for c in value) < 7:
        raise IdentityError("phone_format")
    return value
