"""What is wrong with a name as it will print, in words an applicant reads.

The rules themselves (transliteration, the MRZ name field) are in :mod:`pandu.applications.names`
and :mod:`pandu.applications.mrz`, which import no Django; this module adds the translated
messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from pandu.applications.mrz import NAME_WIDTH, name_field
from pandu.applications.names import (
    DROPPED,
    FILLER,
    MAX_NAME_LENGTH,
    NameNotWritable,
    identifiers,
    transliterate,
)

# Validation ------------------------------------------------------------------------------------

ERROR, WARNING = "error", "warning"

MESSAGES = {
    "name_required": _("Nama wajib diisi. Jika Anda hanya memiliki satu nama, isi satu nama itu."),
    "not_latin": _(
        "Nama di paspor ditulis dengan huruf Latin. Huruf berikut tidak dapat dicetak: "
        "%(chars)s. Tuliskan nama Anda dengan huruf Latin seperti di akta kelahiran atau KTP."
    ),
    "characters": _(
        "Nama hanya boleh berisi huruf, spasi, tanda hubung (-) dan tanda petik ('). "
        "Tanda berikut tidak dapat dicetak di paspor: %(chars)s."
    ),
    "too_long": _(
        "Nama paling panjang %(max)d huruf termasuk spasi; nama ini %(length)d huruf. "
        "Tuliskan nama seperti di akta kelahiran atau KTP, tanpa gelar."
    ),
    "mrz_truncated": _(
        "Nama ini lebih panjang dari tempat di baris mesin paspor (39 huruf), sehingga di baris "
        "itu akan dipotong menjadi %(mrz)s. Nama lengkap tetap tercetak di halaman data."
    ),
    "mrz_transliterated": _(
        "Di baris mesin paspor, nama ini ditulis %(mrz)s (huruf khusus diganti menurut "
        "aturan ICAO)."
    ),
}


@dataclass(frozen=True)
class NameProblem:
    code: str
    field: str  # "surname", "given_names" or "" for the name as a whole
    severity: str = ERROR
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params if self.params else str(MESSAGES[self.code])


def name_problems(*, surname: str, given_names: str) -> list[NameProblem]:
    """Everything wrong with a name as it will print, errors first, then warnings.

    Errors (``severity == "error"``) must be corrected before the application can go on;
    warnings tell the applicant how the MRZ will show the name (transliterated or truncated).
    """
    problems: list[NameProblem] = []
    parts = {"surname": surname or "", "given_names": given_names or ""}
    if not any(value.strip() for value in parts.values()):
        return [NameProblem("name_required", "")]
    encoded: dict[str, str] = {}
    for key, value in parts.items():
        try:
            encoded[key] = transliterate(value)
        except NameNotWritable as exc:
            problems.append(NameProblem(exc.code, key, params={"chars": " ".join(exc.chars)}))
    full = " ".join(" ".join(v.split()) for v in parts.values() if v.strip())
    if len(full) > MAX_NAME_LENGTH:
        problems.append(
            NameProblem("too_long", "", params={"max": MAX_NAME_LENGTH, "length": len(full)})
        )
    if problems:
        return problems
    primary, secondary = identifiers(surname=surname, given_names=given_names)
    if not primary:
        return [NameProblem("name_required", "")]
    shown, truncated = name_field(primary, secondary)
    printed = shown.rstrip(FILLER)
    if truncated:
        problems.append(NameProblem("mrz_truncated", "", WARNING, {"mrz": printed}))
    elif any(_plain(v) != encoded[k] for k, v in parts.items()):  # special letters were replaced
        problems.append(NameProblem("mrz_transliterated", "", WARNING, {"mrz": printed}))
    assert len(shown) == NAME_WIDTH  # noqa: S101 (an internal invariant)
    return problems


def _plain(value: str) -> str:
    """The name with only separators normalised: what the MRZ shows if nothing is replaced."""
    text = re.sub(r"[\s\-\u2010\u2011\u2013]+", FILLER, (value or "").strip().upper())
    text = "".join(c for c in text if c not in DROPPED)
    return text.strip(FILLER)
