"""WhatsApp's 24-hour window: free text only after the citizen wrote, else an approved template;
and a status report that reaches us before the provider's answer to the send.

The fake Cloud API (``fake_providers``) refuses what Meta refuses: free text outside the window
(131047), a template it does not know or with the wrong parameters.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from pandu.notify import services
from pandu.notify.models import ContactPreference, OutboundMessage, PendingStatusReport
from pandu.notify.preferences import preference_set
from pandu.people.models import CitizenProfile, User

from .whatsapp import citizen_writes, status_report

EMAIL = "siti.rahayu@example.org"
PHONE = "+14165550123"
NOW = dt.datetime(2026, 12, 20, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def user(demo):
    return User.objects.get(email=EMAIL)


def prefer(user, language="id"):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return preference_set(user=user, channel="whatsapp", phone=PHONE, consents={"whatsapp"})


def offer(capture, *, language="id", template="waitlist_offer", link="https://pandu.example/o/1/"):
    with capture(execute=True):
        return services.email_send(
            to=EMAIL, template=template, context={"link": link}, language=language
        )


@pytest.mark.django_db
def test_without_a_message_from_the_citizen_the_notice_goes_as_its_approved_template(
    providers, user, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW, tick=False)
    prefer(user, "en")
    offer(django_capture_on_commit_callbacks, language="en", link="https://pandu.example/o/7/")
    [request] = providers.of("whatsapp")
    assert request.json["type"] == "template" and "text" not in request.json
    assert request.json["template"] == {
        "name": "pandu_seat_offer",
        "language": {"code": "en"},
        "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "https://pandu.example/o/7/"}]}
        ],
    }
    message = OutboundMessage.objects.get(template="waitlist_offer")
    assert message.status == "sent" and message.provider_id.startswith("wamid.")
    assert mail.outbox == []


@pytest.mark.django_db
def test_free_text_within_24_hours_of_the_citizens_message_then_a_template_again(
    providers, client, settings, user, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW, tick=False)
    prefer(user)
    citizen_writes(client, settings, providers, PHONE, body="Terima kasih")
    assert ContactPreference.objects.get(user=user).whatsapp_inbound_at == NOW
    time_machine.move_to(NOW + dt.timedelta(hours=23), tick=False)
    offer(django_capture_on_commit_callbacks)
    time_machine.move_to(NOW + dt.timedelta(hours=25), tick=False)
    offer(django_capture_on_commit_callbacks)
    within, after = providers.of("whatsapp")
    assert within.json["type"] == "text" and "/messages/stop/" in within.json["text"]["body"]
    assert after.json["type"] == "template"
    assert after.json["template"]["name"] == "pandu_tawaran_kursi"
    assert after.json["template"]["language"] == {"code": "id"}
    assert [m.status for m in OutboundMessage.objects.order_by("pk")] == ["sent", "sent"]


@pytest.mark.django_db
def test_a_booking_outside_the_window_fills_the_templates_parameters_from_the_notice(
    providers, user, time_machine, django_capture_on_commit_callbacks
):
    from pandu.appointments.models import Slot
    from pandu.appointments.services import appointment_book, sessions_generate

    time_machine.move_to(NOW, tick=False)
    profile = CitizenProfile.objects.select_related("mission").get(user=user)
    prefer(user)
    sessions_generate(mission=profile.mission, start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31))
    service = profile.mission.services.get(code="paspor-ganti")
    slot = Slot.objects.filter(
        service=service, booked=0, session__date=dt.date(2027, 1, 12), session__kind="weekday"
    ).order_by("starts_at")[2]
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(citizen=profile, slot=slot, service=service)
    [request] = providers.of("whatsapp")
    assert request.json["template"]["name"] == "pandu_janji_tercatat"
    reference, when, link = (
        p["text"] for p in request.json["template"]["components"][0]["parameters"]
    )
    assert reference == appointment.reference
    local = slot.starts_at.astimezone(profile.mission.zone)  # the mission's time, as in the SMS
    assert when == "12 Jan 2027 " + local.strftime("%H:%M")
    assert "/id/appointments/manage/" in link
    assert OutboundMessage.objects.get(template="appointment_booked").status == "sent"


@pytest.mark.django_db
def test_free_text_the_api_refuses_as_outside_the_window_falls_back_to_e_mail(
    providers, user, django_capture_on_commit_callbacks
):
    preference = prefer(user)
    # Our record says the citizen wrote an hour ago; Meta has no such message (131047).
    ContactPreference.objects.filter(pk=preference.pk).update(
        whatsapp_inbound_at=timezone.now() - dt.timedelta(hours=1)
    )
    offer(django_capture_on_commit_callbacks)
    [request] = providers.of("whatsapp")
    assert request.json["type"] == "text"
    message = OutboundMessage.objects.filter(template="waitlist_offer").order_by("pk").first()
    assert message.status == "failed" and "131047" in message.last_error
    assert message.attempts == 1  # not retried: trying again cannot help
    assert message.fallback.channel == "email" and message.fallback.status == "sent"
    assert [m.to for m in mail.outbox] == [[EMAIL]]


@pytest.mark.django_db
def test_a_notice_without_a_template_goes_by_e_mail_outside_the_window(
    providers, settings, user, django_capture_on_commit_callbacks
):
    prefer(user)
    settings.WHATSAPP_TEMPLATES = {
        k: v for k, v in settings.WHATSAPP_TEMPLATES.items() if k != "waitlist_offer"
    }
    offer(django_capture_on_commit_callbacks)
    assert providers.of("whatsapp") == []  # nothing Meta would refuse is even tried
    message = OutboundMessage.objects.filter(template="waitlist_offer").order_by("pk").first()
    assert message.status == "failed" and "no approved template" in message.last_error
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_the_fake_refuses_a_template_with_the_wrong_shape(providers):
    """The check the tests above rely on can fail."""
    base = {"messaging_product": "whatsapp", "to": "14165550123", "type": "template"}
    one = [{"type": "text", "text": "https://x.example/"}]
    shapes = {
        "unknown": {"name": "pandu_nope", "language": {"code": "id"}, "components": []},
        "language": {"name": "pandu_seat_offer", "language": {"code": "id"}, "components": []},
        "count": {"name": "pandu_seat_offer", "language": {"code": "en"}, "components": []},
        "newline": {
            "name": "pandu_seat_offer",
            "language": {"code": "en"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "a\nb"}]}],
        },
    }
    codes = {k: providers.whatsapp_refusal({**base, "template": v})[1] for k, v in shapes.items()}
    assert codes == {"unknown": 132001, "language": 132001, "count": 132000, "newline": 132018}
    good = {"name": "pandu_seat_offer", "language": {"code": "en"}, "components": []}
    good["components"] = [{"type": "body", "parameters": one}]
    assert providers.whatsapp_refusal({**base, "template": good}) is None
    text = {**base, "type": "text", "text": {"body": "hi"}}
    assert providers.whatsapp_refusal(text)[1] == 131047


# A status report before the send's answer ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_delivery_report_that_comes_before_the_send_returns_is_kept_and_applied(
    providers, settings, user
):
    prefer(user)
    seen = {}

    def report_first(provider, payload, provider_id):
        # Meta's webhook call, made while our worker still waits for the answer to its send.
        try:
            answer = status_report(Client(), settings, provider_id, "delivered")
            seen["answer"] = answer.status_code
            seen["known"] = OutboundMessage.objects.filter(provider_id=provider_id).exists()
            seen["kept"] = list(PendingStatusReport.objects.values_list("provider_id", "status"))
            seen["id"] = provider_id
        finally:
            connection.close()  # this thread's own database connection

    providers.on_send = report_first
    services.email_send(  # autocommit: its task runs at once, in this thread
        to=EMAIL, template="waitlist_offer", context={"link": "https://x.example/"}, language="id"
    )
    assert seen["answer"] == 200 and seen["known"] is False
    assert seen["kept"] == [(seen["id"], "delivered")]
    message = OutboundMessage.objects.get(template="waitlist_offer")
    assert message.provider_id == seen["id"]
    assert message.status == "delivered" and message.delivered_at is not None
    assert not PendingStatusReport.objects.exists()


@pytest.mark.django_db
def test_a_kept_report_nobody_claims_is_removed_by_the_daily_purge(providers, time_machine):
    time_machine.move_to(NOW, tick=False)
    services.message_status_report(channel="whatsapp", provider_id="wamid.lost", status="read")
    assert PendingStatusReport.objects.count() == 1
    services.messages_purge(NOW + dt.timedelta(days=1))
    assert PendingStatusReport.objects.count() == 1
    services.messages_purge(NOW + services.PENDING_REPORT_KEEP + dt.timedelta(minutes=1))
    assert not PendingStatusReport.objects.exists()
