"""A citizen's choice of channel and their consent to SMS and WhatsApp, and every way to stop.

Consent is given only on the preference page, by the citizen signed in; it is recorded per
channel with its time and source. It is withdrawn by the same page, by the stop link in every SMS
or WhatsApp message, or by replying STOP (or BERHENTI); a withdrawal keeps its time, clears the
consent, and moves the preferred channel back to e-mail if it was the one stopped.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.core.errors import ValidationFailed
from pandu.notify.channels import channel_get
from pandu.notify.models import Channel, ContactPreference

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
TEXT_CHANNELS = (Channel.SMS, Channel.WHATSAPP)
STOP_WORDS = frozenset({"STOP", "BERHENTI", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})


def phone_normalise(raw: str) -> str:
    """``+1 (416) 555-0199`` -> ``+14165550199``; raises ``ValueError`` if it is not E.164."""
    value = re.sub(r"[\s().-]", "", raw or "")
    if value.startswith("00"):
        value = "+" + value[2:]
    if not E164.match(value):
        raise ValueError(value)
    return value


def preference_get(user) -> ContactPreference | None:
    return ContactPreference.objects.filter(user=user).first()


@transaction.atomic
def preference_set(
    *,
    user,
    channel: str,
    phone: str,
    consents: set[str],
    now: dt.datetime | None = None,
) -> ContactPreference:
    """Save what the citizen chose on the preference page.

    ``consents`` are the text channels they agree to now; one no longer ticked is withdrawn. A
    text channel may be preferred only with a number, its consent, and the channel configured.
    """
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = [_("Pilih saluran yang tersedia.")]
    normalised = ""
    if phone.strip():
        try:
            normalised = phone_normalise(phone)
        except ValueError:
            errors["phone"] = [
                _("Tulis nomor dalam format internasional, misalnya +1 416 555 0199.")
            ]
    needs_phone = bool(consents & set(TEXT_CHANNELS)) or channel in TEXT_CHANNELS
    if needs_phone and not phone.strip():
        errors["phone"] = [_("Isi nomor telepon untuk pesan SMS atau WhatsApp.")]
    if channel in TEXT_CHANNELS and "channel" not in errors:
        if not channel_get(channel).configured():
            errors["channel"] = [_("Saluran ini belum tersedia di perwakilan Anda.")]
        elif channel not in consents:
            errors["channel"] = [
                _("Untuk menerima pemberitahuan lewat saluran ini, centang persetujuannya.")
            ]
    if errors:
        raise ValidationFailed(errors)
    preference, _created = ContactPreference.objects.select_for_update().get_or_create(user=user)
    given, withdrawn = [], []
    for text_channel in TEXT_CHANNELS:
        had = getattr(preference, f"{text_channel}_consent_at") is not None
        wants = text_channel in consents
        if wants and (not had or normalised != preference.phone):
            setattr(preference, f"{text_channel}_consent_at", now)
            setattr(preference, f"{text_channel}_consent_source", ContactPreference.Source.PAGE)
            given.append(text_channel)
        elif had and not wants:
            _withdraw(preference, text_channel, now)
            withdrawn.append(text_channel)
    preference.channel = channel
    preference.phone = normalised
    preference.save()
    audit_record(
        event="contact_preference_changed",
        actor=user,
        obj=preference,
        data={"channel": channel, "consent_given": given, "consent_withdrawn": withdrawn},
    )
    return preference


def _withdraw(preference: ContactPreference, channel: str, now: dt.datetime) -> None:
    setattr(preference, f"{channel}_consent_at", None)
    setattr(preference, f"{channel}_consent_source", "")
    setattr(preference, f"{channel}_opted_out_at", now)
    if preference.channel == channel:
        preference.channel = Channel.EMAIL


@transaction.atomic
def preference_opt_out(
    *, preference: ContactPreference, channel: str, source: str, now: dt.datetime | None = None
) -> ContactPreference:
    """Stop SMS or WhatsApp messages for this preference (a stop link, a STOP reply)."""
    now = now or timezone.now()
    preference = ContactPreference.objects.select_for_update().get(pk=preference.pk)
    had = getattr(preference, f"{channel}_consent_at") is not None
    _withdraw(preference, channel, now)
    preference.save()
    audit_record(
        event="contact_opted_out",
        obj=preference,
        data={"channel": channel, "source": source, "had_consent": had},
    )
    return preference


def is_stop_reply(body: str) -> bool:
    words = (body or "").strip().upper().rstrip(".!").split()
    return len(words) == 1 and words[0] in STOP_WORDS


@transaction.atomic
def reply_received(*, channel: str, phone: str, body: str, now: dt.datetime | None = None) -> int:
    """A citizen answered a message. STOP (or BERHENTI) opts every preference with that number
    out of that channel; anything else is ignored. Returns how many preferences were stopped."""
    if not is_stop_reply(body):
        return 0
    try:
        number = phone_normalise(phone if phone.startswith("+") else f"+{phone}")
    except ValueError:
        return 0
    stopped = 0
    for preference in ContactPreference.objects.filter(phone=number):
        preference_opt_out(
            preference=preference, channel=channel, source=ContactPreference.Source.REPLY, now=now
        )
        stopped += 1
    return stopped
