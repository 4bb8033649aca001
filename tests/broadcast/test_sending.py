"""Sending a crisis message: channels, retries, the throttle and the crash window."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from pandu.audit.models import AuditEvent
from pandu.broadcast import services, tokens
from pandu.broadcast.models import Broadcast, Delivery
from pandu.notify.models import OutboundMessage

from .helpers import draft

pytestmark = pytest.mark.django_db


def sent(broadcast, capture):
    """Confirm and let the (immediate) task run once the transaction commits."""
    with capture(execute=True):
        services.broadcast_send(broadcast=broadcast, by=broadcast.created_by)
    broadcast.refresh_from_db()
    return broadcast


def only_new(broadcast, registrations):
    ids = {r.citizen_id for r in registrations}
    return Delivery.objects.filter(broadcast=broadcast, citizen_id__in=ids)


def test_sms_goes_to_consenting_citizens_and_e_mail_to_the_others(
    toronto, supervisor, providers, django_capture_on_commit_callbacks
):
    from .factories import make_citizens

    texting = make_citizens(toronto, 3, sms=True, language="en")
    mailing = make_citizens(toronto, 2, language="id")
    broadcast = sent(draft(toronto, supervisor), django_capture_on_commit_callbacks)
    assert broadcast.status == Broadcast.Status.DONE
    bodies = providers.twilio_bodies()
    for registration in texting:
        delivery = Delivery.objects.get(broadcast=broadcast, citizen=registration.citizen)
        [body] = bodies[delivery.message.phone]
        assert "Flood warning" in body and "/en/pesan-krisis/balas/" in body
        assert tokens.reply_token(delivery.public_id) in body and "/en/messages/stop/" in body
        assert delivery.status == "sent" and delivery.message.provider_id.startswith("SM")
    addresses = {m.to[0] for m in mail.outbox}
    for registration in mailing:
        assert registration.citizen.user.email in addresses
    mailed = next(m for m in mail.outbox if m.to[0] == mailing[0].citizen.user.email)
    assert mailed.subject == "Peringatan banjir" and "/id/pesan-krisis/balas/" in mailed.body
    assert AuditEvent.objects.filter(event="broadcast_finished", object_ref=broadcast.public_id)


def test_a_second_confirmation_sends_nothing_more(
    toronto, supervisor, providers, django_capture_on_commit_callbacks
):
    from .factories import make_citizens

    make_citizens(toronto, 2, sms=True)
    broadcast = sent(draft(toronto, supervisor), django_capture_on_commit_callbacks)
    before = len(providers.received)
    with pytest.raises(services.PanduError):
        services.broadcast_send(broadcast=broadcast, by=supervisor)
    assert len(providers.received) == before


def test_a_refused_number_is_e_mailed_and_a_passing_failure_retried(
    toronto, supervisor, providers, django_capture_on_commit_callbacks, monkeypatch
):
    from .factories import make_citizens

    monkeypatch.setattr(services, "BACKOFF", (dt.timedelta(0), dt.timedelta(0)))
    [refused] = make_citizens(toronto, 1, sms=True, lat=43.66)
    broadcast = draft(toronto, supervisor, km=5)
    providers.fail_next(1, status=400, code=21211)  # Twilio: not a valid number
    broadcast = sent(broadcast, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(broadcast=broadcast, citizen=refused.citizen)
    assert delivery.status == "sent" and delivery.channel == "email"
    assert delivery.message.fallback_of.status == "failed"
    assert refused.citizen.user.email in {m.to[0] for m in mail.outbox}


def test_a_passing_failure_is_tried_again(
    toronto, supervisor, providers, django_capture_on_commit_callbacks, monkeypatch
):
    from .factories import make_citizens

    monkeypatch.setattr(services, "BACKOFF", (dt.timedelta(0), dt.timedelta(0)))
    [citizen] = make_citizens(toronto, 1, sms=True, lat=43.66)
    providers.fail_next(1, status=503)
    broadcast = sent(draft(toronto, supervisor, km=5), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(broadcast=broadcast, citizen=citizen.citizen)
    assert delivery.status == "sent" and delivery.channel == "sms" and delivery.attempts == 2
    assert len(providers.twilio_bodies()[delivery.message.phone]) == 2  # one refused, one sent


def test_the_throttle_spaces_sends_per_channel():
    clock = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds

    throttle = services.Throttle({"sms": 2, "email": 0}, clock=lambda: clock[0], sleep=sleep)
    for _ in range(5):
        throttle.wait("sms")
        throttle.wait("email")  # no limit: never waits
    assert clock[0] == pytest.approx(2.0)  # five SMS at two a second: 0, .5, 1, 1.5, 2
    assert len(slept) == 4


def in_doubt(broadcast, delivery_pk):
    """As a worker killed between the provider's answer and the row saying so leaves it."""
    past = timezone.now() - dt.timedelta(minutes=5)
    Delivery.objects.filter(pk=delivery_pk).update(
        status="sending", claimed_at=past, claimed_until=past + dt.timedelta(seconds=1)
    )


def test_an_sms_in_doubt_found_at_twilio_is_marked_sent_not_sent_again(
    toronto, supervisor, providers, django_capture_on_commit_callbacks
):
    from .factories import make_citizens

    make_citizens(toronto, 2, sms=True, lat=43.66)
    broadcast = sent(draft(toronto, supervisor, km=5), django_capture_on_commit_callbacks)
    delivery = Delivery.objects.filter(broadcast=broadcast).first()
    in_doubt(broadcast, delivery.pk)
    Broadcast.objects.filter(pk=broadcast.pk).update(status="sending")
    before = len(providers.received)
    assert services.broadcast_run(broadcast_id=broadcast.pk) == "done"
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(providers.received) == before


def test_an_sms_in_doubt_that_twilio_never_got_is_sent_once(
    toronto, supervisor, providers, django_capture_on_commit_callbacks
):
    from .factories import make_citizens

    [registration] = make_citizens(toronto, 1, sms=True, lat=43.66)
    broadcast = draft(toronto, supervisor, km=5)
    with django_capture_on_commit_callbacks(execute=False):  # the task does not run
        services.broadcast_send(broadcast=broadcast, by=supervisor)
    delivery = Delivery.objects.get(broadcast=broadcast, citizen=registration.citizen)
    services._claim(delivery.pk, timezone.now())  # claimed, then the worker died
    in_doubt(broadcast, delivery.pk)
    assert services.broadcast_run(broadcast_id=broadcast.pk) == "done"
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(providers.twilio_bodies()[delivery.message.phone]) == 1


def test_an_e_mail_in_doubt_is_left_for_staff_to_check(
    toronto, supervisor, providers, django_capture_on_commit_callbacks
):
    from .factories import make_citizens

    [registration] = make_citizens(toronto, 1, lat=43.66)
    broadcast = draft(toronto, supervisor, km=5)
    with django_capture_on_commit_callbacks(execute=False):
        services.broadcast_send(broadcast=broadcast, by=supervisor)
    delivery = Delivery.objects.get(broadcast=broadcast, citizen=registration.citizen)
    services._claim(delivery.pk, timezone.now())
    in_doubt(broadcast, delivery.pk)
    assert services.broadcast_run(broadcast_id=broadcast.pk) == "done"
    delivery.refresh_from_db()
    assert delivery.status == "unconfirmed" and mail.outbox == []
    assert AuditEvent.objects.filter(
        event="broadcast_deliveries_unconfirmed", object_ref=broadcast.public_id
    ).exists()
    # Notify's own retry round never picks the recorded message up either.
    assert OutboundMessage.objects.get(pk=delivery.message_id).next_attempt_at is None


def test_a_broadcast_whose_worker_went_silent_is_queued_again(
    toronto, supervisor, providers, django_capture_on_commit_callbacks, settings
):
    from .factories import make_citizens

    make_citizens(toronto, 2, sms=True, lat=43.66)
    broadcast = draft(toronto, supervisor, km=5)
    with django_capture_on_commit_callbacks(execute=False):
        services.broadcast_send(broadcast=broadcast, by=supervisor)
    assert providers.received == []
    later = timezone.now() + dt.timedelta(seconds=settings.BROADCAST_STALL_SECONDS + 1)
    assert services.broadcasts_resume(timezone.now()) == 0  # still beating
    with django_capture_on_commit_callbacks(execute=True):
        assert services.broadcasts_resume(later) == 1
    broadcast.refresh_from_db()
    assert broadcast.status == "done" and len(providers.of("twilio")) == 2


def test_delivered_and_read_come_from_the_providers_status_reports(
    toronto, supervisor, providers, django_capture_on_commit_callbacks
):
    from pandu.broadcast.selectors import progress
    from pandu.notify.services import message_status_report

    from .factories import make_citizens

    registrations = make_citizens(toronto, 2, sms=True, lat=43.66)
    broadcast = sent(draft(toronto, supervisor, km=5), django_capture_on_commit_callbacks)
    first, second = (
        Delivery.objects.get(broadcast=broadcast, citizen=r.citizen).message for r in registrations
    )
    message_status_report(channel="sms", provider_id=first.provider_id, status="delivered")
    message_status_report(channel="sms", provider_id=second.provider_id, status="read")
    counts = progress(broadcast)
    assert (counts.delivered, counts.read) == (2, 1)
