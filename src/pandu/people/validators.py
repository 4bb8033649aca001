"""Translated messages for the identity rules in ``identity.py``, as Django validators."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pandu.people import identity

MESSAGES = {
    "nik_format": _("NIK harus terdiri dari 16 angka."),
    "nik_province": _("Dua angka pertama NIK bukan kode provinsi Indonesia."),
    "nik_date": _(
        "Angka tanggal lahir di dalam NIK (angka ke-7 sampai ke-12) bukan tanggal yang ada."
    ),
    "nik_serial": _("Empat angka terakhir NIK tidak boleh 0000."),
    "nik_birth_date_mismatch": _(
        "Tanggal lahir di dalam NIK tidak sama dengan tanggal lahir yang diisi."
    ),
    "nik_sex_mismatch": _(
        "Jenis kelamin tidak sesuai dengan NIK (untuk perempuan, tanggal di NIK ditambah 40)."
    ),
    "postal_code_format": _("Kode pos Kanada ditulis seperti M5V 3L9."),
    "postal_code_province": _("Kode pos ini bukan dari provinsi yang dipilih."),
    "name_required": _("Nama wajib diisi."),
    "name_too_long": _("Nama paling panjang 100 huruf."),
    "name_characters": _(
        "Nama hanya boleh berisi huruf, spasi, tanda petik, tanda hubung, titik dan koma. "
        "Satu kata saja sudah cukup."
    ),
    "passport_format": _("Nomor paspor ditulis seperti X1234567 (huruf lalu 6 atau 7 angka)."),
    "phone_format": _("Nomor telepon ditulis dengan angka, misalnya +1 416 555 0100."),
}


def message(code: str) -> str:
    return str(MESSAGES[code])


def _check(func: Callable[[str], object], value: str) -> None:
    try:
        func(value)
    except identity.IdentityError as exc:
        raise ValidationError(MESSAGES[exc.code], code=exc.code) from exc


def validate_nik(value: str) -> None:
    _check(identity.parse_nik, value)


def validate_postal_code(value: str) -> None:
    _check(identity.normalise_postal_code, value)


def validate_person_name(value: str) -> None:
    _check(identity.normalise_name, value)


def validate_passport_number(value: str) -> None:
    _check(identity.normalise_passport_number, value)


def validate_phone(value: str) -> None:
    _check(identity.normalise_phone, value)
