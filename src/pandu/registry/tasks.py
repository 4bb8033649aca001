"""Lapor diri work done after the request: drawing and signing the letter."""

from __future__ import annotations

from django_tasks import task

# Module imports both ways: the services enqueue this task, which calls back into them.
from pandu.registry import services


@task()
def stay_letter_issue(*, registration_id: int) -> bool:
    """Issue the active registration's letter if it has none (enqueued once a registration,
    change, hand-over or renewal committed). False when nothing was issued."""
    return services.stay_letter_issue(registration_id=registration_id)
