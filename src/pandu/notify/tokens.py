"""The token in every SMS and WhatsApp message's stop link: signed, short, no sign-in needed.

It names one contact preference and one channel. It is short because it shares 320 characters
with the notice itself: the preference's public id in base64 (22 characters), the channel's
letter and 96 bits of an HMAC keyed by ``SECRET_KEY`` (16 characters). It does not expire, since a
citizen may want to stop messages long after the one that carried the link; a changed character
makes it invalid.
"""

from __future__ import annotations

import base64
import binascii
import uuid

from django.utils.crypto import constant_time_compare, salted_hmac

from pandu.notify.models import Channel, ContactPreference

_SALT = "pandu.notify.stop"
_CODES = {Channel.SMS: "s", Channel.WHATSAPP: "w"}
_CHANNELS = {code: channel for channel, code in _CODES.items()}


def _signature(value: str) -> str:
    digest = salted_hmac(_SALT, value, algorithm="sha256").digest()[:12]
    return base64.urlsafe_b64encode(digest).decode()


def stop_token(*, preference: ContactPreference, channel: str) -> str:
    value = base64.urlsafe_b64encode(preference.public_id.bytes).decode().rstrip("=")
    value += _CODES[channel]
    return value + _signature(value)


def stop_token_read(token: str) -> tuple[ContactPreference, str] | None:
    """The preference and channel a token names, or ``None`` for a forged or stale one."""
    if len(token) != 39:
        return None
    value, signature = token[:23], token[23:]
    if not constant_time_compare(signature, _signature(value)):
        return None
    channel = _CHANNELS.get(value[-1])
    try:
        public_id = uuid.UUID(bytes=base64.urlsafe_b64decode(value[:22] + "=="))
    except (binascii.Error, ValueError):
        return None
    preference = ContactPreference.objects.filter(public_id=public_id).first()
    if preference is None or channel is None:
        return None
    return preference, channel
