"""Satisfaction surveys: the invitation sent after a completed service, the citizen's answers,
and the follow-up an unhappy answer opens for the mission's supervisors.

An invitation is reached only through a random token whose SHA-256 hash is stored (the token
itself is never kept); it expires, and the database allows one response per invitation. The
response copies the invitation's mission, service and channel so that the index can be grouped
without joins, and keeps its period (the mission's local month) for the reports.
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
from pandu.feedback.ikm import CODES
from pandu.outreach.models import VisitRequest
from pandu.queue.models import Ticket


class Channel(models.TextChoices):
    """How the surveyed service was delivered (the report's channels)."""

    WEEKDAY = "weekday", _("Loket hari kerja")
    SATURDAY = "saturday", _("Layanan Sabtu")
    PERTIWI = "pertiwi", _("Kunjungan rumah Pertiwi")
    COLLECTED = "collected", _("Pengambilan dokumen")


class SurveyInvitation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("bahasa"), max_length=8, default=settings.LANGUAGE_CODE)
    email = models.EmailField(_("surel"), blank=True)
    # The service record surveyed: at most one of each, and one invitation per record.
    appointment = models.OneToOneField(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_invitation",
    )
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.PROTECT, related_name="survey_invitation"
    )
    visit_request = models.OneToOneField(
        VisitRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_invitation",
    )
    # An application (pandu.applications) by its public id, until that app's model is stable.
    application_ref = models.UUIDField(_("permohonan"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("dibuat"))
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("diisi"), null=True, blank=True)

    class Meta:
        verbose_name = _("undangan survei")
        verbose_name_plural = pgettext_lazy("plural", "undangan survei")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="survey_invitation_expires_after_creation",
            )
        ]
        indexes = [models.Index(fields=["mission", "created_at"])]

    def __str__(self) -> str:
        return f"{self.mission_id} {self.channel} {self.created_at:%Y-%m-%d}"


def _score_field(code: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        code.upper(), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


class SurveyResponse(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.PROTECT, related_name="response"
    )
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("bahasa"), max_length=8)
    u1 = _score_field("u1")
    u2 = _score_field("u2")
    u3 = _score_field("u3")
    u4 = _score_field("u4")
    u5 = _score_field("u5")
    u6 = _score_field("u6")
    u7 = _score_field("u7")
    u8 = _score_field("u8")
    u9 = _score_field("u9")
    comment = models.TextField(_("komentar"), blank=True)
    is_complaint = models.BooleanField(_("pengaduan"), default=False)
    via_kiosk = models.BooleanField(_("diisi di kios"), default=False)
    submitted_at = models.DateTimeField(_("diisi pada"))
    # The mission's local date and month of submission: the report's periods.
    submitted_on = models.DateField(_("tanggal"))
    period = models.CharField(_("periode"), max_length=7, help_text="YYYY-MM")

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = pgettext_lazy("plural", "jawaban survei")
        ordering = ["-submitted_at"]
        permissions = [("use_survey_kiosk", _("Dapat membuka survei di tablet kios"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{code}__gte": 1, f"{code}__lte": 4}),
                name=f"survey_response_{code}_1_to_4",
            )
            for code in CODES
        ]
        indexes = [models.Index(fields=["mission", "period"])]

    def __str__(self) -> str:
        return f"{self.mission_id} {self.period} {self.channel}"

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(getattr(self, code) for code in CODES)

    @property
    def low_elements(self) -> list[str]:
        """Codes of the elements answered with the lowest score (1)."""
        return [code for code in CODES if getattr(self, code) == 1]


class FollowUp(models.Model):
    """Work a supervisor does on an unhappy answer; its outcome counts in complaint handling."""

    class Status(models.TextChoices):
        OPEN = "open", _("Baru")
        IN_PROGRESS = "in_progress", _("Sedang ditangani")
        CLOSED = "closed", _("Selesai")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    response = models.OneToOneField(
        SurveyResponse, on_delete=models.PROTECT, related_name="follow_up"
    )
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ditangani oleh"),
    )
    outcome = models.TextField(_("hasil tindak lanjut"), blank=True)
    opened_at = models.DateTimeField(_("dibuka"))
    updated_at = models.DateTimeField(_("diubah"))
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tindak lanjut survei")
        verbose_name_plural = pgettext_lazy("plural", "tindak lanjut survei")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="follow_up_closed_has_time",
            )
        ]
        indexes = [models.Index(fields=["mission", "status"])]

    def __str__(self) -> str:
        return f"{self.mission_id} {self.status} {self.opened_at:%Y-%m-%d}"
