"""The token in every SMS and WhatsApp message's stop link: signed, short, no sign-in needed.

It names one contact preference and one channel; it does not expire, since a citizen may want to
stop messages long after the one that carried the link. A changed character makes it invalid.
"""

from __future__ import annotations

from django.core import signing

from pandu.notify.models import Channel, ContactPreference

_SALT = "pandu.notify.stop"
_CODES = {Channel.SMS: "s", Channel.WHATSAPP: "w"}
_CHANNELS = {code: channel for channel, code in _CODES.items()}


def stop_token(*, preference: ContactPreference, channel: str) -> str:
    return signing.Signer(salt=_SALT).sign(f"{preference.public_id.hex}{_CODES[channel]}")


def stop_token_read(token: str) -> tuple[ContactPreference, str] | None:
    """The preference and channel a token names, or ``None`` for a forged or stale one."""
    try:
        value = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    channel = _CHANNELS.get(value[-1:])
    preference = (
        ContactPreference.objects.filter(public_id__iexact=value[:-1]).first()
        if (channel and len(value) == 33)
        else None
    )
    if preference is None:
        return None
    return preference, channel
