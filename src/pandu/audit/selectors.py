"""Reading and checking the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from pandu.audit import chain, checkpoints
from pandu.audit.models import AuditEvent, AuditHead


@dataclass(frozen=True)
class ChainCheck:
    """Everything ``pandu audit_verify`` reports: the chain's problems, its checkpoints' faults."""

    events: int
    problems: list[chain.Problem]
    checkpoints: list[checkpoints.Checkpoint]
    faults: list[checkpoints.CheckpointFault]

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
