"""Opening calendar (Saturday rules, overrides, sessions), slots and appointments."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.catalog.models import Service
from pandu.core import crypto
from pandu.core.i18n import BilingualMixin
from pandu.core.models import Mission
from pandu.people.models import CitizenProfile


class BookingRules(models.Model):
    """Booking rules of a mission, or of one of its services when ``service`` is set."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="booking_rules")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="booking_rules"
    )
    lead_time_hours = models.PositiveIntegerField(
        _("paling lambat dipesan (jam sebelumnya)"), default=24
    )
    horizon_days = models.PositiveIntegerField(_("paling jauh dipesan (hari ke depan)"), default=60)
    daily_limit = models.PositiveSmallIntegerField(
        _("janji temu per orang per hari"), default=2, validators=[MinValueValidator(1)]
    )
    change_deadline_hours = models.PositiveIntegerField(
        _("batas ubah atau batal (jam sebelumnya)"), default=24
    )
    max_reschedules = models.PositiveSmallIntegerField(_("paling banyak dijadwal ulang"), default=2)
    priority_share_percent = models.PositiveSmallIntegerField(
        _("kursi untuk prioritas (%)"), default=20, validators=[MaxValueValidator(100)]
    )
    priority_release_hours = models.PositiveIntegerField(
        _("kursi prioritas dibuka untuk semua (jam sebelumnya)"), default=48
    )
    draw_minutes = models.PositiveSmallIntegerField(
        _("masa undian sesudah pembukaan (menit)"),
        default=10,
        help_text=_(
            "Permintaan pada menit-menit pertama sesudah slot dibuka diundi, bukan siapa cepat."
        ),
    )
    waitlist_hold_hours = models.PositiveSmallIntegerField(
        _("kursi ditahan untuk daftar tunggu (jam)"), default=2, validators=[MinValueValidator(1)]
    )
    no_show_limit = models.PositiveSmallIntegerField(
        _("batas tidak datang"),
        default=2,
        help_text=_("Sekian kali tidak datang memblokir pemesanan daring. 0 = tidak pernah."),
    )
    no_show_window_days = models.PositiveIntegerField(
        _("tidak datang dihitung selama (hari)"), default=180
    )
    no_show_block_days = models.PositiveIntegerField(_("lama blokir (hari)"), default=30)

    class Meta:
        verbose_name = _("aturan pemesanan")
        verbose_name_plural = pgettext_lazy("plural", "aturan pemesanan")
        constraints = [
            models.UniqueConstraint(fields=["mission", "service"], name="booking_rules_unique"),
            models.UniqueConstraint(
                fields=["mission"],
                condition=Q(service__isnull=True),
                name="booking_rules_one_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission.slug}: {self.service.code if self.service else '*'}"


class SaturdayRule(models.Model):
    """Saturday sessions as a recurring rule: the listed weeks of each month (-1 = the last)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="saturday_rules")
    weeks = models.JSONField(
        _("Sabtu ke-"),
        default=list,
        help_text=_("Misalnya [1] untuk Sabtu pertama, [2, 4], atau [-1] untuk Sabtu terakhir."),
    )
    opens = models.TimeField(_("buka"))
    closes = models.TimeField(_("tutup"))
    counters = models.PositiveSmallIntegerField(
        _("jumlah loket"), default=2, validators=[MinValueValidator(1)]
    )
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    quotas = models.JSONField(
        _("kuota per layanan"),
        default=dict,
        blank=True,
        help_text=_(
            'Paling banyak janji temu per layanan dalam satu sesi, misalnya {"PASPOR": 20}.'
        ),
    )

    class Meta:
        verbose_name = _("aturan layanan Sabtu")
        verbose_name_plural = pgettext_lazy("plural", "aturan layanan Sabtu")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="saturday_rule_closes_after_opens"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mission.slug}: {self.weeks} {self.opens:%H:%M}-{self.closes:%H:%M}"


class CalendarOverride(BilingualMixin, models.Model):
    """A date the mission closes (a closure) or opens although it is a public holiday."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="calendar_overrides"
    )
    date = models.DateField(_("tanggal"))
    is_open = models.BooleanField(_("buka"), default=False)
    reason_id = models.CharField(_("alasan (Indonesia)"), max_length=200)
    reason_en = models.CharField(_("alasan (Inggris)"), max_length=200)

    class Meta:
        verbose_name = _("hari khusus")
        verbose_name_plural = pgettext_lazy("plural", "hari khusus")
        constraints = [
            models.UniqueConstraint(fields=["mission", "date"], name="calendar_override_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {'open' if self.is_open else 'closed'}"


class Session(models.Model):
    class Kind(models.TextChoices):
        WEEKDAY = "weekday", _("Hari kerja")
        SATURDAY = "saturday", _("Sabtu")
        EXTRA = "extra", _("Sesi tambahan")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("tanggal"))
    opens = models.TimeField(_("buka (waktu setempat)"))
    closes = models.TimeField(_("tutup (waktu setempat)"))
    starts_at = models.DateTimeField(_("mulai (UTC)"))
    ends_at = models.DateTimeField(_("selesai (UTC)"))
    counters = models.PositiveSmallIntegerField(
        _("jumlah loket"), validators=[MinValueValidator(1)]
    )
    location_name = models.CharField(_("tempat"), max_length=200, blank=True)
    address = models.TextField(
        _("alamat"), blank=True, help_text=_("Kosongkan jika di kantor perwakilan.")
    )
    is_closed = models.BooleanField(_("ditutup"), default=False)
    releases_at = models.DateTimeField(
        _("slot dibuka pada"),
        null=True,
        blank=True,
        help_text=_("Kosongkan agar slot dapat dipesan sesuai aturan pemesanan."),
    )
    draw_done_at = models.DateTimeField(_("undian dilakukan"), null=True, blank=True)
    draw_seed = models.CharField(_("benih undian"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("sesi layanan")
        verbose_name_plural = pgettext_lazy("plural", "sesi layanan")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "date", "kind", "opens"], name="session_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["mission", "date"])]

    def __str__(self) -> str:
        return (
            f"{self.mission.slug} {self.date} {self.opens:%H:%M}-{self.closes:%H:%M} ({self.kind})"
        )

    @property
    def channel(self) -> str:
        return "saturday" if self.kind == self.Kind.SATURDAY else "weekday"


class Slot(models.Model):
    """Seats for one service at one time of a session. ``booked`` never exceeds ``capacity``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(_("kapasitas"))
    priority_seats = models.PositiveSmallIntegerField(_("kursi prioritas"), default=0)
    booked = models.PositiveSmallIntegerField(_("terpesan"), default=0)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = pgettext_lazy("plural", "slot")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_never_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(priority_seats__lte=F("capacity")), name="slot_priority_within_capacity"
            ),
            models.UniqueConstraint(
                fields=["session", "service", "starts_at"], name="slot_unique_start"
            ),
        ]
        indexes = [models.Index(fields=["service", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.service.code} {self.starts_at:%Y-%m-%d %H:%M}Z {self.booked}/{self.capacity}"

    @property
    def mission_id(self) -> int:
        return self.session.mission_id


class Channel(models.TextChoices):
    """How a booking was made."""

    ONLINE = "online", _("Daring")
    STAFF = "staff", _("Oleh petugas (telepon atau loket)")


class SessionQuota(models.Model):
    """At most ``limit`` bookings in a session, for one service and/or one booking channel.

    ``used`` is raised by the same conditional update that takes a seat, so quotas hold under any
    load just as slot capacities do.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="quotas")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="quotas"
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices, blank=True)
    limit = models.PositiveSmallIntegerField(_("kuota"))
    used = models.PositiveSmallIntegerField(_("terpakai"), default=0)

    class Meta:
        verbose_name = _("kuota sesi")
        verbose_name_plural = pgettext_lazy("plural", "kuota sesi")
        constraints = [
            models.CheckConstraint(condition=Q(used__lte=F("limit")), name="quota_never_exceeded"),
            models.UniqueConstraint(fields=["session", "service", "channel"], name="quota_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.service_id or '*'} {self.channel or '*'} {self.used}/{self.limit}"


ACTIVE = ("booked", "checked_in")
IDENTITY_KEY_LENGTH = 40


def identity_key_from(*, passport_number: str, nik: str) -> str | None:
    """The key binding a booking to one identity document, without the document's number.

    "P:" or "N:" and the start of the number's lookup hash (``crypto.lookup_hash``, the same
    keyed hash as the citizen's ``passport_hash``/``nik_hash``): 152 bits, so two documents never
    share a key, and the column keeps its width. The passport wins when the citizen has both.
    """
    for prefix, purpose, number in (("P", "passport", passport_number), ("N", "nik", nik)):
        if number:
            digest = crypto.lookup_hash(purpose, number)
            return f"{prefix}:{digest[: IDENTITY_KEY_LENGTH - 2]}"
    return None


class CancelReason(models.TextChoices):
    CITIZEN = "citizen", _("Dibatalkan pemohon")
    STAFF = "staff", _("Dibatalkan petugas")
    CLOSURE = "closure", _("Perwakilan tutup pada hari itu")


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Terpesan")
        CHECKED_IN = "checked_in", _("Sudah lapor hadir")
        SERVED = "served", _("Sudah dilayani")
        NO_SHOW = "no_show", _("Tidak datang")
        CANCELLED = "cancelled", _("Dibatalkan")

    reference = models.CharField(_("nomor referensi"), max_length=16, unique=True, editable=False)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="appointments")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="appointments")
    citizen = models.ForeignKey(
        CitizenProfile, on_delete=models.PROTECT, related_name="appointments"
    )
    identity_key = models.CharField(
        _("identitas"),
        max_length=IDENTITY_KEY_LENGTH,
        help_text=_(
            "Hash berkunci nomor paspor atau NIK; nomornya sendiri tidak disimpan di sini."
        ),
    )
    priority = models.BooleanField(_("prioritas"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    reschedules = models.PositiveSmallIntegerField(_("jadwal ulang"), default=0)
    channel = models.CharField(
        _("saluran"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    cancel_reason = models.CharField(
        _("alasan batal"), max_length=12, choices=CancelReason.choices, blank=True
    )
    reminded_day_before_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_morning_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("janji temu")
        verbose_name_plural = pgettext_lazy("plural", "janji temu")
        ordering = ["slot__starts_at"]
        constraints = [
            # One active booking per person per service, decided by the database.
            models.UniqueConstraint(
                fields=["citizen", "service"],
                condition=Q(status__in=ACTIVE),
                name="one_active_booking_per_citizen",
            ),
            models.UniqueConstraint(
                fields=["identity_key", "service"],
                condition=Q(status__in=ACTIVE),
                name="one_active_booking_per_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class DrawEntry(models.Model):
    """A request made in the first minutes after a session's release, waiting for the draw."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Menunggu undian")
        WON = "won", _("Mendapat kursi")
        LOST = "lost", _("Tidak mendapat kursi")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="draw_entries")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="draw_entries")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="draw_entries")
    citizen = models.ForeignKey(
        CitizenProfile, on_delete=models.CASCADE, related_name="draw_entries"
    )
    identity_key = models.CharField(max_length=IDENTITY_KEY_LENGTH)  # see identity_key_from
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(
        _("hasil"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING
    )
    rank = models.PositiveIntegerField(null=True, blank=True)
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="draw_entry"
    )

    class Meta:
        verbose_name = _("peserta undian")
        verbose_name_plural = pgettext_lazy("plural", "peserta undian")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "service", "citizen"], name="draw_one_entry_per_citizen"
            ),
            models.UniqueConstraint(
                fields=["session", "service", "identity_key"], name="draw_one_entry_per_identity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.service_id} {self.outcome}"


WAITING = ("waiting", "offered")


class WaitlistEntry(models.Model):
    """A citizen waiting for a seat of a service that had none free in the booking horizon."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Menunggu")
        OFFERED = "offered", _("Ditawari kursi")
        BOOKED = "booked", _("Sudah memesan")
        EXPIRED = "expired", _("Tawaran lewat waktu")
        LEFT = "left", _("Keluar dari daftar")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="waitlist")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="waitlist")
    citizen = models.ForeignKey(CitizenProfile, on_delete=models.CASCADE, related_name="waitlist")
    channel = models.CharField(
        _("hari"),
        max_length=10,
        blank=True,
        help_text=_("weekday, saturday, atau kosong untuk kapan saja."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.WAITING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    offered_slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="waitlist_offers"
    )
    hold_until = models.DateTimeField(_("ditahan sampai"), null=True, blank=True)
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="waitlist_entry"
    )

    class Meta:
        verbose_name = _("daftar tunggu")
        verbose_name_plural = pgettext_lazy("plural", "daftar tunggu")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "service"],
                condition=Q(status__in=WAITING),
                name="waitlist_one_entry_per_citizen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.citizen_id} {self.status}"
