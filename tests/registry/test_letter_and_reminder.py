"""The signed lapor diri letter (verifiable by its QR page) and the yearly reminder."""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from pandu import jobs
from pandu.audit.models import AuditEvent
from pandu.issuance.models import IssuedDocument
from pandu.issuance.services import verify_path
from pandu.issuance.verification import verify_pdf
from pandu.registry.models import StayRegistration
from pandu.registry.services import (
    stay_letter,
    stay_reminders_send_due,
    stay_renew,
    stay_update,
)
from pandu.registry.tasks import stay_letter_issue

T0 = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def test_the_letter_is_signed_verifiable_and_issued_once(client, citizen, registered):
    stay_letter_issue.call(registration_id=registered.pk)  # the task enqueued on registration
    client.force_login(citizen)
    response = client.get(reverse("registry:letter"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    registered.refresh_from_db()
    document = IssuedDocument.objects.get(public_id=registered.letter_reference)
    assert document.kind == "stay_letter" and document.mission.slug == "toronto"
    assert verify_pdf(pdf, document=document).valid
    text = pdf_text(pdf)
    assert "Surat keterangan lapor diri" in text and "Ayu Lestari" in text
    assert "Belajar" in text and "Bima Lestari" in text
    assert str(document.valid_until) == str(
        (registered.confirmed_at + dt.timedelta(days=365)).astimezone(document.mission.zone).date()
    )
    # Asked again: the same file, no second document.
    assert client.get(reverse("registry:letter")).content == pdf
    assert IssuedDocument.objects.filter(kind="stay_letter").count() == 1
    # The public verification page (the QR code's address) shows it as valid.
    page = client.get(verify_path(document.public_id, "id"))
    assert page.status_code == 200 and "Ayu Lestari" in page.text
    assert page.context["status"] == "valid"


def test_a_change_revokes_the_old_letter(citizen, registered, stay_fields):
    stay_letter_issue.call(registration_id=registered.pk)  # the task enqueued on registration
    registered.refresh_from_db()
    assert stay_letter(registration=registered, by=citizen).startswith(b"%PDF")
    old = registered.letter_reference
    stay_update(
        registration=registered,
        by=citizen,
        fields={**stay_fields, "address_line": "9 King Street North"},
    )
    assert IssuedDocument.objects.get(public_id=old).revoked
    registered.refresh_from_db()
    assert registered.letter_reference is None


def test_nobody_else_gets_the_letter(client, registered, demo):
    from pandu.people.models import User

    client.force_login(User.objects.get(email="siti.rahayu@example.org"))
    assert client.get(reverse("registry:letter")).status_code == 404
    client.force_login(User.objects.get(email="officer@toronto.pandu.test"))
    assert client.get(reverse("registry:letter")).status_code == 404


def test_the_reminder_goes_once_after_eleven_months_and_renewal_resets_it(
    citizen, stay_fields, django_capture_on_commit_callbacks
):
    from pandu.registry.services import stay_register

    with time_machine.travel(T0, tick=False):
        registration = stay_register(citizen=citizen.citizen, by=citizen, fields=stay_fields)
    mail.outbox.clear()
    with time_machine.travel(T0 + dt.timedelta(days=330), tick=False):
        assert stay_reminders_send_due() == 0
    with (
        time_machine.travel(T0 + dt.timedelta(days=336), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        counts = jobs.run_due()
        assert counts["stay_reminders_sent"] == 1 and counts["errors"] == 0
        assert stay_reminders_send_due() == 0  # once
    (message,) = [m for m in mail.outbox if "perbarui" in m.subject]
    assert message.to == ["ayu@example.org"]
    assert "/id/lapor-diri/" in message.body and "setahun" in message.body
    registration.refresh_from_db()
    assert registration.reminder_sent_at == T0 + dt.timedelta(days=336)
    assert AuditEvent.objects.filter(event="stay_reminder_sent").count() == 1
    with time_machine.travel(T0 + dt.timedelta(days=340), tick=False):
        stay_renew(registration=registration, by=citizen)
    registration.refresh_from_db()
    assert registration.reminder_sent_at is None
    with time_machine.travel(T0 + dt.timedelta(days=340 + 334), tick=False):
        assert stay_reminders_send_due() == 0
    with time_machine.travel(T0 + dt.timedelta(days=340 + 336), tick=False):
        assert stay_reminders_send_due() == 1


def test_ended_registrations_get_no_reminder(citizen, registered):
    StayRegistration.objects.filter(pk=registered.pk).update(status="ended")
    with time_machine.travel(registered.confirmed_at + dt.timedelta(days=400), tick=False):
        assert stay_reminders_send_due() == 0


def test_the_letter_is_issued_after_registering_and_asking_only_reads(
    client, citizen, stay_fields, django_capture_on_commit_callbacks
):
    from pandu.registry.services import stay_register

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration = stay_register(citizen=citizen.citizen, by=citizen, fields=stay_fields)
    client.force_login(citizen)
    url = reverse("registry:letter")
    documents = IssuedDocument.objects.count()
    waiting = client.get(url)
    assert waiting.status_code == 200 and "Surat sedang disiapkan" in waiting.text
    assert f'href="{url}"' in waiting.text  # the refresh link
    assert IssuedDocument.objects.count() == documents
    registration.refresh_from_db()
    assert registration.letter_reference is None

    for callback in callbacks:  # the registration committed: the task issues the letter
        callback()
    registration.refresh_from_db()
    document = IssuedDocument.objects.get(public_id=registration.letter_reference)
    assert document.kind == "stay_letter" and not document.revoked
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert verify_pdf(response.content, document=document).valid

    # A change revokes that letter and, once committed, a new one is issued for the new facts.
    with django_capture_on_commit_callbacks(execute=True):
        stay_update(
            registration=registration,
            by=citizen,
            fields={**stay_fields, "address_line": "9 King Street North"},
        )
    document.refresh_from_db()
    registration.refresh_from_db()
    assert document.revoked and registration.letter_reference not in (None, document.public_id)
    assert "9 King Street North" in pdf_text(client.get(url).content)


def test_while_issuing_is_deferred_the_letter_waits_for_the_catch_up(
    citizen, stay_fields, django_capture_on_commit_callbacks
):
    from pandu.issuance.services import issuing_deferred
    from pandu.registry.services import stay_letters_issue_missing, stay_register

    with issuing_deferred(), django_capture_on_commit_callbacks(execute=True):
        registration = stay_register(citizen=citizen.citizen, by=citizen, fields=stay_fields)
    registration.refresh_from_db()
    assert registration.letter_reference is None  # the demo's load: nothing signed yet
    assert stay_letters_issue_missing(batch=1) == 1  # the newest registration first
    registration.refresh_from_db()
    assert stay_letter(registration=registration, by=citizen).startswith(b"%PDF")
