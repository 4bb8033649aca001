"""A citizen's deletion request: the preview, confirming, refusing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.storage import default_storage

from pandu.applications.models import Application, Document
from pandu.appointments.models import Appointment
from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError
from pandu.people.models import AccountDeletionRequest, CitizenProfile, User
from pandu.people.services import account_deletion_complete, account_deletion_request
from pandu.privacy.models import DeletionDecision
from pandu.privacy.retention import deletion_preview
from pandu.privacy.services import deletion_confirm, deletion_refuse
from pandu.queue.models import Ticket

from .conftest import NOW, ago, application, appointment, document, survey, ticket


@pytest.fixture
def ayu(frozen, citizen):
    """Ayu, who got a passport 400 days ago, came to two appointments and answered a survey."""
    profile = citizen.citizen
    passport = application(profile, state="collected", decided_at=ago(400))
    visit = appointment(profile, at=ago(420))
    return {
        "user": citizen,
        "profile": profile,
        "passport": passport,
        "passport_doc": document(passport),
        "appointment": visit,
        "ticket": ticket(visit),
        "survey": survey(visit, at=ago(419)),
    }


@pytest.fixture
def asked(ayu):
    mail.outbox.clear()
    return account_deletion_request(user=ayu["user"], reason="Pindah ke Indonesia")


def _line(lines, kind, outcome):
    found = [line for line in lines if line.kind == kind and line.outcome == outcome]
    assert found, f"no {kind}/{outcome} line in {lines}"
    return found[0]


def test_the_preview_lists_what_is_kept_with_its_rule(ayu):
    lines = deletion_preview(citizen=ayu["profile"], now=NOW)
    kept = _line(lines, "applications_issued", "keep")
    assert kept.count == 1
    assert (
        kept.until
        == (ago(400) + dt.timedelta(days=3650)).astimezone(ayu["profile"].mission.zone).date()
    )
    assert "6/2011" in kept.legal_basis
    assert _line(lines, "documents", "erase").count == 1
    assert _line(lines, "appointments", "anonymise").count == 1
    assert _line(lines, "tickets", "anonymise").count == 1
    assert _line(lines, "surveys", "anonymise").count == 1
    assert _line(lines, "account", "anonymise").count == 1  # the passport record points at it
    assert _line(lines, "audit", "keep").count is None
    assert not [line for line in lines if line.outcome == "open"]
    # Nothing was changed by looking.
    assert Document.objects.filter(pk=ayu["passport_doc"].pk).exists()


def test_confirming_erases_anonymises_keeps_and_tells_the_citizen(
    ayu, asked, supervisor, django_capture_on_commit_callbacks
):
    doc_name = ayu["passport_doc"].storage_name
    with django_capture_on_commit_callbacks(execute=True):
        decision = deletion_confirm(request=asked, by=supervisor, now=NOW)

    passport = Application.objects.get(pk=ayu["passport"].pk)
    assert passport.surname == "Lestari" and passport.old_passport_number == "B1234567"
    assert not Document.objects.filter(pk=ayu["passport_doc"].pk).exists()
    assert not default_storage.exists(doc_name)
    assert Appointment.objects.get(pk=ayu["appointment"].pk).identity_key == ""
    assert Ticket.objects.get(pk=ayu["ticket"].pk).notify_email == ""
    profile = CitizenProfile.objects.get(pk=ayu["profile"].pk)
    assert (profile.full_name, profile.nik, profile.passport_number, profile.phone) == (
        "",
        "",
        "",
        "",
    )
    user = User.objects.get(pk=ayu["user"].pk)
    assert not user.is_active and user.email.endswith("@invalid")
    assert not user.has_usable_password()

    asked.refresh_from_db()
    assert asked.status == "completed" and asked.email == ""
    assert decision.outcome == "confirmed" and decision.decided_by == supervisor
    kept = [item for item in decision.items if item["outcome"] == "keep"]
    assert {item["kind"] for item in kept} == {"applications_issued", "audit"}
    issued = next(item for item in kept if item["kind"] == "applications_issued")
    assert issued["until"] and "6/2011" in issued["legal_basis_en"]

    (message,) = mail.outbox
    assert message.to == ["ayu@example.org"]
    assert "akun Anda sudah dihapus" in message.subject
    assert "Permohonan yang dokumennya sudah terbit (1): disimpan sampai" in message.body
    assert "UU 6/2011" in message.body

    event = AuditEvent.objects.get(event="account_deletion_confirmed")
    assert event.data["counts"]["keep"]["applications_issued"] == 1
    assert "Ayu" not in str(event.data)
    assert AuditEvent.objects.filter(event="account_deleted").exists()


def test_the_mail_is_in_the_citizens_language(ayu, asked, supervisor):
    from pandu.notify.models import OutboundMessage

    User.objects.filter(pk=ayu["user"].pk).update(preferred_language="en")
    asked.user.refresh_from_db()
    deletion_confirm(request=asked, by=supervisor, now=NOW)
    sent = OutboundMessage.objects.get(template="deletion_completed")
    assert sent.language == "en" and sent.subject == "Pandu: your account has been deleted"
    assert "What is still kept, and why:" in sent.body
    assert "Law 6/2011" in sent.body and "UU 6/2011" not in sent.body


def test_a_citizen_with_only_an_account_is_erased_entirely(frozen, citizen, supervisor):
    request = account_deletion_request(user=citizen)
    decision = deletion_confirm(request=request, by=supervisor, now=NOW)
    assert not CitizenProfile.objects.filter(user=citizen).exists()
    account = next(item for item in decision.items if item["kind"] == "account")
    assert account["outcome"] == "erase"


def test_closing_an_account_no_longer_fails_on_kept_records(ayu, asked, supervisor):
    # The records that PROTECT the profile (appointments, applications) used to make this raise.
    account_deletion_complete(request=asked, by=supervisor)
    profile = CitizenProfile.objects.get(pk=ayu["profile"].pk)
    assert profile.full_name == "" and Appointment.objects.filter(citizen=profile).exists()
    assert not User.objects.get(pk=ayu["user"].pk).is_active


def test_a_booking_still_to_come_blocks_the_confirmation(ayu, asked, supervisor):
    upcoming = appointment(ayu["profile"], at=NOW + dt.timedelta(days=5), status="booked")
    lines = deletion_preview(citizen=ayu["profile"], now=NOW)
    assert _line(lines, "appointments", "open").count == 1
    with pytest.raises(PanduError) as caught:
        deletion_confirm(request=asked, by=supervisor, now=NOW)
    assert caught.value.code == "open_matters"
    asked.refresh_from_db()
    assert asked.status == "requested"
    assert Appointment.objects.get(pk=upcoming.pk).identity_key != ""
    assert User.objects.get(pk=ayu["user"].pk).is_active


def test_refusing_keeps_everything_and_mails_the_reason(
    ayu, asked, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = deletion_refuse(
            request=asked, by=supervisor, reason="Permohonan paspor Anda masih kami proses."
        )
    asked.refresh_from_db()
    assert asked.status == "refused" and decision.reason.startswith("Permohonan paspor")
    assert User.objects.get(pk=ayu["user"].pk).is_active
    assert CitizenProfile.objects.get(pk=ayu["profile"].pk).full_name == "Ayu Lestari"
    (message,) = mail.outbox
    assert "ditolak" in message.subject
    assert "Permohonan paspor Anda masih kami proses." in message.body
    assert AuditEvent.objects.filter(event="account_deletion_refused").count() == 1


def test_refusing_needs_a_reason(asked, supervisor):
    from pandu.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        deletion_refuse(request=asked, by=supervisor, reason="   ")
    asked.refresh_from_db()
    assert asked.status == "requested"
    assert not DeletionDecision.objects.exists()


def test_a_decided_request_cannot_be_decided_again(asked, supervisor):
    deletion_refuse(request=asked, by=supervisor, reason="Belum bisa.")
    with pytest.raises(PanduError):
        deletion_confirm(request=asked, by=supervisor, now=NOW)
    with pytest.raises(PanduError):
        deletion_refuse(request=asked, by=supervisor, reason="Lagi.")
    assert AccountDeletionRequest.objects.get(pk=asked.pk).status == "refused"
