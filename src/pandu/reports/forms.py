"""The dashboard's filters: a month, or a from-to range of dates, and optionally one service."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.catalog.models import Service
from pandu.reports.figures import Period

MAX_DAYS = 366
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class FilterForm(forms.Form):
    month = forms.CharField(
        label=_("Bulan"),
        required=False,
        max_length=7,
        help_text=_("Tahun dan bulan, misalnya 2026-03."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    start = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        help_text=_("Atau pilih rentang tanggal (tahun-bulan-tanggal)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    end = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    service = forms.ChoiceField(label=_("Layanan"), required=False)

    def __init__(self, *args, mission, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.today = today
        self.services = {
            s.code: s for s in Service.objects.filter(mission=mission).order_by("order", "name_id")
        }
        self.fields["service"].choices = [("", _("Semua layanan"))] + [
            (code, s.name) for code, s in self.services.items()
        ]

    def clean_month(self) -> tuple[int, int] | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        match = _MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise forms.ValidationError(_("Tulis bulan sebagai tahun-bulan, misalnya 2026-03."))
        return int(match.group(1)), int(match.group(2))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                raise forms.ValidationError(
                    _("Isi kedua tanggal, dari dan sampai, atau kosongkan keduanya.")
                )
            if end < start:
                self.add_error("end", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error(
                    "end", _("Rentang paling panjang %(days)s hari.") % {"days": MAX_DAYS}
                )
        return data

    def period(self) -> Period:
        """The chosen period (call after ``is_valid``): the range, the month, or this month."""
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        if data.get("month"):
            return Period.month(*data["month"])
        return Period.month_of(self.today)

    def service_obj(self) -> Service | None:
        code = self.cleaned_data.get("service")
        return self.services.get(code) if code else None
