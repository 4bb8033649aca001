"""Append-only audit events, each chained by hash to the one before."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("nomor urut"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("waktu"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        verbose_name=_("pelaku"),
    )
    actor_label = models.CharField(_("label pelaku"), max_length=254, editable=False)
    event = models.CharField(_("peristiwa"), max_length=80, db_index=True, editable=False)
    object_type = models.CharField(_("jenis objek"), max_length=80, blank=True, editable=False)
    object_ref = models.CharField(_("objek"), max_length=80, blank=True, editable=False)
    mission = models.ForeignKey(
        "core.Mission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("perwakilan"),
    )
    data = models.JSONField(_("data"), default=dict, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("peristiwa audit")
        verbose_name_plural = pgettext_lazy("plural", "peristiwa audit")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_ref"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event}"

    def chained_fields(self) -> dict[str, Any]:
        """The fields the hash covers. The actor is covered by id and label."""
        return {
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "event": self.event,
            "object_type": self.object_type,
            "object_ref": self.object_ref,
            "mission_id": self.mission_id,
            "data": self.data,
        }


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Locked while an event is appended; a trigger
    (migration 0003) moves it to each inserted event."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")
        ]

    def __str__(self) -> str:
        return f"head #{self.seq}"


class SensitiveAccess(models.Model):
    """One look by a staff member at a citizen's sensitive data (docs/privacy.md "Access log").

    Written once by ``sensitive_access_record``; never changed by the application, and deleted only
    when the retention rule for the access log says so (``privacy.retention``).
    It names the object by its public reference and the citizen by their profile's public id, so
    that the citizen's data export finds the accesses to their data; it holds no personal data
    itself (not the number seen, not the file).
    """

    class DataKind(models.TextChoices):
        HEALTH_EVIDENCE = "health_evidence", _("bukti kesehatan/disabilitas")
        DOCUMENT_SCAN = "document_scan", _("pindaian dokumen")
        IDENTITY_NUMBER = "identity_number", _("nomor identitas")

    occurred_at = models.DateTimeField(_("waktu"), db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        verbose_name=_("petugas"),
    )
    # The e-mail at the time, so the log still names who looked after the account is gone.
    actor_label = models.CharField(_("label petugas"), max_length=254, editable=False)
    # The roles the actor held at the mission then, as the citizen's export names staff.
    actor_roles = models.CharField(_("peran petugas"), max_length=200, blank=True, editable=False)
    mission = models.ForeignKey(
        "core.Mission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("perwakilan"),
    )
    data_kind = models.CharField(
        _("jenis data"), max_length=20, choices=DataKind.choices, editable=False
    )
    object_type = models.CharField(_("jenis objek"), max_length=80, editable=False)
    object_ref = models.CharField(_("objek"), max_length=80, editable=False)
    subject_ref = models.CharField(
        _("WNI (referensi)"), max_length=80, db_index=True, editable=False
    )
    reason = models.CharField(_("alasan"), max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("akses data sensitif")
        verbose_name_plural = pgettext_lazy("plural", "akses data sensitif")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["mission", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.data_kind} {self.object_ref}"
