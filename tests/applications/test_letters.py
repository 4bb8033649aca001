"""Signed letters in the application flow, and the per-service rules that are now data.

- the "application received" letter: offered once submitted, issued on first request, the same
  signed file afterwards, verifiable, and only for the applicant and the mission's staff;
- the certificate letter (surat keterangan): the move to *issued* needs its text, issues a signed
  letter with that text, and the citizen downloads it from the status page;
- the passport data a service asks for comes from its ``ServiceRule`` row, not its code;
- the demo catalogue has a passport-photo requirement that gets the photo check.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pandu.applications import services
from pandu.applications.letters import received_letter
from pandu.applications.models import Letter, ServiceRule, UploadKind
from pandu.applications.tasks import received_letter_issue
from pandu.applications.workflow import Event, State
from pandu.catalog.models import Service
from pandu.core.errors import NotFound
from pandu.issuance.models import IssuedDocument
from pandu.issuance.verification import verify_pdf
from pandu.people.models import User

from .conftest import upload


def _client(client, email):
    client.logout()
    client.force_login(User.objects.get(email=email))


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# --- the received letter -----------------------------------------------------------------------


def test_a_draft_has_no_received_letter(client, draft, citizen):
    _client(client, "ayu@example.org")
    url = reverse("applications:received_letter", kwargs={"public_id": draft.public_id})
    assert client.get(url).status_code == 404
    assert not IssuedDocument.objects.filter(kind="received_letter").exists()


def test_the_received_letter_is_issued_once_signed_and_verifiable(client, submitted, officer):
    received_letter_issue.call(application_id=submitted.pk)  # the task enqueued on submission
    _client(client, "ayu@example.org")
    page = client.get(reverse("applications:detail", kwargs={"public_id": submitted.public_id}))
    url = reverse("applications:received_letter", kwargs={"public_id": submitted.public_id})
    assert url in page.content.decode()

    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert first["Cache-Control"] == "no-store, private"
    text = _text(first.content)
    assert submitted.reference in text and "Ayu Lestari" in text

    result = verify_pdf(first.content)
    assert result.valid, result.as_dict()
    assert result.document.kind == "received_letter"
    facts = {f["label"]: f["value"] for f in result.document.facts}
    assert facts["Nomor permohonan"] == submitted.reference
    assert facts["Pemohon"] == "Ayu Lestari"

    # Asking again (the citizen, then the officer) gives the same signed file, not a new letter.
    assert client.get(url).content == first.content
    _client(client, "officer@toronto.pandu.test")
    assert client.get(url).content == first.content
    assert IssuedDocument.objects.filter(kind="received_letter").count() == 1
    assert submitted.letters.get().kind == Letter.Kind.RECEIVED

    # The public verification page shows the letter's facts.
    verify_page = client.get(
        reverse("issuance:verify", kwargs={"public_id": result.document.public_id})
    )
    assert submitted.reference in verify_page.content.decode()


def test_other_people_cannot_get_the_received_letter(client, submitted, demo):
    url = reverse("applications:received_letter", kwargs={"public_id": submitted.public_id})
    for email in ("siti.rahayu@example.org", "officer@ottawa.pandu.test"):
        _client(client, email)
        assert client.get(url).status_code == 404
    siti = User.objects.get(email="siti.rahayu@example.org")
    with pytest.raises(NotFound):
        received_letter(application=submitted, by=siti)
    assert not submitted.letters.exists()


# --- the certificate letter --------------------------------------------------------------------


@pytest.fixture
def letter_service(demo):
    return Service.objects.get(mission=demo["toronto"], code="surat-keterangan")


@pytest.fixture
def sent_for_issuance(letter_service, ayu, citizen, officer):
    application = services.application_start(citizen=ayu, service=letter_service, by=citizen)
    uploads = {
        r: upload(f"{r.pk}.png")
        for r in letter_service.requirements.filter(uploadable=True, kind="document")
    }
    services.application_save(application=application, by=citizen, answers={}, uploads=uploads)
    application = services.application_transition(
        application=application, event=Event.SUBMIT, by=citizen
    )
    for document in services.selectors.current_documents(application).values():
        services.document_review(
            application=application,
            requirement=document.requirement,
            decision="accepted",
            reason="",
            by=officer,
        )
    application = services.application_transition(
        application=application, event=Event.ACCEPT_DOCUMENTS, by=officer
    )
    services.payment_record(
        application=application,
        method="cash",
        amount=Decimal("15.00"),
        receipt_number="SK-1",
        by=officer,
    )
    return services.application_transition(
        application=application, event=Event.SEND_FOR_ISSUANCE, by=officer
    )


STATEMENT = (
    "Ayu Lestari, lahir di Jakarta pada 17 Agustus 1990, adalah Warga Negara Indonesia yang "
    "berdomisili di Toronto dan belum pernah menikah."
)


def test_issuing_a_letter_service_needs_the_letter_text(sent_for_issuance, officer):
    with pytest.raises(services.TransitionRefused) as refused:
        services.application_transition(
            application=sent_for_issuance, event=Event.ISSUE, by=officer, note="ok"
        )
    assert "surat keterangan" in refused.value.message
    sent_for_issuance.refresh_from_db()
    assert sent_for_issuance.state == State.SENT_FOR_ISSUANCE
    assert not sent_for_issuance.letters.filter(kind=Letter.Kind.CERTIFICATE).exists()


def test_issuing_makes_a_signed_certificate_letter_with_the_officers_text(
    client, sent_for_issuance, officer
):
    _client(client, "officer@toronto.pandu.test")
    staff_page = client.get(
        reverse("applications:staff_detail", kwargs={"public_id": sent_for_issuance.public_id})
    )
    assert "Isi surat keterangan" in staff_page.content.decode()
    client.post(
        reverse("applications:transition", kwargs={"public_id": sent_for_issuance.public_id}),
        {"event": "issue", "note": STATEMENT},
    )
    sent_for_issuance.refresh_from_db()
    assert sent_for_issuance.state == State.ISSUED
    letter = sent_for_issuance.letters.get(kind=Letter.Kind.CERTIFICATE)

    _client(client, "ayu@example.org")
    page = client.get(
        reverse("applications:detail", kwargs={"public_id": sent_for_issuance.public_id})
    ).content.decode()
    url = reverse(
        "applications:certificate_letter", kwargs={"public_id": sent_for_issuance.public_id}
    )
    assert url in page
    pdf = client.get(url).content
    assert "belum pernah menikah" in _text(pdf)
    result = verify_pdf(pdf)
    assert result.valid and result.document.kind == "certificate_letter"
    assert str(result.document.public_id) == letter.reference
    tampered = bytearray(pdf)
    tampered[len(tampered) // 3] ^= 0x01  # one bit of the compressed page changed
    assert not verify_pdf(bytes(tampered)).valid

    _client(client, "siti.rahayu@example.org")
    assert client.get(url).status_code == 404


def test_a_passport_service_issues_no_certificate_letter(submitted, officer):
    assert not services.issues_certificate_letter(submitted.service)
    url = reverse("applications:certificate_letter", kwargs={"public_id": submitted.public_id})
    assert url  # the page exists for every application, and answers 404 without a letter


# --- rules as data -----------------------------------------------------------------------------


def test_the_passport_data_asked_follows_the_services_rule(draft, citizen, renewal):
    services.application_save(
        application=draft,
        by=citizen,
        answers={
            "surname": "Lestari",
            "given_names": "Ayu",
            "birth_place": "Jakarta",
            "sex": "F",
            "birth_date": dt.date(1990, 8, 17),
            "old_passport_number": "",
            "old_passport_expiry": None,
        },
    )
    draft = services.Application.objects.get(pk=draft.pk)
    assert "old_passport_expiry" in services.application_problems(draft)

    # The mission changes the rule in the admin: the old passport becomes optional.
    ServiceRule.objects.filter(service=renewal).update(old_passport_required=False)
    draft = services.Application.objects.get(pk=draft.pk)
    assert "old_passport_expiry" not in services.application_problems(draft)

    # A lost-passport replacement asks for the reason because its rule says so.
    lost = Service.objects.get(mission=renewal.mission, code="paspor-hilang-rusak")
    assert lost.application_rule.asks_replacement_reason
    ServiceRule.objects.filter(service=lost).delete()
    lost = Service.objects.get(pk=lost.pk)
    from pandu.applications import passport

    assert not passport.form_for(lost).asks_replacement_reason


def test_the_standard_catalogue_checks_passport_photos(demo, citizen, ayu):
    splp = Service.objects.get(mission=demo["toronto"], code="splp")
    photo = splp.requirements.get(title_id="Pasfoto digital")
    assert photo.upload_rule.kind == UploadKind.PHOTO and not photo.optional
    renewal_photo = Service.objects.get(
        mission=demo["toronto"], code="paspor-ganti"
    ).requirements.get(title_id="Pasfoto digital")
    assert renewal_photo.upload_rule.kind == UploadKind.PHOTO and renewal_photo.optional

    application = services.application_start(citizen=ayu, service=splp, by=citizen)
    assert f"req_{photo.pk}" in services.application_problems(application)
    # A plain grey picture is kept but fails the photo check, with reasons the citizen can read.
    services.document_upload(
        application=application, requirement=photo, upload=upload("me.png"), by=citizen
    )
    document = application.documents.get(requirement=photo)
    assert document.photo_verdict == "failed"
    assert document.photo_findings


# --- without the mission's signing key ---------------------------------------------------------


@pytest.fixture
def no_signing_key(settings):
    """Production without PANDU_SIGNING_KEY (the deploy check reports it: pandu.E002)."""
    from pandu.core.crypto import data_keys

    settings.DATA_KEYS = data_keys()  # production has its data keys (pandu.E001 otherwise)
    settings.DEMO = False
    settings.DEBUG = False
    settings.SIGNING_KEY = ""


def test_without_a_key_nothing_is_issued_and_people_are_told(
    client, submitted, sent_for_issuance, officer, no_signing_key
):
    # The received letter: the citizen is sent back to the page with the reason, not a 500.
    _client(client, "ayu@example.org")
    url = reverse("applications:received_letter", kwargs={"public_id": submitted.public_id})
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "kunci penandatanganan" in response.content.decode()
    assert not submitted.letters.exists()

    # A payment is still recorded, on its paper receipt number, without a signed copy.
    payment = services.payment_record(
        application=submitted,
        method="cash",
        amount=Decimal("65.00"),
        receipt_number="KW-NOKEY",
        by=officer,
    )
    assert payment.pk and payment.receipt_reference == "" and not payment.receipt_storage_name
    _client(client, "officer@toronto.pandu.test")
    page = client.post(
        reverse("applications:payment", kwargs={"public_id": submitted.public_id}),
        {"method": "cash", "amount": "10.00", "receipt_number": "KW-NOKEY-2"},
        follow=True,
    ).content.decode()
    assert "Pembayaran tercatat" in page and "berikan kuitansi kertas" in page

    # A certificate letter cannot be issued: the move is refused and nothing changes.
    with pytest.raises(services.PanduError) as refused:
        services.application_transition(
            application=sent_for_issuance, event=Event.ISSUE, by=officer, note=STATEMENT
        )
    assert refused.value.code == "signing_unavailable"
    sent_for_issuance.refresh_from_db()
    assert sent_for_issuance.state == State.SENT_FOR_ISSUANCE
    assert not IssuedDocument.objects.filter(kind="certificate_letter").exists()


def test_the_received_letter_is_issued_after_submission_and_asking_only_reads(
    client, draft, citizen, django_capture_on_commit_callbacks
):
    from tests.applications.conftest import fill_renewal

    fill_renewal(draft, citizen)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.application_transition(application=draft, event=Event.SUBMIT, by=citizen)
    url = reverse("applications:received_letter", kwargs={"public_id": draft.public_id})
    _client(client, "ayu@example.org")

    # Before the task ran: the page says the letter is being prepared, and writes nothing.
    documents = IssuedDocument.objects.count()
    waiting = client.get(url)
    assert waiting.status_code == 200 and waiting["Content-Type"].startswith("text/html")
    assert "Surat sedang disiapkan" in waiting.content.decode()
    assert f'href="{url}"' in waiting.content.decode()  # the refresh link
    assert IssuedDocument.objects.count() == documents and not draft.letters.exists()

    # Once the submission committed, the task issued the letter: the same page is the PDF.
    for callback in callbacks:
        callback()
    letter = draft.letters.get(kind=Letter.Kind.RECEIVED)
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert verify_pdf(first.content).valid
    assert client.get(url).content == first.content
    assert draft.letters.get() == letter and IssuedDocument.objects.count() == documents + 1


def test_while_issuing_is_deferred_the_letter_waits_for_the_catch_up(
    draft, citizen, django_capture_on_commit_callbacks
):
    from pandu.applications.letters import received_letters_issue_missing
    from pandu.issuance.services import issuing_deferred
    from tests.applications.conftest import fill_renewal

    fill_renewal(draft, citizen)
    with issuing_deferred(), django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=draft, event=Event.SUBMIT, by=citizen)
    assert not draft.letters.exists()  # the demo's load: nothing signed yet
    assert received_letters_issue_missing(batch=1) == 1  # the newest submission first
    assert draft.letters.get().kind == Letter.Kind.RECEIVED
