"""Complaint handling (penanganan pengaduan): the follow-ups of unhappy survey answers, counted by
hand over March 2026 at KJRI Toronto.

Every follow-up is made the way users make it: ``survey_invite`` and ``survey_submit`` open it,
a supervisor assigns, records and closes it through the feedback services, each at a fixed time.

| follow-up | channel  | service | answer            | opened (Toronto)  | now                    |
| --------- | -------- | ------- | ----------------- | ----------------- | ---------------------- |
| F0        | weekday  | B       | complaint         | 20 Feb 10:00 EST  | closed 3 Mar 10:00: 11 days |
| F1        | weekday  | A       | a 1 on U3         | 2 Mar 10:00 EST   | closed 5 Mar 10:00: 3 days |
| F2        | saturday | A       | complaint, all 3s | 7 Mar 12:00 EST   | closed 27 Mar 12:00 EDT: 19 23/24 days |
| F3        | pertiwi  | B       | a 1 and complaint | 10 Mar 09:00 EDT  | in progress            |
| F4        | weekday  | B       | a 1 on U1         | 31 Mar 23:30 EDT  | open                   |
| F6        | weekday  | A       | a 1 on U9         | 20 Mar 10:00 EDT  | closed 16:00: 0.25 days |
| F5        | weekday  | A       | a 1 on U2         | 1 Apr 00:30 EDT   | closed 2 Apr 00:30: 1 day |

Plus a happy answer in March (no follow-up) and an Ottawa follow-up in March (another mission).
F4 is 03:30 UTC on 1 April, still March in Toronto; F5 is the first minutes of April there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pandu.catalog.models import Service
from pandu.people.models import User
from pandu.reports import figures, tables
from pandu.reports.figures import Period

from .conftest import A, B, local

pytestmark = pytest.mark.django_db

MARCH = Period.month(2026, 3)
APRIL = Period.month(2026, 4)
QUERY = {"mission": "toronto", "month": "2026-03"}
# Ten days after F4 was opened: F4 is still inside its 14 days, F3 (31 days) is overdue.
NOW = local(dt.date(2026, 4, 10), 12)
SUPERVISOR = "supervisor@toronto.pandu.test"


def answers(low: tuple[str, ...] = ()) -> dict[str, int]:
    return {f"u{i}": 1 if f"u{i}" in low else 3 for i in range(1, 10)}


def unhappy(mission, code, channel, when, *, low=(), complaint=False):
    """An answer submitted at ``when``; returns the follow-up it opened."""
    from pandu.feedback import services

    service = Service.objects.get(mission=mission, code=code) if code else None
    invitation, _token = services.survey_invite(
        mission=mission, channel=channel, service=service, now=when - dt.timedelta(hours=2)
    )
    response = services.survey_submit(
        invitation=invitation,
        answers=answers(low),
        comment="Petugas tidak ramah." if complaint else "",
        is_complaint=complaint,
        now=when,
    )
    return getattr(response, "follow_up", None)


def close(follow_up, when, by):
    from pandu.feedback import services

    return services.follow_up_record(
        follow_up=follow_up, outcome="Warga sudah dihubungi.", close=True, by=by, now=when
    )


@pytest.fixture
def follow_ups(demo):
    from django.apps import apps

    if not apps.is_installed("pandu.feedback"):
        pytest.skip("the feedback app is not installed")
    from pandu.feedback import services

    toronto, ottawa = demo["toronto"], demo["ottawa"]
    boss = User.objects.get(email=SUPERVISOR)
    made = {}
    made["F0"] = unhappy(toronto, B, "weekday", local(dt.date(2026, 2, 20), 10), complaint=True)
    close(made["F0"], local(dt.date(2026, 3, 3), 10), boss)
    made["F1"] = unhappy(toronto, A, "weekday", local(dt.date(2026, 3, 2), 10), low=("u3",))
    services.follow_up_assign(
        follow_up=made["F1"], assignee=boss, by=boss, now=local(dt.date(2026, 3, 3), 9)
    )
    close(made["F1"], local(dt.date(2026, 3, 5), 10), boss)
    made["F2"] = unhappy(toronto, A, "saturday", local(dt.date(2026, 3, 7), 12), complaint=True)
    close(made["F2"], local(dt.date(2026, 3, 27), 12), boss)
    made["F3"] = unhappy(
        toronto, B, "pertiwi", local(dt.date(2026, 3, 10), 9), low=("u7",), complaint=True
    )
    services.follow_up_assign(
        follow_up=made["F3"], assignee=boss, by=boss, now=local(dt.date(2026, 3, 11), 9)
    )
    made["F4"] = unhappy(toronto, B, "weekday", local(dt.date(2026, 3, 31), 23, 30), low=("u1",))
    made["F6"] = unhappy(toronto, A, "weekday", local(dt.date(2026, 3, 20), 10), low=("u9",))
    close(made["F6"], local(dt.date(2026, 3, 20), 16), boss)
    made["F5"] = unhappy(toronto, A, "weekday", local(dt.date(2026, 4, 1), 0, 30), low=("u2",))
    close(made["F5"], local(dt.date(2026, 4, 2), 0, 30), boss)
    assert unhappy(toronto, A, "weekday", local(dt.date(2026, 3, 12), 10)) is None  # happy
    unhappy(ottawa, None, "weekday", local(dt.date(2026, 3, 12), 10), low=("u1",))
    return toronto, made


# --- the selector ----------------------------------------------------------------------------


def test_follow_ups_opened_in_the_month_by_reason_channel_and_status(follow_ups):
    toronto, _made = follow_ups
    data = figures.complaints(toronto, MARCH, now=NOW)
    total = data.total
    # Opened in March: F1, F2, F3, F4, F6 (F0 in February, F5 in April, Ottawa elsewhere).
    assert total.opened == 5
    assert data.reasons == {"low_score": 3, "complaint": 1, "both": 1, "other": 0}
    by_channel = {row.channel: row.opened for row in data.rows}
    assert by_channel == {"weekday": 3, "saturday": 1, "pertiwi": 1, "collected": 0}
    assert (total.open, total.in_progress, total.closed) == (1, 1, 3)  # F4; F3; F1, F2, F6
    # Within 14 days: F1 (3 days), F6 (0.25); late: F2 (19 23/24); overdue: F3 (31 days open).
    # F4 is 9.5 days old on 10 April: not yet due, so not counted either way.
    assert (total.within, total.closed_late, total.overdue, total.due) == (2, 1, 1, 4)
    assert total.within_share == 0.5
    weekday = next(row for row in data.rows if row.channel == "weekday")
    assert (weekday.opened, weekday.open, weekday.closed, weekday.within) == (3, 1, 2, 2)
    assert weekday.within_share == 1.0


def test_days_to_close_are_of_the_follow_ups_closed_in_the_month(follow_ups):
    toronto, _made = follow_ups
    data = figures.complaints(toronto, MARCH, now=NOW)
    # Closed in March, whenever opened: F6 0.25, F1 3, F0 11, F2 19 23/24 days (the clocks went
    # forward on 8 March, so F2's twenty calendar days are an hour short).
    assert sorted(round(d, 4) for d in data.closed_days) == [0.25, 3.0, 11.0, 19.9583]
    assert data.closed_in_period == 4
    assert data.median_days == 7.0  # (3 + 11) / 2
    assert round(data.p90_days, 4) == 19.9583  # nearest rank ceil(3.6) = 4 of 4
    assert data.target_days == figures.FOLLOW_UP_TARGET_DAYS == 14


def test_a_follow_up_on_the_last_evening_of_the_month_counts_in_that_month(follow_ups):
    toronto, made = follow_ups
    # F4 at 23:30 on 31 March in Toronto is already 1 April in UTC; F5 at 00:30 on 1 April is
    # April's.
    assert made["F4"].opened_at.astimezone(dt.UTC).date() == dt.date(2026, 4, 1)
    march = figures.complaints(toronto, MARCH, now=NOW)
    april = figures.complaints(toronto, APRIL, now=NOW)
    assert march.total.opened == 5 and march.total.open == 1
    assert april.total.opened == 1 and april.reasons["low_score"] == 1
    assert (april.total.closed, april.total.within) == (1, 1)
    assert april.closed_days == [1.0]
    last_day = figures.complaints(toronto, Period(dt.date(2026, 3, 31), dt.date(2026, 3, 31)))
    assert last_day.total.opened == 1 and last_day.closed_in_period == 0


def test_later_the_open_follow_up_becomes_overdue(follow_ups):
    toronto, _made = follow_ups
    data = figures.complaints(toronto, MARCH, now=local(dt.date(2026, 4, 15), 12))
    # 14.5 days after F4 was opened it is overdue too: 2 within of 5 due.
    assert (data.total.overdue, data.total.due, data.total.within_share) == (2, 5, 0.4)


def test_one_service(follow_ups):
    toronto, _made = follow_ups
    services = {s.code: s for s in Service.objects.filter(mission=toronto)}
    only_a = figures.complaints(toronto, MARCH, services[A], now=NOW)
    # A: F1, F6 (a 1), F2 (complaint), all closed; closed in March: F6, F1, F2.
    assert only_a.total.opened == 3
    assert only_a.reasons == {"low_score": 2, "complaint": 1, "both": 0, "other": 0}
    assert (only_a.total.closed, only_a.total.within, only_a.total.overdue) == (3, 2, 0)
    assert only_a.median_days == 3.0 and round(only_a.p90_days, 4) == 19.9583
    only_b = figures.complaints(toronto, MARCH, services[B], now=NOW)
    # B: F3 (both, in progress, overdue), F4 (open); closed in March: F0 (11 days).
    assert (only_b.total.opened, only_b.total.in_progress, only_b.total.open) == (2, 1, 1)
    assert only_b.reasons["both"] == 1 and only_b.closed_days == [11.0]
    assert only_b.total.within_share == 0.0


def test_a_month_without_follow_ups_has_no_rows(follow_ups):
    toronto, _made = follow_ups
    data = figures.complaints(toronto, Period.month(2026, 1), now=NOW)
    assert data.total.opened == 0 and data.closed_in_period == 0
    assert data.median_days is None and data.total.within_share is None
    table = tables.complaints_table(tables.Filters(toronto, Period.month(2026, 1), now=NOW))
    assert table.available and table.empty


def test_without_the_feedback_app_there_is_no_figure(demo, monkeypatch):
    monkeypatch.setattr(figures, "installed", lambda app: app != "feedback")
    assert figures.complaints(demo["toronto"], MARCH) is None
    table = tables.complaints_table(tables.Filters(demo["toronto"], MARCH))
    assert not table.available and table.empty
    assert not tables.complaints_channels_table(tables.Filters(demo["toronto"], MARCH)).available


def test_the_reason_of_a_follow_up():
    assert figures.follow_up_reason(False, [3, 1, 4]) == "low_score"
    assert figures.follow_up_reason(True, [3, 2, 4]) == "complaint"
    assert figures.follow_up_reason(True, [1, 2, 4]) == "both"
    assert figures.follow_up_reason(False, [2, 2, 4]) == "other"


# --- tables, exports, pages ------------------------------------------------------------------


def test_the_tables_carry_the_figures(follow_ups):
    toronto, _made = follow_ups
    filters = tables.Filters(toronto, MARCH, now=NOW)
    summary = dict(tables.complaints_table(filters).rows)
    assert summary["Tindak lanjut dibuka"] == 5
    assert summary["Dibuka karena nilai 1 pada suatu unsur"] == 3
    assert "Dibuka karena alasan lain" not in summary  # shown only when there are some
    assert summary["Selesai dalam 14 hari (%)"] == 50.0
    assert summary["Median hari sampai selesai"] == 7.0
    assert summary["Persentil ke-90 hari sampai selesai"] == 20.0
    channels = tables.complaints_channels_table(filters)
    assert channels.rows[-1] == ["Semua", 5, 1, 1, 3, 2, 50.0]
    assert channels.rows[0] == ["Loket hari kerja", 3, 1, 0, 2, 2, 100.0]
    assert len(channels.charts) == 1 and "chart-complaints-channels" in channels.charts[0]


@pytest.fixture
def supervisor(client, demo):
    client.force_login(User.objects.get(email=SUPERVISOR))
    return client


def test_csv_export_of_the_complaint_table(supervisor, follow_ups):
    response = supervisor.get("/id/laporan/ekspor/complaints.csv", QUERY)
    assert response.status_code == 200
    assert "pandu-toronto-complaints-20260301-20260331.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Ukuran", "Nilai"]
    found = dict(rows[1:])
    # The views count with today's clock, long after April: F3 and F4 are both overdue.
    assert found["Tindak lanjut dibuka"] == "5"
    assert found["Dibuka karena nilai 1 dan ditandai pengaduan"] == "1"
    assert found["Status saat ini: Sedang ditangani"] == "1"
    assert found["Belum selesai dan sudah lewat 14 hari"] == "2"
    assert found["Selesai dalam 14 hari (%)"] == "40.0"
    assert found["Tindak lanjut yang diselesaikan pada periode ini"] == "4"
    assert found["Median hari sampai selesai"] == "7.0"


def test_xlsx_export_of_the_complaint_tables(supervisor, follow_ups):
    response = supervisor.get("/id/laporan/ekspor/complaints_channels.xlsx", QUERY)
    assert response.status_code == 200
    values = [
        list(r)
        for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    assert "2026-03-01" in values[0][0]
    header, *rows = values[1:]
    assert header[:2] == ["Saluran", "Dibuka"]
    assert rows[-1] == ["Semua", 5, 1, 1, 3, 2, 40.0]
    assert rows[2] == ["Kunjungan rumah Pertiwi", 1, 0, 1, 0, 0, 0.0]
    response = supervisor.get("/id/laporan/ekspor/complaints.xlsx", QUERY)
    sheet = load_workbook(io.BytesIO(response.content)).active
    found = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert found["Tindak lanjut dibuka"] == 5 and found["Median hari sampai selesai"] == 7.0


def test_the_dashboard_shows_complaint_handling_with_a_link_to_the_follow_ups(
    supervisor, follow_ups
):
    response = supervisor.get("/id/laporan/", {**QUERY, "service": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="table-complaints"' in page and 'id="table-complaints_channels"' in page
    assert '<caption class="usa-sr-only">Penanganan pengaduan</caption>' in page
    assert 'href="/id/survei/tindak-lanjut/"' in page
    assert "/id/laporan/ekspor/complaints.csv?" in page
    shown = {t.key: t for t in response.context["tables"]}
    assert shown["complaints_channels"].rows[-1][1] == 5


def test_the_dashboard_filtered_to_one_service(supervisor, follow_ups):
    toronto, _made = follow_ups
    service = Service.objects.get(mission=toronto, code=B)
    response = supervisor.get("/id/laporan/", {**QUERY, "service": service.code})
    assert response.status_code == 200
    shown = {t.key: t for t in response.context["tables"]}
    assert shown["complaints_channels"].rows[-1][:2] == ["Semua", 2]


def test_the_monthly_pdf_has_a_complaint_handling_section(supervisor, follow_ups):
    response = supervisor.get("/id/laporan/bulanan.pdf", QUERY)
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Penanganan pengaduan" in text
    assert "Tindak lanjut dibuka 5" in text
    assert "Selesai dalam 14 hari (%) 40,0" in text
    assert "Tindak lanjut pengaduan menurut saluran layanan" in text
    # The section sits with the IKM result, before the other tables.
    assert text.index("Penanganan pengaduan") < text.index("Keterisian sesi")


def test_the_monthly_pdf_of_a_month_without_follow_ups_says_so(supervisor, demo):
    response = supervisor.get("/id/laporan/bulanan.pdf", {"mission": "toronto", "month": "2026-01"})
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Belum ada tindak lanjut pengaduan pada periode ini." in " ".join(text.split())
