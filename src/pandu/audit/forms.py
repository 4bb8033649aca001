"""Filters of the access log page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.audit.models import SensitiveAccess


class AccessLogFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("Dari tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    staff = forms.ChoiceField(label=_("Petugas"), required=False)
    data_kind = forms.ChoiceField(
        label=_("Jenis data"),
        required=False,
        choices=[("", _("Semua jenis"))] + list(SensitiveAccess.DataKind.choices),
    )
    citizen = forms.CharField(
        label=_("Referensi WNI"),
        required=False,
        max_length=80,
        help_text=_("Referensi profil WNI seperti tercatat, misalnya dari unduhan data warga."),
    )

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", _("Semua petugas"))] + list(staff)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data
