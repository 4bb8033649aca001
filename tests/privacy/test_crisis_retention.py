"""Retention of crisis messages (who was sent one, what they answered, the help given) and of the
access log, with the clock fixed at ``NOW``."""

from __future__ import annotations

import datetime as dt

import pytest

from pandu.audit.models import AuditEvent, SensitiveAccess
from pandu.broadcast.models import Broadcast, Delivery, HelpCase, HelpNote, Reply
from pandu.privacy.models import RetentionRule
from pandu.privacy.retention import deletion_preview, retention_apply
from tests.broadcast.factories import make_citizens
from tests.broadcast.helpers import draft

from .conftest import NOW, ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis(toronto, supervisor, frozen):
    """One crisis message sent 800 days ago to five citizens, another 100 days ago."""
    old = draft(toronto, supervisor)
    new = draft(toronto, supervisor)
    Broadcast.objects.filter(pk=old.pk).update(status="sent", queued_at=ago(800))
    Broadcast.objects.filter(pk=new.pk).update(status="sent", queued_at=ago(100))
    citizens = [r.citizen for r in make_citizens(toronto, 5)]

    def deliver(broadcast, citizen, days):
        return Delivery.objects.create(
            broadcast=broadcast, citizen=citizen, language="id", status="sent", sent_at=ago(days)
        )

    def answer(delivery, days, answer="help", note="Rumah terendam, ibu sakit"):
        return Reply.objects.create(
            delivery=delivery, answer=answer, note=note, phone="+14165550177", created_at=ago(days)
        )

    def case(delivery, *, opened, resolved=None):
        found = HelpCase.objects.create(
            mission=toronto,
            delivery=delivery,
            status="resolved" if resolved else "open",
            opened_at=ago(opened),
            updated_at=ago(resolved or opened),
            resolved_at=ago(resolved) if resolved else None,
        )
        HelpNote.objects.create(
            case=found, author=supervisor, text="Ditelepon, dijemput", created_at=ago(opened)
        )
        return found

    h = {
        "plain_old": deliver(old, citizens[0], 800),
        "open_help": deliver(old, citizens[1], 800),
        "resolved_long_ago": deliver(old, citizens[2], 800),
        "resolved_lately": deliver(old, citizens[3], 800),
        "plain_new": deliver(new, citizens[4], 100),
    }
    h["reply_old"] = answer(h["open_help"], 799)
    h["reply_new"] = answer(h["plain_new"], 30, answer="safe", note="Aman di rumah saudara")
    h["case_open"] = case(h["open_help"], opened=799)
    h["case_long_ago"] = case(h["resolved_long_ago"], opened=799, resolved=780)
    h["case_lately"] = case(h["resolved_lately"], opened=799, resolved=100)
    return h


def access(mission, supervisor, subject, days):
    return SensitiveAccess.objects.create(
        occurred_at=ago(days),
        actor=supervisor,
        actor_label=supervisor.email,
        mission=mission,
        data_kind="document_scan",
        object_type="applications.document",
        object_ref="doc-ref",
        subject_ref=str(subject.public_id),
    )


def test_each_mission_has_the_new_rules_with_a_legal_basis_in_both_languages(demo):
    for mission in demo.values():
        for kind in ("crisis_deliveries", "crisis_replies", "help_cases", "sensitive_access"):
            rule = RetentionRule.objects.get(mission=mission, kind=kind)
            assert rule.keep_days and rule.legal_basis_id and rule.legal_basis_en
            assert rule.legal_basis_id != rule.legal_basis_en


def test_the_job_treats_crisis_data_past_its_period_and_keeps_help_still_given(crisis):
    h = crisis
    retention_apply(NOW)
    # Who was sent the old message goes; the message itself and its count stay.
    assert not Delivery.objects.filter(pk=h["plain_old"].pk).exists()
    assert Broadcast.objects.filter(pk=h["plain_old"].broadcast_id).exists()
    assert Delivery.objects.filter(pk=h["plain_new"].pk).exists()
    # A help case still open keeps its delivery, its notes; the old answer loses note and phone.
    assert Delivery.objects.filter(pk=h["open_help"].pk).exists()
    assert HelpNote.objects.get(case=h["case_open"]).text == "Ditelepon, dijemput"
    reply = Reply.objects.get(pk=h["reply_old"].pk)
    assert (reply.note, reply.phone, reply.answer) == ("", "", "help")
    assert Reply.objects.get(pk=h["reply_new"].pk).note == "Aman di rumah saudara"
    # Help resolved more than two years ago: notes blanked, then the delivery erased with it.
    assert not HelpCase.objects.filter(pk=h["case_long_ago"].pk).exists()
    assert not Delivery.objects.filter(pk=h["resolved_long_ago"].pk).exists()
    # Help resolved lately: notes kept, and the delivery waits for them.
    assert HelpNote.objects.get(case=h["case_lately"]).text == "Ditelepon, dijemput"
    assert Delivery.objects.filter(pk=h["resolved_lately"].pk).exists()
    counts = {
        e.data["kind"]: e.data["counts"]
        for e in AuditEvent.objects.filter(event="retention_applied")
    }
    assert counts["crisis_replies"] == {"crisis_replies": 1}
    assert counts["help_cases"] == {"help_cases": 1}
    assert counts["crisis_deliveries"] == {"crisis_deliveries": 2}


def test_help_notes_are_blanked_under_their_own_rule_while_deliveries_are_kept(crisis, toronto):
    RetentionRule.objects.filter(mission=toronto, kind="crisis_deliveries").update(keep_days=3650)
    retention_apply(NOW)
    case = HelpCase.objects.get(pk=crisis["case_long_ago"].pk)
    assert case.status == "resolved" and HelpNote.objects.get(case=case).text == ""
    assert HelpNote.objects.get(case=crisis["case_lately"]).text != ""
    assert Delivery.objects.count() == 5
    assert retention_apply(NOW) == 0  # nothing left to treat


def test_a_crisis_rule_that_says_keep_keeps(crisis, toronto):
    RetentionRule.objects.filter(
        mission=toronto, kind__in=["crisis_deliveries", "crisis_replies", "help_cases"]
    ).update(action="keep", keep_days=None)
    assert retention_apply(NOW) == 0
    assert Delivery.objects.count() == 5
    assert Reply.objects.get(pk=crisis["reply_old"].pk).note != ""


def test_the_access_log_is_erased_after_its_period_per_mission(demo, supervisor, frozen):
    subject = make_citizens(demo["toronto"], 1)[0].citizen
    old = access(demo["toronto"], supervisor, subject, 800)
    new = access(demo["toronto"], supervisor, subject, 100)
    elsewhere = access(demo["ottawa"], supervisor, subject, 800)
    RetentionRule.objects.filter(mission=demo["ottawa"], kind="sensitive_access").update(
        keep_days=1000
    )
    retention_apply(NOW)
    assert not SensitiveAccess.objects.filter(pk=old.pk).exists()
    assert SensitiveAccess.objects.filter(pk__in=[new.pk, elsewhere.pk]).count() == 2
    event = AuditEvent.objects.get(event="retention_applied", data__kind="sensitive_access")
    assert event.data["counts"] == {"sensitive_access": 1} and event.data["action"] == "erase"


def test_a_deletion_request_waits_for_open_help_and_keeps_the_access_log(crisis, supervisor):
    citizen = crisis["open_help"].citizen
    access(citizen.mission, supervisor, citizen, 100)
    lines = {(line.kind, line.outcome): line for line in deletion_preview(citizen=citizen, now=NOW)}
    assert lines[("help_cases", "open")].count == 1
    assert lines[("crisis_deliveries", "open")].count == 1
    assert lines[("crisis_replies", "anonymise")].count == 1
    kept = lines[("sensitive_access", "keep")]
    assert kept.count == 1 and kept.until == (NOW + dt.timedelta(days=630)).date()
