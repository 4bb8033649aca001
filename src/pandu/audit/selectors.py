"""Reading and checking the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from pandu.audit import chain, checkpoints
from pandu.audit.checkpoints import Checkpoint, CheckpointFault
from pandu.audit.models import AuditEvent, AuditHead, SensitiveAccess


@dataclass(frozen=True)
class ChainCheck:
    """Everything ``pandu audit_verify`` reports: the chain's problems, its checkpoints' faults."""

    events: int
    problems: list[chain.Problem]
    checkpoints: list[Checkpoint]  # (the field's name hides the module here)
    faults: list[CheckpointFault]

    @property
    def intact(self) -> bool:
        return not self.problems and not self.faults


def audit_chain_check() -> ChainCheck:
    """Walk the whole chain against its head row and every checkpoint whose signature holds."""
    valid, faults = checkpoints.checkpoints_read()
    head_row = AuditHead.objects.filter(id=1).first()
    head = (head_row.seq, head_row.hash) if head_row else None
    count = 0

    def rows():
        nonlocal count
        for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
            count += 1
            yield event.seq, event.prev_hash, event.hash, event.chained_fields()

    problems = chain.diagnose(rows(), head=head, anchors=[c.anchor() for c in valid])
    return ChainCheck(events=count, problems=problems, checkpoints=valid, faults=faults)


def sensitive_access_list(
    *,
    missions: list[int],
    starts_at=None,
    ends_before=None,
    actor_id: int | None = None,
    data_kind: str = "",
    subject_ref: str = "",
):
    """The access log of ``missions``, newest first, narrowed by the page's filters."""
    found = SensitiveAccess.objects.filter(mission_id__in=missions).select_related("mission")
    if starts_at is not None:
        found = found.filter(occurred_at__gte=starts_at)
    if ends_before is not None:
        found = found.filter(occurred_at__lt=ends_before)
    if actor_id is not None:
        found = found.filter(actor_id=actor_id)
    if data_kind:
        found = found.filter(data_kind=data_kind)
    if subject_ref:
        found = found.filter(subject_ref=subject_ref.strip())
    return found.order_by("-occurred_at", "-pk")


def sensitive_access_actors(*, missions: list[int]) -> list[tuple[int, str]]:
    """``(user id, label)`` of everyone in the access log of ``missions``, for the filter."""
    rows = (
        SensitiveAccess.objects.filter(mission_id__in=missions, actor_id__isnull=False)
        .values_list("actor_id", "actor_label")
        .distinct()
        .order_by("actor_label")
    )
    seen: dict[int, str] = {}
    for actor_id, label in rows:
        seen.setdefault(actor_id, label)
    return list(seen.items())
