"""The application workflow as one table: from which state, on which event, to which state, and who
may make the move.

Read ``TABLE`` top to bottom to know every move an application can make. Who may move is named by
actor kind, never by a role's name:

- ``citizen``: the applicant (the owner of the application);
- ``officer``: staff holding ``applications.change_application`` at the application's mission;
- ``supervisor``: staff holding ``applications.decide_application`` there;
- ``system``: Pandu itself (``by=None``), e.g. when it finds the booked biometrics appointment.

A ``guard`` names a condition on the application that the service layer checks (see
``services.GUARDS``); a move whose guard fails is refused with its own message. This module holds
no Django models and does no I/O, so the table is tested on its own (``tests/applications/
test_workflow.py`` walks every allowed and every forbidden move).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    RESUBMITTED = "resubmitted", _("Diajukan ulang")
    DOCUMENTS_ACCEPTED = "documents_accepted", _("Dokumen diterima")
    BIOMETRICS_SCHEDULED = "biometrics_scheduled", _("Jadwal biometrik dipesan")
    BIOMETRICS_CAPTURED = "biometrics_captured", _("Biometrik sudah diambil")
    SENT_FOR_ISSUANCE = "sent_for_issuance", _("Dikirim untuk diterbitkan")
    ISSUED = "issued", _("Diterbitkan")
    READY_FOR_COLLECTION = "ready_for_collection", _("Siap diambil")
    MAILED = "mailed", _("Dikirim lewat pos")
    COLLECTED = "collected", _("Sudah diambil")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Ditarik pemohon")


class Event(models.TextChoices):
    SUBMIT = "submit", _("Ajukan")
    RETURN = "return", _("Kembalikan untuk perbaikan")
    RESUBMIT = "resubmit", _("Ajukan ulang")
    ACCEPT_DOCUMENTS = "accept_documents", _("Terima dokumen")
    SCHEDULE_BIOMETRICS = "schedule_biometrics", _("Catat jadwal biometrik")
    CAPTURE_BIOMETRICS = "capture_biometrics", _("Catat biometrik selesai")
    SEND_FOR_ISSUANCE = "send_for_issuance", _("Kirim untuk diterbitkan")
    ISSUE = "issue", _("Catat sudah terbit")
    MAKE_READY = "make_ready", _("Siap diambil")
    MAIL = "mail", _("Kirim lewat pos")
    COLLECT = "collect", _("Catat sudah diambil")
    REJECT = "reject", _("Tolak permohonan")
    WITHDRAW = "withdraw", _("Tarik permohonan")


CITIZEN, OFFICER, SUPERVISOR, SYSTEM = "citizen", "officer", "supervisor", "system"
STAFF = frozenset({OFFICER, SUPERVISOR})

# Guards (checked by the service layer on the application's data).
COMPLETE = "complete"  # every required answer and upload is there
ALL_RETURNED_REPLACED = "all_returned_replaced"  # each returned document has a new version
SOME_RETURNED = "some_returned"  # at least one current document is returned with a reason
ALL_ACCEPTED = "all_accepted"  # every current document is accepted
IN_PERSON = "in_person"  # the service needs biometrics
NOT_IN_PERSON = "not_in_person"
HAS_APPOINTMENT = "has_appointment"  # an active biometrics appointment is linked
PAID = "paid"  # the fee due is recorded as paid (or nothing is due)
NOTE = "note"  # the mover must give a reason
LETTER = "letter"  # a service that issues a certificate letter needs its text (the note)


@dataclass(frozen=True)
class Move:
    source: State
    event: Event
    target: State
    actors: frozenset[str]
    guards: tuple[str, ...] = ()


def _m(source, event, target, actors, *guards) -> Move:
    return Move(State(source), Event(event), State(target), frozenset(actors), tuple(guards))


S, E = State, Event
OPEN_BEFORE_DECISION = (
    S.SUBMITTED,
    S.RESUBMITTED,
    S.DOCUMENTS_ACCEPTED,
    S.BIOMETRICS_SCHEDULED,
    S.BIOMETRICS_CAPTURED,
)

TABLE: tuple[Move, ...] = (
    # The citizen prepares and submits; an officer checks the documents.
    _m(S.DRAFT, E.SUBMIT, S.SUBMITTED, {CITIZEN}, COMPLETE),
    _m(S.SUBMITTED, E.RETURN, S.RETURNED, STAFF, SOME_RETURNED),
    _m(S.RESUBMITTED, E.RETURN, S.RETURNED, STAFF, SOME_RETURNED),
    _m(S.RETURNED, E.RESUBMIT, S.RESUBMITTED, {CITIZEN}, COMPLETE, ALL_RETURNED_REPLACED),
    _m(S.SUBMITTED, E.ACCEPT_DOCUMENTS, S.DOCUMENTS_ACCEPTED, STAFF, ALL_ACCEPTED),
    _m(S.RESUBMITTED, E.ACCEPT_DOCUMENTS, S.DOCUMENTS_ACCEPTED, STAFF, ALL_ACCEPTED),
    # Biometrics: Pandu notices the booking (made online or by an officer for the citizen).
    _m(
        S.DOCUMENTS_ACCEPTED,
        E.SCHEDULE_BIOMETRICS,
        S.BIOMETRICS_SCHEDULED,
        {SYSTEM},
        IN_PERSON,
        HAS_APPOINTMENT,
    ),
    _m(S.BIOMETRICS_SCHEDULED, E.CAPTURE_BIOMETRICS, S.BIOMETRICS_CAPTURED, STAFF),
    # A walk-in or a Pertiwi home visit: captured without a booked appointment.
    _m(S.DOCUMENTS_ACCEPTED, E.CAPTURE_BIOMETRICS, S.BIOMETRICS_CAPTURED, STAFF, IN_PERSON),
    # Issuance.
    _m(S.BIOMETRICS_CAPTURED, E.SEND_FOR_ISSUANCE, S.SENT_FOR_ISSUANCE, STAFF, PAID),
    _m(S.DOCUMENTS_ACCEPTED, E.SEND_FOR_ISSUANCE, S.SENT_FOR_ISSUANCE, STAFF, NOT_IN_PERSON, PAID),
    _m(S.SENT_FOR_ISSUANCE, E.ISSUE, S.ISSUED, {SYSTEM, OFFICER, SUPERVISOR}, LETTER),
    _m(S.ISSUED, E.MAKE_READY, S.READY_FOR_COLLECTION, STAFF),
    _m(S.ISSUED, E.MAIL, S.MAILED, STAFF),
    _m(S.READY_FOR_COLLECTION, E.COLLECT, S.COLLECTED, STAFF),
    # Ends: a supervisor rejects with a reason; the citizen withdraws before the passport is sent.
    *(_m(s, E.REJECT, S.REJECTED, {SUPERVISOR}, NOTE) for s in OPEN_BEFORE_DECISION),
    *(
        _m(s, E.WITHDRAW, S.WITHDRAWN, {CITIZEN})
        for s in (S.DRAFT, S.RETURNED, *OPEN_BEFORE_DECISION)
    ),
)

FINAL = frozenset({S.COLLECTED, S.MAILED, S.REJECTED, S.WITHDRAWN})
# States in which the service-level clock runs (the mission is working on the application).
CLOCK_RUNNING = frozenset(
    {
        S.SUBMITTED,
        S.RESUBMITTED,
        S.DOCUMENTS_ACCEPTED,
        S.BIOMETRICS_SCHEDULED,
        S.BIOMETRICS_CAPTURED,
        S.SENT_FOR_ISSUANCE,
    }
)
# States in which the citizen may still change answers and documents.
EDITABLE = frozenset({S.DRAFT, S.RETURNED})

_INDEX = {(m.source, m.event): m for m in TABLE}
assert len(_INDEX) == len(TABLE), "one move per (state, event)"


def move_for(state: str, event: str) -> Move | None:
    """The move ``event`` makes from ``state``, or None when the table has none."""
    try:
        return _INDEX.get((State(state), Event(event)))
    except ValueError:
        return None


def moves_from(state: str, actors: set[str] | frozenset[str]) -> list[Move]:
    """The moves from ``state`` that any of ``actors`` may make, in the table's order."""
    return [m for m in TABLE if m.source == state and m.actors & set(actors)]
