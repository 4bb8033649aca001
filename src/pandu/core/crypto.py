"""Encryption at rest for sensitive personal data (health and disability evidence, notes).

Fernet from the ``cryptography`` package (AES-128-CBC with HMAC-SHA256, authenticated, with a
timestamp) does the work; nothing here is hand-made cryptography. ``PANDU_DATA_KEYS`` holds one or
more Fernet keys separated by commas: the first encrypts, all of them decrypt, so a key can be
rotated by putting a new one first and re-encrypting (``MultiFernet.rotate``). In debug and demo
mode a key is derived from the secret key so the demo needs no set-up; a server in production
refuses to start its deploy check without keys (see ``pandu.core.checks``).

Identity numbers (NIK, passport numbers) are encrypted the same way by the model field in
``pandu.core.fields``; to find or compare them without decrypting every row, a keyed hash
(HMAC-SHA256, ``lookup_hash``) is kept beside them. Its key, ``PANDU_LOOKUP_KEY``, is separate
from the data keys so that rotating those never changes a hash (which would break search and the
one-booking-per-identity rule). Without it the key is derived from the secret key, which the deploy
check warns about outside debug and demo mode.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class KeysMissing(ImproperlyConfigured):
    """No usable data key is configured: an operator's problem, told as such."""


def data_keys() -> list[str]:
    keys = list(getattr(settings, "DATA_KEYS", []) or [])
    if keys:
        return keys
    if settings.DEBUG or getattr(settings, "DEMO", False):
        digest = hashlib.sha256(b"pandu-data-key:" + settings.SECRET_KEY.encode()).digest()
        return [base64.urlsafe_b64encode(digest).decode()]
    raise KeysMissing(
        "PANDU_DATA_KEYS is not set. Generate a key with `python -c 'from cryptography.fernet "
        "import Fernet; print(Fernet.generate_key().decode())'`."
    )


def _fernet() -> MultiFernet:
    return _multi_fernet(tuple(data_keys()))


@functools.lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    # Kept per key list: every signed-in citizen's request decrypts their identity numbers.
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise KeysMissing(
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
            "Data could not be decrypted with any key in PANDU_DATA_KEYS: a key that encrypted "
            "it was removed or mistyped, or the data was altered. Put the old key back (after "
            "the new one) and run `pandu encryption_rotate`."
        ) from exc


def rotate(token: bytes) -> bytes:
    """The same data encrypted again with the first key (``DecryptionFailed`` if unreadable)."""
    try:
        return _fernet().rotate(bytes(token))
    except InvalidToken as exc:
        raise DecryptionFailed(
            "Data could not be decrypted with any key in PANDU_DATA_KEYS, so it cannot be "
            "encrypted again with the new key."
        ) from exc


# Errors that mean the keys, not the request, are wrong: pages and the API answer "temporarily
# unavailable" (503) for them and the log names the setting to fix.
KEY_ERRORS = (KeysMissing, DecryptionFailed)


def lookup_key() -> bytes:
    """The HMAC key of the lookup hashes: ``PANDU_LOOKUP_KEY``, else derived from the secret key."""
    key = getattr(settings, "LOOKUP_KEY", "") or ""
    if key:
        return key.encode()
    return hashlib.sha256(b"pandu-lookup-key:" + settings.SECRET_KEY.encode()).digest()


def lookup_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 (hex) of an already normalised ``value``; ``purpose`` keeps the hashes of
    different kinds of number apart ("nik", "passport"). Empty for an empty value."""
    if not value:
        return ""
    message = f"{purpose}:{value}".encode()
    return hmac.new(lookup_key(), message, hashlib.sha256).hexdigest()


def encrypt_text(text: str) -> bytes:
    return encrypt(text.encode()) if text else b""


def decrypt_text(token: bytes | None) -> str:
    return decrypt(token).decode() if token else ""
