"""Recording audit events. Every write in Pandu calls ``audit_record`` inside its transaction.

Also the access log of sensitive reads (``sensitive_access_record``): who looked at a citizen's
health evidence, document scans or identity numbers, and why. Unlike audit events it is not
chained: it records reads, not changes, and it is read and exported per citizen.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from pandu.audit import chain
from pandu.audit.models import AuditEvent, AuditHead, SensitiveAccess
from pandu.core.errors import PermissionDenied, ValidationFailed

SECRET_KEYS = {
    "password",
    "token",
    "secret",
    "password1",
    "password2",
    "new_password1",
    "new_password2",
}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    for key in data:
        if key.lower() in SECRET_KEYS:
            raise ValueError(f"audit data must not carry secrets ({key})")
    return data


def audit_record(
    *,
    event: str,
    actor: Any = None,
    obj: models.Model | None = None,
    mission: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    ``actor`` is a user or None for the system. ``obj`` is the object the event is about; its
    public reference (``public_id`` or ``code``) is recorded where it has one.

    No savepoint of its own: an event that cannot be recorded must undo the caller's write too,
    and every write pays two statements less. The head row, locked here until the caller
    commits, is what puts the events in one order; append events last in a transaction so that
    lock is held briefly.
    """
    batch = _batch_in_force()
    with transaction.atomic(savepoint=False):
        if batch is not None and batch.head is not None:
            seq, prev_hash = batch.head
        else:
            seq, prev_hash = _lock_head()
        if mission is None and obj is not None:
            mission = getattr(obj, "mission", None)
        actor_user = actor if getattr(actor, "is_authenticated", False) else None
        row = AuditEvent(
            seq=seq + 1,
            occurred_at=timezone.now(),
            actor=actor_user,
            actor_label=actor_user.email if actor_user else "system",
            event=event,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_ref=_ref(obj),
            mission=mission,
            data=_clean(dict(data or {})),
            prev_hash=prev_hash,
        )
        # Round-trip the JSON first so the hash covers exactly what the database returns.
        row.data = json.loads(chain.canonical(row.data))
        row.hash = chain.event_hash(row.prev_hash, row.chained_fields())
        if batch is not None:
            # Written with the batch's next INSERT; the head is this event from now on.
            batch.head = (row.seq, row.hash)
            batch.pending.append(row)
            if len(batch.pending) >= batch.size:
                _flush(batch)
            return row
        # The database moves the head to this event (a trigger, migration audit 0003).
        _insert(row)
        return row


# --- events written in batches ----------------------------------------------------------------


@dataclass
class _Batch:
    depth: int  # how many atomic blocks were open when the batch began
    size: int
    head: tuple[int, str] | None = None  # the chain's head as this batch left it
    pending: list[AuditEvent] = field(default_factory=list)


@contextmanager
def audit_batched(*, size: int = 500) -> Iterator[None]:
    """Append the events recorded inside to the chain in multi-row INSERTs.

    For a long run of writes in one transaction (the demo's history): the head is read and
    locked once, each event is chained to the one before it in memory, exactly as
    ``audit_record`` would chain it (same fields, ``occurred_at`` and hash), and the events are
    written ``size`` at a time and at the end of the block, in order, with the head moved to the
    last. One statement per event less, and most of the other saved as well.

    The block is atomic, without a savepoint of its own: when it fails, the transaction it is
    in can only be rolled back, its writes with the events not yet written.
    A savepoint opened inside (``savepoints_kept``: an error caught and gone past) first writes
    the events recorded so far, and the events recorded within it are written one by one, so
    that rolling back to it takes exactly its own events with it. Nothing in the block may read
    audit events back before its end. A block inside another is part of it.
    """
    # The wrapper's private savepoint hook and our own attribute: untyped on purpose.
    conn = cast(Any, connection)
    if getattr(conn, "_pandu_audit_batch", None) is not None:
        yield
        return
    with transaction.atomic(savepoint=False):
        batch = _Batch(depth=len(connection.savepoint_ids), size=size)
        own = vars(conn)
        had, before = "_savepoint" in own, own.get("_savepoint")
        make_savepoint = conn._savepoint

        def _savepoint(sid):
            # Django's ``BaseDatabaseWrapper.savepoint`` creates each real savepoint here.
            _flush(batch)
            return make_savepoint(sid)

        conn._savepoint = _savepoint
        conn._pandu_audit_batch = batch
        try:
            yield
            _flush(batch)
        finally:
            conn._pandu_audit_batch = None
            if had:
                conn._savepoint = before
            else:
                del conn._savepoint


def _batch_in_force() -> _Batch | None:
    """The batch events go to now, or None inside a savepoint opened in the batch's block (see
    ``audit_batched``), where the head is read again from the database each time."""
    batch = getattr(connection, "_pandu_audit_batch", None)
    if batch is None:
        return None
    if any(sid is not None for sid in connection.savepoint_ids[batch.depth :]):
        batch.head = None  # read again after the savepoint too: it may be rolled back
        return None
    return batch


def _flush(batch: _Batch) -> None:
    rows, batch.pending = batch.pending, []
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(ops.quote_name(cast(str, f.column)) for f in _FIELDS)
    step = max(1, min(len(rows), ops.bulk_batch_size(_FIELDS, rows)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), step):
            part = rows[start : start + step]
            marks = ", ".join(["(" + ", ".join(["%s"] * len(_FIELDS)) + ")"] * len(part))
            values = [
                f.get_db_prep_save(getattr(row, f.attname), connection)
                for row in part
                for f in _FIELDS
            ]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {marks}", values)  # noqa: S608 (names from the model)
        # The trigger moved the head row by row; set it to the last event in any case.
        head = ops.quote_name(AuditHead._meta.db_table)
        cursor.execute(
            f"UPDATE {head} SET seq = %s, hash = %s WHERE id = 1",  # noqa: S608 (table name from the model)
            [rows[-1].seq, rows[-1].hash],
        )
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias


# Every write of the application appends an event, so these two statements are written out
# once here instead of being built by the ORM on each call: building them cost several times
# what the database spends running them.
_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]


def _lock_head() -> tuple[int, str]:
    """The head's sequence number and hash, its row locked to the end of the transaction (made
    at the genesis hash before the first event)."""
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {table} WHERE id = 1{lock}")  # noqa: S608 (table name from the model)
        found = cursor.fetchone()
    if found is not None:
        return found[0], found[1]
    head, _created = AuditHead.objects.select_for_update().get_or_create(
        id=1, defaults={"seq": 0, "hash": chain.GENESIS}
    )
    return head.seq, head.hash


def _insert(row: AuditEvent) -> None:
    """INSERT the event as the ORM would (each field's own conversion), and set its id."""
    ops = connection.ops
    table = ops.quote_name(AuditEvent._meta.db_table)
    # A concrete field always has a column (the stubs type ``column`` for every field).
    columns = ", ".join(ops.quote_name(cast(str, f.column)) for f in _FIELDS)
    pk_column = cast(str, AuditEvent._meta.pk.column)
    marks = ", ".join(["%s"] * len(_FIELDS))
    values = [f.get_db_prep_save(getattr(row, f.attname), connection) for f in _FIELDS]
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (names from the model)
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:
            cursor.execute(f"{sql} RETURNING {ops.quote_name(pk_column)}", values)
            row.pk = cursor.fetchone()[0]
        else:  # pragma: no cover - SQLite 3.35+ and PostgreSQL both return the id
            cursor.execute(sql, values)
            row.pk = ops.last_insert_id(cursor, AuditEvent._meta.db_table, pk_column)
    row._state.adding = False
    row._state.db = connection.alias


def object_key(obj: models.Model) -> tuple[str, str]:
    """The ``(object_type, object_ref)`` an event about ``obj`` carries."""
    return obj._meta.label_lower, _ref(obj)


def _ref(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    for attr in ("public_id", "reference", "code", "slug"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    return str(obj.pk)


# --- the access log of sensitive reads (docs/privacy.md "Access log") -------------------------

REASON_MAX_LENGTH = 500


def sensitive_access_reason_required(*, actor, mission, data_kind: str) -> bool:
    """Whether ``actor`` must say why before seeing ``data_kind`` data of ``mission``.

    No reason is asked of the roles that handle such data day to day
    (``settings.SENSITIVE_ACCESS_NO_REASON_ROLES``); anyone else must give one.
    """
    exempt = set(getattr(settings, "SENSITIVE_ACCESS_NO_REASON_ROLES", {}).get(data_kind, ()))
    if not exempt or not getattr(actor, "is_authenticated", False):
        return True
    return not _roles_at(actor, mission) & exempt


def _roles_at(actor, mission) -> set[str]:
    # ``memberships`` is people's StaffMembership, reached through the user so that audit, low
    # in the layers, imports nothing above it.
    memberships = getattr(actor, "memberships", None)
    if memberships is None or mission is None:
        return set()
    return set(memberships.filter(mission=mission).values_list("role__name", flat=True))


class _Subject(Protocol):
    """A citizen's profile, as far as this app may know it (people sits above audit)."""

    @property
    def public_id(self) -> uuid.UUID: ...


def sensitive_access_record(
    *,
    actor,
    mission,
    data_kind: str,
    obj: models.Model,
    subject: _Subject,
    reason: str = "",
) -> SensitiveAccess:
    """Record that staff member ``actor`` is about to see ``data_kind`` data of ``obj``.

    ``subject`` is the citizen the data is about (their profile; its ``public_id`` is kept).
    Call it before showing or sending the data, in the same request that shows it: when it
    raises, nothing is recorded and nothing must be shown. Raises ``ValidationFailed`` on
    ``reason`` when the actor's role must give one and did not (or gave one too long), and
    ``PermissionDenied`` for anyone not signed in as staff.
    """
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff:
        raise PermissionDenied(gettext("Hanya staf yang aksesnya dicatat di sini."))
    if data_kind not in SensitiveAccess.DataKind.values:
        raise ValueError(f"unknown kind of sensitive data: {data_kind!r}")
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX_LENGTH:
        message = gettext("Alasan paling banyak %(n)d karakter.") % {"n": REASON_MAX_LENGTH}
        raise ValidationFailed({"reason": [message]}, message=message)
    if not reason and sensitive_access_reason_required(
        actor=actor, mission=mission, data_kind=data_kind
    ):
        message = gettext(
            "Tuliskan alasan Anda membuka data ini; peran Anda wajib memberi alasan dan "
            "alasan itu dicatat."
        )
        raise ValidationFailed({"reason": [message]}, message=message)
    object_type, object_ref = object_key(obj)
    return SensitiveAccess.objects.create(
        occurred_at=timezone.now(),
        actor=actor,
        actor_label=actor.email,
        actor_roles=", ".join(sorted(_roles_at(actor, mission)))[:200],
        mission=mission,
        data_kind=data_kind,
        object_type=object_type,
        object_ref=object_ref,
        subject_ref=str(subject.public_id),
        reason=reason,
    )
