"""The translated messages of :mod:`pandu.applications.mrz`'s errors.

``mrz.py`` imports no Django (it is checked by the import contracts), so what a person reads about
an :class:`~pandu.applications.mrz.MRZInputError` is put together here, by its callers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pandu.applications.mrz import MRZInputError

MESSAGES = {
    "missing": _("%(field)s wajib diisi."),
    "date": _("%(field)s harus berupa tanggal yang ada, ditulis TTTT-BB-HH."),
    "sex": _("Jenis kelamin ditulis M, F atau X."),
    "state_code": _("%(field)s ditulis dengan kode negara tiga huruf, misalnya IDN."),
    "document_type": _(
        "Jenis dokumen ditulis P (paspor), boleh diikuti satu huruf lagi, misalnya PD."
    ),
    "document_number": _(
        "Nomor dokumen paling panjang 9 karakter, hanya huruf A-Z dan angka, misalnya X1234567."
    ),
    "personal_number": _(
        "Nomor pribadi paling panjang 14 karakter, hanya huruf A-Z dan angka. NIK (16 angka) tidak "
        "muat di baris mesin paspor."
    ),
    "name_required": _(
        "Nama wajib diisi. Jika hanya memiliki satu nama, isi sebagai nama keluarga."
    ),
    "not_latin": _("%(field)s hanya dapat berisi huruf Latin; tidak dapat dicetak: %(chars)s."),
    "characters": _("%(field)s berisi tanda yang tidak dapat dicetak: %(chars)s."),
    "expiry_before_birth": _("Tanggal habis berlaku harus sesudah tanggal lahir."),
    "line_length": _("Baris %(line)s harus tepat 44 karakter; yang diketik %(length)s karakter."),
    "line_characters": _(
        "Baris %(line)s hanya boleh berisi huruf A-Z, angka 0-9 dan tanda <. "
        "Tidak boleh: %(chars)s."
    ),
    "not_td3": _("Baris pertama paspor (TD3) dimulai dengan huruf P."),
}
FIELD_LABELS = {
    "document_type": _("Jenis dokumen"),
    "issuing_state": _("Negara penerbit"),
    "surname": _("Nama keluarga"),
    "given_names": _("Nama lainnya"),
    "document_number": _("Nomor dokumen"),
    "nationality": _("Kewarganegaraan"),
    "birth_date": _("Tanggal lahir"),
    "sex": _("Jenis kelamin"),
    "expiry_date": _("Tanggal habis berlaku"),
    "personal_number": _("Nomor pribadi"),
}


def mrz_message(exc: MRZInputError) -> str:
    """The error in the active language, naming the field as the form labels it."""
    params = {"field": str(FIELD_LABELS.get(exc.field, exc.field)), **exc.params}
    return str(MESSAGES[exc.code]) % params
