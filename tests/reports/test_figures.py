"""Each dashboard figure against the hand-counted month of ``conftest.march``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pandu.reports import figures
from pandu.reports.figures import Period

from .conftest import NOW, A, B, C, local

pytestmark = pytest.mark.django_db
MARCH = Period.month(2026, 3)


def approx(value, digits=4):
    return None if value is None else round(value, digits)


# --- maths -----------------------------------------------------------------------------------


def test_percentile_is_nearest_rank_and_median_is_the_middle():
    values = [30, 5, 10, 20, 40, 10]
    assert figures.percentile(values, 90) == 40  # rank ceil(5.4) = 6 of [5,10,10,20,30,40]
    assert figures.percentile(values, 50) == 10  # rank 3
    assert figures.percentile([7], 90) == 7
    assert figures.percentile([], 90) is None
    assert figures.median(values) == 15  # (10 + 20) / 2
    assert figures.median([]) is None
    assert figures.percentile(list(range(1, 11)), 90) == 9  # rank 9 of 1..10


def test_period_bounds_follow_the_missions_time_zone(march):
    start, end = MARCH.bounds(march.mission)
    assert start == dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC)  # EST, UTC-5
    assert end == dt.datetime(2026, 4, 1, 4, tzinfo=dt.UTC)  # EDT, UTC-4
    assert MARCH.is_month and not Period(dt.date(2026, 3, 1), dt.date(2026, 3, 30)).is_month
    assert MARCH.previous_month() == Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert [p.start.month for p in figures.months_back(MARCH, 4)] == [12, 1, 2, 3]


# --- volumes ---------------------------------------------------------------------------------


def test_volumes_count_done_tickets_by_channel_and_served_pertiwi_visits(march):
    data = figures.volumes(march.mission, MARCH)
    by_code = {row.service.code: row.counts for row in data.rows}
    # Tuesday done: A, A, B, B, and the transfer ending as C (the no-show and the open ticket do
    # not count), plus Tuesday's A appointment marked served without a ticket; Saturday done: A
    # (its appointment, also marked served, counts once), B (walk-in). Pertiwi served: [A] and
    # [A, C].
    assert by_code[A] == {"weekday": 3, "saturday": 1, "pertiwi": 2}
    assert by_code[B] == {"weekday": 2, "saturday": 1, "pertiwi": 0}
    assert by_code[C] == {"weekday": 1, "saturday": 0, "pertiwi": 1}
    assert data.total.counts == {"weekday": 6, "saturday": 2, "pertiwi": 3}
    assert data.total.total == 11
    assert sum(row.total for row in data.rows) == 11


def test_volumes_of_one_service(march):
    data = figures.volumes(march.mission, MARCH, march.services[A])
    assert [row.service.code for row in data.rows] == [A]
    assert data.total.counts == {"weekday": 3, "saturday": 1, "pertiwi": 2}


# --- fill rate -------------------------------------------------------------------------------


def test_fill_rate_per_session_kind_leaves_out_closed_sessions(march):
    rows = {row.kind: row for row in figures.fill_rate(march.mission, MARCH)}
    # Weekday: 6/10 + 5/5 = 11/15; Saturday 2/8; the closed Wednesday and April are not counted.
    assert (rows["weekday"].sessions, rows["weekday"].capacity, rows["weekday"].booked) == (
        1,
        15,
        11,
    )
    assert approx(rows["weekday"].rate) == approx(11 / 15)
    assert (rows["saturday"].capacity, rows["saturday"].booked) == (8, 2)
    assert rows["saturday"].rate == 0.25
    assert rows["extra"].rate is None
    assert (rows[None].sessions, rows[None].capacity, rows[None].booked) == (2, 23, 13)


def test_fill_rate_of_one_service(march):
    rows = {row.kind: row for row in figures.fill_rate(march.mission, MARCH, march.services[A])}
    assert (rows[None].capacity, rows[None].booked) == (18, 8)  # 10 + 8 seats, 6 + 2 booked


# --- no-shows --------------------------------------------------------------------------------


def test_no_show_rate_counts_due_appointments_that_were_not_cancelled(march):
    rows = {row.channel: row for row in figures.no_shows(march.mission, MARCH, now=NOW)}
    # Weekday: served, no-show, checked in (the cancelled one is not due): 1 of 3.
    assert (rows["weekday"].due, rows["weekday"].no_show) == (3, 1)
    # Saturday: two no-shows and the one who came: 2 of 3. April's no-show is another month.
    assert (rows["saturday"].due, rows["saturday"].no_show) == (3, 2)
    assert (rows[None].due, rows[None].no_show) == (6, 3)
    assert rows[None].rate == 0.5


def test_appointments_still_to_come_are_not_due(march):
    before_saturday = local(dt.date(2026, 3, 5), 12)
    rows = {row.channel: row for row in figures.no_shows(march.mission, MARCH, now=before_saturday)}
    assert (rows["saturday"].due, rows["saturday"].rate) == (0, None)
    assert (rows[None].due, rows[None].no_show) == (3, 1)


# --- waiting room ----------------------------------------------------------------------------


def test_waiting_and_service_times_from_the_ticket_periods(march):
    rows = {row.channel: row for row in figures.waiting_times(march.mission, MARCH)}
    weekday = rows["weekday"]
    # Waits 5, 10, 20, 30, 40 (no-show), 4 + 6 (transfer) -> [5, 10, 10, 20, 30, 40].
    assert sorted(weekday.waits) == [5, 10, 10, 20, 30, 40]
    assert approx(weekday.wait_mean) == approx(115 / 6)
    assert weekday.wait_median == 15
    assert weekday.wait_p90 == 40
    # Served 10, 12, 14, 8 and 3 + 5: the no-show has no service time.
    assert sorted(weekday.services) == [8, 8, 10, 12, 14]
    assert approx(weekday.service_mean) == approx(52 / 5)
    assert weekday.service_median == 10
    saturday = rows["saturday"]
    assert (saturday.wait_mean, saturday.wait_median, saturday.wait_p90) == (4, 4, 6)
    assert saturday.service_mean == 25
    total = rows[None]
    assert total.called == 8 and total.served == 7
    assert approx(total.wait_mean) == approx(123 / 8)
    assert total.wait_median == 10
    assert total.wait_p90 == 40  # rank ceil(7.2) = 8
    assert total.service_median == 12  # [8, 8, 10, 12, 14, 20, 30]


def test_waiting_times_of_one_service(march):
    rows = {
        row.channel: row for row in figures.waiting_times(march.mission, MARCH, march.services[A])
    }
    assert sorted(rows["weekday"].waits) == [5, 10, 40]
    assert rows["weekday"].wait_median == 10
    assert rows["saturday"].waits == [2]


# --- applications ----------------------------------------------------------------------------


def test_time_to_decision_and_share_within_the_service_level(march):
    rows = figures.decisions(march.mission, MARCH)
    by_code = {row.service.code if row.service else None: row for row in rows}
    # A: 3 days 6 hours, on time; 12 days less the hour lost to daylight time, late. The one
    # issued on 2 April belongs to April.
    assert sorted(approx(d) for d in by_code[A].days) == [3.25, approx(12 - 1 / 24)]
    assert by_code[A].within == 1
    # B: rejected at 23:30 local on its due date (already 11 March in UTC): on time.
    assert [approx(d) for d in by_code[B].days] == [approx(11.5 / 24)]
    assert (by_code[B].within, by_code[B].rejected) == (1, 1)
    # C: issued at 23:30 on 31 March local (1 April in UTC) counts in March; no due date: late.
    assert [approx(d) for d in by_code[C].days] == [1.0]
    assert by_code[C].within == 0
    total = by_code[None]
    assert (total.decided, total.within, total.rejected) == (4, 2, 1)
    assert total.within_share == 0.5
    assert approx(total.median_days) == approx((1.0 + 3.25) / 2)
    assert approx(total.p90_days) == approx(12 - 1 / 24)


def test_decisions_of_one_service(march):
    rows = figures.decisions(march.mission, MARCH, march.services[B])
    assert [row.decided for row in rows] == [1, 1]


# --- Pertiwi ---------------------------------------------------------------------------------


def test_pertiwi_outcomes_travel_and_unserved_reasons(march):
    data = figures.pertiwi(march.mission, MARCH)
    assert data.requests == 5  # made on 2 March; the February and April ones are not
    assert data.outcomes == {"served": 2, "not_home": 1, "rescheduled": 0}
    assert (data.routes, data.travel_minutes) == (1, 95.5)  # the draft plan's route is not
    assert data.travel_per_visit == 95.5 / 2
    assert data.unserved == {"out_of_reach": 2, "no_capacity": 1}


def test_pertiwi_of_one_service(march):
    data = figures.pertiwi(march.mission, MARCH, march.services[A])
    assert data.requests == 3
    assert data.outcomes["served"] == 2 and data.outcomes["not_home"] == 0
    assert data.routes == 1
    assert data.unserved == {"no_capacity": 1, "out_of_reach": 1}


# --- other missions and empty months ---------------------------------------------------------


def test_another_missions_figures_are_empty(march, demo):
    ottawa = demo["ottawa"]
    assert figures.volumes(ottawa, MARCH).total.total == 0
    assert figures.fill_rate(ottawa, MARCH)[-1].capacity == 0
    assert figures.waiting_times(ottawa, MARCH)[-1].called == 0
    assert figures.decisions(ottawa, MARCH)[-1].decided == 0
    assert figures.pertiwi(ottawa, MARCH).outcomes["served"] == 0


# --- IKM -------------------------------------------------------------------------------------


def test_ikm_of_the_month_comes_from_feedback_ikm(surveys):
    data = figures.ikm(surveys.mission, MARCH)
    # Element means: u1 (4+3+2)/3 = 3, u2 (4+3+3)/3 = 10/3, u3 (4+3+4)/3 = 11/3, ... Their sum
    # is 30, times 1/9 is 10/3, times 25 is 83.33: category B (Baik).
    assert data.respondents == 3
    assert data.index == Decimal("83.33")
    assert (data.category, data.label) == ("B", "Baik")
    assert data.per_element["u1"] == 3
    assert approx(data.per_element["u3"]) == approx(11 / 3)
    # The population is the month's services delivered (11); Krejcie and Morgan's formula
    # (3.841 x 11 x 0.25 / (0.0025 x 10 + 3.841 x 0.25) = 10.72) asks for 11.
    assert (data.population, data.sample_needed) == (11, 11)


def test_ikm_per_channel_and_per_service(surveys):
    rows = {row.channel: row.figures for row in figures.ikm_by_channel(surveys.mission, MARCH)}
    assert (rows["weekday"].index, rows["weekday"].category) == (
        Decimal("87.50"),
        "B",
    )  # (36 + 27) / 18
    assert (rows["saturday"].index, rows["saturday"].category) == (Decimal("75.00"), "C")  # 27 / 9
    assert rows[None].respondents == 3
    only_a = figures.ikm(surveys.mission, MARCH, surveys.services[A])
    assert (only_a.respondents, only_a.index) == (2, Decimal("87.50"))
    saturday = figures.ikm(surveys.mission, MARCH, channel="saturday")
    assert saturday.index == Decimal("75.00")


def test_ikm_without_answers_has_no_index(surveys):
    data = figures.ikm(surveys.mission, Period.month(2026, 1))
    assert (data.respondents, data.index, data.category) == (0, None, "")


def test_ikm_trend_month_by_month(surveys):
    points = figures.trend(surveys.mission, MARCH, months=2)
    assert [p.period.start.month for p in points] == [2, 3]
    assert points[0].ikm.respondents == 0
    assert points[1].ikm.index == Decimal("83.33")
    assert points[1].wait.wait_median == 10
