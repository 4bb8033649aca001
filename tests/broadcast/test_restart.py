"""A worker killed mid-broadcast: another one finishes it, nobody gets the message twice or not
at all.

Real processes: ``pandu db_worker`` takes the task from the database queue and sends through the
real Twilio client to the local fake Twilio (which records every message and lists them as
Twilio does). The fake holds its 100th request unanswered, so the first worker is killed with
SIGKILL (no cleanup, as a machine that loses power) at the worst moment: Twilio has the message,
the database does not know it left. The ``run_due`` round's resume job queues the task again once
its heartbeat is stale, and a second worker finishes: it asks Twilio about that one message
instead of sending it again.
"""

from __future__ import annotations

import time

import pytest

from pandu.broadcast import services, tokens
from pandu.broadcast.models import Broadcast, Delivery
from tests.notify.conftest import SMS_FROM, TWILIO_SID

from .factories import make_citizens
from .fake_twilio import FakeProvidersWithList
from .helpers import draft
from .workers import DB_TASKS, worker_env, worker_kill, worker_start

pytestmark = pytest.mark.django_db(transaction=True)

RECIPIENTS = 300
HELD = 100


def wait_until(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_killed_worker_leaves_no_duplicate_and_no_lost_message(toronto, supervisor, settings):
    fake = FakeProvidersWithList(hold_at=HELD).start()
    settings.TASKS = DB_TASKS
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = TWILIO_SID, "twilio-auth-token"
    settings.SMS_FROM, settings.TWILIO_BASE_URL = SMS_FROM, fake.url
    settings.BROADCAST_STALL_SECONDS = 1
    env = worker_env(
        PANDU_TWILIO_ACCOUNT_SID=TWILIO_SID,
        PANDU_TWILIO_AUTH_TOKEN="twilio-auth-token",
        PANDU_SMS_FROM=SMS_FROM,
        PANDU_TWILIO_BASE_URL=fake.url,
        PANDU_BROADCAST_RATE_SMS="0",
        PANDU_BROADCAST_BATCH="20",
        PANDU_BROADCAST_CLAIM_SECONDS="1",
    )
    first = second = None
    try:
        registrations = make_citizens(toronto, RECIPIENTS, sms=True, lat=43.70, lon=-79.40)
        broadcast = draft(toronto, supervisor, km=10)
        services.broadcast_send(broadcast=broadcast, by=supervisor)  # commits: the task is queued

        first = worker_start(env)
        wait_until(fake.holding.is_set, 90, "the first worker's 100th message")
        worker_kill(first)
        fake.release.set()
        deliveries = Delivery.objects.filter(broadcast=broadcast)
        assert deliveries.filter(status="sent").count() == HELD - 1
        [in_doubt] = deliveries.filter(status="sending")  # Twilio has it; the row cannot know

        # The run_due round notices the silent broadcast and queues it again.
        wait_until(lambda: services.broadcasts_resume() == 1, 10, "the resume")
        second = worker_start(env)
        wait_until(lambda: Broadcast.objects.get(pk=broadcast.pk).status == "done", 120, "the end")
    finally:
        worker_kill(first)
        worker_kill(second)
        fake.release.set()
        fake.stop()

    bodies = fake.twilio_bodies()
    deliveries = Delivery.objects.filter(broadcast=broadcast).select_related("message")
    assert deliveries.count() == RECIPIENTS == len(registrations)
    for delivery in deliveries:
        token = tokens.reply_token(delivery.public_id)
        got = [body for body in bodies.get(delivery.message.phone, []) if token in body]
        assert len(got) == 1, f"{delivery.public_id} got {len(got)} messages"
        assert delivery.status == "sent"
    assert len(fake.of("twilio")) == RECIPIENTS  # nobody else was sent anything
    in_doubt.refresh_from_db()
    assert in_doubt.status == "sent" and in_doubt.message.provider_id.startswith("SMfound")
