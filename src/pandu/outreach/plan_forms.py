"""Forms for week plans, run sheets and the citizen's answer. They collect; the rules are in
``planning``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.outreach import planning
from pandu.outreach.models import PlanItem


class ProposeForm(forms.Form):
    week = forms.DateField(
        label=_("Minggu yang dimulai"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tanggal mana pun dalam minggu itu; rencana selalu Senin sampai Minggu."),
    )
    seconds = forms.IntegerField(
        label=_("Waktu pencarian (detik)"),
        min_value=1,
        max_value=planning.MAX_SECONDS,
        initial=planning.DEFAULT_SECONDS,
        help_text=_("Lebih lama bisa memberi rute yang sedikit lebih baik. Paling lama 60 detik."),
    )


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Saya sudah memeriksa rencana ini. Warga yang dijadwalkan akan menerima surel "
            "berisi tanggal dan rentang waktu kedatangan."
        ),
        required=True,
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hasil kunjungan"), choices=PlanItem.Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id:
            self.auto_id = f"id_{prefix_id}_%s"


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan atau waktu yang lebih cocok"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
