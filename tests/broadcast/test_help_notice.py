"""A citizen's "I need help" tells the mission's crisis supervisors, after the reply is saved."""

from __future__ import annotations

import pytest
from django.core import mail

from pandu.broadcast import services, tokens
from pandu.broadcast.models import Delivery, HelpCase
from pandu.notify.models import OutboundMessage
from pandu.notify.preferences import preference_set

from .factories import make_citizens
from .helpers import draft

pytestmark = pytest.mark.django_db

SUPERVISOR = "supervisor@toronto.pandu.test"


@pytest.fixture
def delivery(toronto, supervisor, providers, django_capture_on_commit_callbacks):
    make_citizens(toronto, 1, lat=43.66, lon=-79.39)
    broadcast = draft(toronto, supervisor, km=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_send(broadcast=broadcast, by=supervisor)
    mail.outbox.clear()
    return Delivery.objects.select_related("citizen").get(broadcast=broadcast)


def link(delivery):
    return f"/id/pesan-krisis/balas/{tokens.reply_token(delivery.public_id)}/"


def notices():
    return OutboundMessage.objects.filter(template="help_requested", channel="sms").order_by("pk")


def test_i_need_help_mails_the_missions_supervisors_a_link_to_the_case_after_commit(
    client, delivery, supervisor, django_capture_on_commit_callbacks
):
    supervisor.preferred_language = "en"
    supervisor.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(link(delivery), {"answer": "help", "note": "Air masuk rumah"})
        assert mail.outbox == []  # nothing leaves before the reply is committed
    assert callbacks
    for callback in callbacks:
        callback()
    case = HelpCase.objects.get(delivery=delivery)
    [message] = mail.outbox
    assert message.to == [SUPERVISOR]  # not Ottawa's supervisor, not the officers
    assert message.subject.startswith("A citizen asked for help, ")
    assert f"/en/pesan-krisis/bantuan/{case.public_id}/" in message.body
    assert "Flood warning" in message.body
    assert "Air masuk rumah" not in message.body  # the notice names nothing of the citizen's
    page = client.get(f"/en/pesan-krisis/bantuan/{case.public_id}/")
    assert page.status_code in (302, 403)  # the link opens only for signed-in staff


def test_the_supervisor_gets_it_by_their_chosen_channel_and_by_e_mail_if_it_fails(
    client, delivery, supervisor, providers, django_capture_on_commit_callbacks
):
    preference_set(user=supervisor, channel="sms", phone="+14165550188", consents={"sms"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link(delivery), {"answer": "help"})
    case = HelpCase.objects.get(delivery=delivery)
    [sms] = [r for r in providers.of("twilio") if r.form["To"] == "+14165550188"]
    assert f"/id/pesan-krisis/bantuan/{case.public_id}/" in sms.form["Body"]
    assert mail.outbox == []
    providers.fail_next(1, status=400, code=21610)  # the number now refuses messages
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link(delivery), {"answer": "help", "note": "Masih butuh"})
    first, second = notices()
    assert first.channel == second.channel == "sms" and first.status == "sent"
    assert second.status == "failed" and second.fallback.channel == "email"
    assert [m.to for m in mail.outbox] == [[SUPERVISOR]]
    assert f"/id/pesan-krisis/bantuan/{case.public_id}/" in mail.outbox[0].body


def test_i_am_safe_and_a_refused_reply_tell_nobody(
    client, delivery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link(delivery), {"answer": "help", "phone": "call me maybe"})
        client.post(link(delivery), {"answer": "safe"})
    assert not OutboundMessage.objects.filter(template="help_requested").exists()
    assert mail.outbox == []
