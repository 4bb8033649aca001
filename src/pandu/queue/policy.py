"""Which waiting ticket a counter calls next: the waiting room's ordering policy.

Pure Python on plain data (no Django), so the web app, the staffing simulation
(`pandu.queueing.simulation`) and the benchmarks all run the same rule.

The policy, in order of precedence:

1. **Nobody waits forever.** Every waiting ticket counts how often a ticket that
   queued *later* was called ahead of it at a counter that could have served it
   (``WaitingTicket.overtaken``; `passed_over` says whom a call overtakes).
   Once that count reaches ``Policy.max_overtaken`` the ticket goes ahead of
   everyone who has not reached the bound. This bounds how long a walk-in can
   sit behind a stream of priority visitors and appointment holders.
2. **Priority goes ahead.** Citizens with a priority reason (elderly, pregnant,
   disability) and appointment holders whose booked time has come
   (from ``Policy.appointment_early`` before it) form the priority class.
3. **Everyone else in arrival order**: walk-ins, appointment holders who came
   too early (they wait for their time but are called early when nobody else
   is waiting) and appointment holders more than ``Policy.appointment_late_grace``
   late (they have lost their slot and queue like walk-ins from their arrival).

Within each class tickets are called by the time they started queueing
(`queued_since`): arrival for walk-ins and priority citizens, the booked time
less ``appointment_early`` for appointment holders who came early. Ties fall
back to arrival and then to the key, so the order is total and deterministic.

A counter only calls tickets for the services it serves. This module does not
decide which tickets are waiting (tickets on hold or being served are simply not
passed in) and keeps no state: the caller stores ``overtaken``.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class PriorityReason(StrEnum):
    ELDERLY = "elderly"
    PREGNANT = "pregnant"
    DISABILITY = "disability"
    APPOINTMENT = "appointment"  # an appointment holder whose booked time has come


#: Reasons a citizen declares (or an officer records); ``APPOINTMENT`` is derived from the time.
DECLARED_REASONS = frozenset(
    {PriorityReason.ELDERLY, PriorityReason.PREGNANT, PriorityReason.DISABILITY}
)


@dataclass(frozen=True)
class WaitingTicket:
    """A ticket waiting to be called, as the policy sees it.

    ``arrived_at`` is when it entered the queue (check-in or walk-in ticket; a
    transferred ticket keeps its first arrival). ``priority`` is a declared
    reason or None. ``appointment_at`` is the booked start for appointment
    holders, None for walk-ins. All datetimes must be aware (or all naive).
    """

    key: Hashable
    service: str
    arrived_at: datetime
    priority: str | None = None
    appointment_at: datetime | None = None
    overtaken: int = 0


@dataclass(frozen=True)
class Policy:
    max_overtaken: int = 6
    appointment_early: timedelta = timedelta(minutes=10)
    appointment_late_grace: timedelta = timedelta(minutes=15)


DEFAULT_POLICY = Policy()

# Classes, lower is called first.
_FORCED, _PRIORITY, _REGULAR = 0, 1, 2


def queued_since(ticket: WaitingTicket, policy: Policy = DEFAULT_POLICY) -> datetime:
    """When the ticket started competing for a counter (see the module docstring)."""
    if ticket.appointment_at is None or _is_late(ticket, policy):
        return ticket.arrived_at
    return max(ticket.arrived_at, ticket.appointment_at - policy.appointment_early)


def _is_late(ticket: WaitingTicket, policy: Policy) -> bool:
    assert ticket.appointment_at is not None
    return ticket.arrived_at > ticket.appointment_at + policy.appointment_late_grace


def priority_reason(
    ticket: WaitingTicket, now: datetime, policy: Policy = DEFAULT_POLICY
) -> PriorityReason | None:
    """The reason the ticket is in the priority class now, or None."""
    if ticket.priority in DECLARED_REASONS:
        return PriorityReason(ticket.priority)
    if (
        ticket.appointment_at is not None
        and not _is_late(ticket, policy)
        and now >= ticket.appointment_at - policy.appointment_early
    ):
        return PriorityReason.APPOINTMENT
    return None


def _sort_key(ticket: WaitingTicket, now: datetime, policy: Policy) -> tuple[object, ...]:
    if ticket.overtaken >= policy.max_overtaken:
        klass = _FORCED
    elif priority_reason(ticket, now, policy) is not None:
        klass = _PRIORITY
    else:
        klass = _REGULAR
    return (klass, queued_since(ticket, policy), ticket.arrived_at, str(ticket.key))


def _eligible(
    waiting: Iterable[WaitingTicket], services_served: Collection[str] | None
) -> list[WaitingTicket]:
    if services_served is None:
        return list(waiting)
    return [t for t in waiting if t.service in services_served]


def order(
    waiting: Sequence[WaitingTicket],
    now: datetime,
    services_served: Collection[str] | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> list[WaitingTicket]:
    """The waiting tickets a counter serving ``services_served`` (None: all) would call, in order."""
    return sorted(_eligible(waiting, services_served), key=lambda t: _sort_key(t, now, policy))


def choose_next(
    waiting: Sequence[WaitingTicket],
    now: datetime,
    services_served: Collection[str] | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> WaitingTicket | None:
    """The ticket a counter serving ``services_served`` calls now, or None if none waits."""
    eligible = _eligible(waiting, services_served)
    if not eligible:
        return None
    return min(eligible, key=lambda t: _sort_key(t, now, policy))


def passed_over(
    waiting: Sequence[WaitingTicket],
    chosen: WaitingTicket,
    services_served: Collection[str] | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> list[WaitingTicket]:
    """Tickets that calling ``chosen`` overtakes: their ``overtaken`` count goes up by one.

    Those the counter could have served that queued strictly before ``chosen``.
    Appointment holders who came early are not overtaken until their time, because
    they queue from shortly before it.
    """
    since = queued_since(chosen, policy)
    return [
        t
        for t in _eligible(waiting, services_served)
        if t.key != chosen.key and queued_since(t, policy) < since
    ]
