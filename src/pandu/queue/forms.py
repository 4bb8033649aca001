"""Forms of the waiting-room pages; the rules themselves live in ``services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.catalog.models import Service
from pandu.queue.models import Counter, Ticket


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Nomor referensi janji temu"),
        max_length=60,
        help_text=_("Pindai kode QR dari surel konfirmasi, atau ketik nomor referensinya."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


PRIORITY_CHOICES = [
    ("", _("Tidak ada")),
    (Ticket.Priority.ELDERLY, Ticket.Priority.ELDERLY.label),
    (Ticket.Priority.PREGNANT, Ticket.Priority.PREGNANT.label),
    (Ticket.Priority.DISABILITY, Ticket.Priority.DISABILITY.label),
]


class WalkInForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Layanan yang Anda perlukan"),
        queryset=Service.objects.none(),
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Pilih layanan."), "invalid_choice": _("Pilih layanan.")},
    )
    priority_reason = forms.ChoiceField(
        label=_("Layanan prioritas"),
        choices=PRIORITY_CHOICES,
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text=_("Warga lanjut usia, hamil, atau penyandang disabilitas dilayani lebih dahulu."),
    )

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(
            mission=mission, is_active=True
        ).order_by("order", "name_id")


class CounterOpenForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label=_("Layanan di loket ini"),
        queryset=Service.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu layanan.")},
    )

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = Service.objects.filter(
            mission=mission, is_active=True
        ).order_by("order", "name_id")


class TransferForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Ke layanan"), queryset=Service.objects.none(), to_field_name="code", required=False
    )
    to_counter = forms.ModelChoiceField(
        label=_("Ke loket"),
        queryset=Counter.objects.none(),
        to_field_name="public_id",
        required=False,
    )

    def __init__(self, *args, counter: Counter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(
            mission=counter.mission, is_active=True
        ).order_by("order", "name_id")
        self.fields["service"].empty_label = _("(layanan yang sama)")
        self.fields["to_counter"].queryset = Counter.objects.filter(
            mission=counter.mission, is_open=True
        ).exclude(pk=counter.pk)
        self.fields["to_counter"].empty_label = _("(loket mana saja)")


class NotifyForm(forms.Form):
    email = forms.EmailField(label=_("Alamat surel"), max_length=254)
