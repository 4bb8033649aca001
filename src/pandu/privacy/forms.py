from django import forms
from django.utils.translation import gettext_lazy as _

from pandu.privacy.services import REASON_LIMIT


class ConfirmForm(forms.Form):
    checked = forms.BooleanField(
        label=_("Saya sudah memeriksa apa yang akan dihapus, dianonimkan dan disimpan."),
        error_messages={"required": _("Centang ini untuk mengonfirmasi penghapusan.")},
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penolakan"),
        help_text=_("Dikirim kepada WNI lewat surel."),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tulis alasan penolakan untuk WNI.")},
    )
