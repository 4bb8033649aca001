"""Sending a crisis message in the background: one task per broadcast, resumable."""

from __future__ import annotations

from django_tasks import task

from pandu.broadcast.services import broadcast_run


@task()
def send_broadcast(*, broadcast_id: int) -> str:
    """Send what is left of the broadcast (``broadcast.services.broadcast_run``)."""

    return broadcast_run(broadcast_id=broadcast_id)
