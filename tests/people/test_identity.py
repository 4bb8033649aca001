import datetime as dt

import pytest

from pandu.people import identity


class TestNik:
    def test_male_nik_gives_birth_date(self):
        facts = identity.parse_nik("3173010606510003")
        assert (facts.birth_date_day, facts.birth_month, facts.birth_year_2digits) == (6, 6, 51)
        assert facts.is_female is False

    def test_female_nik_adds_forty_to_the_day(self):
        facts = identity.parse_nik("3273015403940002")
        assert facts.birth_date_day == 14
        assert facts.is_female is True

    def test_spaces_and_dots_are_ignored(self):
        assert identity.parse_nik("3273 0154 0394 0002").is_female

    @pytest.mark.parametrize(
        ("nik", "code"),
        [
            ("317301060651000", "nik_format"),  # 15 digits
            ("31730106065100031", "nik_format"),  # 17 digits
            ("31730106065100a3", "nik_format"),
            ("", "nik_format"),
            ("9973010606510003", "nik_province"),  # 99 is no province
            ("3173013002900003", "nik_date"),  # 30 February
            ("3173017202900003", "nik_date"),  # 32 (+40) February
            ("3173010013900003", "nik_date"),  # month 13
            ("3173010000900003", "nik_date"),  # day 0
            ("3173010606510000", "nik_serial"),
        ],
    )
    def test_bad_niks_are_refused_with_a_reason(self, nik, code):
        with pytest.raises(identity.IdentityError) as exc:
            identity.parse_nik(nik)
        assert exc.value.code == code

    def test_consistency_with_birth_date_and_sex(self):
        facts = identity.parse_nik("3273015403940002")
        assert identity.nik_consistency(facts, date_of_birth=dt.date(1994, 3, 14), sex="F") == []
        assert identity.nik_consistency(facts, date_of_birth=dt.date(1994, 3, 15), sex="F") == [
            "nik_birth_date_mismatch"
        ]
        assert identity.nik_consistency(facts, date_of_birth=dt.date(1994, 3, 14), sex="M") == [
            "nik_sex_mismatch"
        ]
        assert identity.nik_consistency(facts, date_of_birth=dt.date(1894, 3, 14), sex="F") == []

    def test_leap_day_nik(self):
        assert identity.parse_nik("3173012902000003").birth_date_day == 29
        with pytest.raises(identity.IdentityError):
            identity.parse_nik("3173012902010003")  # 2001 had no 29 February


class TestPostalCode:
    @pytest.mark.parametrize(
        ("raw", "clean"),
        [
            ("m5v3l9", "M5V 3L9"),
            (" M5V 3L9 ", "M5V 3L9"),
            ("r3c 0s6", "R3C 0S6"),
            ("K1Y1E5", "K1Y 1E5"),
        ],
    )
    def test_normalised(self, raw, clean):
        assert identity.normalise_postal_code(raw) == clean

    @pytest.mark.parametrize(
        "raw", ["12345", "M5V-3L9", "D5V 3L9", "W5V 3L9", "M5O 3L9", "M5V 3L", ""]
    )
    def test_refused(self, raw):
        with pytest.raises(identity.IdentityError):
            identity.normalise_postal_code(raw)

    def test_first_letter_names_the_province(self):
        assert identity.postal_code_provinces("M5V 3L9") == {"ON"}
        assert identity.postal_code_provinces("R3C 0S6") == {"MB"}
        assert identity.postal_code_provinces("S4P 3Y2") == {"SK"}
        assert identity.postal_code_provinces("X0A 0H0") == {"NT", "NU"}


class TestNames:
    @pytest.mark.parametrize(
        "raw",
        [
            "Soekarno",
            "Siti Rahayu",
            "I Gusti Ngurah Rai",
            "Ni Made D'Arsani",
            "Dr. Ayu, S.H.",
            "Ézé",
        ],
    )
    def test_accepted(self, raw):
        assert identity.normalise_name(raw) == raw

    def test_single_name_is_a_full_name(self):
        assert identity.normalise_name("  Suharto ") == "Suharto"

    def test_spaces_collapsed(self):
        assert identity.normalise_name("Siti    Rahayu") == "Siti Rahayu"

    @pytest.mark.parametrize(
        ("raw", "code"),
        [
            ("", "name_required"),
            ("   ", "name_required"),
            ("R2D2", "name_characters"),
            ("Budi <script>", "name_characters"),
            ("A" * 101, "name_too_long"),
            ("-Budi", "name_characters"),
        ],
    )
    def test_refused(self, raw, code):
        with pytest.raises(identity.IdentityError) as exc:
            identity.normalise_name(raw)
        assert exc.value.code == code


def test_passport_numbers():
    assert identity.normalise_passport_number("x 1234567") == "X1234567"
    assert identity.normalise_passport_number("AB123456") == "AB123456"
    for bad in ["1234567", "X12345", "XYZ123456", "X12345678"]:
        with pytest.raises(identity.IdentityError):
            identity.normalise_passport_number(bad)


def test_phone_numbers():
    assert identity.normalise_phone("+1  416 555 0100") == "+1 416 555 0100"
    for bad in ["call me", "123", "+1 416 555 0100 ext. 2"]:
        with pytest.raises(identity.IdentityError):
            identity.normalise_phone(bad)
