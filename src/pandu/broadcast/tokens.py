"""The token in each crisis message's reply link: signed, short, no sign-in needed.

It names one delivery: its public id in base64 (22 characters) and 96 bits of an HMAC keyed by
``SECRET_KEY`` (16 characters). It does not expire by itself; the reply page closes
``BROADCAST_REPLY_DAYS`` after the broadcast was sent. The token is also the message's own
reference: it appears in the text only that citizen received, which is how a delivery in doubt
is found again at the provider (see ``services``).
"""

from __future__ import annotations

import base64
import binascii
import uuid

from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "pandu.broadcast.reply"
LENGTH = 38


def _signature(value: str) -> str:
    digest = salted_hmac(_SALT, value, algorithm="sha256").digest()[:12]
    return base64.urlsafe_b64encode(digest).decode()


def reply_token(public_id: uuid.UUID) -> str:
    value = base64.urlsafe_b64encode(public_id.bytes).decode().rstrip("=")
    return value + _signature(value)


def reply_token_read(token: str) -> uuid.UUID | None:
    """The delivery's public id a token names, or ``None`` for a forged or mangled one."""
    if len(token) != LENGTH:
        return None
    value, signature = token[:22], token[22:]
    if not constant_time_compare(signature, _signature(value)):
        return None
    try:
        return uuid.UUID(bytes=base64.urlsafe_b64decode(value + "=="))
    except (binascii.Error, ValueError):
        return None
