"""Forms of lapor diri. They collect; the rules are ``services.stay_check``'s."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pandu.core.errors import ValidationFailed
from pandu.core.models import CANADIAN_PROVINCES
from pandu.registry.models import StayMember, StayRegistration

MEMBER_ROWS = 2


def _date(label, *, help_text=""):
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class StayForm(forms.Form):
    registered_as = forms.ChoiceField(
        label=_("Siapa yang mengisi formulir ini?"),
        choices=StayRegistration.RegisteredAs.choices,
        initial=StayRegistration.RegisteredAs.SELF,
        widget=forms.RadioSelect,
    )
    carer_name = forms.CharField(
        label=_("Nama Anda sebagai pendamping"),
        max_length=120,
        required=False,
        help_text=_("Isi jika Anda mengisi untuk orang lain."),
    )
    carer_relation = forms.CharField(
        label=_("Hubungan Anda dengan WNI ini"),
        max_length=80,
        required=False,
        help_text=_("Misalnya anak, perawat, atau wali."),
    )
    address_line = forms.CharField(
        label=_("Alamat"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    city = forms.CharField(
        label=_("Kota"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    province = forms.ChoiceField(label=_("Provinsi"), choices=CANADIAN_PROVINCES)
    postal_code = forms.CharField(
        label=_("Kode pos"),
        max_length=10,
        help_text=_("Misalnya M5V 3L9."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    phone = forms.CharField(
        label=_("Telepon di alamat ini"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    purpose = forms.ChoiceField(
        label=_("Tujuan tinggal"),
        choices=StayRegistration.Purpose.choices,
        widget=forms.RadioSelect,
    )
    arrived_on = _date(_("Tanggal tiba"))
    expected_until = _date(_("Perkiraan tinggal sampai"), help_text=_("Kosongkan jika belum tahu."))
    emergency_id_name = forms.CharField(label=_("Nama kontak darurat di Indonesia"), max_length=100)
    emergency_id_phone = forms.CharField(
        label=_("Telepon kontak di Indonesia"),
        max_length=20,
        help_text=_("Misalnya +62 812 3456 7890."),
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    emergency_id_relation = forms.CharField(
        label=_("Hubungan dengan kontak di Indonesia"), max_length=50, required=False
    )
    emergency_local_name = forms.CharField(
        label=_("Nama kontak darurat setempat"), max_length=100, required=False
    )
    emergency_local_phone = forms.CharField(
        label=_("Telepon kontak setempat"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    emergency_local_relation = forms.CharField(
        label=_("Hubungan dengan kontak setempat"), max_length=50, required=False
    )
    language = forms.ChoiceField(
        label=_("Bahasa untuk surat dan pesan lapor diri"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )
    handover_consent = forms.BooleanField(
        label=_("Saya setuju data lapor diri saya diserahkan ke perwakilan di wilayah baru."),
        required=False,
    )

    def fields_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("handover_consent", None)
        return data


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=100, required=False)
    relation = forms.ChoiceField(
        label=_("Hubungan"),
        choices=[("", _("Pilih")), *StayMember.Relation.choices],
        required=False,
    )
    date_of_birth = _date(_("Tanggal lahir"))
    is_citizen = forms.BooleanField(label=_("WNI"), required=False, initial=True)

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not (data.get("full_name") or data.get("relation") or data.get("date_of_birth"))


MemberFormSet = forms.formset_factory(
    MemberForm, extra=MEMBER_ROWS, can_delete=True, max_num=12, validate_max=True
)


def members_of(formset) -> tuple[list[dict], list]:
    """The filled, not removed rows: their data and their forms (to show the service's errors)."""
    rows, used = [], []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE") or form.is_blank():
            continue
        data = dict(form.cleaned_data)
        data.pop("DELETE", None)
        rows.append(data)
        used.append(form)
    return rows, used


def apply_stay_errors(form: StayForm, used_members: list, exc) -> None:
    """Show a service's refusal: member errors at their row, the rest by field or at the top."""

    if not isinstance(exc, ValidationFailed):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return
    for key, texts in exc.errors.items():
        if key.startswith("members-"):
            _prefix, index, name = key.split("-", 2)
            target = used_members[int(index)]
            for text in texts:
                target.add_error(name if name in target.fields else None, text)
            continue
        for text in texts:
            form.add_error(key if key in form.fields else None, text)


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("Cari nama, kota atau kode pos"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua")), *StayRegistration.Status.choices],
    )
    purpose = forms.ChoiceField(
        label=_("Tujuan tinggal"),
        required=False,
        choices=[("", _("Semua")), *StayRegistration.Purpose.choices],
    )
    province = forms.ChoiceField(
        label=_("Provinsi"), required=False, choices=[("", _("Semua")), *CANADIAN_PROVINCES]
    )
