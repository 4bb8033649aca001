import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pandu.audit import chain
from pandu.audit.models import AuditEvent, AuditHead
from pandu.audit.services import audit_record


@pytest.fixture(autouse=True)
def empty_log(request):
    """These tests read the chain from its first event: each starts with an empty audit log.

    The session's demo data holds audit events; they are removed in the test's own transaction
    (rolled back after it, or put back by the suite's reload after a transactional test).
    """
    if "demo" in request.fixturenames:
        return  # a test of the demo's own chain
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("_django_db_helper")
        AuditEvent.objects.all().delete()
        AuditHead.objects.all().delete()


def verify_output():
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


class TestPureChain:
    def rows(self, n):
        rows, prev = [], chain.GENESIS
        for seq in range(1, n + 1):
            fields = {"seq": seq, "event": f"e{seq}"}
            digest = chain.event_hash(prev, fields)
            rows.append((seq, prev, digest, fields))
            prev = digest
        return rows, (n, prev)

    def test_intact(self):
        rows, head = self.rows(5)
        assert chain.verify(rows, head=head) is None

    def test_changed_field(self):
        rows, head = self.rows(5)
        seq, prev, digest, fields = rows[2]
        rows[2] = (seq, prev, digest, {**fields, "event": "forged"})
        assert chain.verify(rows, head=head).seq == 3

    def test_removed_row(self):
        rows, head = self.rows(5)
        del rows[1]
        assert chain.verify(rows, head=head).seq == 3

    def test_removed_tail(self):
        rows, head = self.rows(5)
        assert chain.verify(rows[:4], head=head).seq == 5

    def test_empty(self):
        assert chain.verify([], head=None) is None


@pytest.fixture
def events(db):
    for n in range(4):
        audit_record(event="test_event", data={"n": n, "when": "2026-11-28"})
    return list(AuditEvent.objects.order_by("seq"))


def test_events_chain_and_secrets_are_refused(events):
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[1].prev_hash == events[0].hash
    assert AuditHead.objects.get().hash == events[-1].hash
    with pytest.raises(ValueError):
        audit_record(event="bad", data={"password": "x"})


def test_verify_says_intact(events):
    assert "intact: 4 events" in verify_output()


def test_row_edited_behind_the_application_s_back_is_detected(events):
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET event = %s WHERE seq = %s", ["forged", 3])  # noqa: S608
    with pytest.raises(CommandError, match="#3"):
        call_command("audit_verify")


def test_data_edit_is_detected(events):
    AuditEvent.objects.filter(seq=2).update(data={"n": 99, "when": "2026-11-28"})
    with pytest.raises(CommandError, match="#2"):
        call_command("audit_verify")


def test_removed_row_is_detected(events):
    AuditEvent.objects.filter(seq=2).delete()
    with pytest.raises(CommandError, match="#3"):
        call_command("audit_verify")


def test_removed_last_row_is_detected(events):
    AuditEvent.objects.filter(seq=4).delete()
    with pytest.raises(CommandError, match="#4"):
        call_command("audit_verify")


def test_demo_writes_a_verifiable_chain(demo):
    assert AuditEvent.objects.filter(event="citizen_registered").count() == 4
    assert "intact" in verify_output()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    """Four processes' worth of writers at once: the head row serialises them, no fork, no gap."""
    import threading

    from django.db import connections

    errors = []

    def writer(n):
        try:
            for i in range(15):
                audit_record(event="concurrent", data={"writer": n, "i": i})
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 61)
    )
    assert "intact: 60 events" in verify_output()


# Events written in batches (``audit_batched``) -------------------------------------------------

EVENT_COLUMNS = [
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "event",
    "object_type",
    "object_ref",
    "mission_id",
    "data",
    "prev_hash",
    "hash",
]


def _record_some(mission, actor):
    audit_record(event="first", data={"n": 1})
    audit_record(event="about_mission", actor=actor, obj=mission, data={"when": "2026-11-28"})
    for n in range(5):
        audit_record(event="more", obj=mission, data={"n": n, "list": [n, "x"]})


def _rows():
    return list(AuditEvent.objects.order_by("seq").values_list(*EVENT_COLUMNS))


def test_batched_events_are_the_events_recorded_one_by_one(db, django_assert_num_queries):
    import time_machine

    from pandu.audit.services import audit_batched
    from pandu.core.models import Mission
    from pandu.people.models import User

    mission = Mission.objects.get(slug="toronto")
    actor = User.objects.get(email="officer@toronto.pandu.test")
    with time_machine.travel("2027-03-14 08:30:00+00:00", tick=False):
        _record_some(mission, actor)
        one_by_one, head = _rows(), AuditHead.objects.values_list("seq", "hash").get()
        AuditEvent.objects.all().delete()
        AuditHead.objects.update(seq=0, hash=chain.GENESIS)
        # Seven events, three at a time: the head read once, three INSERTs, three head moves.
        with django_assert_num_queries(7), audit_batched(size=3):
            _record_some(mission, actor)
    assert _rows() == one_by_one
    assert AuditHead.objects.values_list("seq", "hash").get() == head == one_by_one[-1][::10]
    assert "intact: 7 events" in verify_output()


def test_a_failed_batch_writes_none_of_its_events(db):
    from django.db import transaction

    from pandu.audit.services import audit_batched

    audit_record(event="before")
    with pytest.raises(RuntimeError), transaction.atomic(), audit_batched():
        audit_record(event="lost")
        raise RuntimeError("the caller's write failed")
    audit_record(event="after")
    assert [e.event for e in AuditEvent.objects.order_by("seq")] == ["before", "after"]
    assert "intact: 2 events" in verify_output()


def test_a_savepoint_rolled_back_inside_a_batch_takes_its_events_with_it(db):
    from django.db import transaction

    from pandu.audit.services import audit_batched
    from pandu.core.db import savepoints_kept, savepoints_skipped

    with savepoints_skipped(), transaction.atomic(), audit_batched():
        audit_record(event="kept_1")
        try:
            with savepoints_kept(), transaction.atomic():
                audit_record(event="undone")
                raise ValueError("refused, and gone past")
        except ValueError:
            pass
        with savepoints_kept(), transaction.atomic():
            audit_record(event="kept_2")
        audit_record(event="kept_3")
        audit_record(event="kept_4")
    events = list(AuditEvent.objects.order_by("seq").values_list("seq", "event"))
    assert events == [(1, "kept_1"), (2, "kept_2"), (3, "kept_3"), (4, "kept_4")]
    assert "intact: 4 events" in verify_output()
