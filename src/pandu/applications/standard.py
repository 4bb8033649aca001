"""The application rules of the standard catalogue (``catalog.seed``).

A mission's services are data; these are only the starting values ``services.standard_rules``
writes for the standard catalogue (the demo and new missions), after which the admin owns them:
per service code, what the application form asks and whether a certificate letter is issued; per
uploadable requirement (by its Indonesian title), the upload kind that decides its checks.
"""

from __future__ import annotations

STANDARD_RULES: dict[str, dict[str, bool]] = {
    "paspor-baru": {"asks_old_passport": False},
    "paspor-ganti": {"old_passport_required": True},
    "paspor-hilang-rusak": {"asks_replacement_reason": True},
    "surat-keterangan": {"issues_certificate_letter": True},
}

STANDARD_UPLOADS: dict[str, str] = {
    "Paspor lama": "identity",
    "KTP elektronik, Kartu Keluarga atau akta kelahiran": "identity",
    "Paspor kedua orang tua (untuk anak)": "identity",
    "Laporan kehilangan dari polisi (untuk paspor hilang)": "police_report",
    "Pasfoto digital": "photo",
}
