"""Forms for Pertiwi visit requests and teams. The rules are the services'; forms collect."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pandu.catalog.models import Channel, Service
from pandu.core.models import CANADIAN_PROVINCES
from pandu.outreach.models import AccessNeed, Kit, Team, VisitRequest
from pandu.outreach.visits import window_field

#: Rows of "at home" times shown on the form: no script needed to add one.
WINDOW_ROWS = 4


def pertiwi_services(mission):
    """The mission's active services offered by home visit (channels are JSON: read in Python)."""
    return [
        s
        for s in Service.objects.filter(mission=mission, is_active=True)
        if Channel.PERTIWI in (s.channels or [])
    ]


def _date(label, required=False):
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


def _time(label, required=False):
    return forms.TimeField(
        label=label,
        required=required,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class ServicesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class VisitRequestForm(forms.Form):
    services = ServicesField(
        label=_("Layanan yang Anda perlukan"),
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu layanan.")},
    )
    address_line = forms.CharField(label=_("Alamat"), max_length=200)
    city = forms.CharField(label=_("Kota"), max_length=100)
    province = forms.ChoiceField(label=_("Provinsi"), choices=CANADIAN_PROVINCES)
    postal_code = forms.CharField(
        label=_("Kode pos"), max_length=10, help_text=_("Misalnya M5V 3L9.")
    )
    access_needs = forms.MultipleChoiceField(
        label=_("Kebutuhan akses"),
        choices=AccessNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access_notes = forms.CharField(
        label=_("Catatan untuk petugas"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Misalnya pintu masuk, parkir, atau bahasa isyarat yang dipakai. Disimpan terenkripsi."
        ),
    )
    contact_name = forms.CharField(
        label=_("Nama yang dapat dihubungi"),
        max_length=120,
        help_text=_("Orang yang dihubungi petugas sebelum datang, misalnya Anda atau keluarga."),
    )
    contact_phone = forms.CharField(label=_("Telepon yang dapat dihubungi"), max_length=30)

    def __init__(self, *args, citizen, **kwargs):
        initial = kwargs.setdefault("initial", {})
        for name in ("address_line", "city", "province", "postal_code"):
            initial.setdefault(name, getattr(citizen, name))
        initial.setdefault("contact_name", citizen.full_name)
        initial.setdefault("contact_phone", citizen.phone)
        super().__init__(*args, **kwargs)
        services = pertiwi_services(citizen.mission)
        self.fields["services"].queryset = Service.objects.filter(
            pk__in=[s.pk for s in services]
        ).order_by("order", "name_id")
        self.window_rows = []
        for index in range(WINDOW_ROWS):
            names = (window_field(index), f"window_{index}_start", f"window_{index}_end")
            self.fields[names[0]] = _date(_("Tanggal"))
            self.fields[names[1]] = _time(_("Dari jam"))
            self.fields[names[2]] = _time(_("Sampai jam"))
            self.window_rows.append(names)

    def rows(self):
        """The window rows as bound fields, for the template."""
        return [
            {
                "number": index + 1,
                "fields": [self[name] for name in names],
                "errors": [e for name in names for e in self[name].errors],
            }
            for index, names in enumerate(self.window_rows)
        ]

    def error_summary(self) -> list[tuple[str, str, str]]:
        """``(anchor, label, text)`` per field with errors; a window's are named by its number."""
        rows = {name: index for index, names in enumerate(self.window_rows) for name in names}
        summary = []
        for field in self:
            if not field.errors:
                continue
            if field.name in rows:
                label = gettext("Waktu %(n)d") % {"n": rows[field.name] + 1}
            else:
                label = str(field.label)
            summary.append((field.auto_id, label, " ".join(field.errors)))
        return summary

    def clean(self):
        data = super().clean()
        windows = []
        for date_name, start_name, end_name in self.window_rows:
            values = [data.get(date_name), data.get(start_name), data.get(end_name)]
            if all(v is None for v in values):
                continue
            if any(v is None for v in values):
                if not self.has_error(date_name):
                    self.add_error(date_name, _("Isi tanggal, jam mulai dan jam selesai."))
                continue
            windows.append(tuple(values))
        data["windows"] = windows
        return data


class LocationForm(forms.Form):
    lat = forms.FloatField(
        label=_("Lintang"),
        min_value=-90,
        max_value=90,
        help_text=_("Misalnya 43.6532 (utara bernilai positif)."),
    )
    lon = forms.FloatField(
        label=_("Bujur"),
        min_value=-180,
        max_value=180,
        help_text=_("Misalnya -79.3832 (barat bernilai negatif)."),
    )


class AlternativeForm(forms.Form):
    alternative = forms.ChoiceField(
        label=_("Alternatif yang ditawarkan"),
        choices=[("", _("Tidak ada (kunjungan rumah)"))] + list(VisitRequest.Alternative.choices),
        required=False,
        widget=forms.RadioSelect,
    )


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.email


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Nama tim"), max_length=60)
    members = MembersField(
        label=_("Anggota"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Tim aktif"), required=False, initial=True)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff


class KitForm(forms.Form):
    label = forms.CharField(label=_("Label perangkat"), max_length=60)
    serial_number = forms.CharField(label=_("Nomor seri"), max_length=60, required=False)


class ShiftForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Tim"), queryset=Team.objects.none(), to_field_name="public_id"
    )
    kit = forms.ModelChoiceField(
        label=_("Perangkat"), queryset=Kit.objects.none(), to_field_name="public_id"
    )
    date = _date(_("Tanggal"), required=True)
    start = _time(_("Berangkat paling awal"), required=True)
    end = _time(_("Kembali paling lambat"), required=True)

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(mission=mission, is_active=True)
        self.fields["kit"].queryset = Kit.objects.filter(mission=mission, is_active=True)
