"""People: users who sign in by e-mail, citizens' profiles, staff membership of a mission."""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import Group, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.core.fields import EncryptedCharField, LookupHashField
from pandu.core.models import CANADIAN_PROVINCES, Mission
from pandu.people.validators import (
    validate_nik,
    validate_passport_number,
    validate_person_name,
    validate_phone,
    validate_postal_code,
)

LANGUAGE_CHOICES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # Addresses are stored in lower case; people type them in any case.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("surel"), unique=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    is_staff = models.BooleanField(
        _("akses admin"), default=False, help_text=_("Boleh masuk ke halaman admin.")
    )
    email_verified_at = models.DateTimeField(_("surel diverifikasi"), null=True, blank=True)
    preferred_language = models.CharField(
        _("bahasa pilihan"), max_length=5, choices=LANGUAGE_CHOICES, default="id"
    )
    date_joined = models.DateTimeField(_("terdaftar"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = pgettext_lazy("plural", "pengguna")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class CitizenProfile(models.Model):
    class Sex(models.TextChoices):
        MALE = "M", _("Laki-laki")
        FEMALE = "F", _("Perempuan")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen")
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="citizens", verbose_name=_("perwakilan")
    )
    full_name = models.CharField(
        _("nama lengkap"),
        max_length=100,
        validators=[validate_person_name],
        help_text=_(
            "Seperti di paspor. Jika Anda hanya punya satu nama, tulis satu nama itu saja."
        ),
    )
    date_of_birth = models.DateField(_("tanggal lahir"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    # Identity numbers are encrypted at rest; equality (search, duplicate checks) goes through
    # the keyed hashes beside them (see pandu.core.fields and docs/privacy.md).
    nik = EncryptedCharField(
        _("NIK"),
        max_length=16,
        blank=True,
        validators=[validate_nik],
        help_text=_("Nomor Induk Kependudukan, 16 angka. Kosongkan jika Anda tidak memilikinya."),
    )
    passport_number = EncryptedCharField(
        _("nomor paspor"), max_length=9, blank=True, validators=[validate_passport_number]
    )
    nik_hash = LookupHashField(source="nik", purpose="nik")
    passport_hash = LookupHashField(source="passport_number", purpose="passport")
    phone = models.CharField(_("telepon"), max_length=20, validators=[validate_phone])
    address_line = models.CharField(_("alamat"), max_length=200)
    city = models.CharField(_("kota"), max_length=100)
    province = models.CharField(_("provinsi"), max_length=2, choices=CANADIAN_PROVINCES)
    postal_code = models.CharField(_("kode pos"), max_length=7, validators=[validate_postal_code])
    # Raised by every change to the citizen's appointments: a booking checks its rules on what it
    # read, then raises this only if nobody changed it since (see appointments.services).
    booking_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil WNI")
        verbose_name_plural = pgettext_lazy("plural", "profil WNI")

    def __str__(self) -> str:
        return self.full_name

    def age_on(self, day) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class StaffMembership(models.Model):
    """A staff member's role at one mission. The role is a permission group, assigned as data."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="staff", verbose_name=_("perwakilan")
    )
    role = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="+", verbose_name=_("peran")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan staf")
        verbose_name_plural = pgettext_lazy("plural", "keanggotaan staf")
        constraints = [
            models.UniqueConstraint(fields=["user", "mission", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.mission.slug}: {self.role}"


class AccountDeletionRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Diminta")
        COMPLETED = "completed", _("Selesai")
        REFUSED = "refused", _("Ditolak")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="deletion_requests"
    )
    email = models.EmailField(_("surel"))
    reason = models.TextField(_("alasan"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_at = models.DateTimeField(_("diminta pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("permintaan penghapusan akun")
        verbose_name_plural = pgettext_lazy("plural", "permintaan penghapusan akun")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="requested"),
                name="one_open_deletion_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"


class PersonalAccessToken(models.Model):
    """An API token. Only its SHA-256 is stored; the token is shown once when issued."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("nama"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token akses pribadi")
        verbose_name_plural = pgettext_lazy("plural", "token akses pribadi")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class DefaultGrant(models.Model):
    """A default permission once given to a role, so it is given only once (see ``roles``)."""

    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, related_name="+")
    permission = models.ForeignKey("auth.Permission", on_delete=models.CASCADE, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("izin bawaan yang sudah diberikan")
        verbose_name_plural = pgettext_lazy("plural", "izin bawaan yang sudah diberikan")
        constraints = [
            models.UniqueConstraint(fields=["group", "permission"], name="default_grant_once")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.permission_id}"
