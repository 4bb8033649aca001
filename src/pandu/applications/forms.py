"""Forms for applications. They collect and show; the rules are in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.applications import passport
from pandu.applications.models import Application, Payment, ReplacementReason, Review, Sex
from pandu.applications.services import upload_kind, upload_max_bytes, upload_required
from pandu.applications.workflow import State
from pandu.people.forms import MemorableDateField

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def upload_field_name(requirement) -> str:
    return f"req_{requirement.pk}"


class ApplicationForm(forms.Form):
    """The citizen's answers: the fee case, the passport data and one upload per requirement.

    Fields appear only where the service needs them; nothing is required here, so a citizen can
    save part of the form and come back. Completeness is checked before submitting.
    """

    fee = forms.TypedChoiceField(
        label=_("Biaya yang berlaku untuk Anda"),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    single_name = forms.BooleanField(
        label=_("Saya hanya mempunyai satu nama"),
        required=False,
        help_text=_("Satu nama ditulis di kolom nama keluarga, seperti ketentuan paspor ICAO."),
    )
    surname = forms.CharField(
        label=_("Nama keluarga (atau satu-satunya nama)"),
        max_length=80,
        required=False,
        help_text=_("Huruf Latin tanpa tanda diakritik, seperti akan tercetak di paspor."),
    )
    given_names = forms.CharField(
        label=_("Nama depan"),
        max_length=80,
        required=False,
        help_text=_("Semua nama selain nama keluarga, sesuai urutan."),
    )
    birth_date = MemorableDateField(label=_("Tanggal lahir"), required=False)
    birth_place = forms.CharField(
        label=_("Tempat lahir"),
        max_length=80,
        required=False,
        help_text=_("Kota atau kabupaten seperti di akta kelahiran."),
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin seperti akan tercetak di paspor"),
        choices=Sex.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    old_passport_number = forms.CharField(
        label=_("Nomor paspor lama"),
        max_length=12,
        required=False,
        help_text=_("Misalnya X1234567."),
    )
    old_passport_expiry = MemorableDateField(label=_("Paspor lama berlaku sampai"), required=False)
    replacement_reason = forms.ChoiceField(
        label=_("Alasan penggantian"),
        choices=ReplacementReason.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Untuk paspor hilang, unggah laporan kehilangan dari polisi."),
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        service = application.service
        fees = list(service.fees.all())
        currency = application.mission.currency
        if len(fees) > 1:
            self.fields["fee"].choices = [
                (fee.pk, f"{fee.case}: {currency} {fee.amount}") for fee in fees
            ]
        else:
            del self.fields["fee"]
        self.passport_fields = []
        if application.is_passport:
            form = passport.form_for(service)
            self.passport_fields = ["single_name", "surname", "given_names", "birth_date"]
            self.passport_fields += ["birth_place", "sex"]
            if form.asks_old_passport:
                self.passport_fields += ["old_passport_number", "old_passport_expiry"]
            if form.asks_replacement_reason:
                self.passport_fields.insert(0, "replacement_reason")
        for name in list(self.fields):
            if name != "fee" and name not in self.passport_fields:
                del self.fields[name]
        self.upload_names = []
        for requirement in service.requirements.all():
            if not requirement.uploadable or requirement.kind != "document":
                continue
            name = upload_field_name(requirement)
            mb = upload_max_bytes(requirement) // 1_000_000
            kinds = (
                _("JPEG atau PNG")
                if upload_kind(requirement) == "photo"
                else _("PDF, JPEG atau PNG")
            )
            hint = requirement.explanation
            limit = _("%(kinds)s, paling besar %(mb)s MB.") % {"kinds": kinds, "mb": mb}
            field = forms.FileField(
                label=requirement.title,
                required=False,
                help_text=f"{hint} {limit}".strip(),
            )
            field.widget.attrs["accept"] = ACCEPT
            field.requirement = requirement
            field.upload_required = upload_required(application, requirement)
            self.fields[name] = field
            self.upload_names.append(name)
        # Needed before submitting, though a half-filled form may be saved: not marked optional.
        needed = {"fee", "surname", "given_names", "birth_date", "birth_place", "sex"}
        if application.is_passport:
            form = passport.form_for(service)
            if form.old_passport_required:
                needed |= {"old_passport_number", "old_passport_expiry"}
            if form.asks_replacement_reason:
                needed.add("replacement_reason")
        for name, field in self.fields.items():
            field.needed_later = name in needed or getattr(field, "upload_required", False)
        if "old_passport_expiry" in self.fields:
            for widget in self.fields["old_passport_expiry"].widget.widgets:
                widget.attrs["autocomplete"] = "off"
        if not self.is_bound:
            for name in self.passport_fields:
                value = getattr(application, name)
                # A caller's initial (e.g. from lapor diri) fills only what is not answered yet.
                if value not in (None, "") or name not in self.initial:
                    self.initial[name] = value
            if "fee" in self.fields:
                self.initial["fee"] = application.fee_id

    def answers(self) -> dict:
        data = self.cleaned_data
        answers = {name: data.get(name) for name in self.passport_fields}
        if "fee" in self.fields:
            answers["fee"] = data.get("fee") or None
        return answers

    def uploads(self) -> dict:
        return {
            self.fields[name].requirement: self.cleaned_data[name]
            for name in self.upload_names
            if self.cleaned_data.get(name)
        }


class ReplaceForm(forms.Form):
    file = forms.FileField(label=_("Dokumen pengganti"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ACCEPT


class TransitionForm(forms.Form):
    event = forms.CharField(max_length=30)
    note = forms.CharField(
        label=_("Catatan (dikirim kepada pemohon)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Penilaian"), choices=Review.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Alasan (wajib jika dikembalikan)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PaymentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Cara bayar"), choices=Payment.Method.choices, widget=forms.RadioSelect
    )
    amount = forms.DecimalField(label=_("Jumlah"), min_value=0, max_digits=10, decimal_places=2)
    receipt_number = forms.CharField(label=_("Nomor kuitansi"), max_length=40)


class QueueFilterForm(forms.Form):
    service = forms.ChoiceField(label=_("Layanan"), required=False)
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status"))]
        + [(value, label) for value, label in State.choices if value != State.DRAFT],
    )
    overdue = forms.BooleanField(label=_("Hanya yang lewat target"), required=False)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("Semua layanan"))] + [
            (code, name) for code, name in services
        ]


class OldPassportMRZForm(forms.Form):
    """The two MRZ lines of the applicant's old passport, typed or scanned by the officer."""

    line1 = forms.CharField(
        label=_("Baris 1 MRZ paspor lama"),
        max_length=60,
        widget=forms.TextInput(
            attrs={"class": "usa-input font-mono-sm", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    line2 = forms.CharField(
        label=_("Baris 2 MRZ paspor lama"),
        max_length=60,
        widget=forms.TextInput(
            attrs={"class": "usa-input font-mono-sm", "autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_("44 karakter per baris, huruf besar, angka dan tanda <."),
    )
