"""Hash chaining of audit events, on plain data (no Django import).

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON encoding of the
event's own fields. Changing any field of any row, removing a row from the middle, or reordering
rows breaks the chain at that row. Removing rows from the end is caught by comparing with the
chain head, which is kept in its own row and moves forward in the same transaction as each event.
Removing rows from the end *and* rewriting the head row is caught by anchors: heads recorded
outside the database (the signed checkpoint files of ``pandu.audit.checkpoints``).
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


# Naming every problem -------------------------------------------------------------------------

#: Above this many rows whose content fails its hash, moved rows are not searched for (the search
#: tries each failing row at each other failing row's place) and all are called edited.
MOVE_SEARCH_LIMIT = 200


@dataclass(frozen=True)
class Anchor:
    """A chain head recorded outside the database: ``hash`` was the hash of event ``seq``."""

    seq: int
    hash: str
    label: str  # how to name the anchor to a reader, e.g. "checkpoint of 2026-11-28 14:00 UTC"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the chain. ``seq`` is where it shows; ``kind`` names it for readers."""

    seq: int
    kind: str  # "edited row", "deleted row(s)", "reordered rows", "truncation", ...
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


def _events(n: int) -> str:
    return "1 event" if n == 1 else f"{n} events"


def _short(digest: str) -> str:
    return f"{digest[:16]}…"


def diagnose(
    rows: Iterable[tuple[int, str, str, Mapping[str, Any]]],
    *,
    head: tuple[int, str] | None,
    anchors: Iterable[Anchor] = (),
) -> list[Problem]:
    """Walk ``(seq, prev_hash, hash, fields)`` rows in order of seq and name every problem.

    Unlike ``verify`` the walk goes on after the first break, so that an edited row, a gap, rows
    swapped with each other and a removed tail are each reported for what they are. ``anchors``
    are heads recorded outside the database (signed checkpoints): they reveal a tail removed
    together with a rewritten head row, and a chain rewritten with recomputed hashes.

    Only the rows that fail are kept in memory, so a long chain is walked without loading it.
    """
    by_seq: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_seq.setdefault(anchor.seq, []).append(anchor)

    problems: list[Problem] = []
    # Rows whose content does not hash to their stored hash: edited, or moved to another seq.
    suspects: list[tuple[int, str, str, Mapping[str, Any]]] = []
    suspect_seqs: set[int] = set()
    missing: list[int] = []
    anchored: dict[int, str] = {}  # stored hash at each anchored seq
    prev_seq, prev_hash_stored, prev_suspect = 0, GENESIS, False

    for seq, prev_hash, stored_hash, fields in rows:
        gap = seq != prev_seq + 1
        if gap:
            first, last = prev_seq + 1, seq - 1
            if len(missing) < MOVE_SEARCH_LIMIT:
                missing.extend(range(first, min(last, first + MOVE_SEARCH_LIMIT) + 1))
            where = (
                f"#{prev_seq} is followed by #{seq}" if prev_seq else f"the chain starts at #{seq}"
            )
            if first == last:
                problems.append(Problem(first, "deleted row", f"#{first} (gap in seq: {where})"))
            else:
                problems.append(
                    Problem(
                        first,
                        "deleted rows",
                        f"#{first}-#{last}, {_events(last - first + 1)} (gap in seq: {where})",
                    )
                )
        content_ok = event_hash(prev_hash, fields) == stored_hash
        if not content_ok:
            suspects.append((seq, prev_hash, stored_hash, fields))
            suspect_seqs.add(seq)
        elif not gap and prev_hash != prev_hash_stored and not prev_suspect:
            # This row is sound but does not link to the one before, which is itself sound: the
            # one before was replaced by a row with a recomputed hash.
            problems.append(
                Problem(
                    prev_seq,
                    "edited row",
                    f"#{prev_seq} (rewritten with a recomputed hash: #{seq} no longer links to it)",
                )
            )
        if seq in by_seq:
            anchored[seq] = stored_hash
        prev_seq, prev_hash_stored, prev_suspect = seq, stored_hash, not content_ok

    problems.extend(_edited_or_moved(suspects, candidates=suspect_seqs.union(missing)))
    last_seq = prev_seq

    for seq in sorted(by_seq):
        for anchor in by_seq[seq]:
            if seq > last_seq:
                continue  # a removed tail, reported once below
            found = anchored.get(seq)
            if found is None or found == anchor.hash or seq in suspect_seqs:
                continue  # a deleted or damaged row, already named
            problems.append(
                Problem(
                    seq,
                    "rewritten chain",
                    f"event #{seq} has hash {_short(found)} but the {anchor.label} records "
                    f"{_short(anchor.hash)}: the chain was rewritten at or before #{seq}",
                )
            )

    # A removed tail: the head row or an anchor records more events than there are. The anchor
    # is outside the database, so it still tells when the head row was rewritten to match.
    evidence = [
        (anchor.seq, 1, f"{anchor.label} records #{anchor.seq} with hash {_short(anchor.hash)}")
        for seq, found in by_seq.items()
        if seq > last_seq
        for anchor in found
    ]
    if head is not None and head[0] > last_seq:
        evidence.append((head[0], 0, f"the chain head records #{head[0]}"))
    if evidence:
        seq, _rank, source = max(evidence)
        problems.append(
            Problem(
                last_seq + 1,
                "truncation",
                f"the newest {_events(seq - last_seq)} after #{last_seq} "
                f"{'was' if seq - last_seq == 1 else 'were'} removed ({source})",
            )
        )
    if head is None:
        if last_seq:
            problems.append(Problem(1, "missing head", "the chain head row is missing"))
    elif head[0] < last_seq:
        problems.append(
            Problem(
                head[0] + 1,
                "head behind",
                f"the chain head records #{head[0]} but the chain goes on to #{last_seq}",
            )
        )
    elif head[0] == last_seq and head[1] != prev_hash_stored:
        problems.append(
            Problem(last_seq, "head mismatch", f"the chain head's hash is not #{last_seq}'s hash")
        )
    return sorted(problems, key=lambda p: p.seq)


def _edited_or_moved(
    suspects: list[tuple[int, str, str, Mapping[str, Any]]], *, candidates: set[int]
) -> list[Problem]:
    """Name each row whose content fails its hash: moved (it hashes under another seq) or edited."""
    problems = []
    search = len(suspects) <= MOVE_SEARCH_LIMIT
    for seq, prev_hash, stored_hash, fields in suspects:
        origin = None
        if search:
            origin = next(
                (
                    k
                    for k in sorted(candidates - {seq})
                    if event_hash(prev_hash, {**fields, "seq": k}) == stored_hash
                ),
                None,
            )
        if origin is not None:
            problems.append(
                Problem(
                    seq,
                    "reordered rows",
                    f"event #{origin} now stands at #{seq} (its content hashes only as #{origin})",
                )
            )
        else:
            problems.append(
                Problem(seq, "edited row", f"#{seq} (its content no longer matches its hash)")
            )
    return problems
