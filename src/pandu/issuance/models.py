"""Documents Pandu issued as signed PDFs, so anyone holding one can check it is genuine.

Only what a verifier needs is kept: the document's kind, subject, key facts as printed, validity,
and the SHA-256 of the signed PDF. The PDF itself is handed to the caller (e.g. the applications
app stores it with the case); a changed PDF no longer matches this hash.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IssuedDocument(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Kuitansi pembayaran")
        RECEIVED_LETTER = "received_letter", _("Tanda terima permohonan")
        CERTIFICATE_LETTER = "certificate_letter", _("Surat keterangan")
        STAY_LETTER = "stay_letter", _("Surat keterangan lapor diri")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(
        "core.Mission", on_delete=models.PROTECT, related_name="issued_documents"
    )
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    subject = models.CharField(_("perihal"), max_length=300)
    facts = models.JSONField(
        _("keterangan pokok"),
        default=list,
        help_text=_("Daftar {label, value} seperti tercetak di dokumen."),
    )
    language = models.CharField(_("bahasa"), max_length=8)
    sha256 = models.CharField(_("SHA-256 PDF bertanda tangan"), max_length=64, unique=True)
    signer_subject = models.CharField(_("penanda tangan"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("diterbitkan"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked = models.BooleanField(_("dicabut"), default=False)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_reason = models.CharField(_("alasan pencabutan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dokumen yang diterbitkan")
        verbose_name_plural = _("dokumen yang diterbitkan")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(revoked=False) | models.Q(revoked_at__isnull=False),
                name="issued_document_revoked_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    def status_on(self, day) -> str:
        """``valid``, ``expired`` or ``revoked`` on ``day`` (a date in the mission's zone)."""
        if self.revoked:
            return "revoked"
        if self.valid_until and day > self.valid_until:
            return "expired"
        return "valid"
