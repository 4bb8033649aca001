"""Lapor diri work done after the request: drawing and signing the letter."""

from __future__ import annotations

from django_tasks import task


@task()
def stay_letter_issue(*, registration_id: int) -> bool:
    """Issue the active registration's letter if it has none (enqueued once a registration,
    change, hand-over or renewal committed). False when nothing was issued."""
    from pandu.registry.services import (  # noqa: PLC0415 -- local: the services enqueue this task
        stay_letter_issue as issue,
    )

    return issue(registration_id=registration_id)
