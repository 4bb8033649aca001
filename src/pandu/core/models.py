"""Missions: the embassies and consulates that run Pandu, their hours and jurisdiction."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandu.core.i18n import BilingualMixin

CANADIAN_PROVINCES = [
    ("AB", _("Alberta")),
    ("BC", _("British Columbia")),
    ("MB", _("Manitoba")),
    ("NB", _("New Brunswick")),
    ("NL", _("Newfoundland and Labrador")),
    ("NS", _("Nova Scotia")),
    ("NT", _("Northwest Territories")),
    ("NU", _("Nunavut")),
    ("ON", _("Ontario")),
    ("PE", _("Prince Edward Island")),
    ("QC", _("Quebec")),
    ("SK", _("Saskatchewan")),
    ("YT", _("Yukon")),
]
PROVINCE_NAMES = dict(CANADIAN_PROVINCES)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Zona waktu %(value)s tidak dikenal."), params={"value": value})


class Mission(BilingualMixin, models.Model):
    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Kedutaan Besar (KBRI)")
        CONSULATE_GENERAL = "consulate_general", _("Konsulat Jenderal (KJRI)")
        CONSULATE = "consulate", _("Konsulat (KRI)")

    slug = models.SlugField(_("kode singkat"), max_length=40, unique=True)
    name_id = models.CharField(_("nama (Indonesia)"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    reference_prefix = models.CharField(
        _("awalan nomor referensi"),
        max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Tiga huruf kapital, misalnya TOR."))],
    )
    address = models.TextField(_("alamat"))
    city = models.CharField(_("kota"), max_length=100)
    country = models.CharField(_("negara"), max_length=2, default="CA")
    holiday_subdivision = models.CharField(
        _("provinsi untuk hari libur setempat"),
        max_length=10,
        blank=True,
        help_text=_("Kode provinsi atau negara bagian tempat kantor berada, misalnya ON."),
    )
    time_zone = models.CharField(_("zona waktu"), max_length=60, validators=[validate_time_zone])
    jurisdiction = models.JSONField(
        _("wilayah kerja"),
        default=list,
        help_text=_('Kode provinsi atau negara bagian, misalnya ["ON", "MB", "SK"].'),
    )
    currency = models.CharField(_("mata uang"), max_length=3, default="CAD")
    phone = models.CharField(_("telepon"), max_length=40)
    emergency_phone = models.CharField(_("telepon darurat"), max_length=40, blank=True)
    email = models.EmailField(_("surel"))
    website = models.URLField(_("situs web"), blank=True)
    primary_colour = models.CharField(
        _("warna utama"),
        max_length=7,
        default="#9b1b1b",
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Warna heksadesimal, misalnya #9b1b1b."))
        ],
    )
    # Where Pertiwi teams leave from and return to (the depot of trip planning).
    lat = models.FloatField(_("lintang kantor"), null=True, blank=True)
    lon = models.FloatField(_("bujur kantor"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("perwakilan")
        verbose_name_plural = pgettext_lazy("plural", "perwakilan")
        ordering = ["name_id"]

    def __str__(self) -> str:
        return self.tr("name")

    @property
    def name(self) -> str:
        return self.tr("name")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def jurisdiction_names(self) -> list[str]:
        return [str(PROVINCE_NAMES.get(code, code)) for code in self.jurisdiction]


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Senin")
        TUESDAY = 1, _("Selasa")
        WEDNESDAY = 2, _("Rabu")
        THURSDAY = 3, _("Kamis")
        FRIDAY = 4, _("Jumat")
        SATURDAY = 5, _("Sabtu")
        SUNDAY = 6, _("Minggu")

    mission = models.ForeignKey(
        Mission,
        on_delete=models.CASCADE,
        related_name="opening_hours",
        verbose_name=_("perwakilan"),
    )
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens = models.TimeField(_("buka"))
    closes = models.TimeField(_("tutup"))
    counters = models.PositiveSmallIntegerField(
        _("jumlah loket"), default=2, help_text=_("Loket yang melayani janji temu pada jam ini.")
    )
    note_id = models.CharField(_("catatan (Indonesia)"), max_length=200, blank=True)
    note_en = models.CharField(_("catatan (Inggris)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("jam buka")
        verbose_name_plural = pgettext_lazy("plural", "jam buka")
        ordering = ["mission", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="opening_hours_closes_after_opens",
            ),
            models.UniqueConstraint(
                fields=["mission", "weekday", "opens"], name="opening_hours_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"
