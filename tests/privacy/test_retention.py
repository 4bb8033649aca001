"""The daily retention job under the default rules, with the clock fixed at ``NOW``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.files.storage import default_storage

from pandu.applications.models import Application, Document, Letter, Transition
from pandu.appointments.models import Appointment
from pandu.audit.models import AuditEvent
from pandu.core.models import Mission
from pandu.feedback.models import SurveyInvitation, SurveyResponse
from pandu.notify.models import OutboundMessage
from pandu.outreach.models import EligibilityRequest, VisitRequest
from pandu.people.models import CitizenProfile, User
from pandu.people.services import citizen_register
from pandu.privacy.models import Action, RetentionRule
from pandu.privacy.retention import retention_apply, retention_apply_due
from pandu.privacy.rules import retention_rules_seed, rules_for
from pandu.queue.models import Ticket

from .conftest import (
    NOW,
    ago,
    application,
    appointment,
    document,
    eligibility,
    letter,
    message,
    survey,
    ticket,
    visit,
)


def test_every_mission_has_the_default_rules(demo):
    for mission in Mission.objects.all():
        kinds = set(RetentionRule.objects.filter(mission=mission).values_list("kind", flat=True))
        assert kinds == set(rules_for(mission))
        assert len(kinds) == 15  # 11 kinds, then crisis deliveries, replies, help cases, access log
    issued = RetentionRule.objects.get(mission=demo["toronto"], kind="applications_issued")
    assert (issued.keep_days, issued.action, issued.kept_on_request) == (3650, "anonymise", True)
    assert issued.clock == "issue_date" and "6/2011" in issued.legal_basis_id
    audit = RetentionRule.objects.get(mission=demo["toronto"], kind="audit")
    assert audit.action == Action.KEEP and audit.keep_days is None


def test_seeding_again_keeps_what_an_administrator_changed(demo):
    toronto = demo["toronto"]
    RetentionRule.objects.filter(mission=toronto, kind="tickets").update(keep_days=7)
    RetentionRule.objects.filter(mission=toronto, kind="letters").delete()
    assert retention_rules_seed(mission=toronto) == 1
    assert RetentionRule.objects.get(mission=toronto, kind="tickets").keep_days == 7
    assert RetentionRule.objects.filter(mission=toronto, kind="letters").exists()


def test_a_rule_cannot_erase_what_statistics_need(demo):
    from django.core.exceptions import ValidationError

    rule = RetentionRule.objects.get(mission=demo["toronto"], kind="appointments")
    rule.action = Action.ERASE
    with pytest.raises(ValidationError):
        rule.full_clean()
    rule.action = Action.ANONYMISE
    rule.keep_days = None
    with pytest.raises(ValidationError):
        rule.full_clean()


@pytest.fixture
def history(frozen, citizen, toronto, django_capture_on_commit_callbacks):
    """Ayu's records: for each kind one row past its period and one within it."""
    ayu = citizen.citizen
    old_appt = appointment(ayu, at=ago(800))
    new_appt = appointment(ayu, at=ago(30))
    issued_old = application(ayu, state="collected", decided_at=ago(3700))
    issued_new = application(ayu, state="collected", decided_at=ago(400))
    refused_old = application(ayu, state="rejected", decided_at=ago(800), code="legalisasi")
    refused_new = application(ayu, state="rejected", decided_at=ago(100), code="lapor-diri")
    request = eligibility(ayu, at=ago(400))
    return {
        "old_appt": old_appt,
        "new_appt": new_appt,
        "old_ticket": ticket(old_appt),
        "new_ticket": ticket(new_appt),
        "issued_old": issued_old,
        "issued_new": issued_new,
        "refused_old": refused_old,
        "refused_new": refused_new,
        "doc_old": document(refused_old),
        "doc_new": document(refused_new),
        "letter_old": letter(issued_old, issued_at=ago(3700)),
        "letter_new": letter(issued_new, issued_at=ago(400)),
        "survey_old": survey(old_appt, at=ago(400)),
        "survey_new": survey(new_appt, at=ago(20)),
        "eligibility": request,
        "visit_old": visit(ayu, request, at=ago(400)),
        "visit_open": visit(ayu, request, at=ago(400), status="scheduled"),
        "message_old": message(toronto, at=ago(40)),
        "message_new": message(toronto, at=ago(5)),
    }


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_the_job_treats_exactly_what_passed_its_period(history, django_capture_on_commit_callbacks):
    h = history
    doc_old_name, doc_new_name = h["doc_old"].storage_name, h["doc_new"].storage_name
    with django_capture_on_commit_callbacks(execute=True):
        treated = retention_apply(NOW)

    assert _fresh(h["old_appt"]).identity_key == ""
    assert _fresh(h["new_appt"]).identity_key != ""
    assert Appointment.objects.filter(pk=h["old_appt"].pk).exists()  # kept for the figures

    assert _fresh(h["old_ticket"]).notify_email == ""
    assert _fresh(h["new_ticket"]).notify_email == "ayu@example.org"

    old = _fresh(h["issued_old"])
    assert (old.surname, old.given_names, old.birth_place, old.birth_date) == ("", "", "", None)
    assert old.old_passport_number == "" and old.sex == "F" and old.state == "collected"
    assert _fresh(h["issued_new"]).surname == "Lestari"
    assert _fresh(h["refused_old"]).surname == ""
    assert Transition.objects.get(application=h["refused_old"]).note == ""
    assert _fresh(h["refused_new"]).surname == "Lestari"
    assert Transition.objects.get(application=h["refused_new"]).note != ""

    assert not Document.objects.filter(pk=h["doc_old"].pk).exists()
    assert not default_storage.exists(doc_old_name)
    assert Document.objects.filter(pk=h["doc_new"].pk).exists()
    assert default_storage.exists(doc_new_name)

    assert not Letter.objects.filter(pk=h["letter_old"].pk).exists()
    assert Letter.objects.filter(pk=h["letter_new"].pk).exists()

    answered = _fresh(h["survey_old"])
    assert answered.comment == "" and answered.u1 == 4  # the IKM still counts it
    assert SurveyInvitation.objects.get(response=answered).email == ""
    assert _fresh(h["survey_new"]).comment != ""

    visit_old = _fresh(h["visit_old"])
    assert (visit_old.contact_name, visit_old.contact_phone, visit_old.address_line) == ("", "", "")
    assert visit_old.lat is None and visit_old.province == "ON"
    assert _fresh(h["visit_open"]).contact_name == "Ayu Lestari"  # still to be served
    request = _fresh(h["eligibility"])
    assert bytes(request.details_encrypted) == b"" and request.acting_name == ""
    assert request.status == "approved"

    assert _fresh(h["message_old"]).body == "" and _fresh(h["message_old"]).purged_at == NOW
    assert _fresh(h["message_new"]).body != ""

    # The citizen was active today: the account stays.
    assert CitizenProfile.objects.get(pk=h["old_appt"].citizen_id).full_name == "Ayu Lestari"
    assert treated == 10


def test_one_summary_event_per_kind_without_personal_data(history):
    retention_apply(NOW)
    events = AuditEvent.objects.filter(event="retention_applied").order_by("seq")
    by_kind = {event.data["kind"]: event.data for event in events}
    assert set(by_kind) == {
        "appointments",
        "tickets",
        "applications_issued",
        "applications_closed",
        "documents",
        "letters",
        "surveys",
        "pertiwi",
        "messages",
    }
    assert by_kind["applications_closed"]["counts"] == {"applications_closed": 1}
    assert by_kind["pertiwi"]["counts"] == {"visit_requests": 1, "eligibility_requests": 1}
    text = json.dumps([event.data for event in events])
    for personal in ("Ayu", "Lestari", "ayu@example.org", "B1234567", "King Street"):
        assert personal not in text


def test_running_twice_treats_nothing_more(history, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = retention_apply(NOW)
        events = AuditEvent.objects.count()
        second = retention_apply(NOW)
    assert first > 0 and second == 0
    assert AuditEvent.objects.count() == events
    assert _fresh(history["issued_new"]).surname == "Lestari"


def test_the_job_does_its_work_once_a_day(history, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_apply_due(NOW) > 0
        assert retention_apply_due(NOW + dt.timedelta(minutes=1)) == 0
    assert _fresh(history["old_appt"]).identity_key == ""


def test_a_shorter_period_set_by_the_administrator_applies(history, toronto):
    RetentionRule.objects.filter(mission=toronto, kind="appointments").update(keep_days=10)
    retention_apply(NOW)
    assert _fresh(history["new_appt"]).identity_key == ""


def test_a_rule_that_says_keep_keeps(history, toronto):
    RetentionRule.objects.filter(mission=toronto, kind="tickets").update(action="keep")
    retention_apply(NOW)
    assert _fresh(history["old_ticket"]).notify_email == "ayu@example.org"


def test_the_rules_of_one_mission_do_not_touch_another(history, demo):
    RetentionRule.objects.filter(mission=demo["ottawa"], kind="tickets").update(keep_days=1)
    RetentionRule.objects.filter(mission=demo["toronto"], kind="tickets").update(action="keep")
    retention_apply(NOW)
    assert _fresh(history["new_ticket"]).notify_email == "ayu@example.org"


def test_an_inactive_account_is_closed_and_its_profile_anonymised(demo, profile_data, password):
    with time_machine.travel(NOW - dt.timedelta(days=6 * 365), tick=False):
        user = citizen_register(
            email="lama@example.org",
            password=password,
            profile={**profile_data, "full_name": "Warga Lama", "nik": "", "passport_number": ""},
            verified_by="demo",
        )
        appointment(user.citizen, at=NOW - dt.timedelta(days=6 * 365))
    with time_machine.travel(NOW, tick=False):
        active = citizen_register(
            email="aktif@example.org", password=password, profile=profile_data, verified_by="demo"
        )
        retention_apply(NOW)
    user.refresh_from_db()
    assert not user.is_active and user.email.endswith("@invalid")
    profile = CitizenProfile.objects.get(user=user)  # an appointment still points at it
    assert (profile.full_name, profile.phone, profile.address_line) == ("", "", "")
    assert profile.date_of_birth == dt.date(1990, 1, 1) and profile.province == "ON"
    assert User.objects.get(pk=active.pk).is_active
    assert CitizenProfile.objects.get(user=active).full_name == "Ayu Lestari"


def test_survey_scores_still_count_in_the_index(history):
    retention_apply(NOW)
    assert SurveyResponse.objects.filter(pk=history["survey_old"].pk, u9=4).exists()


def test_a_visit_stays_for_the_figures(history):
    retention_apply(NOW)
    assert VisitRequest.objects.filter(pk=history["visit_old"].pk, status="served").exists()
    assert EligibilityRequest.objects.filter(pk=history["eligibility"].pk).exists()
    assert OutboundMessage.objects.filter(pk=history["message_old"].pk).exists()
    assert Ticket.objects.filter(pk=history["old_ticket"].pk).exists()
    assert Application.objects.filter(pk=history["issued_old"].pk).exists()


def test_periods_read_as_people_say_them(db):
    from django.utils import translation

    assert RetentionRule(keep_days=3650).period_label == "10 tahun"
    assert RetentionRule(keep_days=90).period_label == "90 hari"
    assert RetentionRule(keep_days=None).period_label == "tanpa batas waktu"
    with translation.override("en"):
        assert RetentionRule(keep_days=365).period_label == "1 year"
        assert RetentionRule(keep_days=730).period_label == "2 years"


def test_a_second_runner_with_the_same_batch_treats_nothing(history, toronto):
    """Two rounds at once pick the same rows; each write is conditional, so the one that comes
    second treats and counts none of them."""
    from pandu.privacy.retention import PARTS

    rules = rules_for(toronto)
    picked = {}
    for part in PARTS:
        rule = rules[part.kind]
        cutoff = NOW - dt.timedelta(days=rule.keep_days or 0)
        rows = part.of_mission(part.rows(), toronto).filter(clock_at__lt=cutoff)
        picked[part.name] = list(rows.values_list("pk", flat=True))
    for part in PARTS:
        part.apply(picked[part.name], NOW)
    assert sum(len(pks) for pks in picked.values()) >= 10
    for part in PARTS:
        assert part.apply(picked[part.name], NOW) == 0, part.name
