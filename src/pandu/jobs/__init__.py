"""Periodic work: everything that becomes due with the passing of time, run in one round.

``run_due`` calls each job of ``JOBS`` with the same ``now``; each returns how many things it
did. A job that fails is logged and the others still run, so one broken job never stops the
reminders. ``pandu run_due --loop 60`` (or cron running ``pandu run_due`` every minute) drives it
in production; ``pandu demo`` runs the loop in a background thread.

Every job must be safe to run twice at once (conditional updates, not checks in memory): two
operators may well start two loops.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

# (name, dotted path of a function ``(now) -> int``), imported when the round runs.
JOBS: tuple[tuple[str, str], ...] = (
    ("reminders", "pandu.appointments.reminders.reminders_send_due"),
    ("messages_retried", "pandu.notify.services.messages_retry_due"),
    ("messages_purged", "pandu.notify.services.messages_purge"),
    ("broadcasts_resumed", "pandu.broadcast.services.broadcasts_resume"),
    ("draws_held", "pandu.appointments.draw.draws_run_due"),
    ("waitlist_offers_expired", "pandu.appointments.waitlist.waitlist_expire_due"),
    ("pertiwi_evidence_deleted", "pandu.outreach.services.evidence_purge_due"),
    ("retention_applied", "pandu.privacy.retention.retention_apply_due"),
    ("stay_reminders_sent", "pandu.registry.services.stay_reminders_send_due"),
    ("audit_checkpoints_written", "pandu.audit.checkpoints.audit_checkpoint_due"),
)


def run_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Run every job once. Returns the count of each job, and ``errors``: how many jobs failed."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    errors = 0
    for name, path in JOBS:
        try:
            counts[name] = int(import_string(path)(now))
        except Exception:
            errors += 1
            log.exception("Periodic job %s failed", name)
    counts["errors"] = errors
    return counts


def run_forever(
    every: float,
    *,
    stop: threading.Event | None = None,
    report: Callable[[dt.datetime, dict[str, int]], None] | None = None,
) -> None:
    """Run a round every ``every`` seconds until ``stop`` is set (or the process ends)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        close_old_connections()  # as between two requests: drop a connection that went bad
        started = timezone.now()
        try:
            counts = run_due(started)
        except Exception:  # a database that went away: try again next round
            log.exception("Periodic round failed")
            counts = {"errors": len(JOBS)}
        if report is not None:
            report(started, counts)
        stop.wait(max(0.0, every - (timezone.now() - started).total_seconds()))


def start_background(every: float = 60, report=None) -> threading.Thread:
    """The loop in a daemon thread, for a single-process installation such as the demo."""
    thread = threading.Thread(
        target=run_forever, args=(every,), kwargs={"report": report}, name="pandu-run-due"
    )
    thread.daemon = True
    thread.start()
    return thread
