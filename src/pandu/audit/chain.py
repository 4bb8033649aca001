"""Hash chaining of audit events, on plain data (no Django import).

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON encoding of the
event's own fields. Changing any field of any row, removing a row from the middle, or reordering
rows breaks the chain at that row. Removing rows from the end is caught by comparing with the
chain head, which is kept in its own row and moves forward in the same transaction as each event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(fields)).hexdigest()


@dataclass(frozen=True)
class Broken:
    seq: int
    reason: str


def verify(
    rows: Iterable[tuple[int, str, str, Mapping[str, Any]]], *, head: tuple[int, str] | None
) -> Broken | None:
    """Walk ``(seq, prev_hash, hash, fields)`` rows in order; return the first break or None.

    ``head`` is ``(last_seq, last_hash)`` as recorded by the writer, or None when nothing was
    ever written.
    """
    expected_prev = GENESIS
    expected_seq = 1
    for seq, prev_hash, stored_hash, fields in rows:
        if seq != expected_seq:
            return Broken(seq, f"event {expected_seq} is missing (found {seq} next)")
        if prev_hash != expected_prev:
            return Broken(seq, "link to the previous event does not match")
        if event_hash(prev_hash, fields) != stored_hash:
            return Broken(seq, "content does not match its hash")
        expected_prev = stored_hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if head is None:
        return None if last_seq == 0 else Broken(1, "chain head is missing")
    if head != (last_seq, expected_prev):
        return Broken(last_seq + 1, f"chain head says {head[0]} events, found {last_seq}")
    return None
