"""Crisis messages to registered citizens by place and group, each delivery, and the replies.

A ``Broadcast`` is written by a supervisor (area, groups, text in both languages), confirmed,
and then its recipients are fixed as ``Delivery`` rows, one per citizen (a unique constraint: a
citizen is never in one broadcast twice). Each delivery records its own fate; the message that
left is a ``notify.OutboundMessage``, whose status the providers' webhooks move on to delivered
and read. A citizen's "I need help" reply opens a ``HelpCase`` that staff work through.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.core.models import PROVINCE_NAMES, Mission
from pandu.people.models import CitizenProfile


class Area(models.TextChoices):
    RADIUS = "radius", _("Radius di sekitar satu titik")
    PROVINCES = "provinces", _("Provinsi")


class Group(models.TextChoices):
    ALL = "all", _("Semua WNI yang melapor diri")
    ELDERLY = "elderly", _("Lansia (60 tahun ke atas)")
    PREGNANT = "pregnant", _("Ibu hamil")
    DISABILITY = "disability", _("Penyandang disabilitas")
    STUDENTS = "students", _("Pelajar dan mahasiswa")


class Broadcast(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SENDING = "sending", _("Sedang dikirim")
        DONE = "done", _("Selesai")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="broadcasts", verbose_name=_("perwakilan")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    crisis = models.CharField(_("jenis krisis"), max_length=20, blank=True)
    area = models.CharField(_("wilayah"), max_length=10, choices=Area.choices)
    center_lat = models.FloatField(_("lintang titik pusat"), null=True, blank=True)
    center_lon = models.FloatField(_("bujur titik pusat"), null=True, blank=True)
    center_label = models.CharField(_("nama titik pusat"), max_length=100, blank=True)
    radius_km = models.FloatField(_("radius (km)"), null=True, blank=True)
    provinces = models.JSONField(_("provinsi"), default=list, blank=True)
    groups = models.JSONField(_("kelompok"), default=list)
    subject_id = models.CharField(_("judul (Indonesia)"), max_length=120)
    body_id = models.TextField(_("isi (Indonesia)"))
    subject_en = models.CharField(_("judul (Inggris)"), max_length=120)
    body_en = models.TextField(_("isi (Inggris)"))
    recipients = models.PositiveIntegerField(_("jumlah penerima"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    queued_at = models.DateTimeField(_("mulai dikirim"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai dikirim"), null=True, blank=True)
    # Moved on by the worker sending it; a stale beat means the worker died (``broadcasts_resume``).
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("pesan krisis")
        verbose_name_plural = pgettext_lazy("plural", "pesan krisis")
        ordering = ["-created_at"]
        permissions = [("send_broadcast", _("Dapat menulis dan mengirim pesan krisis"))]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return self.subject_id

    def group_labels(self) -> list[str]:
        return [str(Group(code).label) for code in self.groups if code in Group.values]

    def province_names(self) -> list[str]:
        return [str(PROVINCE_NAMES.get(code, code)) for code in self.provinces]

    def subject(self, language: str) -> str:
        return self.subject_en if language == "en" else self.subject_id

    def body(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_id


class Delivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")
        # The worker died between asking the provider and recording the answer, and the channel
        # cannot be asked whether the message left: staff check it rather than risk sending twice.
        UNCONFIRMED = "unconfirmed", _("Perlu diperiksa")

    class Answer(models.TextChoices):
        SAFE = "safe", _("Aman")
        HELP = "help", _("Butuh bantuan")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    citizen = models.ForeignKey(
        CitizenProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("WNI")
    )
    registration = models.ForeignKey(
        "registry.StayRegistration", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("bahasa"), max_length=8)
    channel = models.CharField(_("saluran"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Held by one worker while it sends; past this time the row is "in doubt" (see services).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    message = models.OneToOneField(
        "notify.OutboundMessage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="broadcast_delivery",
    )
    last_error = models.CharField(_("galat terakhir"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    answer = models.CharField(_("jawaban"), max_length=8, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman pesan krisis")
        verbose_name_plural = pgettext_lazy("plural", "pengiriman pesan krisis")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["broadcast", "citizen"], name="broadcast_one_delivery_per_citizen"
            )
        ]
        indexes = [models.Index(fields=["broadcast", "status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.broadcast_id} → {self.citizen_id}"


class Reply(models.Model):
    """One answer by the reply link. Appended, never edited: a later answer is a new row."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="replies")
    answer = models.CharField(_("jawaban"), max_length=8, choices=Delivery.Answer.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("dijawab pada"))

    class Meta:
        verbose_name = _("balasan pesan krisis")
        verbose_name_plural = pgettext_lazy("plural", "balasan pesan krisis")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.answer}"


class HelpCase(models.Model):
    """A citizen who answered "I need help": staff claim it, note what they did, resolve it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Baru")
        CLAIMED = "claimed", _("Sedang ditangani")
        RESOLVED = "resolved", _("Selesai")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="help_case")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ditangani oleh"),
    )
    opened_at = models.DateTimeField(_("dibuka"))
    updated_at = models.DateTimeField(_("diubah"))
    resolved_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("permintaan bantuan")
        verbose_name_plural = pgettext_lazy("plural", "permintaan bantuan")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_at__isnull=False),
                name="broadcast_help_resolved_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.status}"


class HelpNote(models.Model):
    """What staff did for a help case; appended, never edited."""

    case = models.ForeignKey(HelpCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("catatan"))
    created_at = models.DateTimeField(_("ditulis"))

    class Meta:
        verbose_name = _("catatan bantuan")
        verbose_name_plural = pgettext_lazy("plural", "catatan bantuan")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]
