"""Recording audit events. Every write in Pandu calls ``audit_record`` inside its transaction."""

from __future__ import annotations

import json
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from pandu.audit import chain
from pandu.audit.models import AuditEvent, AuditHead

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
    with transaction.atomic(savepoint=False):
        head, _created = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": chain.GENESIS}
        )
        if mission is None and obj is not None:
            mission = getattr(obj, "mission", None)
        actor_user = actor if getattr(actor, "is_authenticated", False) else None
        row = AuditEvent(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor=actor_user,
            actor_label=actor_user.email if actor_user else "system",
            event=event,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_ref=_ref(obj),
            mission=mission,
            data=_clean(dict(data or {})),
            prev_hash=head.hash,
        )
        # Round-trip the JSON first so the hash covers exactly what the database returns.
        row.data = json.loads(chain.canonical(row.data))
        row.hash = chain.event_hash(row.prev_hash, row.chained_fields())
        # The database moves the head to this event (a trigger, migration audit 0003).
        row.save(force_insert=True)
        return row


def _ref(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    for attr in ("public_id", "reference", "code", "slug"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    return str(obj.pk)
