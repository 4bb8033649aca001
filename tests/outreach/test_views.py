"""Pertiwi pages: a citizen asks, a supervisor reviews; nobody else sees the evidence."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfWriter

from pandu.audit.models import AuditEvent, SensitiveAccess
from pandu.outreach.models import EligibilityRequest
from pandu.people.models import User


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_in(client, email):
    client.force_login(User.objects.get(email=email))


def test_public_page_explains_and_asks_to_sign_in(client, demo):
    response = client.get(reverse("outreach:home"))
    assert response.status_code == 200
    assert "Pertiwi" in response.text and reverse("people:login") in response.text


def test_citizen_applies_with_evidence_then_supervisor_opens_and_approves(client, demo):
    sign_in(client, "budi.santoso@example.org")
    upload = io.BytesIO(pdf_bytes())
    upload.name = "surat-dokter.pdf"
    response = client.post(
        reverse("outreach:apply"),
        {
            "acting_as": "self",
            "reason": "disability",
            "details": "Tuna netra",
            "files": [upload],
            "consent": "on",
        },
    )
    assert response.status_code == 302, response.text
    request = EligibilityRequest.objects.get()
    assert request.evidence.count() == 1
    page = client.get(reverse("outreach:home"))
    assert "Menunggu keputusan" in page.text

    client.logout()
    sign_in(client, "supervisor@toronto.pandu.test")
    listing = client.get(reverse("outreach:review_list"))
    assert "Budi" in listing.text
    review_url = reverse("outreach:review", kwargs={"public_id": request.public_id})
    review = client.get(review_url)
    # The explanation may be about the applicant's health: hidden until opened, on the record.
    assert "Tuna netra" not in review.text and "Tampilkan penjelasan" in review.text
    shown = client.post(reverse("outreach:review_details", kwargs={"public_id": request.public_id}))
    assert shown.status_code == 200 and "Tuna netra" in shown.text
    evidence = request.evidence.get()
    download = client.post(
        reverse(
            "outreach:evidence",
            kwargs={"public_id": request.public_id, "evidence_id": evidence.public_id},
        )
    )
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert SensitiveAccess.objects.filter(data_kind="health_evidence").count() == 2
    assert download["Cache-Control"] == "no-store, private"
    decided = client.post(review_url, {"decision": "approve", "reason_text": "Surat sah"})
    assert decided.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved"


def test_bad_form_shows_errors_and_keeps_nothing(client, demo):
    sign_in(client, "budi.santoso@example.org")
    fake = io.BytesIO(b"#!/bin/sh\nrm -rf /\n")
    fake.name = "surat.pdf"
    response = client.post(
        reverse("outreach:apply"),
        {"acting_as": "self", "reason": "disability", "files": [fake], "consent": "on"},
    )
    assert response.status_code == 200
    assert "Hanya PDF, JPEG atau PNG" in response.text
    assert not EligibilityRequest.objects.exists()
    response = client.post(reverse("outreach:apply"), {"acting_as": "self", "reason": "nonsense"})
    assert response.status_code == 200 and not EligibilityRequest.objects.exists()


@pytest.mark.parametrize(
    "email", ["officer@toronto.pandu.test", "supervisor@ottawa.pandu.test", "soekarno@example.org"]
)
def test_others_cannot_see_the_request_or_its_evidence(client, demo, email):
    sign_in(client, "budi.santoso@example.org")
    upload = io.BytesIO(pdf_bytes())
    upload.name = "a.pdf"
    client.post(
        reverse("outreach:apply"),
        {"acting_as": "self", "reason": "disability", "files": [upload], "consent": "on"},
    )
    request = EligibilityRequest.objects.get()
    evidence = request.evidence.get()
    client.logout()
    sign_in(client, email)
    review = client.get(reverse("outreach:review", kwargs={"public_id": request.public_id}))
    download = client.post(
        reverse(
            "outreach:evidence",
            kwargs={"public_id": request.public_id, "evidence_id": evidence.public_id},
        )
    )
    details = client.post(
        reverse("outreach:review_details", kwargs={"public_id": request.public_id})
    )
    assert review.status_code in (403, 404) and download.status_code in (403, 404)
    assert details.status_code in (403, 404)
    assert not AuditEvent.objects.filter(event="pertiwi_evidence_opened").exists()
    assert not SensitiveAccess.objects.exists()


def test_where_reviewers_must_give_a_reason_an_opening_without_one_is_refused(
    client, demo, settings
):
    # Which roles need no reason is data: here nobody is exempt, so the supervisor must say why.
    settings.SENSITIVE_ACCESS_NO_REASON_ROLES = {}
    sign_in(client, "budi.santoso@example.org")
    upload = io.BytesIO(pdf_bytes())
    upload.name = "a.pdf"
    client.post(
        reverse("outreach:apply"),
        {
            "acting_as": "self",
            "reason": "disability",
            "details": "Tuna netra",
            "files": [upload],
            "consent": "on",
        },
    )
    request = EligibilityRequest.objects.get()
    evidence = request.evidence.get()
    client.logout()
    sign_in(client, "supervisor@toronto.pandu.test")
    evidence_url = reverse(
        "outreach:evidence",
        kwargs={"public_id": request.public_id, "evidence_id": evidence.public_id},
    )
    details_url = reverse("outreach:review_details", kwargs={"public_id": request.public_id})
    refused = client.post(evidence_url, follow=True)
    assert "Tuliskan alasan Anda membuka data ini" in refused.text
    assert not refused.content.startswith(b"%PDF-")
    refused = client.post(details_url, follow=True)
    assert "Tuliskan alasan" in refused.text and "Tuna netra" not in refused.text
    assert not SensitiveAccess.objects.exists()
    assert not AuditEvent.objects.filter(event="pertiwi_evidence_opened").exists()

    opened = client.post(evidence_url, {"reason": "Menilai permohonan"})
    assert opened.status_code == 200 and opened.content.startswith(b"%PDF-")
    (entry,) = SensitiveAccess.objects.all()
    assert entry.data_kind == "health_evidence" and entry.reason == "Menilai permohonan"
    assert (entry.object_type, entry.object_ref) == ("outreach.evidence", str(evidence.public_id))
    assert entry.subject_ref == str(request.citizen.public_id)
