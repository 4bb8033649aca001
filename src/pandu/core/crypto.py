"""Encryption at rest for sensitive personal data (health and disability evidence, notes).

Fernet from the ``cryptography`` package (AES-128-CBC with HMAC-SHA256, authenticated, with a
timestamp) does the work; nothing here is hand-made cryptography. ``PANDU_DATA_KEYS`` holds one or
more Fernet keys separated by commas: the first encrypts, all of them decrypt, so a key can be
rotated by putting a new one first and re-encrypting (``MultiFernet.rotate``). In debug and demo
mode a key is derived from the secret key so the demo needs no set-up; a server in production
refuses to start its deploy check without keys (see ``pandu.core.checks``).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def data_keys() -> list[str]:
    keys = list(getattr(settings, "DATA_KEYS", []) or [])
    if keys:
        return keys
    if settings.DEBUG or getattr(settings, "DEMO", False):
        digest = hashlib.sha256(b"pandu-data-key:" + settings.SECRET_KEY.encode()).digest()
        return [base64.urlsafe_b64encode(digest).decode()]
    raise ImproperlyConfigured(
        "PANDU_DATA_KEYS is not set. Generate a key with `python -c 'from cryptography.fernet "
        "import Fernet; print(Fernet.generate_key().decode())'`."
    )


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in data_keys()])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "PANDU_DATA_KEYS must hold Fernet keys (32 url-safe base64 bytes each)."
        ) from exc


def encrypt(data: bytes) -> bytes:
    return _fernet().encrypt(data)


class DecryptionFailed(Exception):
    """The data was altered or every configured key is wrong: an operator's problem, logged."""


def decrypt(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise DecryptionFailed(
            "Data could not be decrypted: the keys have changed or the data was altered."
        ) from exc


def encrypt_text(text: str) -> bytes:
    return encrypt(text.encode()) if text else b""


def decrypt_text(token: bytes | None) -> str:
    return decrypt(token).decode() if token else ""
