"""Pertiwi: who may ask for a home visit (eligibility), with the evidence kept encrypted."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.core import crypto
from pandu.core.models import Mission
from pandu.people.models import CitizenProfile


class PertiwiPolicy(models.Model):
    """A mission's Pertiwi rules, as data. Missing rows mean the defaults in ``eligibility``."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="pertiwi_policy")
    elderly_age = models.PositiveSmallIntegerField(
        _("usia lanjut sejak (tahun)"), default=60, validators=[MinValueValidator(40)]
    )
    pregnancy_days_before_due = models.PositiveSmallIntegerField(
        _("kehamilan: berlaku sejak (hari sebelum perkiraan lahir)"), default=180
    )
    pregnancy_days_after_due = models.PositiveSmallIntegerField(
        _("kehamilan: berlaku sampai (hari sesudah perkiraan lahir)"), default=60
    )
    decision_valid_days = models.PositiveSmallIntegerField(
        _("keputusan berlaku (hari)"), default=365, validators=[MinValueValidator(1)]
    )
    evidence_retention_days = models.PositiveSmallIntegerField(
        _("bukti disimpan sesudah keputusan (hari)"), default=30
    )
    pertiwi_speed_kmh = models.FloatField(
        _("kecepatan rata-rata perjalanan (km/jam)"),
        default=60.0,
        validators=[MinValueValidator(5.0)],
    )
    pertiwi_detour_factor = models.FloatField(
        _("faktor jalan memutar"),
        default=1.3,
        validators=[MinValueValidator(1.0)],
        help_text=_("Jarak jalan dibagi jarak garis lurus, misalnya 1,3."),
    )
    max_day_trip_minutes = models.PositiveSmallIntegerField(
        _("perjalanan sehari paling lama (menit)"),
        default=720,
        validators=[MinValueValidator(60)],
        help_text=_("Giliran tugas tidak boleh lebih panjang; kunjungan yang lebih jauh ditandai."),
    )

    class Meta:
        verbose_name = _("aturan Pertiwi")
        verbose_name_plural = pgettext_lazy("plural", "aturan Pertiwi")

    def __str__(self) -> str:
        return self.mission.slug


class EligibilityRequest(models.Model):
    class Reason(models.TextChoices):
        DISABILITY = "disability", _("Penyandang disabilitas")
        PREGNANCY = "pregnancy", _("Hamil")
        ELDERLY = "elderly", _("Usia 60 tahun atau lebih")
        OTHER = "other", _("Alasan lain")

    class ActingAs(models.TextChoices):
        SELF = "self", _("Untuk diri sendiri")
        RELATIVE = "relative", _("Sebagai keluarga")
        CARER = "carer", _("Sebagai pendamping atau perawat")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Menunggu keputusan")
        APPROVED = "approved", _("Disetujui")
        REFUSED = "refused", _("Ditolak")
        WITHDRAWN = "withdrawn", _("Ditarik")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="eligibility")
    citizen = models.ForeignKey(
        CitizenProfile, on_delete=models.CASCADE, related_name="eligibility_requests"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acting_as = models.CharField(
        _("diajukan"), max_length=10, choices=ActingAs.choices, default=ActingAs.SELF
    )
    acting_name = models.CharField(_("nama yang mengajukan"), max_length=120, blank=True)
    acting_relation = models.CharField(_("hubungan"), max_length=80, blank=True)
    reason = models.CharField(_("alasan"), max_length=12, choices=Reason.choices)
    due_date = models.DateField(_("perkiraan tanggal lahir"), null=True, blank=True)
    details_encrypted = models.BinaryField(editable=False, default=b"")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    created_at = models.DateTimeField(_("diajukan pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("permohonan Pertiwi")
        verbose_name_plural = pgettext_lazy("plural", "permohonan Pertiwi")
        ordering = ["-created_at"]
        permissions = [("review_eligibility", _("Dapat menilai permohonan dan membuka buktinya"))]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen"],
                condition=models.Q(status="submitted"),
                name="eligibility_one_open_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.get_status_display()})"

    @property
    def details(self) -> str:
        """The citizen's explanation (may describe health): encrypted at rest."""
        return crypto.decrypt_text(self.details_encrypted)

    @details.setter
    def details(self, value: str) -> None:
        self.details_encrypted = crypto.encrypt_text(value)


class Evidence(models.Model):
    """One encrypted evidence file (medical letter, disability card). Deleted after retention."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        EligibilityRequest, on_delete=models.CASCADE, related_name="evidence"
    )
    storage_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    purge_after = models.DateTimeField(_("dihapus sesudah"), null=True, blank=True)
    purged_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = pgettext_lazy("plural", "bukti")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.content_type} {self.size} B"


# --- teams, kits and shifts ------------------------------------------------------------------


class Team(models.Model):
    """Officers who travel together with one mobile biometrics kit."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="pertiwi_teams")
    name = models.CharField(_("nama tim"), max_length=60)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="pertiwi_teams",
        verbose_name=_("anggota"),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("tim Pertiwi")
        verbose_name_plural = pgettext_lazy("plural", "tim Pertiwi")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["mission", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Kit(models.Model):
    """A mobile biometrics kit (fingerprint reader, camera, signature pad)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="pertiwi_kits")
    label = models.CharField(_("label"), max_length=60)
    serial_number = models.CharField(_("nomor seri"), max_length=60, blank=True)
    is_active = models.BooleanField(_("siap dipakai"), default=True)

    class Meta:
        verbose_name = _("perangkat biometrik keliling")
        verbose_name_plural = pgettext_lazy("plural", "perangkat biometrik keliling")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "label"], name="kit_unique_label")
        ]

    def __str__(self) -> str:
        return self.label


class Shift(models.Model):
    """One team on one date, with one kit; it leaves the mission and is back by ``end``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="pertiwi_shifts")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="shifts")
    kit = models.ForeignKey(Kit, on_delete=models.PROTECT, related_name="shifts")
    date = models.DateField(_("tanggal"))
    start = models.TimeField(_("berangkat paling awal"))
    end = models.TimeField(_("kembali paling lambat"))

    class Meta:
        verbose_name = _("giliran tugas")
        verbose_name_plural = pgettext_lazy("plural", "giliran tugas")
        ordering = ["date", "start", "team__name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "date"], name="shift_one_per_team_and_date"),
            models.UniqueConstraint(fields=["kit", "date"], name="shift_one_team_per_kit_and_date"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="shift_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.date} {self.start:%H:%M}-{self.end:%H:%M}"


# --- visit requests --------------------------------------------------------------------------


class AccessNeed(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Kursi roda")
    STAIRS = "stairs", _("Ada tangga, tanpa lift")
    INTERPRETER = "interpreter", _("Perlu juru bahasa")
    SIGN_LANGUAGE = "sign_language", _("Bahasa isyarat")
    CARER = "carer", _("Pendamping atau perawat hadir")


class VisitRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Menunggu penjadwalan")
        SCHEDULED = "scheduled", _("Dijadwalkan")
        CONFIRMED = "confirmed", _("Dikonfirmasi")
        CHANGE_REQUESTED = "change", _("Minta ganti jadwal")
        SERVED = "served", _("Sudah dilayani")
        NOT_HOME = "not_home", _("Tidak di rumah")
        CANCELLED = "cancelled", _("Dibatalkan")

    class LocationSource(models.TextChoices):
        FSA = "fsa", _("Dari kode pos (perkiraan)")
        MANUAL = "manual", _("Ditandai sendiri")
        ONLINE = "online", _("Dari layanan peta")

    class Alternative(models.TextChoices):
        OUTREACH_SESSION = "outreach_session", _("Sesi layanan keliling terdekat")
        MAIL_IN = "mail_in", _("Layanan lewat pos")
        OVERNIGHT_TRIP = "overnight_trip", _("Perjalanan dinas bermalam yang direncanakan")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="visit_requests")
    citizen = models.ForeignKey(
        CitizenProfile, on_delete=models.CASCADE, related_name="visit_requests"
    )
    eligibility = models.ForeignKey(
        EligibilityRequest, on_delete=models.PROTECT, related_name="visit_requests"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    services = models.ManyToManyField(
        "catalog.Service", related_name="visit_requests", verbose_name=_("layanan")
    )
    address_line = models.CharField(_("alamat"), max_length=200)
    city = models.CharField(_("kota"), max_length=100)
    province = models.CharField(_("provinsi"), max_length=2)
    postal_code = models.CharField(_("kode pos"), max_length=7)
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)
    location_source = models.CharField(
        _("sumber lokasi"), max_length=8, choices=LocationSource.choices, blank=True
    )
    access_needs = models.JSONField(_("kebutuhan akses"), default=list, blank=True)
    access_notes_encrypted = models.BinaryField(editable=False, default=b"")
    contact_name = models.CharField(_("nama kontak"), max_length=120)
    contact_phone = models.CharField(_("telepon kontak"), max_length=30)
    service_minutes = models.PositiveSmallIntegerField(_("lama layanan (menit)"), default=45)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    reach_code = models.CharField(_("tidak terjangkau"), max_length=24, blank=True)
    alternative = models.CharField(
        _("alternatif"), max_length=20, choices=Alternative.choices, blank=True
    )
    applications = models.ManyToManyField(
        "applications.Application",
        blank=True,
        related_name="pertiwi_visits",
        verbose_name=_("permohonan yang menunggu biometrik"),
    )
    scheduled_date = models.DateField(_("tanggal kunjungan"), null=True, blank=True)
    arrival_from = models.TimeField(_("tiba antara"), null=True, blank=True)
    arrival_until = models.TimeField(_("dan"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("permintaan kunjungan")
        verbose_name_plural = pgettext_lazy("plural", "permintaan kunjungan")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.citizen} {self.get_status_display()}"

    @property
    def access_notes(self) -> str:
        """Notes on access (may reveal health or disability): encrypted at rest."""
        return crypto.decrypt_text(self.access_notes_encrypted)

    @access_notes.setter
    def access_notes(self, value: str) -> None:
        self.access_notes_encrypted = crypto.encrypt_text(value)


class VisitWindow(models.Model):
    """A time the person is at home, in the mission's wall-clock time."""

    request = models.ForeignKey(VisitRequest, on_delete=models.CASCADE, related_name="windows")
    date = models.DateField(_("tanggal"))
    start = models.TimeField(_("dari"))
    end = models.TimeField(_("sampai"))

    class Meta:
        verbose_name = _("waktu di rumah")
        verbose_name_plural = pgettext_lazy("plural", "waktu di rumah")
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="window_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.start:%H:%M}-{self.end:%H:%M}"


# --- trip plans ------------------------------------------------------------------------------


class TripPlan(models.Model):
    """A week's proposal of trips; supervisors adjust it and publish it once."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", pgettext_lazy("trip plan", "Diterbitkan")
        DISCARDED = "discarded", _("Dibuang")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="trip_plans")
    week_start = models.DateField(_("minggu mulai"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    seed = models.PositiveIntegerField(default=1)
    seconds = models.PositiveSmallIntegerField(_("waktu pencarian (detik)"), default=10)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("rencana perjalanan")
        verbose_name_plural = pgettext_lazy("plural", "rencana perjalanan")
        ordering = ["-week_start", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "week_start"],
                condition=models.Q(status="published"),
                name="trip_plan_one_published_per_week",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mission.slug} {self.week_start} {self.status}"


class PlannedRoute(models.Model):
    """One shift's trip in a plan: leave, visit in order, return."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(TripPlan, on_delete=models.CASCADE, related_name="routes")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="routes")
    depart = models.TimeField(_("berangkat"))
    return_time = models.TimeField(_("kembali"))
    travel_minutes = models.FloatField(_("menit perjalanan"))

    class Meta:
        verbose_name = _("rute")
        verbose_name_plural = pgettext_lazy("plural", "rute")
        ordering = ["shift__date", "shift__team__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "shift"], name="route_one_per_shift_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.shift} ({self.travel_minutes:.0f} min)"


class PlanItem(models.Model):
    """A visit request as the plan treats it: adjusted (pinned to a day, left out), then either
    placed on a route with its times or reported unserved with a reason code."""

    class Outcome(models.TextChoices):
        SERVED = "served", _("Dilayani")
        NOT_HOME = "not_home", _("Tidak di rumah")
        RESCHEDULED = "rescheduled", _("Dijadwal ulang")

    plan = models.ForeignKey(TripPlan, on_delete=models.CASCADE, related_name="items")
    request = models.ForeignKey(VisitRequest, on_delete=models.CASCADE, related_name="plan_items")
    pinned_date = models.DateField(_("dikunci pada tanggal"), null=True, blank=True)
    excluded = models.BooleanField(_("dikeluarkan dari rencana"), default=False)
    route = models.ForeignKey(
        PlannedRoute, null=True, blank=True, on_delete=models.SET_NULL, related_name="stops"
    )
    order = models.PositiveSmallIntegerField(null=True, blank=True)
    start = models.TimeField(_("mulai"), null=True, blank=True)
    end = models.TimeField(_("selesai"), null=True, blank=True)
    unassigned_code = models.CharField(max_length=24, blank=True)
    outcome = models.CharField(
        _("hasil kunjungan"), max_length=12, choices=Outcome.choices, blank=True
    )
    outcome_notes = models.TextField(_("catatan"), blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kunjungan dalam rencana")
        verbose_name_plural = pgettext_lazy("plural", "kunjungan dalam rencana")
        ordering = ["route", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "request"], name="plan_item_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.request_id} {self.order}"
