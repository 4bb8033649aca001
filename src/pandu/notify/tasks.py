"""Sending mail in the background. Messages are rendered and recorded before they are queued."""

from __future__ import annotations

from django_tasks import task

from pandu.notify.services import message_send


@task()
def send_email(*, message_id: int) -> str | None:
    """Send the recorded ``OutboundMessage`` once; failures are recorded on it, not raised."""

    return message_send(message_id=message_id)
