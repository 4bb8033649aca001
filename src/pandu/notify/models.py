"""Every outgoing message, recorded before it is sent, so a failed send is retried and visible."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    EMAIL = "email", _("Surel")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")
        # Reported by an SMS or WhatsApp provider after it accepted the message.
        DELIVERED = "delivered", _("Sampai ke penerima")
        READ = "read", _("Dibaca")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(
        "core.Mission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("perwakilan"),
    )
    # The person's e-mail address, whatever the channel: an SMS or WhatsApp message that cannot
    # be delivered falls back to it, and an erased account's messages are found by it.
    recipient = models.EmailField(_("penerima"))
    channel = models.CharField(
        _("saluran"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    # E.164 number the SMS or WhatsApp message goes to (empty for e-mail).
    phone = models.CharField(_("nomor telepon"), max_length=16, blank=True)
    subject = models.CharField(_("perihal"), max_length=300)
    body = models.TextField(_("isi"), blank=True)
    html = models.TextField(_("isi HTML"), blank=True)
    # The short text sent by SMS or WhatsApp; ``body`` stays the e-mail's, for a fallback.
    text = models.TextField(_("teks singkat"), blank=True)
    # ``[{"filename", "content_b64", "mimetype"}, ...]``
    attachments = models.JSONField(_("lampiran"), default=list, blank=True)
    template = models.CharField(_("templat"), max_length=80, blank=True)
    # The notice's fields for a WhatsApp template's body parameters, in order (``{{1}}``,
    # ``{{2}}``...), taken when the notice is queued: sent when the 24-hour window is closed.
    template_params = models.JSONField(_("parameter templat"), default=list, blank=True)
    language = models.CharField(_("bahasa"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.CharField(_("galat terakhir"), max_length=300, blank=True)
    # When ``messages_retry_due`` may queue the message again if it is still waiting.
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    # Set while one worker sends, so a second worker given the same message leaves it alone.
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    provider_id = models.CharField(_("nomor pesan penyedia"), max_length=128, blank=True)
    delivered_at = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    # The SMS or WhatsApp message this e-mail replaces, when that one could not be delivered.
    fallback_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fallback",
        verbose_name=_("pengganti untuk"),
    )
    purged_at = models.DateTimeField(_("isi dihapus pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesan keluar")
        verbose_name_plural = pgettext_lazy("plural", "pesan keluar")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["channel", "provider_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.template or self.subject} → {self.recipient}"


class ContactPreference(models.Model):
    """How a citizen wants to be told: the channel, the number, and each channel's consent.

    Consent to SMS or WhatsApp is recorded with when and where it was given; an opt-out (by the
    link in every message, a STOP reply or this page) clears it and keeps its time. E-mail needs
    no consent: it is where every notice goes when no other channel may be used.
    """

    class Source(models.TextChoices):
        PAGE = "page", _("Halaman preferensi")
        LINK = "link", _("Tautan berhenti")
        REPLY = "reply", _("Balasan pesan")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_preference",
        verbose_name=_("pengguna"),
    )
    channel = models.CharField(
        _("saluran pilihan"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    phone = models.CharField(_("nomor untuk pesan"), max_length=16, blank=True)
    sms_consent_at = models.DateTimeField(_("setuju SMS pada"), null=True, blank=True)
    sms_consent_source = models.CharField(
        _("sumber persetujuan SMS"), max_length=10, choices=Source.choices, blank=True
    )
    sms_opted_out_at = models.DateTimeField(_("berhenti SMS pada"), null=True, blank=True)
    whatsapp_consent_at = models.DateTimeField(_("setuju WhatsApp pada"), null=True, blank=True)
    whatsapp_consent_source = models.CharField(
        _("sumber persetujuan WhatsApp"), max_length=10, choices=Source.choices, blank=True
    )
    whatsapp_opted_out_at = models.DateTimeField(_("berhenti WhatsApp pada"), null=True, blank=True)
    # The citizen's last message to us on WhatsApp: free text may be sent for 24 hours after it,
    # a template otherwise (``notify.channels.WhatsAppChannel``).
    whatsapp_inbound_at = models.DateTimeField(
        _("pesan WhatsApp terakhir dari warga"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("preferensi kontak")
        verbose_name_plural = pgettext_lazy("plural", "preferensi kontak")
        indexes = [models.Index(fields=["phone"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.channel}"

    def consented(self, channel: str) -> bool:
        if channel == Channel.EMAIL:
            return True
        return bool(self.phone) and getattr(self, f"{channel}_consent_at", None) is not None


class PendingStatusReport(models.Model):
    """A provider's status report for a message id not saved yet.

    A provider may report on a message before its answer to the send reaches us (the send's
    worker then saves the id). Such a report is kept here and applied as soon as the id is saved
    (``notify.services.status_reports_pending_apply``); rows nobody claims are removed by the
    daily purge.
    """

    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    provider_id = models.CharField(_("nomor pesan penyedia"), max_length=128)
    status = models.CharField(_("status"), max_length=10, choices=OutboundMessage.Status.choices)
    error = models.CharField(_("kode galat"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("diterima pada"))

    class Meta:
        verbose_name = _("laporan status tertunda")
        verbose_name_plural = pgettext_lazy("plural", "laporan status tertunda")
        indexes = [models.Index(fields=["channel", "provider_id"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.provider_id}: {self.status}"
