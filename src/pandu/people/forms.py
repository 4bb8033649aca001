"""Citizen-facing forms. Field rules come from the models; cross-field rules from the services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pandu.core.models import CANADIAN_PROVINCES
from pandu.notify.services import message_queue
from pandu.people.models import LANGUAGE_CHOICES, CitizenProfile
from pandu.people.services import PROFILE_FIELDS, citizen_profile_check

MONTHS = [
    ("", _("Pilih bulan")),
    ("1", _("Januari")),
    ("2", _("Februari")),
    ("3", _("Maret")),
    ("4", _("April")),
    ("5", _("Mei")),
    ("6", _("Juni")),
    ("7", _("Juli")),
    ("8", _("Agustus")),
    ("9", _("September")),
    ("10", _("Oktober")),
    ("11", _("November")),
    ("12", _("Desember")),
]


class MemorableDateWidget(forms.MultiWidget):
    """Day, month and year as three fields: the USWDS "memorable date" pattern.

    A date people know by heart is easier to type than to pick from a calendar, and every
    browser and screen reader shows three plain fields the same way.
    """

    template_name = "includes/memorable_date.html"
    is_fieldset = True

    def __init__(self, attrs=None):
        number = {"inputmode": "numeric", "pattern": "[0-9]*", "class": "usa-input"}
        widgets = {
            "day": forms.TextInput(attrs={**number, "maxlength": "2", "autocomplete": "bday-day"}),
            "month": forms.Select(
                choices=MONTHS, attrs={"class": "usa-select", "autocomplete": "bday-month"}
            ),
            "year": forms.TextInput(
                attrs={**number, "maxlength": "4", "autocomplete": "bday-year"}
            ),
        }
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base = (attrs or {}).get("id") or self.attrs.get("id")
        if base:  # id_date_of_birth_day rather than id_date_of_birth_0
            for suffix, sub in zip(
                self.widgets_names, context["widget"]["subwidgets"], strict=True
            ):
                sub["attrs"]["id"] = f"{base}{suffix}"
        return context

    def decompress(self, value):
        if value:
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]


class MemorableDateField(forms.MultiValueField):
    widget = MemorableDateWidget

    default_error_messages = {
        "invalid": _("Isi tanggal yang benar, misalnya 17 Agustus 1990."),
        "incomplete": _("Isi tanggal, bulan dan tahun."),
    }

    def __init__(self, **kwargs):
        parts = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=1000, max_value=9999),
        )
        super().__init__(parts, require_all_fields=False, **kwargs)
        for part in self.fields:
            part.error_messages = {**part.error_messages, **self.error_messages}
            part.error_messages["min_value"] = part.error_messages["max_value"] = (
                self.error_messages["invalid"]
            )

    def compress(self, data_list):
        if not data_list or all(v in (None, "") for v in data_list):
            return None
        day, month, year = data_list
        try:
            return dt.date(year, month, day)
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class ProfileForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Bahasa untuk surel dan pemberitahuan"), choices=LANGUAGE_CHOICES
    )

    class Meta:
        model = CitizenProfile
        fields = list(PROFILE_FIELDS)
        field_classes = {"date_of_birth": MemorableDateField}
        help_texts = {
            "date_of_birth": _("Seperti di paspor atau akta kelahiran, misalnya 17 Agustus 1990."),
            "postal_code": _("Contoh: M5V 3L9"),
            "phone": _("Contoh: +1 416 555 0100"),
            "passport_number": _("Boleh dikosongkan. Contoh: X1234567"),
        }

    autocomplete = {
        "full_name": "name",
        "sex": "sex",
        "phone": "tel",
        "address_line": "address-line1",
        "city": "address-level2",
        "province": "address-level1",
        "postal_code": "postal-code",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.autocomplete:
                field.widget.attrs["autocomplete"] = self.autocomplete[name]
            if name in {"nik", "phone", "postal_code"}:
                field.widget.attrs.setdefault("inputmode", "numeric" if name == "nik" else "text")
        self.fields["sex"].choices = [("", _("Pilih")), *CitizenProfile.Sex.choices]
        self.fields["province"].choices = [("", _("Pilih provinsi")), *CANADIAN_PROVINCES]
        # The model's own validators run again in the service; here they give early messages.
        for name in ("nik", "passport_number"):
            self.fields[name].required = False

    def _post_clean(self):
        # Cross-field rules are the service's (same messages for the API); the model instance is
        # never saved by the form.
        data = {f: self.cleaned_data.get(f) for f in PROFILE_FIELDS}
        _clean, errors = citizen_profile_check(data)
        for field, messages in errors.items():
            if field in self.fields and field not in self.errors:
                for text in messages:
                    self.add_error(field, text)


class SignupForm(ProfileForm):
    email = forms.EmailField(
        label=_("Alamat surel"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minimal 8 karakter, bukan kata sandi yang umum dan tidak hanya angka."),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya telah membaca pemberitahuan privasi dan setuju data saya diproses untuk layanan kekonsuleran."
        ),
    )

    field_order = [
        "email",
        "password1",
        "password2",
        *PROFILE_FIELDS,
        "preferred_language",
        "consent",
    ]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("password1")
            and cleaned.get("password2")
            and cleaned["password1"] != cleaned["password2"]
        ):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Alamat surel"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        "invalid_login": _("Alamat surel atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
        "unverified": _(
            "Alamat surel Anda belum dikonfirmasi. Buka tautan di surel pendaftaran, atau minta tautan baru."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.email_verified and not user.is_staff:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label=_("Alamat surel"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan (tidak wajib)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(label=_("Ya, saya ingin akun saya dihapus."))


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the message is queued instead of sent inside the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message_queue(
            to=to_email,
            subject=subject,
            body=body,
            template="password_reset",
            language=translation.get_language() or "",
        )
