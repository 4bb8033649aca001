from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PDF_BYTES = 10_000_000


class VerifyPdfForm(forms.Form):
    file = forms.FileField(
        label=_("PDF yang ingin diperiksa"),
        help_text=_("Berkas PDF yang Anda terima, paling besar 10 MB. Berkas tidak disimpan."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Pilih berkas PDF terlebih dahulu.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar. Paling besar 10 MB."))
        return upload
