"""Reading and checking the audit chain."""

from __future__ import annotations

from pandu.audit import chain
from pandu.audit.models import AuditEvent, AuditHead


def audit_chain_verify() -> tuple[chain.Broken | None, int]:
    """Return the first break in the chain (or None) and the number of events checked."""
    head_row = AuditHead.objects.filter(id=1).first()
    head = (head_row.seq, head_row.hash) if head_row else None
    count = 0

    def rows():
        nonlocal count
        for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
            count += 1
            yield event.seq, event.prev_hash, event.hash, event.chained_fields()

    return chain.verify(rows(), head=head), count
