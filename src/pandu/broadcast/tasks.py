"""Sending a crisis message in the background: one task per broadcast, resumable."""

from __future__ import annotations

from django_tasks import task

# Module imports both ways: the services enqueue this task, which calls back into them.
from pandu.broadcast import services


@task()
def send_broadcast(*, broadcast_id: int) -> str:
    """Send what is left of the broadcast (``broadcast.services.broadcast_run``)."""

    return services.broadcast_run(broadcast_id=broadcast_id)
