"""The staffing page's form: which session, how many walk-ins, and the waiting-time target."""

from __future__ import annotations

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class StaffingForm(forms.Form):
    session = forms.ChoiceField(label=_("Sesi"))
    walkins = forms.DecimalField(
        label=_("Pengunjung tanpa janji temu per jam"),
        min_value=0,
        max_value=500,
        decimal_places=1,
        initial=4,
        help_text=_("Perkiraan; di luar janji temu yang sudah terpesan."),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    target_wait = forms.IntegerField(
        label=_("Waktu tunggu paling lama (menit)"),
        min_value=0,
        max_value=480,
        initial=30,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    target_percent = forms.IntegerField(
        label=_("Bagian pengunjung yang harus dilayani dalam waktu itu (%)"),
        min_value=1,
        max_value=99,
        initial=80,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {str(s.public_id): s for s in sessions}
        self.fields["session"].choices = [
            (
                key,
                f"{formats.date_format(s.date, 'D j M Y')}, {s.opens:%H:%M}–{s.closes:%H:%M}, "
                f"{s.get_kind_display()}",
            )
            for key, s in self.sessions.items()
        ]

    def cleaned_session(self):
        return self.sessions[self.cleaned_data["session"]]
