"""Names as an electronic passport will print them: ICAO 9303 transliteration and checks.

What the machine-readable zone (MRZ) may hold is fixed by ICAO Doc 9303: the letters A-Z, the
digits and the filler ``<``. Part 3, section 6 ("Transliterations recommended for use by
States"), table A, says how each Latin letter with a diacritic or special Latin letter is
written there. ``LATIN_TABLE`` below is that table, written by hand from the standard (Part 3,
8th edition, 2021) with its *recommended* column: ``Ä`` -> ``AE``, ``Å`` -> ``AA``, ``Ö`` and
``Ø`` -> ``OE``, ``Ü`` -> ``UE``, ``Ñ`` -> ``N``, ``Þ`` -> ``TH``, ``ß``/``ẞ`` -> ``SS``, the
ligatures ``Æ``, ``Œ``, ``Ĳ``, and every other letter with a diacritic -> its base letter. No
maintained library implements the 9303 table (general transliterators such as Unidecode write
``Ä`` as ``A`` and ``Þ`` as ``Th``, which a passport must not), so it is written here.
A Latin letter with a diacritic that the table does not list (``Ș``, ``Ț``, ``Ẽ``...) is written as
its base letter, which is what the table does for every single-diacritic letter it lists.
Other scripts (Arabic, Chinese...) are refused: the applicant's name on an Indonesian passport is
written in Latin letters, and the applicant must say how.

Punctuation follows Doc 9303's convention for the name in the MRZ: spaces and hyphens become one
filler ``<``, apostrophes are left out (``MA'RUF`` -> ``MARUF``), and so are periods and commas.

Single names: many Indonesians have one name only. Doc 9303 puts a single name in the
*primary* identifier and leaves the secondary identifier empty (``P<IDNSOEKARNO<<<<...``), so
:func:`identifiers` moves a name given only as given names into the primary identifier.

This module does no I/O and needs no database; its messages are translated with Django's
``gettext_lazy`` (Indonesian source text), which needs no settings until a message is shown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Doc 9303 Part 3, section 6, table A (recommended transliteration), upper-case letters. Lower
# case is upper-cased first (Python upper-cases ß to SS and ı to I, as the table does).
LATIN_TABLE: dict[str, str] = {
    "À": "A", "Á": "A", "Â": "A", "Ã": "A", "Ä": "AE", "Å": "AA", "Æ": "AE",
    "Ā": "A", "Ă": "A", "Ą": "A",
    "Ç": "C", "Ć": "C", "Ĉ": "C", "Ċ": "C", "Č": "C",
    "Ð": "D", "Ď": "D", "Đ": "D",
    "È": "E", "É": "E", "Ê": "E", "Ë": "E", "Ē": "E", "Ĕ": "E", "Ė": "E", "Ę": "E", "Ě": "E",
    "Ĝ": "G", "Ğ": "G", "Ġ": "G", "Ģ": "G",
    "Ĥ": "H", "Ħ": "H",
    "Ì": "I", "Í": "I", "Î": "I", "Ï": "I", "Ĩ": "I", "Ī": "I", "Ĭ": "I", "Į": "I", "İ": "I",
    "Ĳ": "IJ",
    "Ĵ": "J",
    "Ķ": "K",
    "Ĺ": "L", "Ļ": "L", "Ľ": "L", "Ŀ": "L", "Ł": "L",
    "Ñ": "N", "Ń": "N", "Ņ": "N", "Ň": "N", "Ŋ": "N",
    "Ò": "O", "Ó": "O", "Ô": "O", "Õ": "O", "Ö": "OE", "Ø": "OE", "Ō": "O", "Ŏ": "O", "Ő": "O",
    "Œ": "OE",
    "Ŕ": "R", "Ŗ": "R", "Ř": "R",
    "Ś": "S", "Ŝ": "S", "Ş": "S", "Š": "S", "ẞ": "SS",
    "Ţ": "T", "Ť": "T", "Ŧ": "T", "Þ": "TH",
    "Ù": "U", "Ú": "U", "Û": "U", "Ü": "UE", "Ũ": "U", "Ū": "U", "Ŭ": "U", "Ů": "U", "Ű": "U",
    "Ų": "U",
    "Ŵ": "W",
    "Ý": "Y", "Ŷ": "Y", "Ÿ": "Y",
    "Ź": "Z", "Ż": "Z", "Ž": "Z",
}  # fmt: skip

SEPARATORS = {" ", "-", "\u2010", "\u2011", "\u2013"}  # become one filler
DROPPED = {"'", "\u2019", "\u2018", "`", "\u02bc", ".", ","}  # left out of the MRZ
FILLER = "<"

# The civil registry's limit for a name (Permendagri 73/2022: at most 60 characters with
# spaces); the visual zone of the passport prints the full name.
MAX_NAME_LENGTH = 60


class NameNotWritable(ValueError):
    """A name that cannot be written in the MRZ; ``code`` says why, ``chars`` which letters."""

    def __init__(self, code: str, chars: str = ""):
        super().__init__(f"{code}: {chars}" if chars else code)
        self.code = code
        self.chars = chars


def _letter(char: str) -> str | None:
    """One upper-case character in MRZ letters, or None when it is no Latin letter."""
    if "A" <= char <= "Z":
        return char
    if char in LATIN_TABLE:
        return LATIN_TABLE[char]
    # A Latin letter with diacritics the table does not list: its base letter (see docstring).
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if "A" <= base <= "Z" and all(unicodedata.category(m) == "Mn" for m in marks):
        return base
    return None


def transliterate(text: str) -> str:
    """A name component (or several) in MRZ characters: ``"Müller-Lüdenscheidt"`` ->
    ``"MUELLER<LUEDENSCHEIDT"``. Raises :class:`NameNotWritable` (``not_latin`` or ``characters``).
    """
    text = unicodedata.normalize("NFC", text or "").upper()
    out: list[str] = []
    not_latin: list[str] = []
    other: list[str] = []
    for char in text:
        if char in SEPARATORS or char.isspace():
            if out and out[-1] != FILLER:
                out.append(FILLER)
            continue
        if char in DROPPED:
            continue
        letter = _letter(char)
        if letter is not None:
            out.append(letter)
        elif char.isalpha():
            not_latin.append(char)
        else:
            other.append(char)
    if not_latin:
        raise NameNotWritable("not_latin", "".join(dict.fromkeys(not_latin)))
    if other:
        raise NameNotWritable("characters", "".join(dict.fromkeys(other)))
    return "".join(out).strip(FILLER)


def identifiers(*, surname: str, given_names: str) -> tuple[str, str]:
    """Primary and secondary identifier in MRZ characters.

    A single name (only a surname, or only given names) is the primary identifier and the
    secondary identifier stays empty, as Doc 9303 asks.
    """
    primary = transliterate(surname)
    secondary = transliterate(given_names)
    if not primary and secondary:
        primary, secondary = secondary, ""
    return primary, secondary


def is_single_name(*, surname: str, given_names: str) -> bool:
    """True for applicants with one name only (it may have no space: ``Soekarno``)."""
    primary, secondary = identifiers(surname=surname, given_names=given_names)
    return bool(primary) and not secondary and FILLER not in primary


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
    from pandu.applications.mrz import NAME_WIDTH, name_field

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
