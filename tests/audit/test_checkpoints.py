"""Signed checkpoints of the chain head, and ``pandu audit_verify`` naming each kind of tampering.

Tampering is done behind the application's back, as someone with write access to the database
would: raw SQL or queryset updates and deletes that no service sees.
"""

import datetime as dt
import io
import json
import os

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from pypdf import PdfReader

from pandu import jobs
from pandu.audit import chain, checkpoints
from pandu.audit.models import AuditEvent, AuditHead
from pandu.audit.services import audit_record
from pandu.core import clock
from pandu.people.models import User

T0 = dt.datetime(2026, 11, 28, 14, 0, 5, tzinfo=dt.UTC)
TABLE = AuditEvent._meta.db_table


def verify() -> str:
    """The command's output when the chain holds; its error (stderr) when it does not."""
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as exc:
        return f"FAILED\n{exc}"
    return out.getvalue()


def record(n: int, *, start: int = 1) -> None:
    for i in range(start, start + n):
        audit_record(event="test_event", data={"n": i})


@pytest.fixture
def events(db):
    """An audit log of exactly six events, written a minute apart from T0 on."""
    AuditEvent.objects.all().delete()
    AuditHead.objects.all().delete()
    for minute in range(6):
        with time_machine.travel(T0 + dt.timedelta(minutes=minute), tick=False):
            record(1, start=minute + 1)
    return {e.seq: e for e in AuditEvent.objects.all()}


@pytest.fixture
def anchored(events):
    """The six events with a checkpoint of the head (#6), written ten minutes after T0."""
    written = checkpoints.audit_checkpoint_write(now=T0 + dt.timedelta(minutes=10))
    assert written is not None and written.seq == 6
    return events


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []


def head_set_to(seq: int) -> None:
    """Rewrite the head row to match the chain as it now ends, as a careful intruder would."""
    digest = AuditEvent.objects.get(seq=seq).hash
    AuditHead.objects.filter(id=1).update(seq=seq, hash=digest)


def test_diagnose_on_plain_rows_names_a_tail_cut_behind_a_rewritten_head():
    rows, prev = [], chain.GENESIS
    for seq in range(1, 6):
        digest = chain.event_hash(prev, {"seq": seq})
        rows.append((seq, prev, digest, {"seq": seq}))
        prev = digest
    anchor = chain.Anchor(5, prev, "checkpoint of yesterday")
    assert chain.diagnose(rows, head=(5, prev), anchors=[anchor]) == []
    cut = rows[:3]
    [problem] = chain.diagnose(cut, head=(3, cut[-1][2]), anchors=[anchor])
    assert (problem.seq, problem.kind) == (4, "truncation")
    assert problem.detail.startswith("the newest 2 events after #3 were removed (checkpoint of")


# Writing checkpoints ---------------------------------------------------------------------------


def test_a_checkpoint_is_a_small_signed_file_named_by_time_and_seq(events, audit_checkpoints):
    written = checkpoints.audit_checkpoint_write(now=T0 + dt.timedelta(minutes=10))
    assert files(audit_checkpoints) == ["20261128T141005Z-000000000006.json"]
    path = audit_checkpoints / written.name
    document = json.loads(path.read_text())
    assert document["format"] == "pandu-audit-checkpoint/1"
    assert document["seq"] == 6 and document["hash"] == events[6].hash
    assert document["at"] == "2026-11-28T14:10:05+00:00"
    # No signing key in the test settings: an HMAC under a key derived from SECRET_KEY, and the
    # file says so.
    assert document["signed_with"] == {"method": "hmac-sha256", "key": "derived from SECRET_KEY"}
    assert document["signature"]
    assert not os.access(path, os.W_OK) or os.geteuid() == 0  # read-only (root writes anyway)
    assert "intact: 6 events" in verify()
    assert "Checkpoints: 1 agree with the chain" in verify()


def test_nothing_is_written_while_the_head_stays(anchored, audit_checkpoints):
    assert checkpoints.audit_checkpoint_write(now=T0 + dt.timedelta(hours=3)) is None
    assert checkpoints.audit_checkpoint_due(T0 + dt.timedelta(hours=5)) == 0
    assert len(files(audit_checkpoints)) == 1


def test_an_empty_log_has_no_checkpoint(db, audit_checkpoints):
    AuditEvent.objects.all().delete()
    AuditHead.objects.all().delete()
    assert checkpoints.audit_checkpoint_write(now=T0) is None
    assert files(audit_checkpoints) == []
    assert "No checkpoint yet" in verify()


def test_the_hourly_job_writes_once_the_head_moved_and_an_hour_passed(anchored, audit_checkpoints):
    record(2, start=7)
    assert checkpoints.audit_checkpoint_due(T0 + dt.timedelta(minutes=50)) == 0  # too soon
    assert checkpoints.audit_checkpoint_due(T0 + dt.timedelta(minutes=70)) == 1
    assert files(audit_checkpoints)[-1] == "20261128T151005Z-000000000008.json"
    assert checkpoints.checkpoint_latest().seq == 8


def test_the_job_is_registered_and_runs_with_the_round(anchored, audit_checkpoints):
    assert (
        "audit_checkpoints_written",
        "pandu.audit.checkpoints.audit_checkpoint_due",
    ) in jobs.JOBS
    record(1, start=7)
    with time_machine.travel(T0 + dt.timedelta(hours=2), tick=False):
        counts = jobs.run_due(clock.now())
    assert counts["audit_checkpoints_written"] == 1 and counts["errors"] == 0
    assert checkpoints.checkpoint_latest().seq == 7


def test_no_checkpoint_vouches_for_a_chain_cut_short_since_the_last(anchored, audit_checkpoints):
    AuditEvent.objects.filter(seq__gte=5).delete()
    head_set_to(4)
    record(3, start=100)  # new events take #5 to #7 with other content
    with pytest.raises(checkpoints.AuditCheckpointRefused, match="#6"):
        checkpoints.audit_checkpoint_write(now=T0 + dt.timedelta(hours=2))
    assert len(files(audit_checkpoints)) == 1


def test_a_checkpoint_file_is_never_overwritten(anchored, audit_checkpoints):
    before = files(audit_checkpoints)
    assert not checkpoints._create(audit_checkpoints / before[0], "{}")
    assert checkpoints.checkpoint_latest().seq == 6
    assert sorted(p.name for p in audit_checkpoints.iterdir()) == before  # no temporary left


# Tampering, each named -------------------------------------------------------------------------


def test_intact_chain_with_its_checkpoint(anchored):
    out = verify()
    assert out.startswith("Audit chain intact: 6 events verified.")
    assert "records #6 (checkpoint of 2026-11-28 14:10:05 UTC, hmac-sha256)" in out


def test_an_edited_row_is_named(anchored):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET event = %s WHERE seq = %s", ["forged", 3])  # noqa: S608
    out = verify()
    assert "Audit chain BROKEN at event #3 (6 events read, 1 checkpoint); 1 problem:" in out
    assert "- edited row: #3 (its content no longer matches its hash)" in out


def test_a_deleted_middle_row_is_named(anchored):
    AuditEvent.objects.filter(seq=3).delete()
    out = verify()
    assert "BROKEN at event #3" in out
    assert "- deleted row: #3 (gap in seq: #2 is followed by #4)" in out
    assert out.count("\n  - ") == 1  # the broken link from #4 is the same problem


def test_deleted_middle_rows_are_named_as_a_range(anchored):
    AuditEvent.objects.filter(seq__in=[2, 3, 4]).delete()
    assert "- deleted rows: #2-#4, 3 events (gap in seq: #1 is followed by #5)" in verify()


def test_reordered_rows_are_named(anchored):
    with connection.cursor() as cursor:  # swap #3 and #4 past the unique seq
        for old, new in ((3, 1000), (4, 3), (1000, 4)):
            cursor.execute(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [new, old])  # noqa: S608
    out = verify()
    assert "BROKEN at event #3" in out
    assert "- reordered rows: event #4 now stands at #3 (its content hashes only as #4)" in out
    assert "- reordered rows: event #3 now stands at #4 (its content hashes only as #3)" in out
    assert "edited row" not in out and "rewritten" not in out


def test_truncation_with_a_rewritten_head_is_caught_by_the_checkpoint(anchored):
    AuditEvent.objects.filter(seq__gt=4).delete()
    head_set_to(4)
    out = verify()
    assert "Audit chain BROKEN at event #5" in out
    assert (
        "- truncation: the newest 2 events after #4 were removed (checkpoint of "
        f"2026-11-28 14:10:05 UTC records #6 with hash {anchored[6].hash[:16]}…)"
    ) in out


def test_the_same_truncation_goes_unnoticed_without_a_checkpoint(events):
    """Why checkpoints exist: the head row alone is rewritten as easily as the events."""
    AuditEvent.objects.filter(seq__gt=4).delete()
    head_set_to(4)
    assert verify().startswith("Audit chain intact: 4 events verified.")


def test_truncation_with_the_head_left_alone_names_the_head(events):
    AuditEvent.objects.filter(seq__gt=4).delete()
    out = verify()
    assert (
        "- truncation: the newest 2 events after #4 were removed (the chain head records #6)" in out
    )


def test_a_chain_rewritten_with_recomputed_hashes_is_caught_by_the_checkpoint(anchored):
    """Edit #2 and recompute every hash after it, head row included: only the anchor knows."""
    prev = anchored[1].hash
    for seq in range(2, 7):
        event = AuditEvent.objects.get(seq=seq)
        if seq == 2:
            event.data = {"n": 99}
        digest = chain.event_hash(prev, event.chained_fields())
        AuditEvent.objects.filter(seq=seq).update(data=event.data, prev_hash=prev, hash=digest)
        prev = digest
    head_set_to(6)
    out = verify()
    assert "BROKEN at event #6" in out
    assert "- rewritten chain: event #6 has hash" in out
    assert "the chain was rewritten at or before #6" in out


def test_several_problems_are_each_named(anchored):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET actor_label = %s WHERE seq = %s", ["x", 2])  # noqa: S608
    AuditEvent.objects.filter(seq__gt=4).delete()
    head_set_to(4)
    out = verify()
    assert "BROKEN at event #2" in out and "2 problems" in out
    assert "- edited row: #2" in out and "- truncation: the newest 2 events after #4" in out


# Checkpoint files that cannot be trusted --------------------------------------------------------


def _rewrite(path, **changes):
    document = json.loads(path.read_text())
    document.update(changes)
    path.chmod(0o644)
    path.write_text(json.dumps(document))


def test_an_edited_checkpoint_is_refused_and_not_used(anchored, audit_checkpoints):
    path = next(audit_checkpoints.glob("*.json"))
    _rewrite(path, hash="0" * 64)
    out = verify()
    assert out.startswith("FAILED\nAudit checkpoints BROKEN (6 events read, 0 checkpoints)")
    assert f"- checkpoint {path.name}: its HMAC does not match" in out
    assert "rewritten chain" not in out  # its false hash is never compared with the chain


def test_a_forged_checkpoint_of_a_longer_chain_raises_no_false_alarm(anchored, audit_checkpoints):
    """Someone without SECRET_KEY cannot make the chain look cut short either."""
    record(3, start=7)
    with override_settings(SECRET_KEY="someone-else-s-key"):
        forged = checkpoints.audit_checkpoint_write(now=T0 + dt.timedelta(hours=1))
    assert forged is not None and forged.seq == 9
    AuditEvent.objects.filter(seq__gt=6).delete()
    head_set_to(6)
    out = verify()
    assert f"- checkpoint {forged.name}: its HMAC does not match" in out
    assert "truncation" not in out and "Audit chain BROKEN" not in out


def test_a_renamed_checkpoint_is_refused(anchored, audit_checkpoints):
    path = next(audit_checkpoints.glob("*.json"))
    path.rename(path.with_name("20300101T000000Z-000000000006.json"))
    assert "its name does not match its content" in verify()


def test_a_file_that_is_no_checkpoint_is_refused(anchored, audit_checkpoints):
    (audit_checkpoints / "notes.json").write_text("not json")
    assert "- checkpoint notes.json: cannot be read as JSON" in verify()


# Signed with the mission's key ------------------------------------------------------------------


def _write_key(folder, key) -> str:
    path = folder / "signing-key.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(path)


@pytest.mark.parametrize(
    ("make_key", "method"),
    [
        (ed25519.Ed25519PrivateKey.generate, "ed25519"),
        (lambda: ec.generate_private_key(ec.SECP256R1()), "ecdsa-sha256"),
        (lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048), "rsa-pss-sha256"),
    ],
)
def test_with_a_signing_key_the_checkpoint_carries_its_signature(
    events, audit_checkpoints, settings, tmp_path, make_key, method
):
    settings.SIGNING_KEY = _write_key(tmp_path, make_key())
    written = checkpoints.audit_checkpoint_write(now=T0 + dt.timedelta(minutes=10))
    document = json.loads((audit_checkpoints / written.name).read_text())
    assert document["signed_with"]["method"] == method
    assert len(document["signed_with"]["key_sha256"]) == 64
    assert "intact: 6 events" in verify()
    _rewrite(audit_checkpoints / written.name, seq=5, hash=events[5].hash)
    assert "its signature does not match (the file was changed or forged)" in verify()


def test_a_key_per_mission_signs_with_the_first_mission_s_key(
    events, audit_checkpoints, settings, tmp_path, demo
):
    first = min(demo.values(), key=lambda m: m.pk)
    _write_key(tmp_path, ed25519.Ed25519PrivateKey.generate())
    (tmp_path / "signing-key.pem").rename(tmp_path / f"{first.slug}.pem")
    settings.SIGNING_KEY = str(tmp_path / "{mission}.pem")
    written = checkpoints.audit_checkpoint_write(now=T0 + dt.timedelta(minutes=10))
    document = json.loads((audit_checkpoints / written.name).read_text())
    assert document["signed_with"]["mission"] == first.slug
    assert "intact: 6 events" in verify()


def test_a_checkpoint_signed_with_another_key_is_reported(
    events, audit_checkpoints, settings, tmp_path
):
    settings.SIGNING_KEY = _write_key(tmp_path, ed25519.Ed25519PrivateKey.generate())
    checkpoints.audit_checkpoint_write(now=T0 + dt.timedelta(minutes=10))
    settings.SIGNING_KEY = _write_key(tmp_path, ed25519.Ed25519PrivateKey.generate())
    assert "is signed with another key" in verify()


# The monthly report ------------------------------------------------------------------------------


def _pdf_text(client, language: str) -> str:
    client.force_login(User.objects.get(email="supervisor@toronto.pandu.test"))
    response = client.get(f"/{language}/laporan/bulanan.pdf", {"mission": "toronto"})
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


def test_the_monthly_report_prints_the_latest_checkpoint(client, demo, audit_checkpoints):
    written = checkpoints.audit_checkpoint_write(now=T0)
    head = AuditHead.objects.get()
    indonesian = _pdf_text(client, "id")
    assert "Jejak audit" in indonesian
    assert f"peristiwa #{head.seq}" in indonesian and head.hash[:16] in indonesian
    english = _pdf_text(client, "en")
    assert "Audit trail" in english
    assert f"event #{written.seq}" in english and head.hash[:16] in english


def test_the_monthly_report_says_when_there_is_no_checkpoint(client, demo):
    assert "Belum ada titik periksa jejak audit" in _pdf_text(client, "id")
