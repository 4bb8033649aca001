"""Domain events: a lower app says what happened; the apps above it react after the commit.

Imports go one way (``docs/architecture.md``). When a write in a lower app has consequences that
belong to an app above it (an appointment served invites the citizen to the satisfaction survey,
which is ``feedback``'s business), the lower app does not call up: it ``emit``s one of the events
below, and the upper app reacts in a receiver of its own (``<app>/receivers.py``, connected in its
``AppConfig.ready()``) that calls only that app's services.

``emit(signal, **payload)`` sends the event once the writer's transaction commits (at once
outside a transaction), so a refused or rolled-back write tells nobody, and each reaction runs
in its own transaction after the writer's is committed. The receivers run in the emitter's
context (``contextvars``): ``notify.services.held()``, the active language and time zone are
those in force where the event was emitted. Receivers connected to one event run in the order
they were connected; events run in the order they were emitted.

When a receiver fails, the writer's change stands (it is committed) and the other receivers of
the event still run: the error is logged (``pandu.events``, ERROR, with its traceback) and not
retried. With ``settings.EVENTS_RAISE`` (the test settings) the first error is raised after all
receivers ran, so a test never passes over a failing reaction.

Inside a test's transaction (pytest-django's ``db`` fixture) nothing commits, so events are not
sent; a test that needs the reactions wraps the writes in
``django_capture_on_commit_callbacks(execute=True)`` or uses a transactional database.

Payloads are keyword arguments. Every event carries ``by`` (the acting user, ``None`` for Pandu
itself or an anonymous kiosk) and ``now`` (the moment the writer used, which may be in the past
for demo history).
"""

from __future__ import annotations

import contextvars
import logging

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger("pandu.events")

#: An appointment was booked (by the citizen, by staff for them, from the waitlist or the draw).
#: ``appointment``: the ``appointments.Appointment``; ``by``; ``now``. Emitted by
#: ``appointments`` from the booking's confirmation task (after the commit, so the booking
#: request spends no statement on it); heard by ``applications`` (the biometrics appointment).
appointment_booked = Signal()

#: An appointment was marked served at the counter (by an officer, or by its ticket finishing).
#: ``appointment``; ``by``; ``now``. Emitted by ``appointments``; heard by ``feedback``.
appointment_served = Signal()

#: A waiting-room ticket was finished (served). ``ticket``: the ``queue.Ticket``; ``by``; ``now``.
#: Emitted by ``queue``; heard by ``feedback``.
ticket_finished = Signal()

#: A Pertiwi home visit was recorded as served (also when its outcome is recorded again).
#: ``visit_request``: the ``outreach.VisitRequest``; ``by``; ``now``.
#: Emitted by ``outreach``; heard by ``applications`` (biometrics captured at the door) and
#: ``feedback``.
visit_served = Signal()

#: An application made a move of its workflow. ``application``: the ``applications.Application``
#: (after the move); ``event``, ``source``, ``target``: the move (``applications.workflow``
#: values); ``by``; ``now``. Emitted by ``applications``; heard by ``feedback`` (collected or
#: mailed: the survey).
application_moved = Signal()

NAMES = {
    appointment_booked: "appointment_booked",
    appointment_served: "appointment_served",
    ticket_finished: "ticket_finished",
    visit_served: "visit_served",
    application_moved: "application_moved",
}


def emit(signal: Signal, **payload) -> None:
    """Send ``signal`` with ``payload`` once the current transaction commits (see the module)."""
    if signal not in NAMES:
        raise ValueError("not a domain event of pandu.core.events")
    context = contextvars.copy_context()
    transaction.on_commit(lambda: context.run(_send, signal, payload))


def _send(signal: Signal, payload: dict) -> None:
    name = NAMES[signal]
    failures = [
        (receiver, error)
        for receiver, error in signal.send_robust(sender=name, **payload)
        if isinstance(error, Exception)
    ]
    for receiver, error in failures:
        log.error(
            "event %s: receiver %s.%s failed",
            name,
            getattr(receiver, "__module__", "?"),
            getattr(receiver, "__qualname__", repr(receiver)),
            exc_info=(type(error), error, error.__traceback__),
        )
    if failures and getattr(settings, "EVENTS_RAISE", False):
        raise failures[0][1]
