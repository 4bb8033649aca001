"""Domain events: sent after the writer commits, never for a rolled-back write, in the emitter's
context; a failing receiver is logged and does not stop the others (raised in tests)."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction
from django.dispatch import Signal

from pandu.core import events
from pandu.notify.services import held, holding


class Boom(Exception):
    pass


@pytest.fixture
def signal(monkeypatch):
    """An event of the test's own, so no app's receiver hears it."""
    made = Signal()
    monkeypatch.setitem(events.NAMES, made, "test_event")
    return made


@pytest.fixture
def heard(signal):
    """Two receivers of the test's event: the first fails, the second records."""
    calls = []

    def failing(sender, **payload):
        calls.append(("failing", payload["ticket"]))
        raise Boom("receiver broke")

    def recording(sender, **payload):
        calls.append(("recording", payload["ticket"], holding()))

    signal.connect(failing, weak=False, dispatch_uid="test.failing")
    signal.connect(recording, weak=False, dispatch_uid="test.recording")
    return calls


def test_an_event_waits_for_the_commit_and_a_rolled_back_write_sends_none(
    db, signal, heard, settings, django_capture_on_commit_callbacks
):
    settings.EVENTS_RAISE = False
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                events.emit(signal, ticket="T-1", by=None, now=None)
                raise Boom("the write is refused")
        except Boom:
            pass
        events.emit(signal, ticket="T-2", by=None, now=None)
        assert heard == []  # not before the commit
    assert [c[:2] for c in heard] == [("failing", "T-2"), ("recording", "T-2")]


def test_a_failing_receiver_is_logged_and_the_others_still_run(
    db, signal, heard, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EVENTS_RAISE = False
    with (
        caplog.at_level(logging.ERROR, logger="pandu.events"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        events.emit(signal, ticket="T-3", by=None, now=None)
    assert [c[0] for c in heard] == ["failing", "recording"]
    [record] = [r for r in caplog.records if r.name == "pandu.events"]
    assert "test_event" in record.getMessage() and "failing" in record.getMessage()
    assert record.exc_info[0] is Boom


def test_in_tests_the_failure_is_raised_after_every_receiver_ran(
    db, signal, heard, django_capture_on_commit_callbacks
):
    with pytest.raises(Boom), django_capture_on_commit_callbacks(execute=True):
        events.emit(signal, ticket="T-4", by=None, now=None)
    assert [c[0] for c in heard] == ["failing", "recording"]


def test_receivers_run_in_the_emitters_context(
    db, signal, heard, settings, django_capture_on_commit_callbacks
):
    settings.EVENTS_RAISE = False
    with django_capture_on_commit_callbacks(execute=True):
        with held():
            events.emit(signal, ticket="T-5", by=None, now=None)
        assert not holding()
    assert heard[-1] == ("recording", "T-5", True)  # mail held back where the event was emitted


def test_only_the_domain_events_are_emitted(db):
    with pytest.raises(ValueError):
        events.emit(Signal(), ticket="T-6")
