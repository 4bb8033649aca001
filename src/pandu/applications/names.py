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

This module does no I/O and imports no Django (the import contracts check it); the translated
messages about a name are in :mod:`pandu.applications.name_checks`.
"""

from __future__ import annotations

import unicodedata

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
