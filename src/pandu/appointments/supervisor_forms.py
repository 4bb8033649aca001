"""Forms of the supervisor's planning pages. They check shape; the services check the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.appointments.models import Channel
from pandu.appointments.planning import MAX_SEATS

WEEK_CHOICES = [
    ("1", _("Sabtu pertama")),
    ("2", _("Sabtu kedua")),
    ("3", _("Sabtu ketiga")),
    ("4", _("Sabtu keempat")),
    ("5", _("Sabtu kelima")),
    ("-1", _("Sabtu terakhir")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Isi tanggal yang benar, misalnya 2027-01-30.")},
        **kwargs,
    )


def time_field(label) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=TimeInput,
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={"invalid": _("Isi jam yang benar, misalnya 09:00.")},
    )


def counters_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Jumlah loket"), min_value=1, max_value=100, widget=forms.NumberInput
    )


class HoursMixin:
    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", _("Jam tutup harus sesudah jam buka."))
        return data


class HoursForm(HoursMixin, forms.Form):
    opens = time_field(_("Jam buka"))
    closes = time_field(_("Jam tutup"))
    counters = counters_field()


def _seats_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=MAX_SEATS, widget=forms.NumberInput
    )


class CapacityForm(forms.Form):
    """One number per slot, named ``cap-<slot public id>``."""

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {f"cap-{slot.public_id}": slot for slot in slots}
        for name, slot in self.slots.items():
            self.fields[name] = forms.IntegerField(
                label=_("Kapasitas"),
                min_value=0,
                max_value=MAX_SEATS,
                initial=slot.capacity,
                widget=forms.NumberInput,
                error_messages={"required": _("Isi kapasitas.")},
            )

    def rows(self):
        return [(slot, self[name]) for name, slot in self.slots.items()]


class QuotaForm(forms.Form):
    service = forms.ChoiceField(label=_("Layanan"), required=False)
    channel = forms.ChoiceField(
        label=_("Saluran pemesanan"),
        required=False,
        choices=[("", _("Semua saluran")), *Channel.choices],
    )
    limit = forms.IntegerField(
        label=_("Kuota (janji temu per sesi)"),
        min_value=0,
        max_value=MAX_SEATS * 10,
        widget=forms.NumberInput,
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {service.code: service for service in services}
        self.fields["service"].choices = [("", _("Semua layanan"))] + [
            (service.code, service.name) for service in services
        ]

    def cleaned_service(self):
        return self.services.get(self.cleaned_data.get("service") or "")


class ServiceSeatsMixin:
    """Adds one optional number field per service, named ``<prefix><code>``."""

    seats_prefix = "seats_"
    seats_label = _("Kursi")

    def add_service_fields(self, services, initial=None):
        self.services = list(services)
        for service in self.services:
            self.fields[f"{self.seats_prefix}{service.code}"] = _seats_field(service.name)
            if initial and service.code in initial:
                self.fields[f"{self.seats_prefix}{service.code}"].initial = initial[service.code]

    def service_fields(self):
        return [self[f"{self.seats_prefix}{s.code}"] for s in self.services]

    def service_values(self) -> dict:
        values = {}
        for service in self.services:
            value = self.cleaned_data.get(f"{self.seats_prefix}{service.code}")
            if value is not None:
                values[service] = value
        return values


class ExtraSessionForm(ServiceSeatsMixin, HoursMixin, forms.Form):
    date = date_field(_("Tanggal"))
    opens = time_field(_("Jam buka"))
    closes = time_field(_("Jam tutup"))
    counters = counters_field()
    location_name = forms.CharField(label=_("Nama tempat"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Alamat"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kosongkan jika di kantor perwakilan."),
    )

    def __init__(self, *args, services=(), today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.add_service_fields(services)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < self.today:
            raise forms.ValidationError(_("Tanggal sudah lewat."))
        return date

    def clean(self):
        data = super().clean()
        if not any(value for value in self.service_values().values()):
            raise forms.ValidationError(_("Isi jumlah kursi untuk minimal satu layanan."))
        return data


class SaturdayRuleForm(ServiceSeatsMixin, HoursMixin, forms.Form):
    seats_prefix = "quota_"

    weeks = forms.MultipleChoiceField(
        label=_("Sabtu ke-"),
        choices=WEEK_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih minimal satu Sabtu.")},
    )
    opens = time_field(_("Jam buka"))
    closes = time_field(_("Jam tutup"))
    counters = counters_field()
    valid_from = date_field(_("Berlaku sejak"))
    valid_until = date_field(_("Berlaku sampai"), required=False)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_service_fields(services)

    def clean(self):
        data = super().clean()
        start, until = data.get("valid_from"), data.get("valid_until")
        if start and until and until < start:
            self.add_error("valid_until", _("Tanggal akhir tidak boleh sebelum tanggal mulai."))
        return data

    def quotas(self) -> dict[str, int]:
        return {service.code: value for service, value in self.service_values().items()}


class RuleEndForm(forms.Form):
    valid_until = date_field(_("Berlaku sampai"))


class GenerateForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Jumlah minggu ke depan"),
        min_value=1,
        max_value=26,
        initial=8,
        widget=forms.NumberInput,
    )


class DayForm(forms.Form):
    date = date_field(_("Tanggal"))


class DayChangeForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput, input_formats=["%Y-%m-%d"])
    reason_id = forms.CharField(label=_("Alasan (bahasa Indonesia)"), max_length=200)
    reason_en = forms.CharField(label=_("Alasan (bahasa Inggris)"), max_length=200)


class DayCloseForm(DayChangeForm):
    confirm = forms.BooleanField(
        label=_("Saya mengerti bahwa semua janji temu pada hari itu dibatalkan."),
        error_messages={"required": _("Centang kotak ini untuk menutup hari itu.")},
    )


class ReleaseForm(forms.Form):
    """When the session's slots open (mission time); empty to open them with the booking rules."""

    release_date = date_field(_("Tanggal dibuka"), required=False)
    release_time = time_field(_("Jam dibuka"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["release_time"].required = False

    def clean(self):
        data = super().clean()
        if bool(data.get("release_date")) != bool(data.get("release_time")):
            raise forms.ValidationError(
                _("Isi tanggal dan jam pembukaan, atau kosongkan keduanya.")
            )
        return data
