"""Names as the passport prints them: ICAO 9303 transliteration, single names, clear messages."""

from __future__ import annotations

import pytest
from django.utils import translation

from pandu.applications.name_checks import ERROR, WARNING, name_problems
from pandu.applications.names import (
    NameNotWritable,
    identifiers,
    is_single_name,
    transliterate,
)


@pytest.mark.parametrize(
    ("name", "mrz"),
    [
        ("Budi Santoso", "BUDI<SANTOSO"),
        ("Müller", "MUELLER"),  # Ü -> UE
        ("Åsa Öberg", "AASA<OEBERG"),  # Å -> AA, Ö -> OE
        ("Søren Ærø", "SOEREN<AEROE"),  # Ø -> OE, Æ -> AE
        ("Þórunn", "THORUNN"),  # Þ -> TH
        ("Weiß", "WEISS"),  # ß -> SS
        ("Œuvre Ĳssel", "OEUVRE<IJSSEL"),
        ("Peña Ñúñez", "PENA<NUNEZ"),  # Ñ -> N (recommended column)
        ("Łukasz Dvořák", "LUKASZ<DVORAK"),
        ("Ma'ruf Amin", "MARUF<AMIN"),  # apostrophe left out
        ("Siti-Nurbaya  Putri", "SITI<NURBAYA<PUTRI"),  # hyphen and double space: one filler
        ("Ștefan Țiriac", "STEFAN<TIRIAC"),  # comma-below letters: base letter
        ("é", "E"),  # decomposed input (e + combining acute) is normalised first
    ],
)
def test_transliteration_follows_the_9303_table(name, mrz):
    assert transliterate(name) == mrz


def test_decomposed_diacritics_are_read_like_precomposed_ones():
    assert transliterate("Mu\u0308ller") == "MUELLER"


@pytest.mark.parametrize(("name", "code"), [("Ахмед", "not_latin"), ("Budi 2", "characters")])
def test_what_cannot_be_written_is_refused(name, code):
    with pytest.raises(NameNotWritable) as err:
        transliterate(name)
    assert err.value.code == code


def test_a_single_name_is_the_primary_identifier():
    assert identifiers(surname="", given_names="Soekarno") == ("SOEKARNO", "")
    assert identifiers(surname="Soekarno", given_names="") == ("SOEKARNO", "")
    assert is_single_name(surname="", given_names="Soekarno")
    assert not is_single_name(surname="Santoso", given_names="Budi")


def test_a_good_name_has_no_problem():
    assert name_problems(surname="Santoso", given_names="Budi") == []
    assert name_problems(surname="", given_names="Soekarno") == []


def test_problems_name_the_field_and_explain_in_indonesian():
    problems = name_problems(surname="王", given_names="Budi 3")
    assert [(p.code, p.field, p.severity) for p in problems] == [
        ("not_latin", "surname", ERROR),
        ("characters", "given_names", ERROR),
    ]
    assert "huruf Latin" in problems[0].message and "王" in problems[0].message
    assert "3" in problems[1].message


def test_an_empty_name_is_required():
    [problem] = name_problems(surname=" ", given_names="")
    assert problem.code == "name_required"
    assert "satu nama" in problem.message


def test_a_name_longer_than_the_registry_allows_is_an_error():
    [problem] = name_problems(surname="A" * 40, given_names="B" * 25)
    assert (problem.code, problem.severity) == ("too_long", ERROR)
    assert "60" in problem.message and "66" in problem.message


def test_truncation_in_the_mrz_is_a_warning_that_shows_the_printed_name():
    [problem] = name_problems(
        surname="Wirjosoedarmo", given_names="Raden Mas Gusti Bendara Pangeran Haryo"
    )
    assert (problem.code, problem.severity) == ("mrz_truncated", WARNING)
    assert "WIRJOSOEDARMO<<RADEN<MAS<GUSTI<BENDARA" in problem.message


def test_transliteration_is_a_warning_that_shows_the_mrz_spelling():
    [problem] = name_problems(surname="Müller", given_names="Anna")
    assert (problem.code, problem.severity) == ("mrz_transliterated", WARNING)
    assert "MUELLER<<ANNA" in problem.message


def test_messages_follow_the_active_language():
    [problem] = name_problems(surname="", given_names="")
    with translation.override("id"):
        indonesian = problem.message
    assert indonesian.startswith("Nama wajib diisi")
