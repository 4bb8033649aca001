from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.notify.channels import channels_configured
from pandu.notify.models import Channel
from pandu.notify.preferences import TEXT_CHANNELS

CONSENT_LABELS = {
    Channel.SMS: _("Saya setuju menerima pemberitahuan lewat SMS di nomor ini."),
    Channel.WHATSAPP: _("Saya setuju menerima pemberitahuan lewat WhatsApp di nomor ini."),
}


class ContactPreferenceForm(forms.Form):
    """Only the channels configured now are offered; e-mail always is."""

    channel = forms.ChoiceField(label=_("Kirim pemberitahuan lewat"), widget=forms.RadioSelect)
    phone = forms.CharField(
        label=_("Nomor telepon untuk pesan"),
        required=False,
        max_length=24,
        help_text=_("Format internasional dengan kode negara, misalnya +1 416 555 0199."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    consents = forms.MultipleChoiceField(
        label=_("Persetujuan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Anda dapat berhenti kapan saja: balas BERHENTI atau buka tautan di setiap pesan."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offered = channels_configured()
        self.fields["channel"].choices = [
            (value, label) for value, label in Channel.choices if value in offered
        ]
        self.fields["consents"].choices = [
            (value, CONSENT_LABELS[value]) for value in TEXT_CHANNELS if value in offered
        ]
        self.text_channels_offered = bool(self.fields["consents"].choices)
