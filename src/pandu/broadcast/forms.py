"""The compose form (area, groups, texts), the reply form and the help-case forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.broadcast import services
from pandu.broadcast.crises import CRISES
from pandu.broadcast.models import Area, Delivery, Group
from pandu.broadcast.selectors import Selection, places
from pandu.core.models import PROVINCE_NAMES


class ComposeForm(forms.Form):
    crisis = forms.ChoiceField(label=_("Templat"), required=False)
    area = forms.ChoiceField(
        label=_("Wilayah"), choices=Area.choices, widget=forms.RadioSelect, initial=Area.RADIUS
    )
    place = forms.ChoiceField(
        label=_("Titik pusat dari daftar"),
        required=False,
        help_text=_(
            "Kantor perwakilan atau kota tempat WNI terdaftar. Atau isi lintang dan bujur."
        ),
    )
    lat = forms.FloatField(label=_("Lintang titik pusat"), required=False)
    lon = forms.FloatField(label=_("Bujur titik pusat"), required=False)
    radius_km = forms.FloatField(label=_("Radius (km)"), required=False, initial=25)
    provinces = forms.MultipleChoiceField(
        label=_("Provinsi"), required=False, widget=forms.CheckboxSelectMultiple
    )
    groups = forms.MultipleChoiceField(
        label=_("Kelompok"),
        required=False,  # the service says "choose at least one"
        choices=Group.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Group.ALL],
        help_text=_("WNI yang termasuk salah satu kelompok yang dipilih."),
    )
    subject_id = forms.CharField(label=_("Judul (bahasa Indonesia)"), max_length=120)
    body_id = forms.CharField(
        label=_("Isi (bahasa Indonesia)"),
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    subject_en = forms.CharField(label=_("Judul (bahasa Inggris)"), max_length=120)
    body_en = forms.CharField(
        label=_("Isi (bahasa Inggris)"),
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.places = places(mission)
        self.fields["crisis"].choices = [(c.code, c.label) for c in CRISES]
        self.fields["place"].choices = [("", _("Pilih tempat"))] + [
            (str(i), name) for i, (name, _lat, _lon) in enumerate(self.places)
        ]
        self.fields["provinces"].choices = [
            (code, str(PROVINCE_NAMES.get(code, code))) for code in mission.jurisdiction
        ]

    def selection(self) -> tuple[Selection, str]:
        """The selection in the (cleaned) data and the centre's name, unchecked."""
        data = self.cleaned_data
        lat, lon, label = data.get("lat"), data.get("lon"), ""
        place = data.get("place")
        if (lat is None or lon is None) and place:
            label, lat, lon = self.places[int(place)]
        elif lat is not None and lon is not None:
            label = f"{lat:.4f}, {lon:.4f}"
        return (
            Selection(
                area=data.get("area") or "",
                groups=tuple(data.get("groups") or ()),
                center_lat=lat,
                center_lon=lon,
                radius_km=data.get("radius_km"),
                provinces=tuple(data.get("provinces") or ()),
            ),
            label,
        )


class PreviewForm(ComposeForm):
    """The same fields, for counting only: the texts may still be empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("subject_id", "body_id", "subject_en", "body_en"):
            self.fields[name].required = False


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(choices=Delivery.Answer.choices)
    note = forms.CharField(
        label=_("Catatan singkat"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Misalnya di mana Anda berada atau bantuan apa yang Anda butuhkan."),
    )
    phone = forms.CharField(
        label=_("Nomor telepon yang bisa dihubungi"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Catatan"),
        max_length=services.NOTE_MAX * 4,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Apa yang sudah dilakukan: telepon, kunjungan, rujukan."),
    )
