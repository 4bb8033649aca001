"""The service catalogue: services, their requirements, fees and service levels, per mission."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.core.i18n import BilingualMixin
from pandu.core.models import Mission


class Channel(models.TextChoices):
    WEEKDAY = "weekday", _("Loket hari kerja")
    SATURDAY = "saturday", _("Layanan hari Sabtu")
    PERTIWI = "pertiwi", _("Kunjungan rumah Pertiwi")
    REMOTE = "remote", _("Pos atau daring")


class Service(BilingualMixin, models.Model):
    class Category(models.TextChoices):
        PASSPORT = "passport", _("Paspor dan dokumen perjalanan")
        CIVIL = "civil", _("Pencatatan sipil")
        LEGAL = "legal", _("Legalisasi dan surat keterangan")
        CITIZENSHIP = "citizenship", _("Kewarganegaraan")
        REGISTRATION = "registration", _("Lapor diri")

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="services", verbose_name=_("perwakilan")
    )
    code = models.SlugField(_("kode"), max_length=60)
    category = models.CharField(_("kelompok"), max_length=20, choices=Category.choices)
    name_id = models.CharField(_("nama (Indonesia)"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200)
    summary_id = models.CharField(_("ringkasan (Indonesia)"), max_length=300)
    summary_en = models.CharField(_("ringkasan (Inggris)"), max_length=300)
    description_id = models.TextField(_("uraian (Indonesia)"), blank=True)
    description_en = models.TextField(_("uraian (Inggris)"), blank=True)
    service_level_days = models.PositiveSmallIntegerField(
        _("waktu penyelesaian (hari kerja)"),
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text=_("0 berarti selesai pada hari yang sama."),
    )
    counter_minutes = models.PositiveSmallIntegerField(
        _("lama di loket (menit)"), validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    in_person = models.BooleanField(
        _("wajib hadir"),
        default=False,
        help_text=_("Pemohon harus hadir, misalnya untuk biometrik."),
    )
    channels = models.JSONField(
        _("saluran layanan"), default=list, help_text=_("Dari: weekday, saturday, pertiwi, remote.")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = pgettext_lazy("plural", "layanan")
        ordering = ["mission", "order", "name_id"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "code"], name="service_code_unique")
        ]

    def __str__(self) -> str:
        return self.tr("name")

    @property
    def name(self) -> str:
        return self.tr("name")

    @property
    def summary(self) -> str:
        return self.tr("summary")

    @property
    def description(self) -> str:
        return self.tr("description")

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels[c]) for c in Channel.values if c in (self.channels or [])]


class Requirement(BilingualMixin, models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Dokumen")
        CONDITION = "condition", _("Syarat")

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Asli")
        COPY = "copy", _("Fotokopi")
        ORIGINAL_AND_COPY = "original_and_copy", _("Asli dan fotokopi")
        NOT_APPLICABLE = "", _("Tidak berlaku")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("layanan")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    title_id = models.CharField(_("judul (Indonesia)"), max_length=300)
    title_en = models.CharField(_("judul (Inggris)"), max_length=300)
    explanation_id = models.TextField(_("penjelasan (Indonesia)"), blank=True)
    explanation_en = models.TextField(_("penjelasan (Inggris)"), blank=True)
    form = models.CharField(
        _("bentuk"), max_length=20, choices=Form.choices, blank=True, default=""
    )
    uploadable = models.BooleanField(_("bisa diunggah"), default=False)
    optional = models.BooleanField(_("tidak selalu wajib"), default=False)

    class Meta:
        verbose_name = _("persyaratan")
        verbose_name_plural = pgettext_lazy("plural", "persyaratan")
        ordering = ["service", "order", "pk"]

    def __str__(self) -> str:
        return self.tr("title")

    @property
    def mission_id(self) -> int:
        return self.service.mission_id

    @property
    def title(self) -> str:
        return self.tr("title")

    @property
    def explanation(self) -> str:
        return self.tr("explanation")


class Fee(BilingualMixin, models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="fees", verbose_name=_("layanan")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    case_id = models.CharField(_("berlaku untuk (Indonesia)"), max_length=200)
    case_en = models.CharField(_("berlaku untuk (Inggris)"), max_length=200)
    amount = models.DecimalField(
        _("jumlah"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    amount_confirmed = models.BooleanField(
        _("jumlah sudah dipastikan"),
        default=False,
        help_text=_("Kosongkan jika jumlah ini belum dicocokkan dengan daftar tarif resmi."),
    )
    internal_note = models.CharField(_("catatan internal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("biaya")
        verbose_name_plural = pgettext_lazy("plural", "biaya")
        ordering = ["service", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.tr('case')}: {self.amount}"

    @property
    def mission_id(self) -> int:
        return self.service.mission_id

    @property
    def case(self) -> str:
        return self.tr("case")
