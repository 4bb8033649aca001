"""The TD3 machine-readable zone against the ICAO Doc 9303 specimen and Indonesian cases."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from pandu.applications.mrz import (
    MRZInputError,
    TD3Input,
    check_digit,
    check_td3,
    compose_td3,
    input_from_dict,
    name_field,
)
from pandu.applications.mrz_text import mrz_message

# ICAO Doc 9303 Part 4, the TD3 specimen: Anna Maria Eriksson of Utopia.
SPECIMEN_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
SPECIMEN_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
SPECIMEN = {
    "document_type": "P",
    "issuing_state": "UTO",
    "surname": "Eriksson",
    "given_names": "Anna Maria",
    "document_number": "L898902C3",
    "nationality": "UTO",
    "birth_date": "1974-08-12",
    "sex": "F",
    "expiry_date": "2012-04-15",
    "personal_number": "ZE184226B",
}


def indonesian(**changes) -> TD3Input:
    data = {
        "document_type": "P",
        "issuing_state": "IDN",
        "surname": "Lestari",
        "given_names": "Ayu",
        "document_number": "X1234567",
        "nationality": "IDN",
        "birth_date": dt.date(1990, 8, 17),
        "sex": "F",
        "expiry_date": dt.date(2036, 3, 1),
        "personal_number": "",
    }
    return TD3Input(**(data | changes))


def test_check_digits_of_the_specimen_by_hand():
    # L898902C3: L=21*7 + 8*3 + 9*1 + 8*7 + 9*3 + 0*1 + 2*7 + C=12*3 + 3*1 = 356 -> 6
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"  # 49+12+0+56+3+2 = 122
    assert check_digit("120415") == "9"  # 7+6+0+28+3+5 = 49
    assert check_digit("ZE184226B<<<<<") == "1"
    assert check_digit("L898902C36" + "7408122" + "120415" + "9" + "ZE184226B<<<<<1") == "0"
    assert check_digit("<<<<<<<<<") == "0"


def test_the_specimen_is_composed_exactly():
    td3 = compose_td3(input_from_dict(SPECIMEN))
    assert td3.lines == (SPECIMEN_1, SPECIMEN_2)
    assert not td3.name_truncated


def test_the_specimen_checks_digit_by_digit():
    result = check_td3(SPECIMEN_1, SPECIMEN_2, today=dt.date(2026, 1, 1))
    assert result.valid
    assert result.fields == {
        "document_type": "P",
        "issuing_state": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "birth_date": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "personal_number": "ZE184226B",
    }
    found = {k: (c.found, c.expected, c.valid) for k, c in result.check_digits.items()}
    assert found == {
        "document_number": ("6", "6", True),
        "birth_date": ("2", "2", True),
        "expiry_date": ("9", "9", True),
        "personal_number": ("1", "1", True),
        "composite": ("0", "0", True),
    }


@pytest.mark.parametrize(
    ("position", "replacement", "broken"),
    [
        (9, "7", {"document_number", "composite"}),  # the document number's digit
        (0, "M", {"document_number", "composite"}),  # a typo in the number itself
        (15, "9", {"birth_date", "composite"}),
        (25, "6", {"expiry_date", "composite"}),
        (30, "F", {"personal_number", "composite"}),
        (43, "1", {"composite"}),
    ],
)
def test_each_typo_breaks_its_check_digits(position, replacement, broken):
    line2 = SPECIMEN_2[:position] + replacement + SPECIMEN_2[position + 1 :]
    result = check_td3(SPECIMEN_1, line2)
    assert not result.valid
    assert {k for k, c in result.check_digits.items() if not c.valid} == broken


def test_single_name_goes_in_the_primary_identifier():
    td3 = compose_td3(indonesian(surname="", given_names="Soekarno", sex="M"))
    assert td3.line1 == "P<IDNSOEKARNO" + "<" * 31
    checked = check_td3(*td3.lines)
    assert checked.valid
    assert checked.fields["surname"] == "SOEKARNO" and checked.fields["given_names"] == ""


def test_x_sex_is_written_as_filler_and_read_back_as_x():
    td3 = compose_td3(indonesian(sex="X"))
    assert td3.line2[20] == "<"
    assert check_td3(*td3.lines).fields["sex"] == "X"


def test_empty_personal_number_has_a_filler_check_digit_and_valid_composite():
    td3 = compose_td3(indonesian())
    # 900817: 63+0+0+56+3+7 = 129 -> 9; 360301: 21+18+0+21+0+1 = 61 -> 1
    assert td3.line2 == "X1234567<7IDN9008179F3603011" + "<" * 15 + td3.line2[43]
    assert td3.line2[42] == "<"
    result = check_td3(*td3.lines)
    assert result.valid
    assert result.check_digits["personal_number"].valid
    zero = td3.line2[:42] + "0" + td3.line2[43]  # a zero is allowed there too
    assert check_td3(td3.line1, zero).valid


def test_long_secondary_identifier_is_truncated_to_fill_the_field():
    td3 = compose_td3(
        indonesian(
            surname="Wirjosoedarmo",
            given_names="Raden Mas Gusti Bendara Pangeran Haryo Hadiningrat",
        )
    )
    assert td3.name_truncated
    # The cut falls just after a separator here, so the field ends in a filler.
    assert td3.line1 == "P<IDNWIRJOSOEDARMO<<RADEN<MAS<GUSTI<BENDARA<"
    assert check_td3(*td3.lines).valid
    td3 = compose_td3(indonesian(surname="Wirjosoedarmo", given_names="Raden Mas Gusti Bendarawan"))
    assert td3.name_truncated and td3.line1.endswith("<GUSTI<BENDARAW")


def test_very_long_primary_identifier_keeps_one_letter_of_the_secondary():
    field, truncated = name_field("A" * 40, "BUDI")
    assert truncated and field == "A" * 36 + "<<B"
    field, truncated = name_field("A" * 45, "")
    assert truncated and field == "A" * 39


def test_diacritics_are_transliterated_in_the_mrz():
    td3 = compose_td3(indonesian(surname="Müller", given_names="Zoë Ångström"))
    assert td3.line1.startswith("P<IDNMUELLER<<ZOE<AANGSTROEM<")


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"document_number": "X12345678901"}, "document_number", "document_number"),
        ({"document_number": "X-123"}, "document_number", "document_number"),
        ({"personal_number": "3171015708900001"}, "personal_number", "personal_number"),
        ({"sex": "W"}, "sex", "sex"),
        ({"nationality": "ID"}, "nationality", "state_code"),
        ({"surname": "", "given_names": ""}, "surname", "name_required"),
        ({"surname": "李"}, "surname", "not_latin"),
        ({"expiry_date": dt.date(1980, 1, 1)}, "expiry_date", "expiry_before_birth"),
        ({"document_type": "V"}, "document_type", "document_type"),
    ],
)
def test_bad_data_is_refused_with_the_field(changes, field, code):
    with pytest.raises(MRZInputError) as err:
        compose_td3(indonesian(**changes))
    assert (err.value.field, err.value.code) == (field, code)
    assert mrz_message(err.value)  # an Indonesian sentence


def test_check_refuses_text_that_is_no_mrz():
    with pytest.raises(MRZInputError) as err:
        check_td3(SPECIMEN_1[:-1], SPECIMEN_2)
    assert err.value.code == "line_length"
    with pytest.raises(MRZInputError) as err:
        check_td3(SPECIMEN_1, SPECIMEN_2.replace("<", "*"))
    assert err.value.code == "line_characters"


def test_check_flags_impossible_dates_and_sex():
    line2 = SPECIMEN_2[:13] + "741332" + SPECIMEN_2[19:20] + "Q" + SPECIMEN_2[21:]
    result = check_td3(SPECIMEN_1, line2)
    assert not result.valid
    assert {"birth_date", "sex"} <= set(result.problems)


# The command ------------------------------------------------------------------------------------


def write(tmp_path, data) -> str:
    path = tmp_path / "input.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_command_prints_the_specimen_lines(tmp_path, capsys):
    call_command("mrz", write(tmp_path, SPECIMEN))
    assert capsys.readouterr().out.splitlines() == [SPECIMEN_1, SPECIMEN_2]


def test_command_checks_lines_and_prints_json(capsys):
    call_command("mrz", "--check", SPECIMEN_1, SPECIMEN_2)
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is True
    assert out["fields"]["personal_number"] == "ZE184226B"
    assert all(c["valid"] for c in out["check_digits"].values())


def test_command_exits_1_for_an_invalid_mrz(capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("mrz", "--check", SPECIMEN_1, SPECIMEN_2[:-1] + "1")
    assert exit_.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is False
    assert out["check_digits"]["composite"] == {"found": "1", "expected": "0", "valid": False}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid JSON"),
        (SPECIMEN | {"birth_date": "12/08/1974"}, "birth_date"),
        (SPECIMEN | {"sex": "female"}, "Jenis kelamin ditulis M, F atau X"),
        ({k: v for k, v in SPECIMEN.items() if k != "nationality"}, "nationality"),
    ],
)
def test_command_bad_input_exits_2(tmp_path, data, message):
    with pytest.raises(CommandError) as err:
        call_command("mrz", write(tmp_path, data))
    assert err.value.returncode == 2
    assert message in str(err.value)


def test_command_check_of_a_short_line_exits_2():
    with pytest.raises(CommandError) as err:
        call_command("mrz", "--check", "P<UTO", SPECIMEN_2)
    assert err.value.returncode == 2
    assert "44" in str(err.value)
