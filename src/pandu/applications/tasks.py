"""Application work done after the request: drawing and signing the received letter."""

from __future__ import annotations

from django_tasks import task

# Module imports both ways: the services enqueue this task, which calls back into them.
from pandu.applications import letters


@task()
def received_letter_issue(*, application_id: int) -> bool:
    """Issue the submitted application's received letter if it has none (enqueued once the
    submission committed, so the citizen never waits for a PDF). False when nothing was issued:
    the application is gone, not submitted, or the mission's key is missing (logged)."""
    return letters.received_letter_issue(application_id=application_id) is not None
