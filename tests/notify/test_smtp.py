"""Mail through a real SMTP server on this machine, as production sends it."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


def test_verification_mail_goes_out_through_smtp_in_the_citizen_s_language(
    demo, profile_data, smtp_server, django_capture_on_commit_callbacks
):
    from pandu.people.services import citizen_register

    with django_capture_on_commit_callbacks(execute=True):
        citizen_register(
            email="ayu@example.org",
            password="Kuat-sekali-2026",
            profile=profile_data,
            language="en",
        )
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["ayu@example.org"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == "Pandu: confirm your e-mail address"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "/en/account/verify/" in body
    assert "Consulate General of the Republic of Indonesia in Toronto" in body


def test_nothing_is_sent_when_the_sign_up_is_refused(
    demo, profile_data, smtp_server, django_capture_on_commit_callbacks
):
    from pandu.core.errors import ValidationFailed
    from pandu.people.services import citizen_register

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        citizen_register(
            email="ayu@example.org",
            password="x",
            profile={**profile_data, "nik": "1"},
            language="en",
        )
    assert smtp_server.envelopes == []


def test_a_send_refused_while_the_server_is_down_goes_out_when_it_is_back(
    demo, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from pandu.notify.models import OutboundMessage
    from pandu.notify.services import email_send, messages_retry_due

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with django_capture_on_commit_callbacks(execute=True):
        message = email_send(
            to="ayu@example.org",
            template="deletion_requested",
            context={"name": "Ayu", "mission": demo["toronto"]},
            language="id",
        )
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.QUEUED and message.attempts == 1

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert messages_retry_due(timezone.now() + dt.timedelta(minutes=2)) == 1
    finally:
        controller.stop()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT and message.attempts == 2
    assert [e.rcpt_tos for e in inbox.envelopes] == [["ayu@example.org"]]
