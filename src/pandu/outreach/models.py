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
