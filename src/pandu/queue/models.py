"""The waiting room: counters, tickets and the append-only periods of each ticket.

A ticket's ``state`` and ``counter`` are its current position, kept on the row so that calling
is one conditional update the database decides (two officers never get the same ticket). Its
history is ``TicketPeriod`` rows, only ever appended and closed, from which wait and service
times are derived.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.appointments.models import Appointment
from pandu.catalog.models import Service
from pandu.core.models import Mission


class QueueSettings(models.Model):
    """Per-mission settings of the waiting room."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="queue_settings")
    notify_places_ahead = models.PositiveSmallIntegerField(
        _("beri tahu saat tinggal (antrean di depan)"),
        default=3,
        validators=[MaxValueValidator(50)],
        help_text=_("Surel dikirim saat sekian orang lagi di depan. 0 = tidak dikirim."),
    )
    service_time_days = models.PositiveSmallIntegerField(
        _("waktu layanan dihitung dari (hari terakhir)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )

    class Meta:
        verbose_name = _("pengaturan ruang tunggu")
        verbose_name_plural = pgettext_lazy("plural", "pengaturan ruang tunggu")

    def __str__(self) -> str:
        return str(self.mission)


class Counter(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField(_("nomor loket"), validators=[MinValueValidator(1)])
    services = models.ManyToManyField(
        Service, blank=True, related_name="counters", verbose_name=_("layanan")
    )
    is_open = models.BooleanField(_("buka"), default=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("petugas"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("loket")
        verbose_name_plural = pgettext_lazy("plural", "loket")
        ordering = ["mission", "number"]
        permissions = [("operate_counter", _("Dapat melayani di loket"))]
        constraints = [
            models.UniqueConstraint(fields=["mission", "number"], name="counter_number_unique")
        ]

    def __str__(self) -> str:
        return str(_("Loket %(number)s") % {"number": self.number})


class Ticket(models.Model):
    class Channel(models.TextChoices):
        APPOINTMENT = "appointment", _("Janji temu")
        WALK_IN = "walk_in", _("Datang langsung")

    class Priority(models.TextChoices):
        # Values match pandu.queue.policy.PriorityReason.
        ELDERLY = "elderly", _("Lanjut usia (60 tahun ke atas)")
        PREGNANT = "pregnant", _("Hamil")
        DISABILITY = "disability", _("Penyandang disabilitas")
        APPOINTMENT = "appointment", _("Janji temu pada waktunya")

    class State(models.TextChoices):
        WAITING = "waiting", _("Menunggu")
        CALLED = "called", _("Dipanggil")
        SERVING = "serving", _("Sedang dilayani")
        ON_HOLD = "on_hold", _("Ditunda")
        TRANSFERRED = "transferred", _("Dialihkan, menunggu")
        DONE = "done", _("Selesai")
        NO_SHOW = "no_show", _("Tidak datang")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="tickets")
    date = models.DateField(_("tanggal"))
    prefix = models.CharField(_("kelompok"), max_length=1)
    sequence = models.PositiveSmallIntegerField(_("urutan"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="tickets")
    channel = models.CharField(_("saluran"), max_length=12, choices=Channel.choices)
    priority_reason = models.CharField(
        _("alasan prioritas"), max_length=12, choices=Priority.choices, blank=True
    )
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    appointment_at = models.DateTimeField(_("waktu janji temu"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("datang"))
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.WAITING
    )
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    overtaken = models.PositiveSmallIntegerField(_("didahului"), default=0)
    notify_email = models.EmailField(_("surel pemberitahuan"), blank=True)
    language = models.CharField(_("bahasa"), max_length=8, default=settings.LANGUAGE_CODE)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Not a column: set on the tickets that selectors.waiting_of_day reads, and only there.
    callable_here: bool

    class Meta:
        verbose_name = _("nomor antrean")
        verbose_name_plural = pgettext_lazy("plural", "nomor antrean")
        ordering = ["date", "arrived_at", "pk"]
        permissions = [
            ("use_kiosk", _("Dapat memakai kios lapor hadir")),
            ("view_display", _("Dapat membuka layar ruang tunggu")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "date", "prefix", "sequence"], name="ticket_number_unique"
            ),
            # A counter serves one ticket at a time, decided by the database.
            models.UniqueConstraint(
                fields=["counter"],
                condition=Q(state__in=["called", "serving"]),
                name="ticket_one_current_per_counter",
            ),
        ]
        indexes = [models.Index(fields=["mission", "date", "state"])]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.prefix}-{self.sequence:03d}"


WAITING_STATES = (Ticket.State.WAITING, Ticket.State.TRANSFERRED)
CURRENT_STATES = (Ticket.State.CALLED, Ticket.State.SERVING)
FINAL_STATES = (Ticket.State.DONE, Ticket.State.NO_SHOW)


class TicketSequence(models.Model):
    """The last number given in one group on one day; raised under a row lock."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    prefix = models.CharField(max_length=1)
    last = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "date", "prefix"], name="ticket_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.prefix} {self.last}"


class TicketPeriod(models.Model):
    """One stretch of a ticket's day in one state. Appended and closed, never edited otherwise.

    Final states (done, no-show) are instants: they start and end at the same moment.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="periods")
    state = models.CharField(_("status"), max_length=12, choices=Ticket.State.choices)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="periods"
    )
    started_at = models.DateTimeField(_("mulai"))
    ended_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("riwayat antrean")
        verbose_name_plural = pgettext_lazy("plural", "riwayat antrean")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(ended_at__isnull=True), name="period_one_open"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="period_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["state", "started_at"])]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.state} {self.started_at:%H:%M}"

    @property
    def mission_id(self) -> int:
        return self.ticket.mission_id
