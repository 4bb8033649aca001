"""The dashboard, its exports and the monthly PDF: who may see them, filters, files read back."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pandu.people.models import User

from .conftest import A

pytestmark = pytest.mark.django_db
DASHBOARD = "/id/laporan/"
MARCH = {"mission": "toronto", "month": "2026-03"}


def _as(client, email: str):
    client.force_login(User.objects.get(email=email))
    return client


@pytest.fixture
def supervisor(client, demo):
    return _as(client, "supervisor@toronto.pandu.test")


# --- who may look ----------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["supervisor@toronto.pandu.test", "head@toronto.pandu.test"])
def test_supervisors_and_heads_of_mission_see_the_dashboard(client, demo, email):
    response = _as(client, email).get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["mission"].slug == "toronto"


@pytest.mark.parametrize(
    "email",
    ["officer@toronto.pandu.test", "sysadmin@toronto.pandu.test", "siti.rahayu@example.org"],
)
def test_others_are_refused(client, demo, email):
    client = _as(client, email)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get("/id/laporan/ekspor/volumes.csv").status_code == 403
    assert client.get("/id/laporan/bulanan.pdf").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, demo):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_another_missions_dashboard_is_not_found(client, demo):
    client = _as(client, "supervisor@ottawa.pandu.test")
    assert client.get(DASHBOARD).context["mission"].slug == "ottawa"
    assert client.get(DASHBOARD, {"mission": "toronto"}).status_code == 404
    assert client.get("/id/laporan/ekspor/volumes.csv", {"mission": "toronto"}).status_code == 404


# --- filters ---------------------------------------------------------------------------------


def test_the_month_filter_shows_that_months_figures(supervisor, march):
    response = supervisor.get(DASHBOARD, MARCH)
    assert response.status_code == 200
    tables = {t.key: t for t in response.context["tables"]}
    assert tables["volumes"].rows[-1] == ["Jumlah", 6, 2, 3, 11]
    html = response.content.decode()
    assert 'id="chart-volumes"' in html and '<title id="chart-volumes-title">' in html
    assert 'id="table-fill_rate"' in html and "73,3" in html


def test_a_date_range_and_one_service(supervisor, march):
    response = supervisor.get(
        DASHBOARD, {"mission": "toronto", "start": "2026-03-07", "end": "2026-03-07", "service": A}
    )
    assert response.status_code == 200
    tables = {t.key: t for t in response.context["tables"]}
    # Only Saturday 7 March and only passports: one done ticket, at the Saturday counter.
    assert tables["volumes"].rows == [
        [march.services[A].name, 0, 1, 0, 1],
        ["Jumlah", 0, 1, 0, 1],
    ]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"month": "2026-13"}, "Tulis bulan sebagai tahun-bulan"),
        ({"month": "maret"}, "Tulis bulan sebagai tahun-bulan"),
        ({"start": "2026-03-01"}, "Isi kedua tanggal"),
        ({"start": "2026-03-10", "end": "2026-03-01"}, "Tanggal akhir tidak boleh sebelum"),
        ({"start": "2024-01-01", "end": "2026-01-01"}, "Rentang paling panjang 366 hari"),
        ({"start": "31-03-2026", "end": "2026-04-01"}, "Masukkan tanggal"),
        ({"service": "tidak-ada"}, "Pilih"),
    ],
)
def test_bad_filters_get_a_message_not_an_error(supervisor, demo, params, message):
    response = supervisor.get(DASHBOARD, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-errors"' in html and message in html
    assert "tables" not in response.context or not response.context.get("tables")
    export = supervisor.get("/id/laporan/ekspor/volumes.csv", params)
    assert export.status_code == 400 and message in export.content.decode()


def test_unknown_tables_and_formats_are_not_found(supervisor):
    assert supervisor.get("/id/laporan/ekspor/secrets.csv").status_code == 404
    assert supervisor.get("/id/laporan/ekspor/volumes.pdf").status_code == 404


# --- exports ---------------------------------------------------------------------------------


def test_csv_export_reads_back_as_the_table(supervisor, march):
    response = supervisor.get("/id/laporan/ekspor/waiting.csv", MARCH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "pandu-toronto-waiting-20260301-20260331.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "Saluran",
        "Dipanggil",
        "Rata-rata tunggu",
        "Median tunggu",
        "Persentil ke-90 tunggu",
    ]
    weekday, saturday, total = rows[1:]
    assert weekday == ["Loket hari kerja", "6", "19.2", "15.0", "40.0", "5", "10.4", "10.0"]
    assert saturday[1:5] == ["2", "4.0", "4.0", "6.0"]
    assert total == ["Semua", "8", "15.4", "10.0", "40.0", "7", "14.6", "12.0"]


def test_xlsx_export_reads_back_as_the_table(supervisor, march):
    response = supervisor.get("/en/laporan/ekspor/decisions.xlsx", MARCH)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "2026-03-01" in values[0][0]  # the title row names the period
    header, *rows = values[1:]
    assert len(header) == 7
    by_service = {row[0]: row for row in rows}
    total = rows[-1]
    # Four decided, one rejected, median (1 + 3.25) / 2 days, two on time = 50%.
    assert total[1:] == [4, 1, 2.1, 12.0, 2, 50.0]
    assert by_service[march.services[A].name][1:3] == [2, 0]


def test_every_table_exports_in_both_formats(supervisor, march):
    from pandu.reports.tables import BUILDERS

    for key in BUILDERS:
        for fmt in ("csv", "xlsx"):
            response = supervisor.get(f"/id/laporan/ekspor/{key}.{fmt}", MARCH)
            assert response.status_code == 200, (key, fmt)


def test_csv_cells_that_look_like_formulas_are_quoted():
    from pandu.reports.exports import to_csv
    from pandu.reports.tables import Table

    table = Table("t", "t", ["a"], rows=[["=HYPERLINK(1)"], [-3]])
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows[1] == ["'=HYPERLINK(1)"] and rows[2] == ["-3"]


# --- monthly PDF -----------------------------------------------------------------------------


def test_monthly_pdf_carries_the_figures_and_the_ikm(supervisor, surveys):
    response = supervisor.get("/id/laporan/bulanan.pdf", MARCH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "pandu-toronto-laporan-2026-03.pdf" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Maret 2026" in text
    assert "83,33" in text and "B (Baik)" in text  # the IKM and its category
    assert "Responden" in text and "Persyaratan" in text
    assert "73,3" in text  # weekday fill rate
    assert "95,5" in text  # Pertiwi travel minutes


def test_monthly_pdf_without_survey_answers_says_so(supervisor, march):
    response = supervisor.get("/en/laporan/bulanan.pdf", MARCH)
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "2026" in text
