"""Sending mail in the background. Messages are rendered and recorded before they are queued."""

from __future__ import annotations

from django_tasks import task

# Module imports both ways: the services enqueue these tasks, which call back into them.
from pandu.notify import services


@task()
def send_email(*, message_id: int) -> str | None:
    """Send the recorded ``OutboundMessage`` once; failures are recorded on it, not raised."""

    return services.message_send(message_id=message_id)
