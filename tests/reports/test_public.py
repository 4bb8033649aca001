"""The public performance page: aggregates only, cells of fewer than 5 cases withheld."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from pandu.reports import figures
from pandu.reports.figures import Period

from .conftest import SAT, TUE, A, B, local, survey

pytestmark = pytest.mark.django_db
MARCH = Period.month(2026, 3)
APRIL_20 = local(dt.date(2026, 4, 20), 12)


def test_cell_suppresses_one_to_four_cases():
    assert figures.cell(12.5, 0) == figures.Cell(None, 0)
    for cases in (1, 2, 3, 4):
        shown = figures.cell(12.5, cases)
        assert shown.value is None and shown.suppressed
    assert figures.cell(12.5, 5) == figures.Cell(12.5, 5)
    assert figures.count_cell(4).suppressed and figures.count_cell(5).value == 5


def test_march_on_the_public_page(march):
    month = figures.public_month(march.mission, MARCH, APRIL_20)
    # Eight tickets were called (see test_figures): mean 123/8, 90th percentile 40.
    assert month.wait_mean == figures.Cell(123 / 8, 8)
    assert month.wait_p90 == figures.Cell(40, 8)
    # Four decisions: fewer than five, withheld (the dashboard shows 50%).
    assert month.within_service_level.suppressed and month.within_service_level.value is None
    # Two Pertiwi visits served: withheld. The Saturday session of 7 March was held.
    assert month.pertiwi_visits.suppressed
    assert month.saturday_sessions == 1


def test_a_fifth_case_reveals_the_cell(march, build):
    build.application(
        B,
        local(dt.date(2026, 3, 16), 9),
        dt.date(2026, 3, 20),
        [("issued", local(dt.date(2026, 3, 18), 9))],
        state="issued",
        citizen_index=2,
    )
    month = figures.public_month(march.mission, MARCH, APRIL_20)
    assert month.within_service_level == figures.Cell(3 / 5, 5)


def test_ikm_is_withheld_below_five_respondents(surveys):
    month = figures.public_month(surveys.mission, MARCH, APRIL_20)
    assert month.ikm.suppressed and month.ikm_category == ""
    for hour in (13, 14):
        survey(surveys.mission, surveys.services[A], "weekday", [4] * 9, local(TUE, hour))
    month = figures.public_month(surveys.mission, MARCH, APRIL_20)
    # 36 + 27 + 27 + 36 + 36 = 162 points over 45 answers: 3.6, times 25 = 90.00 (A).
    assert month.ikm == figures.Cell(Decimal("90.00"), 5)
    assert (month.ikm_category, month.ikm_label) == ("A", "Sangat Baik")


def test_saturday_sessions_held_and_the_next_one(march, build):
    later = build.session(dt.date(2026, 4, 4), kind="saturday")
    build.session(dt.date(2026, 4, 18), kind="saturday", closed=True)
    assert figures.saturday_sessions_held(march.mission, MARCH, APRIL_20) == 1
    assert figures.next_saturday_session(march.mission, local(SAT, 14)) == later
    assert figures.next_saturday_session(march.mission, APRIL_20) is None


def _this_month_tickets(build, waits: list[float]) -> None:
    day = timezone.localdate(timezone.now(), build.mission.zone).replace(day=1)
    for wait in waits:
        build.ticket(day, A, wait=wait, serve=5, arrive_hour=0)


def test_public_page_shows_no_small_cell(client, build):
    _this_month_tickets(build, [10, 11, 12, 13])
    page = client.get("/id/kinerja/toronto/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "kurang dari 5 kasus" in html
    assert "11,5" not in html  # the mean of 10, 11, 12, 13 is not shown
    _this_month_tickets(build, [14])
    html = client.get("/id/kinerja/toronto/").content.decode()
    assert "12,0" in html  # mean of 10 to 14


def test_public_page_needs_no_sign_in_and_knows_its_missions(client, demo):
    assert client.get("/en/kinerja/ottawa/").status_code == 200
    assert client.get("/id/kinerja/nowhere/").status_code == 404
    response = client.get("/id/kinerja/")
    assert response.status_code == 302 and response["Location"] == "/id/kinerja/toronto/"
