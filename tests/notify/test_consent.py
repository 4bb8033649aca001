"""Consent and every way to stop: the preference page, the stop link, STOP replies, and the
providers' webhooks (signed, or refused with nothing changed)."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from twilio.request_validator import RequestValidator

from pandu.audit.models import AuditEvent
from pandu.notify import services
from pandu.notify.models import ContactPreference, OutboundMessage
from pandu.notify.preferences import preference_set
from pandu.people.models import User

pytestmark = pytest.mark.django_db

EMAIL = "siti.rahayu@example.org"
PHONE = "+14165550123"
TWILIO_INBOUND = "/hooks/messages/twilio/inbound/"
TWILIO_STATUS = "/hooks/messages/twilio/status/"
WHATSAPP = "/hooks/messages/whatsapp/"


@pytest.fixture
def user():
    return User.objects.get(email=EMAIL)


def prefer(user, channel):
    return preference_set(user=user, channel=channel, phone=PHONE, consents={channel})


def notice(capture, *, language="id"):
    """A waiting-list offer (any citizen notice would do), sent now."""
    with capture(execute=True):
        return services.email_send(
            to=EMAIL,
            template="waitlist_offer",
            context={"link": "https://pandu.example/offer/"},
            language=language,
        )


def twilio_post(client, settings, path, params, *, signature=None):
    if signature is None:
        signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(
            settings.SITE_URL + path, params
        )
    return client.post(
        path,
        data=urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )


def whatsapp_post(client, settings, payload, *, secret=None):
    body = json.dumps(payload).encode()
    digest = hmac.new((secret or settings.WHATSAPP_APP_SECRET).encode(), body, hashlib.sha256)
    return client.post(
        WHATSAPP,
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=f"sha256={digest.hexdigest()}",
    )


def whatsapp_event(value):
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }


# STOP replies ---------------------------------------------------------------------------------


def test_a_stop_reply_by_sms_opts_out_and_the_next_notice_goes_by_e_mail(
    client, settings, providers, user, django_capture_on_commit_callbacks
):
    prefer(user, "sms")
    notice(django_capture_on_commit_callbacks)
    assert len(providers.of("twilio")) == 1
    answer = twilio_post(
        client,
        settings,
        TWILIO_INBOUND,
        {"From": PHONE, "To": settings.SMS_FROM, "Body": " berhenti ", "MessageSid": "SMx"},
    )
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/xml")
    preference = ContactPreference.objects.get(user=user)
    assert preference.sms_consent_at is None and preference.sms_opted_out_at
    assert preference.channel == "email"
    assert AuditEvent.objects.filter(event="contact_opted_out", data__source="reply").exists()
    notice(django_capture_on_commit_callbacks)
    assert len(providers.of("twilio")) == 1  # nothing more by SMS
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_a_stop_reply_on_whatsapp_opts_out_of_whatsapp(client, settings, providers, user):
    prefer(user, "whatsapp")
    event = whatsapp_event(
        {
            "messaging_product": "whatsapp",
            "messages": [
                {
                    "from": PHONE.lstrip("+"),
                    "id": "wamid.in",
                    "type": "text",
                    "text": {"body": "STOP"},
                }
            ],
        }
    )
    assert whatsapp_post(client, settings, event).status_code == 200
    preference = ContactPreference.objects.get(user=user)
    assert preference.whatsapp_consent_at is None and preference.channel == "email"


def test_any_other_reply_changes_nothing(client, settings, providers, user):
    prefer(user, "sms")
    twilio_post(client, settings, TWILIO_INBOUND, {"From": PHONE, "Body": "please stop by later"})
    assert ContactPreference.objects.get(user=user).sms_consent_at is not None


# Forged calls ---------------------------------------------------------------------------------


def test_forged_twilio_calls_are_refused_and_change_nothing(
    client, settings, providers, user, django_capture_on_commit_callbacks
):
    prefer(user, "sms")
    notice(django_capture_on_commit_callbacks)
    message = OutboundMessage.objects.get()
    stop = {"From": PHONE, "Body": "STOP"}
    assert (
        twilio_post(client, settings, TWILIO_INBOUND, stop, signature="forged").status_code == 403
    )
    assert twilio_post(client, settings, TWILIO_INBOUND, stop, signature="").status_code == 403
    # Signed with another account's token.
    other = RequestValidator("not-our-token").compute_signature(
        settings.SITE_URL + TWILIO_INBOUND, stop
    )
    assert twilio_post(client, settings, TWILIO_INBOUND, stop, signature=other).status_code == 403
    delivered = {"MessageSid": message.provider_id, "MessageStatus": "delivered"}
    assert (
        twilio_post(client, settings, TWILIO_STATUS, delivered, signature="forged").status_code
        == 403
    )
    assert ContactPreference.objects.get(user=user).sms_consent_at is not None
    message.refresh_from_db()
    assert message.status == "sent" and message.delivered_at is None


def test_forged_whatsapp_calls_are_refused_and_change_nothing(client, settings, providers, user):
    prefer(user, "whatsapp")
    event = whatsapp_event(
        {"messages": [{"from": PHONE.lstrip("+"), "type": "text", "text": {"body": "STOP"}}]}
    )
    assert whatsapp_post(client, settings, event, secret="guessed").status_code == 403
    unsigned = client.post(WHATSAPP, data=json.dumps(event), content_type="application/json")
    assert unsigned.status_code == 403
    assert ContactPreference.objects.get(user=user).whatsapp_consent_at is not None


def test_webhooks_refuse_everything_while_the_channel_is_not_configured(client, settings, user):
    prefer_params = {"From": PHONE, "Body": "STOP"}
    settings.TWILIO_AUTH_TOKEN = ""
    assert (
        twilio_post(client, settings, TWILIO_INBOUND, prefer_params, signature="x").status_code
        == 403
    )
    settings.WHATSAPP_APP_SECRET = ""
    answer = client.post(WHATSAPP, data="{}", content_type="application/json")
    assert answer.status_code == 403


def test_whatsapp_webhook_registration_needs_the_verify_token(client, settings):
    settings.WHATSAPP_VERIFY_TOKEN = "our-verify-token"
    params = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
    assert client.get(WHATSAPP, {**params, "hub.verify_token": "wrong"}).status_code == 403
    answer = client.get(WHATSAPP, {**params, "hub.verify_token": "our-verify-token"})
    assert answer.status_code == 200 and answer.content == b"1158201444"


# Delivery reports -----------------------------------------------------------------------------


def test_twilio_status_reports_mark_the_message_delivered_and_never_move_it_back(
    client, settings, providers, user, django_capture_on_commit_callbacks
):
    prefer(user, "sms")
    notice(django_capture_on_commit_callbacks)
    message = OutboundMessage.objects.get()
    for status in ("sending", "delivered", "sent"):
        answer = twilio_post(
            client,
            settings,
            TWILIO_STATUS,
            {"MessageSid": message.provider_id, "MessageStatus": status},
        )
        assert answer.status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered" and message.delivered_at


def test_whatsapp_status_reports_mark_read_and_a_failure_falls_back_to_e_mail(
    client, settings, providers, user, django_capture_on_commit_callbacks
):
    prefer(user, "whatsapp")
    notice(django_capture_on_commit_callbacks)
    notice(django_capture_on_commit_callbacks)
    read, lost = OutboundMessage.objects.order_by("pk")
    statuses = [
        {"id": read.provider_id, "status": "delivered", "recipient_id": "14165550123"},
        {"id": read.provider_id, "status": "read", "recipient_id": "14165550123"},
        {"id": lost.provider_id, "status": "failed", "errors": [{"code": 131049}]},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        answer = whatsapp_post(client, settings, whatsapp_event({"statuses": statuses}))
    assert answer.status_code == 200
    read.refresh_from_db(), lost.refresh_from_db()
    assert read.status == "read" and read.delivered_at
    assert lost.status == "failed" and "131049" in lost.last_error
    assert lost.fallback.channel == "email" and lost.fallback.status == "sent"
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_a_malformed_whatsapp_event_is_a_400_not_a_500(client, settings):
    settings.WHATSAPP_APP_SECRET = "meta-app-secret"
    body = b"not json"
    digest = hmac.new(b"meta-app-secret", body, hashlib.sha256).hexdigest()
    answer = client.post(
        WHATSAPP,
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=f"sha256={digest}",
    )
    assert answer.status_code == 400


# The stop link --------------------------------------------------------------------------------


def stop_path(providers) -> str:
    body = providers.of("twilio")[-1].form["Body"]
    return re.search(r"https?://[^/]+(/\w+/messages/stop/[\w-]+/)", body).group(1)


def test_the_stop_link_works_without_signing_in(
    client, providers, user, django_capture_on_commit_callbacks
):
    prefer(user, "sms")
    notice(django_capture_on_commit_callbacks, language="en")
    path = stop_path(providers)
    page = client.get(path)
    assert page.status_code == 200 and "Stop SMS messages" in page.content.decode()
    assert "•••123" in page.content.decode() and PHONE not in page.content.decode()
    # Opening the link (or a messaging app's preview of it) stops nothing.
    assert ContactPreference.objects.get(user=user).sms_consent_at is not None
    done = client.post(path)
    assert done.status_code == 200 and "have been stopped" in done.content.decode()
    preference = ContactPreference.objects.get(user=user)
    assert preference.sms_consent_at is None and preference.channel == "email"
    assert AuditEvent.objects.filter(event="contact_opted_out", data__source="link").exists()


def test_a_tampered_stop_link_is_refused(
    client, providers, user, django_capture_on_commit_callbacks
):
    prefer(user, "sms")
    notice(django_capture_on_commit_callbacks)
    path = stop_path(providers)
    token = path.rstrip("/").rsplit("/", 1)[1]
    # Another channel's letter, then one changed character of the signature.
    for forged in (token[:22] + "w" + token[23:], token[:-1] + ("A" if token[-1] != "A" else "B")):
        answer = client.post(path.replace(token, forged))
        assert answer.status_code == 404
    assert client.post("/id/messages/stop/short/").status_code == 404
    preference = ContactPreference.objects.get(user=user)
    assert preference.sms_consent_at is not None and preference.whatsapp_opted_out_at is None


# The preference page --------------------------------------------------------------------------


def test_the_preference_page_records_consent_with_its_time_and_source(client, providers, user):
    client.force_login(user)
    assert 'href="/id/messages/preferences/"' in client.get("/id/account/profile/").content.decode()
    page = client.get("/en/messages/preferences/")
    assert page.status_code == 200 and "I agree to receive notices by SMS" in page.content.decode()
    answer = client.post(
        "/en/messages/preferences/",
        {"channel": "sms", "phone": "+1 416-555-0123", "consents": ["sms"]},
    )
    assert answer.status_code == 302
    preference = ContactPreference.objects.get(user=user)
    assert preference.channel == "sms" and preference.phone == PHONE
    assert preference.sms_consent_at and preference.sms_consent_source == "page"
    assert preference.whatsapp_consent_at is None
    # Unticking withdraws it and moves notices back to e-mail.
    client.post("/en/messages/preferences/", {"channel": "email", "phone": PHONE})
    preference.refresh_from_db()
    assert preference.sms_consent_at is None and preference.sms_opted_out_at


@pytest.mark.parametrize(
    "data, field, message",
    [
        (
            {"channel": "sms", "phone": "416 555", "consents": ["sms"]},
            "phone",
            "international format",
        ),
        ({"channel": "sms", "phone": PHONE}, "channel", "tick its consent"),
        (
            {"channel": "email", "phone": "", "consents": ["whatsapp"]},
            "phone",
            "Enter a phone number",
        ),
        ({"channel": "fax", "phone": PHONE}, "channel", "Select a valid choice"),
    ],
)
def test_the_preference_page_refuses_bad_input_and_changes_nothing(
    client, providers, user, data, field, message
):
    client.force_login(user)
    answer = client.post("/en/messages/preferences/", data)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not ContactPreference.objects.filter(user=user).exists()


def test_channels_not_configured_are_not_offered(client, settings, user):
    settings.TWILIO_ACCOUNT_SID = settings.WHATSAPP_TOKEN = ""
    client.force_login(user)
    page = client.get("/en/messages/preferences/").content.decode()
    assert "For now, notices are sent by e-mail only." in page
    assert 'value="sms"' not in page and 'value="whatsapp"' not in page
    answer = client.post("/en/messages/preferences/", {"channel": "sms", "phone": PHONE})
    assert answer.status_code == 200
    assert not ContactPreference.objects.filter(user=user).exists()


def test_the_preference_page_needs_signing_in(client):
    answer = client.get("/id/messages/preferences/")
    assert answer.status_code == 302 and "/account/login/" in answer["Location"]
