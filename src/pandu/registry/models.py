"""Lapor diri: a citizen's record of their stay in the mission's area.

A registration says where the citizen lives (address and a geocoded point, used only to reach
them: see ``docs/privacy.md``), why and for how long they stay, who is with them, and whom to
call in an emergency. One registration per citizen is active at a time; a move to another
mission's area ends it there and opens one at the new mission (with the citizen's consent).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.core.models import Mission
from pandu.people.models import CitizenProfile
from pandu.people.validators import validate_phone, validate_postal_code


class StayRegistration(models.Model):
    class Purpose(models.TextChoices):
        WORK = "work", _("Bekerja")
        STUDY = "study", _("Belajar")
        FAMILY = "family", _("Keluarga")
        OTHER = "other", _("Lainnya")

    class RegisteredAs(models.TextChoices):
        SELF = "self", _("Diri sendiri")
        CARER = "carer", _("Sebagai pendamping atau perawat")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        MOVED = "moved", _("Pindah ke perwakilan lain")
        ENDED = "ended", _("Berakhir")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(
        Mission,
        on_delete=models.PROTECT,
        related_name="stay_registrations",
        verbose_name=_("perwakilan"),
    )
    citizen = models.ForeignKey(
        CitizenProfile,
        on_delete=models.CASCADE,
        related_name="stay_registrations",
        verbose_name=_("WNI"),
    )
    # Who filled it in: the citizen, or a carer acting for them (then not the citizen's user).
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("didaftarkan oleh"),
    )
    # How it was filled in, as outreach records it: by the citizen, or by a carer using the
    # citizen's account (then their name and relation are kept).
    registered_as = models.CharField(
        _("diisi oleh"), max_length=10, choices=RegisteredAs.choices, default=RegisteredAs.SELF
    )
    carer_name = models.CharField(_("nama pendamping"), max_length=120, blank=True)
    carer_relation = models.CharField(_("hubungan pendamping"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # The registration this one continues after a handover from another mission.
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lapor diri sebelumnya"),
    )
    address_line = models.CharField(_("alamat"), max_length=200)
    city = models.CharField(_("kota"), max_length=100)
    province = models.CharField(_("provinsi"), max_length=10)
    postal_code = models.CharField(_("kode pos"), max_length=7, validators=[validate_postal_code])
    # The geocoded point (see core.geocoding); null when the address could not be placed.
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)
    location_source = models.CharField(_("sumber lokasi"), max_length=20, blank=True)
    phone = models.CharField(
        _("telepon di alamat ini"), max_length=20, blank=True, validators=[validate_phone]
    )
    purpose = models.CharField(_("tujuan tinggal"), max_length=10, choices=Purpose.choices)
    arrived_on = models.DateField(_("tiba pada"), null=True, blank=True)
    expected_until = models.DateField(_("perkiraan tinggal sampai"), null=True, blank=True)
    # Emergency contacts: one in Indonesia, one in the host country.
    emergency_id_name = models.CharField(_("kontak darurat di Indonesia"), max_length=100)
    emergency_id_phone = models.CharField(
        _("telepon kontak di Indonesia"), max_length=20, validators=[validate_phone]
    )
    emergency_id_relation = models.CharField(_("hubungan"), max_length=50, blank=True)
    emergency_local_name = models.CharField(
        _("kontak darurat setempat"), max_length=100, blank=True
    )
    emergency_local_phone = models.CharField(
        _("telepon kontak setempat"), max_length=20, blank=True, validators=[validate_phone]
    )
    emergency_local_relation = models.CharField(_("hubungan"), max_length=50, blank=True)
    language = models.CharField(
        _("bahasa"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    confirmed_at = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)
    # Kept current: the citizen confirms the record again each year; a reminder goes out first.
    renewed_at = models.DateTimeField(_("diperbarui pada"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("pengingat dikirim"), null=True, blank=True)
    ended_at = models.DateTimeField(_("berakhir pada"), null=True, blank=True)
    # The signed letter (issuance), drawn the first time it is asked for; kept encrypted.
    letter_reference = models.UUIDField(_("nomor surat"), null=True, blank=True, editable=False)
    letter_storage_name = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lapor diri")
        verbose_name_plural = pgettext_lazy("plural", "lapor diri")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen"],
                condition=models.Q(status="active"),
                name="registry_one_active_stay_per_citizen",
            )
        ]
        indexes = [models.Index(fields=["mission", "status", "province"])]

    def __str__(self) -> str:
        return f"{self.citizen} ({self.mission.slug})"


class StayMember(models.Model):
    """A family member staying with the registered citizen."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Suami/istri")
        CHILD = "child", _("Anak")
        PARENT = "parent", _("Orang tua")
        OTHER = "other", _("Lainnya")

    registration = models.ForeignKey(
        StayRegistration, on_delete=models.CASCADE, related_name="members"
    )
    full_name = models.CharField(_("nama lengkap"), max_length=100)
    relation = models.CharField(_("hubungan"), max_length=10, choices=Relation.choices)
    date_of_birth = models.DateField(_("tanggal lahir"), null=True, blank=True)
    is_citizen = models.BooleanField(_("WNI"), default=True)

    class Meta:
        verbose_name = _("anggota keluarga")
        verbose_name_plural = pgettext_lazy("plural", "anggota keluarga")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name
