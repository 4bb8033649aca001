"""The community satisfaction index (IKM) exactly as PermenPANRB No. 14/2017 defines it.

Pure: no Django, no database, no I/O beyond reading CSV text handed in. The survey pages, the
``pandu ikm`` command, the dashboards, the public page and the monthly report all compute with
these functions, so they always agree.

The method (the regulation's annex, chapter on processing the data):

1. Each respondent answers nine elements (*unsur*) on a scale of 1 to 4.
2. The mean score per element (*nilai rata-rata per unsur*, NRR) is the sum of its answers
   divided by the number of respondents.
3. The index is the sum of the element means, each weighted by ``1 / number of elements``.
   With nine elements the weight is exactly 1/9; the regulation prints it rounded as 0.11. We use
   the exact fraction (:data:`WEIGHT`), so nine 4s give exactly 4 and not 3.96.
4. The index is converted to 25-100 by multiplying by 25 (:data:`BASE`).
5. The converted value, reported with two decimals (rounded half up), falls into one of four
   categories (:data:`CATEGORIES`): A *Sangat Baik* 88.31-100, B *Baik* 76.61-88.30,
   C *Kurang Baik* 65.00-76.60, D *Tidak Baik* 25.00-64.99. The category is decided on the
   two-decimal value, the one printed in the report, so a value and its category never disagree
   (88.305 is reported as 88.31 and is therefore A).

All arithmetic is done on :class:`fractions.Fraction`; only the reported value is rounded, once.

The element order follows the regulation's list of elements (article on the scope of the survey):
requirements, procedure, service time, cost, product, competence, behaviour, complaint handling,
facilities. The annex's sample questionnaire asks about facilities before complaint handling;
the answers' wording is the questionnaire's.

Required sample size: :func:`krejcie_morgan`, the Krejcie and Morgan (1970) table the regulation
reproduces, with the formula behind that table for populations between its rows.

Texts are the regulation's Indonesian wording, marked with :func:`gettext_noop` so the message
extractor finds them; callers translate them when they show them.

Not here: storing responses, invitations, follow-ups (``pandu.feedback.services``), charts.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def gettext_noop(message: str) -> str:
    """Marks a text for translation without translating it (no Django import in this module)."""
    return message


@dataclass(frozen=True)
class Element:
    """One of the nine survey elements (*unsur pelayanan*)."""

    code: str  # "u1" ... "u9", the CSV column and the field name
    name: str  # the element's name in the regulation
    question: str  # the question of the annex's sample questionnaire
    answers: tuple[str, str, str, str]  # wording of the answers scored 1, 2, 3 and 4


ELEMENTS: tuple[Element, ...] = (
    Element(
        "u1",
        gettext_noop("Persyaratan"),
        gettext_noop(
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
            "pelayanannya?"
        ),
        (
            gettext_noop("Tidak sesuai"),
            gettext_noop("Kurang sesuai"),
            gettext_noop("Sesuai"),
            gettext_noop("Sangat sesuai"),
        ),
    ),
    Element(
        "u2",
        gettext_noop("Sistem, mekanisme, dan prosedur"),
        gettext_noop(
            "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"
        ),
        (
            gettext_noop("Tidak mudah"),
            gettext_noop("Kurang mudah"),
            gettext_noop("Mudah"),
            gettext_noop("Sangat mudah"),
        ),
    ),
    Element(
        "u3",
        gettext_noop("Waktu penyelesaian"),
        gettext_noop(
            "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"
        ),
        (
            gettext_noop("Tidak cepat"),
            gettext_noop("Kurang cepat"),
            gettext_noop("Cepat"),
            gettext_noop("Sangat cepat"),
        ),
    ),
    Element(
        "u4",
        gettext_noop("Biaya/tarif"),
        gettext_noop("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
        (
            gettext_noop("Sangat mahal"),
            gettext_noop("Cukup mahal"),
            gettext_noop("Murah"),
            gettext_noop("Gratis"),
        ),
    ),
    Element(
        "u5",
        gettext_noop("Produk spesifikasi jenis pelayanan"),
        gettext_noop(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
            "dalam standar pelayanan dengan hasil yang diberikan?"
        ),
        (
            gettext_noop("Tidak sesuai"),
            gettext_noop("Kurang sesuai"),
            gettext_noop("Sesuai"),
            gettext_noop("Sangat sesuai"),
        ),
    ),
    Element(
        "u6",
        gettext_noop("Kompetensi pelaksana"),
        gettext_noop(
            "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"
        ),
        (
            gettext_noop("Tidak kompeten"),
            gettext_noop("Kurang kompeten"),
            gettext_noop("Kompeten"),
            gettext_noop("Sangat kompeten"),
        ),
    ),
    Element(
        "u7",
        gettext_noop("Perilaku pelaksana"),
        gettext_noop(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
            "kesopanan dan keramahan?"
        ),
        (
            gettext_noop("Tidak sopan dan ramah"),
            gettext_noop("Kurang sopan dan ramah"),
            gettext_noop("Sopan dan ramah"),
            gettext_noop("Sangat sopan dan ramah"),
        ),
    ),
    Element(
        "u8",
        gettext_noop("Penanganan pengaduan, saran dan masukan"),
        gettext_noop("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
        (
            gettext_noop("Tidak ada"),
            gettext_noop("Ada tetapi tidak berfungsi"),
            gettext_noop("Berfungsi kurang maksimal"),
            gettext_noop("Dikelola dengan baik"),
        ),
    ),
    Element(
        "u9",
        gettext_noop("Sarana dan prasarana"),
        gettext_noop("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
        (
            gettext_noop("Buruk"),
            gettext_noop("Cukup"),
            gettext_noop("Baik"),
            gettext_noop("Sangat baik"),
        ),
    ),
)
CODES: tuple[str, ...] = tuple(e.code for e in ELEMENTS)
#: Each element's weight: exactly 1/9 (the regulation prints 0.11).
WEIGHT = Fraction(1, len(ELEMENTS))
#: The conversion factor from the 1-4 index to the 25-100 scale.
BASE = 25
LOWEST, HIGHEST = 1, 4


@dataclass(frozen=True)
class Category:
    """A service-quality category (*mutu pelayanan*) and the lowest reported value in it."""

    code: str  # "A" ... "D"
    label: str  # the regulation's performance label (*kinerja unit pelayanan*)
    lowest: Decimal  # lowest two-decimal IKM in the category


CATEGORIES: tuple[Category, ...] = (
    Category("A", gettext_noop("Sangat Baik"), Decimal("88.31")),
    Category("B", gettext_noop("Baik"), Decimal("76.61")),
    Category("C", gettext_noop("Kurang Baik"), Decimal("65.00")),
    Category("D", gettext_noop("Tidak Baik"), Decimal("25.00")),
)


def round2(value: Fraction) -> Decimal:
    """``value`` to two decimals, half up (how the regulation's tables report the index)."""
    cents = math.floor(value * 100 + Fraction(1, 2))
    return (Decimal(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def category_for(ikm: Decimal | Fraction | float | str) -> Category:
    """The category of a converted value. Exact values are first rounded to two decimals.

    >>> category_for("88.30").code, category_for("88.31").code
    ('B', 'A')
    """
    value = (
        round2(ikm)
        if isinstance(ikm, Fraction)
        else Decimal(str(ikm)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    )
    if not Decimal(BASE) <= value <= Decimal(100):
        raise ValueError(f"an IKM lies between 25 and 100, not {value}")
    return next(c for c in CATEGORIES if value >= c.lowest)


def check_scores(scores: Sequence[int]) -> tuple[int, ...]:
    """The nine scores as a tuple, or ValueError naming what is wrong."""
    if len(scores) != len(ELEMENTS):
        raise ValueError(f"expected {len(ELEMENTS)} scores, got {len(scores)}")
    for code, score in zip(CODES, scores, strict=True):
        if isinstance(score, bool) or not isinstance(score, int) or not LOWEST <= score <= HIGHEST:
            raise ValueError(f"{code}: {score!r} is not a whole number from 1 to 4")
    return tuple(scores)


@dataclass(frozen=True)
class Result:
    """The index of a group of respondents.

    ``per_element`` are the mean scores (1-4) per element code; ``index`` is the weighted sum of
    those means (1-4) and ``exact`` the converted value (25-100), both exact; ``ikm`` is the
    reported two-decimal value and ``category`` its category.
    """

    respondents: int
    per_element: dict[str, Fraction]
    index: Fraction
    exact: Fraction
    ikm: Decimal
    category: Category

    def element_ikm(self, code: str) -> Decimal:
        """One element's mean converted to 25-100 (how the report shows each element)."""
        return round2(self.per_element[code] * BASE)

    def element_category(self, code: str) -> Category:
        return category_for(self.per_element[code] * BASE)

    def as_dict(self, places: int = 2) -> dict[str, object]:
        """Plain numbers for JSON: ``ikm``, ``category``, ``label``, ``respondents``,
        ``per_element`` (means rounded half up to ``places`` decimals)."""
        return {
            "ikm": float(self.ikm),
            "category": self.category.code,
            "label": self.category.label,
            "respondents": self.respondents,
            "per_element": {
                code: float(round_places(mean, places)) for code, mean in self.per_element.items()
            },
        }


def round_places(value: Fraction, places: int) -> Decimal:
    scale = 10**places
    rounded: Decimal = Decimal(math.floor(value * scale + Fraction(1, 2))) / scale
    return rounded


def compute(responses: Iterable[Sequence[int]]) -> Result:
    """The IKM of ``responses`` (each nine scores 1-4 in element order).

    Raises ValueError when there is no response or a response is not nine scores of 1-4: a
    respondent is never silently dropped or half counted here (the CSV reader reports and leaves
    out bad rows before).
    """
    totals = [0] * len(ELEMENTS)
    count = 0
    for scores in responses:
        for i, score in enumerate(check_scores(scores)):
            totals[i] += score
        count += 1
    if count == 0:
        raise ValueError("no responses")
    means = {code: Fraction(total, count) for code, total in zip(CODES, totals, strict=True)}
    index = sum((mean * WEIGHT for mean in means.values()), Fraction(0))
    exact = index * BASE
    ikm = round2(exact)
    return Result(count, means, index, exact, ikm, category_for(ikm))


@dataclass(frozen=True)
class Respondent:
    """One response with what it is grouped by (any may be empty)."""

    scores: tuple[int, ...]
    service: str = ""
    channel: str = ""
    date: dt.date | None = None


def month_of(date: dt.date | None) -> str:
    """The period key of a date: ``"YYYY-MM"`` ("" when unknown)."""
    return f"{date:%Y-%m}" if date else ""


def grouped(
    respondents: Iterable[Respondent], key: Callable[[Respondent], Hashable]
) -> dict[Hashable, Result]:
    """The IKM per group, keys sorted. E.g. ``grouped(rows, lambda r: r.channel)`` per channel,
    ``grouped(rows, lambda r: month_of(r.date))`` per month; ``Result.respondents`` counts each
    group's respondents."""
    groups: dict[Hashable, list[tuple[int, ...]]] = {}
    for respondent in respondents:
        groups.setdefault(key(respondent), []).append(respondent.scores)
    return {k: compute(groups[k]) for k in sorted(groups, key=str)}


def by_service(respondents: Iterable[Respondent]) -> dict[Hashable, Result]:
    return grouped(respondents, lambda r: r.service)


def by_channel(respondents: Iterable[Respondent]) -> dict[Hashable, Result]:
    return grouped(respondents, lambda r: r.channel)


def by_month(respondents: Iterable[Respondent]) -> dict[Hashable, Result]:
    return grouped(respondents, lambda r: month_of(r.date))


# Sample size ----------------------------------------------------------------------------------

#: Krejcie, R. V. & Morgan, D. W. (1970), "Determining sample size for research activities",
#: Educational and Psychological Measurement 30, 607-610, Table 1: population N -> sample S.
#: The regulation's annex reproduces it to say how many respondents a survey needs. The last
#: row is 1,000,000 -> 384 as in the original (some copies print 100,000, where the formula
#: gives 383).
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44),
    (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118),
    (180, 123), (190, 127), (200, 132), (210, 136), (220, 140), (230, 144), (240, 148),
    (250, 152), (260, 155), (270, 159), (280, 162), (290, 165), (300, 169), (320, 175),
    (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254),
    (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291),
    (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313), (1800, 317), (1900, 320),
    (2000, 322), (2200, 327), (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346),
    (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)  # fmt: skip
_TABLE = dict(KREJCIE_MORGAN)
#: The formula's constants: chi-square for 1 degree of freedom at 95% (3.841), the population
#: proportion assumed 0.5 (largest sample) and the margin of error 0.05.
CHI_SQUARE = Fraction(3841, 1000)
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(5, 100)


def krejcie_morgan_formula(population: int) -> Fraction:
    """``S = X² N P (1 - P) / (d² (N - 1) + X² P (1 - P))``, exact."""
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    return spread * population / (MARGIN**2 * (population - 1) + spread)


def krejcie_morgan(population: int) -> int:
    """The respondents a survey needs for a population of ``population`` service users.

    A population in the table gets the table's value. Between rows (and above the last) the
    table's own formula (:func:`krejcie_morgan_formula`) is rounded to the nearest whole number
    (half up), which is how the published table was made: it reproduces every row of it. A
    population of ten or fewer needs everyone. Never more than the population.
    """
    if population < 0:
        raise ValueError("a population cannot be negative")
    if population <= 10:
        return population
    if population in _TABLE:
        return _TABLE[population]
    return min(population, math.floor(krejcie_morgan_formula(population) + Fraction(1, 2)))


@dataclass(frozen=True)
class SampleCheck:
    population: int
    required: int
    respondents: int
    met: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "met", self.respondents >= self.required)


def sample_check(*, population: int, respondents: int) -> SampleCheck:
    """Whether ``respondents`` meet the Krejcie-Morgan sample for ``population``."""
    return SampleCheck(population, krejcie_morgan(population), respondents)


# Reading responses from CSV -------------------------------------------------------------------


@dataclass(frozen=True)
class Rejected:
    """A row left out and why (``reason`` is Indonesian; the caller may translate it)."""

    row: int  # as a spreadsheet numbers it: the header is row 1, the first respondent row 2
    reason: str


class CsvError(ValueError):
    """The file cannot be read as survey responses at all (e.g. a column is missing)."""


def _score(value: str | None) -> int | None:
    text = (value or "").strip()
    if text in {"1", "2", "3", "4"}:
        return int(text)
    return None


def read_csv(lines: Iterable[str]) -> tuple[list[Respondent], list[Rejected]]:
    """Respondents from CSV text with columns ``u1`` ... ``u9`` (values 1-4) and optionally
    ``service``, ``channel`` and ``date`` (ISO ``YYYY-MM-DD``). Column names are matched without
    regard to case or surrounding spaces; other columns are ignored.

    A row with an element missing or outside 1-4, or a date that is not a date, is left out and
    reported in the second list with its row number; empty lines are skipped. Raises
    :class:`CsvError` when there is no header or an element column is missing.
    """
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise CsvError(gettext_noop("Berkas kosong: tidak ada baris judul kolom.")) from exc
    names = [name.strip().lower().lstrip("\ufeff") for name in header]
    missing = [code for code in CODES if code not in names]
    if missing:
        raise CsvError(
            gettext_noop("Kolom tidak ada: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    index = {name: i for i, name in reversed(list(enumerate(names)))}
    respondents: list[Respondent] = []
    rejected: list[Rejected] = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = index.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        problems = []
        scores = []
        for code in CODES:
            raw = cell(code)
            score = _score(raw)
            if score is None:
                problems.append(f"{code}: {raw!r}" if raw else f"{code}: -")
            scores.append(score)
        date = None
        if cell("date"):
            try:
                date = dt.date.fromisoformat(cell("date"))
            except ValueError:
                problems.append(f"date: {cell('date')!r}")
        if problems:
            rejected.append(Rejected(number, "; ".join(problems)))
            continue
        respondents.append(
            Respondent(
                tuple(s for s in scores if s is not None),
                service=cell("service"),
                channel=cell("channel"),
                date=date,
            )
        )
    return respondents, rejected
