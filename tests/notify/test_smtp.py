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
