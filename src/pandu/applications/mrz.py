"""The machine-readable zone (MRZ) of a passport (ICAO Doc 9303 Part 4, TD3): compose and check.

A TD3 MRZ is two lines of 44 characters from ``A-Z``, ``0-9`` and the filler ``<``::

    line 1:  1-2 document code (P, P<, PD...)  3-5 issuing state  6-44 name (39)
    line 2:  1-9 document number  10 check digit  11-13 nationality  14-19 birth date YYMMDD
             20 check digit  21 sex (M, F, < for X)  22-27 expiry date YYMMDD  28 check digit
             29-42 personal number (14)  43 its check digit  44 composite check digit over
             positions 1-10, 14-20 and 22-43 of line 2

Check digits (Doc 9303 Part 3, 4.9): each character's value (digits as themselves, A-Z as
10-35, ``<`` as 0) times the repeating weights 7, 3, 1, summed, modulo 10. When the personal
number is empty its check digit may be ``<`` or ``0``; we write ``<``.

The name field holds the primary identifier, ``<<``, then the secondary identifier, components
separated by ``<`` (see :mod:`pandu.applications.names` for transliteration and single names).
When the name is longer than the 39 positions it is truncated: the secondary identifier is cut
from its end first, keeping at least its first letter; only if the primary identifier alone
leaves no room for that letter is the primary identifier cut too (to 36 characters, then ``<<``
and the first letter of the secondary identifier). A truncated field is filled to its last
position, and :class:`TD3` says it was truncated so the officer can tell the applicant.

The three check digits and the layout were checked against the specimen in Doc 9303 Part 4
(Anna Maria Eriksson of Utopia); see ``tests/applications/test_mrz.py``. This module touches no
database and no settings; it is written by hand because it is a few dozen lines of a fixed,
published layout, and the one Python MRZ package (``mrz``, last released 2020) neither truncates
names as above nor reports each check digit the way an officer needs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pandu.applications.names import FILLER, NameNotWritable, identifiers

LINE_LENGTH = 44
NAME_WIDTH = 39
DOCUMENT_NUMBER_WIDTH = 9
PERSONAL_NUMBER_WIDTH = 14
WEIGHTS = (7, 3, 1)
MRZ_CHARS = re.compile(r"^[A-Z0-9<]*$")
SEXES = {"M": "M", "F": "F", "X": FILLER}


class MRZInputError(ValueError):
    """Data that cannot make an MRZ, or lines that are not one. Nothing was computed."""

    def __init__(self, code: str, *, field: str = "", **params: Any):
        self.code = code
        self.field = field
        self.params = params
        super().__init__(f"{field or 'input'}: {code}")


# Check digits ----------------------------------------------------------------------------------


def char_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == FILLER:
        return 0
    raise ValueError(f"{char!r} is not an MRZ character")


def check_digit(data: str) -> str:
    """The 7-3-1 check digit of ``data`` (MRZ characters only)."""
    return str(sum(char_value(c) * WEIGHTS[i % 3] for i, c in enumerate(data)) % 10)


# Composing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TD3Input:
    """What the passport says about its holder, as the applicant and the officer entered it."""

    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: dt.date
    sex: str  # M, F or X
    expiry_date: dt.date
    personal_number: str = ""


@dataclass(frozen=True)
class TD3:
    line1: str
    line2: str
    name_truncated: bool

    @property
    def lines(self) -> tuple[str, str]:
        return (self.line1, self.line2)


def name_field(primary: str, secondary: str, width: int = NAME_WIDTH) -> tuple[str, bool]:
    """The name field, padded with fillers to ``width``, and whether it had to be truncated.

    ``primary`` and ``secondary`` are already in MRZ characters (components joined by ``<``).
    """
    full = primary + (FILLER * 2 + secondary if secondary else "")
    if len(full) <= width:
        return full.ljust(width, FILLER), False
    if not secondary:
        return primary[:width], True
    room = width - len(primary) - 2
    if room >= 1:
        return (primary + FILLER * 2 + secondary[:room]), True
    return primary[: width - 3] + FILLER * 2 + secondary[0], True


def mrz_date(value: dt.date) -> str:
    return value.strftime("%y%m%d")


def _code(value: str, field_name: str) -> str:
    code = (value or "").strip().upper()
    if not re.fullmatch(r"[A-Z<]{3}", code) or code == FILLER * 3:
        raise MRZInputError("state_code", field=field_name)
    return code


def compose_td3(data: TD3Input) -> TD3:
    """The two MRZ lines for ``data``; raises :class:`MRZInputError` naming the field."""
    doc_type = (data.document_type or "").strip().upper()
    if not re.fullmatch(r"P[A-Z<]?", doc_type):
        raise MRZInputError("document_type", field="document_type")
    issuing = _code(data.issuing_state, "issuing_state")
    nationality = _code(data.nationality, "nationality")
    number = re.sub(r"\s+", "", (data.document_number or "").upper())
    if not number:
        raise MRZInputError("missing", field="document_number")
    if len(number) > DOCUMENT_NUMBER_WIDTH or not re.fullmatch(r"[A-Z0-9]+", number):
        raise MRZInputError("document_number", field="document_number")
    personal = re.sub(r"[\s\-]+", "", (data.personal_number or "").upper())
    if len(personal) > PERSONAL_NUMBER_WIDTH or not re.fullmatch(r"[A-Z0-9]*", personal):
        raise MRZInputError("personal_number", field="personal_number")
    sex = SEXES.get((data.sex or "").strip().upper())
    if sex is None:
        raise MRZInputError("sex", field="sex")
    if data.expiry_date <= data.birth_date:
        raise MRZInputError("expiry_before_birth", field="expiry_date")
    for key in ("surname", "given_names"):
        try:
            identifiers(**{"surname": "", "given_names": ""} | {key: getattr(data, key)})
        except NameNotWritable as exc:
            raise MRZInputError(exc.code, field=key, chars=" ".join(exc.chars)) from exc
    primary, secondary = identifiers(surname=data.surname, given_names=data.given_names)
    if not primary:
        raise MRZInputError("name_required", field="surname")
    name, truncated = name_field(primary, secondary)

    line1 = doc_type.ljust(2, FILLER) + issuing + name
    number_field = number.ljust(DOCUMENT_NUMBER_WIDTH, FILLER)
    personal_field = personal.ljust(PERSONAL_NUMBER_WIDTH, FILLER)
    birth, expiry = mrz_date(data.birth_date), mrz_date(data.expiry_date)
    part_number = number_field + check_digit(number_field)
    part_birth = birth + check_digit(birth)
    part_expiry = expiry + check_digit(expiry)
    part_personal = personal_field + (check_digit(personal_field) if personal else FILLER)
    composite = check_digit(part_number + part_birth + part_expiry + part_personal)
    line2 = part_number + nationality + part_birth + sex + part_expiry + part_personal + composite
    assert len(line1) == LINE_LENGTH and len(line2) == LINE_LENGTH  # noqa: S101
    return TD3(line1, line2, truncated)


def _iso_date(value: Any, field_name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise MRZInputError("missing" if not value else "date", field=field_name)
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise MRZInputError("date", field=field_name) from exc


def input_from_dict(raw: Any) -> TD3Input:
    """A :class:`TD3Input` from JSON-like data (dates as ``YYYY-MM-DD``), checked field by field."""
    if not isinstance(raw, dict):
        raise MRZInputError("missing", field="document_type")
    text: dict[str, str] = {}
    for key in (
        "document_type",
        "issuing_state",
        "surname",
        "given_names",
        "document_number",
        "nationality",
        "sex",
        "personal_number",
    ):
        value = raw.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise MRZInputError("missing", field=key)
        text[key] = value
    for key in ("document_type", "issuing_state", "document_number", "nationality", "sex"):
        if not text[key].strip():
            raise MRZInputError("missing", field=key)
    return TD3Input(
        **text,
        birth_date=_iso_date(raw.get("birth_date"), "birth_date"),
        expiry_date=_iso_date(raw.get("expiry_date"), "expiry_date"),
    )


# Checking --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigitCheck:
    found: str
    expected: str
    valid: bool

    def as_dict(self) -> dict[str, Any]:
        return {"found": self.found, "expected": self.expected, "valid": self.valid}


@dataclass
class TD3Check:
    """What two typed MRZ lines say, and which of their checks hold."""

    fields: dict[str, Any]
    check_digits: dict[str, DigitCheck]
    problems: list[str] = field(default_factory=list)  # field-level problems (codes)

    @property
    def valid(self) -> bool:
        return not self.problems and all(c.valid for c in self.check_digits.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": "TD3",
            "fields": self.fields,
            "check_digits": {k: v.as_dict() for k, v in self.check_digits.items()},
            "problems": self.problems,
            "valid": self.valid,
        }


def normalise_line(line: str, number: int) -> str:
    """Upper-case and strip a typed line; raise :class:`MRZInputError` when it is not one."""
    value = (line or "").strip().upper()
    if len(value) != LINE_LENGTH:
        raise MRZInputError("line_length", line=number, length=len(value))
    if not MRZ_CHARS.match(value):
        bad = "".join(dict.fromkeys(c for c in value if not re.match(r"[A-Z0-9<]", c)))
        raise MRZInputError("line_characters", line=number, chars=" ".join(bad))
    return value


def _digit(data: str, found: str, *, empty_may_be_filler: bool = False) -> DigitCheck:
    expected = check_digit(data)
    if empty_may_be_filler and set(data) == {FILLER}:
        return DigitCheck(found, FILLER, found in (FILLER, "0"))
    return DigitCheck(found, expected, found == expected)


def _read_date(value: str, *, kind: str, today: dt.date) -> dt.date | None:
    """YYMMDD to a date: birth dates are never in the future; expiry dates are 19xx from 70."""
    if not value.isdigit():
        return None
    yy, mm, dd = int(value[:2]), int(value[2:4]), int(value[4:])
    if kind == "birth":
        century = 1900 if yy > today.year % 100 else 2000
    else:
        century = 1900 if yy >= 70 else 2000
    try:
        return dt.date(century + yy, mm, dd)
    except ValueError:
        return None


def _name(field_value: str) -> tuple[str, str]:
    primary, _sep, secondary = field_value.partition(FILLER * 2)

    def clean(s: str) -> str:
        return " ".join(s.replace(FILLER, " ").split())

    return clean(primary), clean(secondary)


def check_td3(line1: str, line2: str, *, today: dt.date | None = None) -> TD3Check:
    """Read and check two typed TD3 lines (e.g. an old passport's MRZ typed by an officer).

    Raises :class:`MRZInputError` only when the text is not a TD3 MRZ at all (length,
    characters, not starting with ``P``); otherwise returns every field and every check.
    """
    today = today or dt.date.today()
    l1, l2 = normalise_line(line1, 1), normalise_line(line2, 2)
    if l1[0] != "P":
        raise MRZInputError("not_td3")
    surname, given = _name(l1[5:])
    birth = _read_date(l2[13:19], kind="birth", today=today)
    expiry = _read_date(l2[21:27], kind="expiry", today=today)
    sex = {"M": "M", "F": "F", FILLER: "X"}.get(l2[20])
    fields = {
        "document_type": l1[:2].rstrip(FILLER),
        "issuing_state": l1[2:5],
        "surname": surname,
        "given_names": given,
        "document_number": l2[:9].rstrip(FILLER),
        "nationality": l2[10:13],
        "birth_date": birth.isoformat() if birth else l2[13:19],
        "sex": sex or l2[20],
        "expiry_date": expiry.isoformat() if expiry else l2[21:27],
        "personal_number": l2[28:42].rstrip(FILLER),
    }
    checks = {
        "document_number": _digit(l2[:9], l2[9]),
        "birth_date": _digit(l2[13:19], l2[19]),
        "expiry_date": _digit(l2[21:27], l2[27]),
        "personal_number": _digit(l2[28:42], l2[42], empty_may_be_filler=True),
        "composite": _digit(l2[:10] + l2[13:20] + l2[21:43], l2[43]),
    }
    problems = []
    if not re.fullmatch(r"P[A-Z<]", l1[:2]):
        problems.append("document_type")
    for key, value in (("issuing_state", l1[2:5]), ("nationality", l2[10:13])):
        if not re.fullmatch(r"[A-Z<]{3}", value) or value == FILLER * 3:
            problems.append(key)
    if not surname:
        problems.append("surname")
    if birth is None:
        problems.append("birth_date")
    if expiry is None:
        problems.append("expiry_date")
    if sex is None:
        problems.append("sex")
    return TD3Check(fields=fields, check_digits=checks, problems=problems)
