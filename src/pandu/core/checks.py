"""System checks for settings that Django's own deploy checks do not know about."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def data_keys_set(app_configs=None, **kwargs):
    if getattr(settings, "DATA_KEYS", None) or settings.DEBUG or getattr(settings, "DEMO", False):
        return []
    return [
        checks.Error(
            "PANDU_DATA_KEYS is not set: sensitive personal data cannot be encrypted at rest.",
            hint="Generate a key with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'` and set PANDU_DATA_KEYS.",
            id="pandu.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def signing_key_set(app_configs=None, **kwargs):
    """Receipts and letters are signed with the mission's key: production must name it."""
    if settings.DEBUG or getattr(settings, "DEMO", False):
        return []
    key = getattr(settings, "SIGNING_KEY", "")
    if not key:
        return [
            checks.Error(
                "PANDU_SIGNING_KEY is not set: receipts and letters cannot be signed.",
                hint="Set PANDU_SIGNING_KEY to the mission's PKCS#12 file (or a PEM key with "
                "PANDU_SIGNING_CERT); '{mission}' in the path stands for the mission's slug.",
                id="pandu.E002",
            )
        ]

    missing = [
        f"{name}={value}"
        for name, value in (
            ("PANDU_SIGNING_KEY", key),
            ("PANDU_SIGNING_CERT", getattr(settings, "SIGNING_CERT", "")),
        )
        if value and "{mission}" not in value and not Path(value).is_file()
    ]
    if missing:
        return [
            checks.Error(
                f"Signing files do not exist: {', '.join(missing)}.",
                hint="Check the path and that Pandu's user may read it.",
                id="pandu.E003",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def lookup_key_set(app_configs=None, **kwargs):
    """Lookup hashes of identity numbers need a key of their own, kept when the secret key or the
    data keys change (see ``pandu.core.crypto.lookup_key``)."""
    if getattr(settings, "LOOKUP_KEY", "") or settings.DEBUG or getattr(settings, "DEMO", False):
        return []
    return [
        checks.Warning(
            "PANDU_LOOKUP_KEY is not set: the lookup hashes of NIK and passport numbers are "
            "derived from PANDU_SECRET_KEY, so changing the secret key would break the search "
            "by number and the one-booking-per-identity rule.",
            hint="Set PANDU_LOOKUP_KEY to a long random value (e.g. `python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'`), then run `pandu encryption_rotate` once to "
            "recompute the hashes. Never change it afterwards.",
            id="pandu.W001",
        )
    ]
