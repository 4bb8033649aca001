"""The application rules of the standard catalogue (``catalog.seed``), by service code.

A mission's services are data; these are only the starting values ``services.standard_rules``
writes for the standard codes (the demo and new missions), after which the admin owns them.
"""

from __future__ import annotations

STANDARD_RULES: dict[str, dict[str, bool]] = {
    "paspor-baru": {"asks_old_passport": False},
    "paspor-ganti": {"old_passport_required": True},
    "paspor-hilang-rusak": {"asks_replacement_reason": True},
    "surat-keterangan": {"issues_certificate_letter": True},
}
