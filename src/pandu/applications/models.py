"""Applications: one citizen asking for one service, with documents, reviews, history and payment.

History is appended, never edited: documents are versioned (a replacement is a new version, the
old one stays), reviews and transitions are rows. The current review of a requirement is its
latest review of the current document version.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.applications.workflow import Event, State
from pandu.appointments.models import Appointment
from pandu.catalog.models import Fee, Requirement, Service
from pandu.core.fields import EncryptedCharField
from pandu.core.models import Mission
from pandu.people.models import CitizenProfile


class UploadKind(models.TextChoices):
    DOCUMENT = "document", _("Dokumen biasa")
    IDENTITY = "identity", _("Dokumen identitas")
    PHOTO = "photo", _("Pasfoto")
    POLICE_REPORT = "police_report", _("Laporan polisi")


# Default size limit per kind, in megabytes; a RequirementUpload row may set its own.
DEFAULT_MAX_MB = {
    UploadKind.DOCUMENT: 10,
    UploadKind.IDENTITY: 10,
    UploadKind.PHOTO: 5,
    UploadKind.POLICE_REPORT: 10,
}


class RequirementUpload(models.Model):
    """How an uploadable requirement of the catalogue is handled in applications.

    Kept here, not in the catalogue: the kind decides the checks (a photo gets the photo check, a
    police report is required for a lost passport) and the size limit.
    """

    requirement = models.OneToOneField(
        Requirement,
        on_delete=models.CASCADE,
        related_name="upload_rule",
        verbose_name=_("persyaratan"),
    )
    kind = models.CharField(
        _("jenis unggahan"), max_length=20, choices=UploadKind.choices, default=UploadKind.DOCUMENT
    )
    max_megabytes = models.PositiveSmallIntegerField(
        _("ukuran paling besar (MB)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text=_("Kosongkan untuk memakai batas bawaan jenisnya."),
    )

    class Meta:
        verbose_name = _("aturan unggahan")
        verbose_name_plural = pgettext_lazy("plural", "aturan unggahan")

    def __str__(self) -> str:
        return f"{self.requirement}: {self.get_kind_display()}"

    @property
    def mission_id(self) -> int:
        return self.requirement.service.mission_id

    @property
    def max_bytes(self) -> int:
        return (self.max_megabytes or DEFAULT_MAX_MB[UploadKind(self.kind)]) * 1_000_000


class ServiceRule(models.Model):
    """What an application for one service asks and what Pandu issues for it, as data.

    The catalogue says what a service needs; this row says how the application form and the
    workflow treat it: which passport data a passport service asks for (a renewal needs the
    current passport, a replacement the reason, a first passport neither), and whether issuing
    means a signed certificate letter (surat keterangan) written by the officer. A service
    without a row gets the defaults below. ``standard_rules`` in ``services`` fills the rows of
    the standard catalogue; the admin changes them per mission.
    """

    service = models.OneToOneField(
        Service,
        on_delete=models.CASCADE,
        related_name="application_rule",
        verbose_name=_("layanan"),
    )
    asks_old_passport = models.BooleanField(
        _("menanyakan paspor lama"),
        default=True,
        help_text=_("Formulir paspor menanyakan nomor dan masa berlaku paspor lama."),
    )
    old_passport_required = models.BooleanField(
        _("paspor lama wajib"),
        default=False,
        help_text=_("Nomor dan masa berlaku paspor lama wajib diisi (penggantian)."),
    )
    asks_replacement_reason = models.BooleanField(
        _("menanyakan alasan penggantian"),
        default=False,
        help_text=_("Hilang atau rusak; paspor hilang memerlukan laporan polisi."),
    )
    issues_certificate_letter = models.BooleanField(
        _("menerbitkan surat keterangan"),
        default=False,
        help_text=_(
            "Saat diterbitkan, petugas menulis isi surat dan Pandu menerbitkan surat keterangan "
            "bertanda tangan digital."
        ),
    )

    class Meta:
        verbose_name = _("aturan permohonan layanan")
        verbose_name_plural = pgettext_lazy("plural", "aturan permohonan layanan")

    def __str__(self) -> str:
        return str(self.service)

    @property
    def mission_id(self) -> int:
        return self.service.mission_id


class Sex(models.TextChoices):
    MALE = "M", _("Laki-laki (M)")
    FEMALE = "F", _("Perempuan (F)")
    UNSPECIFIED = "X", _("Tidak disebutkan (X)")


class ReplacementReason(models.TextChoices):
    LOST = "lost", _("Hilang atau dicuri")
    DAMAGED = "damaged", _("Rusak")


class Application(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="applications")
    citizen = models.ForeignKey(
        CitizenProfile, on_delete=models.PROTECT, related_name="applications"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    state = models.CharField(_("status"), max_length=24, choices=State.choices, default=State.DRAFT)
    fee = models.ForeignKey(
        Fee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("biaya"),
    )
    # Electronic passport data, as the passport will print it.
    surname = models.CharField(_("nama keluarga"), max_length=80, blank=True)
    given_names = models.CharField(_("nama depan"), max_length=80, blank=True)
    single_name = models.BooleanField(_("hanya satu nama"), default=False)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    old_passport_number = EncryptedCharField(_("nomor paspor lama"), max_length=9, blank=True)
    old_passport_expiry = models.DateField(_("paspor lama berlaku sampai"), null=True, blank=True)
    replacement_reason = models.CharField(
        _("alasan penggantian"), max_length=10, choices=ReplacementReason.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    due_date = models.DateField(_("target selesai"), null=True, blank=True)
    appointment = models.ForeignKey(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("janji temu biometrik"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("permohonan")
        verbose_name_plural = pgettext_lazy("plural", "permohonan")
        ordering = ["-created_at"]
        permissions = [
            ("decide_application", _("Dapat menolak permohonan")),
        ]
        constraints = [
            # One application in preparation per citizen and service.
            models.UniqueConstraint(
                fields=["citizen", "service"],
                condition=Q(state="draft"),
                name="application_one_draft_per_service",
            )
        ]
        indexes = [models.Index(fields=["mission", "state"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.service.code}"

    @property
    def reference(self) -> str:
        """A short label for people; the UUID stays the address."""
        return str(self.public_id)[:8].upper()

    @property
    def is_passport(self) -> bool:
        return self.service.category == Service.Category.PASSPORT


class Document(models.Model):
    """One version of the file given for one requirement, encrypted at rest."""

    class PhotoVerdict(models.TextChoices):
        NOT_CHECKED = "", _("Tidak diperiksa")
        PASSED = "passed", _("Lolos pemeriksaan foto")
        FAILED = "failed", _("Tidak lolos pemeriksaan foto")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField(default=1)
    storage_name = models.CharField(max_length=200, editable=False)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    photo_verdict = models.CharField(
        max_length=8, choices=PhotoVerdict.choices, blank=True, default=""
    )
    photo_findings = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen permohonan")
        verbose_name_plural = pgettext_lazy("plural", "dokumen permohonan")
        ordering = ["requirement__order", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement", "version"], name="document_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement} v{self.version}"

    @property
    def mission_id(self) -> int:
        return self.application.mission_id

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Review(models.Model):
    """An officer's decision on one document version: accepted, or returned with a reason."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Diterima")
        RETURNED = "returned", _("Dikembalikan")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("alasan"), blank=True, max_length=1000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penilaian dokumen")
        verbose_name_plural = pgettext_lazy("plural", "penilaian dokumen")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(reason=""),
                name="review_returned_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.decision}"


class Transition(models.Model):
    """One move of the workflow: who, when, from, to, and the note given."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    event = models.CharField(max_length=24, choices=Event.choices)
    source = models.CharField(max_length=24, choices=State.choices)
    target = models.CharField(max_length=24, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.CharField(max_length=12)  # citizen, officer, supervisor or system
    note = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("riwayat permohonan")
        verbose_name_plural = pgettext_lazy("plural", "riwayat permohonan")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}"


class Payment(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", _("Tunai")
        DEBIT = "debit", _("Kartu debit")
        MONEY_ORDER = "money_order", _("Money order")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("cara bayar"), max_length=12, choices=Method.choices)
    amount = models.DecimalField(
        _("jumlah"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("mata uang"), max_length=3)
    receipt_number = models.CharField(_("nomor kuitansi"), max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    receipt_reference = models.CharField(
        _("dokumen kuitansi"),
        max_length=80,
        blank=True,
        help_text=_("Rujukan kuitansi PDF yang diterbitkan."),
    )
    receipt_storage_name = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("pembayaran")
        verbose_name_plural = pgettext_lazy("plural", "pembayaran")
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "receipt_number"], name="payment_receipt_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.amount} {self.currency}"


class Letter(models.Model):
    """A signed letter issued for an application: the "application received" letter (tanda
    terima permohonan) or the certificate letter (surat keterangan) the service produces.

    One of each kind per application. The PDF is kept encrypted under a random name; the public
    verification page is found by ``reference`` (the issued document's public id).
    """

    class Kind(models.TextChoices):
        RECEIVED = "received_letter", _("Tanda terima permohonan")
        CERTIFICATE = "certificate_letter", _("Surat keterangan")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("jenis surat"), max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=36, editable=False)
    storage_name = models.CharField(max_length=200, editable=False)
    issued_at = models.DateTimeField(_("diterbitkan pada"))

    class Meta:
        verbose_name = _("surat permohonan")
        verbose_name_plural = pgettext_lazy("plural", "surat permohonan")
        ordering = ["issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="letter_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.application.reference} {self.kind}"

    @property
    def mission_id(self) -> int:
        return self.application.mission_id
