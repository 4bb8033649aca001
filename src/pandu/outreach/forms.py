"""Forms for Pertiwi eligibility. The rules are the service's; forms only collect and show."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.outreach.models import EligibilityRequest
from pandu.people.forms import MemorableDateField


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class EligibilityRequestForm(forms.Form):
    acting_as = forms.ChoiceField(
        label=_("Permohonan ini diajukan"),
        choices=EligibilityRequest.ActingAs.choices,
        initial=EligibilityRequest.ActingAs.SELF,
        widget=forms.RadioSelect,
    )
    acting_name = forms.CharField(
        label=_("Nama Anda (keluarga atau pendamping)"), max_length=120, required=False
    )
    acting_relation = forms.CharField(
        label=_("Hubungan dengan pemohon"),
        max_length=80,
        required=False,
        help_text=_("Misalnya anak, suami, perawat."),
    )
    reason = forms.ChoiceField(
        label=_("Alasan"), choices=EligibilityRequest.Reason.choices, widget=forms.RadioSelect
    )
    due_date = MemorableDateField(
        label=_("Perkiraan tanggal lahir bayi"),
        required=False,
        help_text=_("Hanya untuk kehamilan. Misalnya 17 Mei 2027."),
    )
    details = forms.CharField(
        label=_("Penjelasan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wajib untuk alasan lain. Tulis hanya yang perlu untuk menilai permohonan."),
    )
    files = MultipleFileField(
        label=_("Bukti (PDF, JPEG atau PNG, paling banyak 3 berkas, masing-masing 10 MB)"),
        required=False,
        help_text=_(
            "Wajib untuk disabilitas: surat dokter atau kartu disabilitas. Tidak perlu untuk usia "
            "lanjut."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya setuju data kesehatan atau disabilitas ini diproses hanya untuk menilai "
            "permohonan Pertiwi, disimpan terenkripsi, dan dihapus sesudah masa simpannya."
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[("approve", _("Setujui")), ("refuse", _("Tolak"))],
        widget=forms.RadioSelect,
    )
    reason_text = forms.CharField(
        label=_("Alasan keputusan (dikirim kepada pemohon)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    valid_until = forms.DateField(
        label=_("Berlaku sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Kosongkan untuk memakai aturan perwakilan."),
    )
