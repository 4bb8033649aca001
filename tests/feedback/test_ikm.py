"""The index as PermenPANRB 14/2017 defines it, on plain data (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from pandu.feedback import ikm

ALL_FOURS = (4,) * 9


def responses_rounding_to(target: str) -> list[tuple[int, ...]]:
    """Respondents whose exact IKM rounds (half up) to ``target``: the smallest group found by
    trying group sizes, totals spread over the nine elements as evenly as possible."""
    goal = Decimal(target)
    for n in range(1, 400):
        for total in range(9 * n, 36 * n + 1):
            if ikm.round2(Fraction(total * 25, 9 * n)) == goal:
                scores = [[1] * 9 for _ in range(n)]
                left = total - 9 * n
                i = 0
                while left:
                    row, col = divmod(i, 9)
                    step = min(3, left)
                    scores[row % n][col] += step
                    left -= step
                    i += 1
                return [tuple(s) for s in scores]
    raise AssertionError(f"no group found for {target}")


def test_one_respondent_with_all_fours_gives_exactly_100():
    result = ikm.compute([ALL_FOURS])
    assert result.index == 4 and result.exact == 100
    assert result.ikm == Decimal("100.00") and str(result.ikm) == "100.00"
    assert (result.category.code, result.category.label) == ("A", "Sangat Baik")


def test_the_weight_is_the_exact_ninth_not_the_printed_0_11():
    assert Fraction(1, 9) == ikm.WEIGHT
    # With the printed 0.11 nine 4s would give 4 x 9 x 0.11 x 25 = 99.00, not 100.
    assert ikm.compute([ALL_FOURS] * 3).ikm == Decimal("100.00")


def test_all_ones_give_25_and_category_d():
    result = ikm.compute([(1,) * 9])
    assert result.ikm == Decimal("25.00") and result.category.code == "D"


def test_a_worked_example_computed_by_hand():
    # Four respondents. Sums per element: u1 14, u2 12, u3 12, u4 15, u5 13, u6 14, u7 15,
    # u8 12, u9 13 -> means 3.5, 3, 3, 3.75, 3.25, 3.5, 3.75, 3, 3.25; their sum is 30,
    # weighted by 1/9 -> 3.3333..., x25 -> 83.333... -> 83.33, category B (Baik).
    # With the rounded weight 0.11 it would be 30 x 0.11 x 25 = 82.50.
    rows = [
        (4, 4, 4, 4, 4, 4, 4, 4, 4),
        (3, 3, 3, 3, 3, 3, 3, 3, 3),
        (3, 2, 3, 4, 3, 3, 4, 3, 3),
        (4, 3, 2, 4, 3, 4, 4, 2, 3),
    ]
    result = ikm.compute(rows)
    assert result.respondents == 4
    assert result.per_element == {
        "u1": Fraction(7, 2), "u2": 3, "u3": 3, "u4": Fraction(15, 4), "u5": Fraction(13, 4),
        "u6": Fraction(7, 2), "u7": Fraction(15, 4), "u8": 3, "u9": Fraction(13, 4),
    }  # fmt: skip
    assert result.index == Fraction(10, 3)
    assert result.ikm == Decimal("83.33")
    assert (result.category.code, result.category.label) == ("B", "Baik")
    assert result.element_ikm("u4") == Decimal("93.75")
    assert result.element_category("u4").code == "A"
    assert result.element_category("u3").code == "C"  # 3 x 25 = 75.00
    assert result.as_dict()["per_element"]["u5"] == 3.25


@pytest.mark.parametrize(
    ("value", "code", "label"),
    [
        ("100.00", "A", "Sangat Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("25.00", "D", "Tidak Baik"),
    ],
)
def test_category_boundaries(value, code, label):
    category = ikm.category_for(value)
    assert (category.code, category.label) == (code, label)
    result = ikm.compute(responses_rounding_to(value))
    assert str(result.ikm) == value
    assert result.category.code == code


def test_the_category_is_decided_on_the_reported_two_decimal_value():
    # 88.305 exactly is reported as 88.31 (half up), so it is A, never "88.31 but B".
    assert ikm.round2(Fraction(17661, 200)) == Decimal("88.31")
    assert ikm.category_for(Fraction(17661, 200)).code == "A"
    assert ikm.category_for(Fraction(17659, 200)).code == "B"  # 88.295 -> 88.30
    assert ikm.category_for(Fraction(12999, 200)).code == "C"  # 64.995 -> 65.00


def test_values_outside_the_scale_are_refused():
    with pytest.raises(ValueError):
        ikm.category_for("24.99")
    with pytest.raises(ValueError):
        ikm.compute([])
    with pytest.raises(ValueError, match="u3"):
        ikm.compute([(4, 4, 5, 4, 4, 4, 4, 4, 4)])
    with pytest.raises(ValueError):
        ikm.compute([(4,) * 8])
    with pytest.raises(ValueError):
        ikm.compute([(True,) * 9])


def test_grouped_per_channel_service_and_month_with_respondent_counts():
    rows = [
        ikm.Respondent(ALL_FOURS, "paspor", "weekday", dt.date(2026, 3, 2)),
        ikm.Respondent((3,) * 9, "paspor", "saturday", dt.date(2026, 3, 7)),
        ikm.Respondent((2,) * 9, "legalisasi", "weekday", dt.date(2026, 4, 1)),
    ]
    channels = ikm.by_channel(rows)
    assert list(channels) == ["saturday", "weekday"]
    assert channels["weekday"].respondents == 2 and channels["weekday"].ikm == Decimal("75.00")
    assert ikm.by_service(rows)["paspor"].ikm == Decimal("87.50")
    months = ikm.by_month(rows)
    assert {k: v.respondents for k, v in months.items()} == {"2026-03": 2, "2026-04": 1}


def test_the_nine_elements_carry_the_regulations_wording():
    assert ikm.CODES == ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
    first = ikm.ELEMENTS[0]
    assert first.name == "Persyaratan"
    assert first.answers == ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")
    assert ikm.ELEMENTS[3].answers[-1] == "Gratis"
    assert ikm.ELEMENTS[7].name.startswith("Penanganan pengaduan")
    assert ikm.ELEMENTS[8].name == "Sarana dan prasarana"


# Krejcie and Morgan ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "sample"),
    [(10, 10), (50, 44), (100, 80), (200, 132), (500, 217), (1000, 278), (1500, 306),
     (3000, 341), (10000, 370), (75000, 382), (1000000, 384)],
)  # fmt: skip
def test_krejcie_morgan_table_values(population, sample):
    assert ikm.krejcie_morgan(population) == sample


def test_the_formula_reproduces_every_row_of_the_table():
    for population, sample in ikm.KREJCIE_MORGAN:
        rounded = int(ikm.krejcie_morgan_formula(population) + Fraction(1, 2))
        assert rounded == sample, population


def test_between_rows_the_formula_is_used_and_small_populations_need_everyone():
    # 125 lies between 120 (92) and 130 (97): 3.841 x 125 x 0.25 / (0.0025 x 124 + 0.96025)
    # = 120.03 / 1.27025 = 94.49 -> 94.
    assert ikm.krejcie_morgan(125) == 94
    assert 92 <= ikm.krejcie_morgan(125) <= 97
    assert ikm.krejcie_morgan(7) == 7 and ikm.krejcie_morgan(0) == 0
    assert ikm.krejcie_morgan(5_000_000) == 384
    # The original's last row is 1,000,000 -> 384; some copies print it as 100,000, where the
    # formula gives 382.6 -> 383.
    assert ikm.krejcie_morgan(100_000) == 383
    with pytest.raises(ValueError):
        ikm.krejcie_morgan(-1)


def test_sample_check():
    check = ikm.sample_check(population=400, respondents=150)
    assert (check.required, check.met) == (196, False)
    assert ikm.sample_check(population=400, respondents=196).met


# CSV ------------------------------------------------------------------------------------------


def test_read_csv_reports_bad_rows_by_number_and_keeps_the_good_ones():
    text = (
        "u1,u2,u3,u4,u5,u6,u7,u8,u9,service,channel,date\n"
        "4,4,4,4,4,4,4,4,4,paspor,weekday,2026-03-02\n"
        "4,4,0,4,4,4,4,4,4,paspor,weekday,2026-03-02\n"
        "\n"
        "4,4,4,4,,4,4,4,4,paspor,weekday,2026-03-02\n"
        "3,3,3,3,3,3,3,3,3\n"
        "3,3,3,3,3,3,3,3,3.5,,,\n"
        "3,3,3,3,3,3,3,3,3,,,2026-02-30\n"
    )
    rows, rejected = ikm.read_csv(text.splitlines(keepends=True))
    assert [r.scores for r in rows] == [ALL_FOURS, (3,) * 9]
    assert [r.row for r in rejected] == [3, 5, 7, 8]
    assert "u3" in rejected[0].reason and "u5" in rejected[1].reason
    assert "date" in rejected[3].reason


def test_read_csv_needs_every_element_column():
    with pytest.raises(ikm.CsvError, match="u9"):
        ikm.read_csv(["u1,u2,u3,u4,u5,u6,u7,u8\n"])
    with pytest.raises(ikm.CsvError):
        ikm.read_csv([])
