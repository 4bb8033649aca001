"""The periodic round: every due job runs, one failing job does not stop the others."""

import datetime as dt
import json
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from pandu import jobs
from pandu.appointments import services
from pandu.appointments.models import Appointment

from .conftest import NOW


def broken(now):
    raise RuntimeError("this job is broken")


def test_a_round_sends_due_reminders_and_reports_each_job(
    make_citizen, passport_slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the confirmation goes at once
        appointment = services.appointment_book(
            citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
        )
    Appointment.objects.filter(pk=appointment.pk).update(created_at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs.run_due(passport_slot.starts_at - dt.timedelta(hours=20))
    assert set(counts) == {
        "reminders",
        "messages_retried",
        "messages_purged",
        "broadcasts_resumed",
        "draws_held",
        "waitlist_offers_expired",
        "pertiwi_evidence_deleted",
        "retention_applied",
        "stay_reminders_sent",
        "audit_checkpoints_written",
        "errors",
    }
    assert counts["reminders"] == 1 and counts["errors"] == 0
    assert mail.outbox[-1].to == [appointment.citizen.user.email]


def test_one_failing_job_is_logged_and_the_others_still_run(db, monkeypatch, caplog):
    ran = []
    monkeypatch.setattr(
        jobs,
        "JOBS",
        (
            ("first", "tests.appointments.test_jobs.broken"),
            ("second", "pandu.notify.services.messages_retry_due"),
        ),
    )
    monkeypatch.setattr(
        "pandu.notify.services.messages_retry_due", lambda now: ran.append(now) or 3
    )
    counts = jobs.run_due(NOW)
    assert counts == {"second": 3, "errors": 1}
    assert ran == [NOW]
    assert "Periodic job first failed" in caplog.text and "this job is broken" in caplog.text


def test_command_prints_one_json_line_and_fails_when_a_job_failed(db, capsys, monkeypatch):
    call_command("run_due")
    counts = json.loads(capsys.readouterr().out)
    assert counts["errors"] == 0 and "reminders" in counts
    monkeypatch.setattr(jobs, "JOBS", (("first", "tests.appointments.test_jobs.broken"),))
    with pytest.raises(CommandError, match="1 periodic job"):
        call_command("run_due")


@pytest.mark.django_db(transaction=True)
def test_the_loop_runs_rounds_until_stopped():
    stop = threading.Event()
    rounds = []

    def report(at, counts):
        rounds.append(counts)
        if len(rounds) == 2:
            stop.set()

    jobs.run_forever(0.01, stop=stop, report=report)
    assert len(rounds) == 2 and all(r["errors"] == 0 for r in rounds)
