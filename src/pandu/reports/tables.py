"""The figures of ``figures.py`` as tables (caption, columns, rows) and the charts drawn from them.

One builder per table. The dashboard, the CSV and XLSX exports and the monthly PDF all print these
same tables, and each chart is drawn from its table's own cells, so a chart never shows a number
its table does not. Cells hold plain values: text, whole numbers, or numbers rounded to one
decimal (minutes, days, percentages 0-100); ``None`` is "no figure" (shown as a dash, exported
empty).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pandu.appointments.models import Session
from pandu.catalog.models import Channel, Service
from pandu.core.models import Mission
from pandu.feedback.models import Channel as SurveyChannel
from pandu.feedback.models import FollowUp
from pandu.reports import charts, figures
from pandu.reports.figures import Period

# PermenPANRB 14/2017, the nine elements (unsur) of the survey.
IKM_ELEMENTS = {
    "u1": gettext_lazy("Persyaratan"),
    "u2": gettext_lazy("Sistem, mekanisme, dan prosedur"),
    "u3": gettext_lazy("Waktu penyelesaian"),
    "u4": gettext_lazy("Biaya/tarif"),
    "u5": gettext_lazy("Produk spesifikasi jenis pelayanan"),
    "u6": gettext_lazy("Kompetensi pelaksana"),
    "u7": gettext_lazy("Perilaku pelaksana"),
    "u8": gettext_lazy("Penanganan pengaduan, saran dan masukan"),
    "u9": gettext_lazy("Sarana dan prasarana"),
}

UNSERVED_REASONS = {
    "out_of_reach": gettext_lazy("Di luar jangkauan perjalanan sehari"),
    "no_window_reachable": gettext_lazy("Tidak terjangkau pada jam orangnya di rumah"),
    "no_capacity": gettext_lazy("Giliran tim sudah penuh"),
    "excluded": gettext_lazy("Dikeluarkan dari rencana oleh penyelia"),
    "no_location": gettext_lazy("Lokasi alamat belum diketahui"),
    "no_shifts": gettext_lazy("Belum ada giliran tugas tim"),
}


def r1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def dec(value: float | None, places: int) -> Decimal | None:
    """A figure with a fixed number of decimals (IKM parts), kept as a number for exports."""
    return (
        None
        if value is None
        else Decimal(str(round(value, places))).quantize(Decimal(1).scaleb(-places))
    )


def pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    available: bool = True  # False: the source is not there yet ("no data yet")
    note: str = ""
    charts: list[str] = field(default_factory=list)  # SVG markup drawn from the rows

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class Filters:
    mission: Mission
    period: Period
    service: Service | None = None
    now: dt.datetime | None = None


def channel_label(channel: str | None) -> str:
    return str(Channel(channel).label) if channel else _("Semua")


# --------------------------------------------------------------------------- builders


def volumes_table(f: Filters) -> Table:
    data = figures.volumes(f.mission, f.period, f.service)
    table = Table(
        "volumes",
        _("Layanan yang diberikan menurut layanan dan saluran"),
        [_("Layanan"), *(channel_label(c) for c in figures.CHANNELS), _("Jumlah")],
        note=_(
            "Loket: nomor antrean yang selesai dilayani. Pertiwi: kunjungan rumah yang tercatat "
            "dilayani, sekali untuk setiap layanan yang diminta."
        ),
    )
    for row in data.rows:
        table.rows.append([row.service.name, *(row.counts[c] for c in figures.CHANNELS), row.total])
    table.rows.append(
        [_("Jumlah"), *(data.total.counts[c] for c in figures.CHANNELS), data.total.total]
    )
    table.charts = [
        charts.bar_chart(
            chart_id="chart-volumes",
            title=_("Layanan yang diberikan per layanan"),
            desc=_(
                "Jumlah layanan yang diberikan pada periode ini untuk setiap layanan, semua saluran."
            ),
            bars=[charts.Bar(row[0], row[-1]) for row in table.rows[:-1] if row[-1]],
        )
    ]
    return table


def fill_rate_table(f: Filters) -> Table:
    rows = figures.fill_rate(f.mission, f.period, f.service)
    table = Table(
        "fill_rate",
        _("Keterisian sesi"),
        [_("Jenis sesi"), _("Sesi"), _("Kursi"), _("Terpesan"), _("Keterisian (%)")],
        note=_("Sesi yang ditutup tidak dihitung."),
    )
    for row in rows:
        label = str(Session.Kind(row.kind).label) if row.kind else _("Jumlah")
        table.rows.append([label, row.sessions, row.capacity, row.booked, pct(row.rate)])
    table.charts = [
        charts.bar_chart(
            chart_id="chart-fill",
            title=_("Keterisian sesi per jenis sesi"),
            desc=_("Persentase kursi yang terpesan dari kursi yang ditawarkan, per jenis sesi."),
            bars=[charts.Bar(row[0], row[-1]) for row in table.rows],
            unit="%",
            decimals=1,
            max_value=100,
        )
    ]
    return table


def no_shows_table(f: Filters) -> Table:
    rows = figures.no_shows(f.mission, f.period, f.service, f.now)
    table = Table(
        "no_shows",
        _("Janji temu yang tidak didatangi"),
        [_("Saluran"), _("Janji temu jatuh tempo"), _("Tidak datang"), _("Tidak datang (%)")],
        note=_("Jatuh tempo: janji temu yang tidak dibatalkan dan waktunya sudah lewat."),
    )
    for row in rows:
        table.rows.append([channel_label(row.channel), row.due, row.no_show, pct(row.rate)])
    return table


def waiting_table(f: Filters) -> Table:
    rows = figures.waiting_times(f.mission, f.period, f.service)
    table = Table(
        "waiting",
        _("Waktu tunggu dan waktu layanan (menit)"),
        [
            _("Saluran"),
            _("Dipanggil"),
            _("Rata-rata tunggu"),
            _("Median tunggu"),
            _("Persentil ke-90 tunggu"),
            _("Selesai dilayani"),
            _("Rata-rata layanan"),
            _("Median layanan"),
        ],
        available=rows is not None,
        note=_(
            "Dari riwayat setiap nomor antrean yang sudah selesai: menunggu (termasuk sesudah "
            "dialihkan) sampai dipanggil, dan lama dilayani di loket. Persentil ke-90: 9 dari 10 "
            "pengunjung menunggu paling lama selama itu."
        ),
    )
    for row in rows or []:
        table.rows.append(
            [
                channel_label(row.channel),
                row.called,
                r1(row.wait_mean),
                r1(row.wait_median),
                r1(row.wait_p90),
                row.served,
                r1(row.service_mean),
                r1(row.service_median),
            ]
        )
    return table


def decisions_table(f: Filters) -> Table:
    rows = figures.decisions(f.mission, f.period, f.service)
    table = Table(
        "decisions",
        _("Waktu sampai keputusan dan penyelesaian dalam waktu layanan"),
        [
            _("Layanan"),
            _("Diputuskan"),
            _("Ditolak"),
            _("Median hari"),
            _("Persentil ke-90 hari"),
            _("Tepat waktu"),
            _("Tepat waktu (%)"),
        ],
        available=rows is not None,
        note=_(
            "Permohonan yang pertama kali diterbitkan atau ditolak pada periode ini; hari dihitung "
            "dari pengajuan. Tepat waktu: diputuskan paling lambat pada tanggal target."
        ),
    )
    for row in rows or []:
        if row.service is not None and not row.decided:
            continue
        table.rows.append(
            [
                row.service.name if row.service else _("Jumlah"),
                row.decided,
                row.rejected,
                r1(row.median_days),
                r1(row.p90_days),
                row.within,
                pct(row.within_share),
            ]
        )
    if rows:
        table.charts = [
            charts.bar_chart(
                chart_id="chart-decisions",
                title=_("Permohonan yang diputuskan tepat waktu"),
                desc=_("Persentase permohonan yang diputuskan paling lambat pada tanggal target."),
                bars=[charts.Bar(row[0], row[-1]) for row in table.rows],
                unit="%",
                decimals=1,
                max_value=100,
            )
        ]
    return table


def pertiwi_table(f: Filters) -> Table:
    data = figures.pertiwi(f.mission, f.period, f.service)
    table = Table(
        "pertiwi",
        _("Kunjungan rumah Pertiwi"),
        [_("Ukuran"), _("Nilai")],
        note=_("Hanya rencana perjalanan yang sudah diterbitkan."),
    )
    table.rows = [
        [_("Permintaan kunjungan baru"), data.requests],
        [_("Dilayani"), data.outcomes.get("served", 0)],
        [_("Tidak di rumah"), data.outcomes.get("not_home", 0)],
        [_("Dijadwal ulang"), data.outcomes.get("rescheduled", 0)],
        [_("Perjalanan (rute)"), data.routes],
        [_("Menit perjalanan"), r1(data.travel_minutes)],
        [_("Menit perjalanan per kunjungan dilayani"), r1(data.travel_per_visit)],
    ]
    return table


def unserved_table(f: Filters) -> Table:
    data = figures.pertiwi(f.mission, f.period, f.service)
    table = Table(
        "pertiwi_unserved",
        _("Kunjungan Pertiwi yang tidak dapat dijadwalkan, menurut alasan"),
        [_("Alasan"), _("Kunjungan")],
        note=_(
            "Kunjungan dalam rencana yang diterbitkan untuk minggu yang mulai pada periode ini."
        ),
    )
    for code, count in data.unserved.items():
        table.rows.append([str(UNSERVED_REASONS.get(code, code)), count])
    if table.rows:
        table.charts = [
            charts.bar_chart(
                chart_id="chart-unserved",
                title=_("Alasan kunjungan Pertiwi tidak dijadwalkan"),
                desc=_("Jumlah kunjungan yang tidak dapat dijadwalkan untuk setiap alasan."),
                bars=[charts.Bar(row[0], row[1]) for row in table.rows],
            )
        ]
    return table


def ikm_table(f: Filters) -> Table:
    data = figures.ikm(f.mission, f.period, f.service)
    table = Table(
        "ikm",
        _("Indeks Kepuasan Masyarakat (IKM) per unsur"),
        [_("Unsur"), _("Nilai rata-rata (1-4)"), _("Nilai rata-rata tertimbang")],
        available=data is not None,
        note=_(
            "Menurut PermenPANRB No. 14 Tahun 2017: bobot setiap unsur 1/9; IKM = jumlah nilai "
            "tertimbang x 25."
        ),
    )
    if data is None or not data.respondents:
        return table
    for key, label in IKM_ELEMENTS.items():
        value = data.per_element.get(key)
        table.rows.append(
            [
                f"{key.upper()} {label}",
                dec(value, 2),
                None if value is None else dec(value / 9, 3),
            ]
        )
    table.rows.append([_("IKM (25-100)"), None, data.index])
    table.rows.append([_("Mutu pelayanan"), None, f"{data.category} ({_(data.label)})"])
    table.rows.append([_("Responden"), None, data.respondents])
    if data.sample_needed is not None:
        table.rows.append([_("Populasi (layanan yang diberikan)"), None, data.population])
        table.rows.append(
            [_("Sampel yang diperlukan (Krejcie dan Morgan)"), None, data.sample_needed]
        )
    return table


def ikm_channel_label(channel: str | None) -> str:
    if not channel:
        return _("Semua")

    return str(SurveyChannel(channel).label) if channel in SurveyChannel.values else channel


def ikm_channels_table(f: Filters) -> Table:
    rows = figures.ikm_by_channel(f.mission, f.period, f.service)
    table = Table(
        "ikm_channels",
        _("IKM menurut saluran layanan"),
        [_("Saluran"), _("Responden"), _("IKM"), _("Mutu pelayanan")],
        available=rows is not None,
    )
    for row in rows or []:
        data = row.figures
        table.rows.append(
            [
                ikm_channel_label(row.channel),
                data.respondents,
                data.index,
                f"{data.category} ({_(data.label)})",
            ]
        )
    if rows:
        table.charts = [
            charts.bar_chart(
                chart_id="chart-ikm-channels",
                title=_("IKM menurut saluran layanan"),
                desc=_("Indeks Kepuasan Masyarakat (25-100) untuk setiap saluran layanan."),
                bars=[charts.Bar(row[0], row[2]) for row in table.rows],
                decimals=2,
                max_value=100,
            )
        ]
    return table


COMPLAINT_REASON_LABELS = {
    figures.LOW_SCORE: gettext_lazy("Dibuka karena nilai 1 pada suatu unsur"),
    figures.COMPLAINT: gettext_lazy("Dibuka karena ditandai pengaduan oleh warga"),
    figures.BOTH: gettext_lazy("Dibuka karena nilai 1 dan ditandai pengaduan"),
    figures.OTHER: gettext_lazy("Dibuka karena alasan lain"),
}


def _follow_up_status_labels() -> dict[str, str]:

    return {value: str(label) for value, label in FollowUp.Status.choices}


def complaints_table(f: Filters) -> Table:
    data = figures.complaints(f.mission, f.period, f.service, f.now)
    days = figures.FOLLOW_UP_TARGET_DAYS
    table = Table(
        "complaints",
        _("Penanganan pengaduan"),
        [_("Ukuran"), _("Nilai")],
        available=data is not None,
        note=_(
            "Tindak lanjut dibuka untuk jawaban survei dengan nilai 1 pada suatu unsur atau yang "
            "ditandai pengaduan, dan dihitung menurut tanggal dibuka; statusnya adalah status "
            "saat ini. Target: selesai paling lama %(days)d hari sejak dibuka. Persentase tepat "
            "waktu dihitung dari tindak lanjut yang sudah selesai atau sudah lewat target; hari "
            "sampai selesai dari tindak lanjut yang diselesaikan pada periode ini."
        )
        % {"days": days},
    )
    if data is None or not (data.total.opened or data.closed_in_period):
        return table
    total, status = data.total, _follow_up_status_labels()
    table.rows = [
        [_("Tindak lanjut dibuka"), total.opened],
        *(
            [str(COMPLAINT_REASON_LABELS[reason]), count]
            for reason, count in data.reasons.items()
            if count or reason != figures.OTHER
        ),
        [_("Status saat ini: %(status)s") % {"status": status["open"]}, total.open],
        [_("Status saat ini: %(status)s") % {"status": status["in_progress"]}, total.in_progress],
        [_("Status saat ini: %(status)s") % {"status": status["closed"]}, total.closed],
        [_("Selesai dalam %(days)d hari") % {"days": days}, total.within],
        [_("Selesai setelah lewat %(days)d hari") % {"days": days}, total.closed_late],
        [_("Belum selesai dan sudah lewat %(days)d hari") % {"days": days}, total.overdue],
        [_("Selesai dalam %(days)d hari (%%)") % {"days": days}, pct(total.within_share)],
        [_("Tindak lanjut yang diselesaikan pada periode ini"), data.closed_in_period],
        [_("Median hari sampai selesai"), r1(data.median_days)],
        [_("Persentil ke-90 hari sampai selesai"), r1(data.p90_days)],
    ]
    return table


def complaints_channels_table(f: Filters) -> Table:
    data = figures.complaints(f.mission, f.period, f.service, f.now)
    days = figures.FOLLOW_UP_TARGET_DAYS
    status = _follow_up_status_labels() if data is not None else {}
    table = Table(
        "complaints_channels",
        _("Tindak lanjut pengaduan menurut saluran layanan"),
        [
            _("Saluran"),
            _("Dibuka"),
            status.get("open", _("Baru")),
            status.get("in_progress", _("Sedang ditangani")),
            status.get("closed", _("Selesai")),
            _("Selesai dalam %(days)d hari") % {"days": days},
            _("Selesai dalam %(days)d hari (%%)") % {"days": days},
        ],
        available=data is not None,
        note=_("Tindak lanjut yang dibuka pada periode ini, menurut saluran jawaban surveinya."),
    )
    if data is None or not data.total.opened:
        return table
    for row in [*data.rows, data.total]:
        table.rows.append(
            [
                ikm_channel_label(row.channel),
                row.opened,
                row.open,
                row.in_progress,
                row.closed,
                row.within,
                pct(row.within_share),
            ]
        )
    table.charts = [
        charts.bar_chart(
            chart_id="chart-complaints-channels",
            title=_("Tindak lanjut pengaduan yang dibuka per saluran"),
            desc=_("Jumlah tindak lanjut yang dibuka pada periode ini untuk setiap saluran."),
            bars=[charts.Bar(row[0], row[1]) for row in table.rows[:-1]],
        )
    ]
    return table


def trend_table(f: Filters) -> Table:
    points = figures.trend(f.mission, f.period, f.service)
    table = Table(
        "trend",
        _("Perkembangan per bulan"),
        [
            _("Bulan"),
            _("Median tunggu (menit)"),
            _("Persentil ke-90 tunggu (menit)"),
            _("IKM"),
            _("Mutu pelayanan"),
            _("Responden"),
        ],
    )
    for point in points:
        index = point.ikm if point.ikm and point.ikm.respondents else None
        table.rows.append(
            [
                formats.date_format(point.period.start, "M Y"),
                r1(point.wait.wait_median) if point.wait else None,
                r1(point.wait.wait_p90) if point.wait else None,
                index.index if index else None,
                index.category if index else None,
                index.respondents if index else 0,
            ]
        )
    labels = [row[0] for row in table.rows]
    table.charts = [
        charts.line_chart(
            chart_id="chart-wait-trend",
            title=_("Waktu tunggu per bulan"),
            desc=_("Median dan persentil ke-90 waktu tunggu dalam menit untuk setiap bulan."),
            labels=labels,
            series=[
                charts.Series(_("Median"), [row[1] for row in table.rows]),
                charts.Series(_("Persentil ke-90"), [row[2] for row in table.rows]),
            ],
            decimals=1,
        )
    ]
    if any(row[3] is not None for row in table.rows):
        table.charts.append(
            charts.line_chart(
                chart_id="chart-ikm-trend",
                title=_("IKM per bulan"),
                desc=_("Indeks Kepuasan Masyarakat (25-100) untuk setiap bulan."),
                labels=labels,
                series=[charts.Series(_("IKM"), [row[3] for row in table.rows])],
                decimals=1,
                min_value=25,
                max_value=100,
            )
        )
    return table


BUILDERS: dict[str, Callable[[Filters], Table]] = {
    "volumes": volumes_table,
    "fill_rate": fill_rate_table,
    "no_shows": no_shows_table,
    "waiting": waiting_table,
    "decisions": decisions_table,
    "pertiwi": pertiwi_table,
    "pertiwi_unserved": unserved_table,
    "ikm": ikm_table,
    "ikm_channels": ikm_channels_table,
    "complaints": complaints_table,
    "complaints_channels": complaints_channels_table,
    "trend": trend_table,
}


def build(key: str, filters: Filters) -> Table:
    return BUILDERS[key](filters)


def build_all(filters: Filters) -> list[Table]:
    return [builder(filters) for builder in BUILDERS.values()]
