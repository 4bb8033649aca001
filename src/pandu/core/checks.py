"""System checks for settings that Django's own deploy checks do not know about."""

from __future__ import annotations

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
