"""The applications API: a citizen applies end to end; staff list and move; everyone else 404."""

from __future__ import annotations

import pytest

from pandu.applications.models import Application
from pandu.applications.workflow import State
from pandu.people.models import User
from pandu.people.services import token_issue

from .conftest import pdf_bytes, png_bytes


def _auth(email):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=User.objects.get(email=email)).token}"}


@pytest.fixture
def ayu_auth(citizen):
    return _auth("ayu@example.org")


def test_citizen_applies_by_api(client, ayu_auth, officer):
    created = client.post(
        "/api/v1/applications", {"service": "paspor-ganti"}, "application/json", **ayu_auth
    )
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "draft" and body["surname"] == "LESTARI"
    app_id = body["id"]
    refused = client.post(f"/api/v1/applications/{app_id}/submit", **ayu_auth)
    assert refused.status_code == 409 and refused.json()["code"] == "needs_complete"

    answered = client.patch(
        f"/api/v1/applications/{app_id}",
        {
            "birth_place": "Jakarta",
            "old_passport_number": "A1234567",
            "old_passport_expiry": "2027-01-31",
        },
        "application/json",
        **ayu_auth,
    )
    assert answered.status_code == 200
    for requirement in answered.json()["requirements"]:
        if requirement["uploadable"] and not requirement["required_upload"]:
            # The optional passport photo: a PDF is no photo, and is refused saying so.
            refused = client.post(
                f"/api/v1/applications/{app_id}/documents",
                {"requirement": requirement["id"], "file": _file(pdf_bytes(), "a.pdf")},
                **ayu_auth,
            )
            assert refused.status_code == 400 and refused.json()["code"] == "photo_refused"
        elif requirement["uploadable"]:
            uploaded = client.post(
                f"/api/v1/applications/{app_id}/documents",
                {"requirement": requirement["id"], "file": _file(pdf_bytes(), "a.pdf")},
                **ayu_auth,
            )
            assert uploaded.status_code == 201, uploaded.json()
    submitted = client.post(f"/api/v1/applications/{app_id}/submit", **ayu_auth)
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    status = client.get(f"/api/v1/applications/{app_id}/status", **ayu_auth).json()
    assert status["history"][0]["target"] == "submitted" and status["due_date"]

    officer_auth = _auth("officer@toronto.pandu.test")
    queue = client.get("/api/v1/staff/applications?state=submitted", **officer_auth).json()
    assert [row["id"] for row in queue] == [app_id]
    # Staff read the old passport number masked: in full only on the case page, on the record.
    seen = client.get(f"/api/v1/applications/{app_id}", **officer_auth).json()
    assert seen["old_passport_number"] == "A12\u2022\u2022\u2022\u20227"
    own = client.get(f"/api/v1/applications/{app_id}", **ayu_auth).json()
    assert own["old_passport_number"] == "A1234567"
    moved = client.post(
        f"/api/v1/applications/{app_id}/transitions",
        {"event": "reject", "note": "x"},
        "application/json",
        **officer_auth,
    )
    assert moved.status_code == 403  # rejecting is a supervisor's move
    withdrawn = client.post(
        f"/api/v1/applications/{app_id}/transitions",
        {"event": "withdraw"},
        "application/json",
        **ayu_auth,
    )
    assert withdrawn.json()["state"] == "withdrawn"


def _file(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_a_bad_upload_is_422_with_a_reason(client, ayu_auth, draft):
    requirement = draft.service.requirements.filter(uploadable=True).first()
    response = client.post(
        f"/api/v1/applications/{draft.public_id}/documents",
        {"requirement": requirement.pk, "file": _file(b"MZ\x90\x00 not a pdf", "x.pdf")},
        **ayu_auth,
    )
    assert response.status_code == 422
    assert response.json()["code"] == "upload_refused"


@pytest.mark.parametrize(
    "email", ["siti.rahayu@example.org", "officer@ottawa.pandu.test", "sysadmin@toronto.pandu.test"]
)
def test_others_get_404(client, submitted, email):
    auth = _auth(email)
    for path in ("", "/status"):
        response = client.get(f"/api/v1/applications/{submitted.public_id}{path}", **auth)
        assert response.status_code == 404
    response = client.post(
        f"/api/v1/applications/{submitted.public_id}/transitions",
        {"event": "withdraw"},
        "application/json",
        **auth,
    )
    assert response.status_code == 404
    assert Application.objects.get(pk=submitted.pk).state == State.SUBMITTED


def test_staff_do_not_see_drafts(client, draft):
    response = client.get(
        f"/api/v1/applications/{draft.public_id}", **_auth("officer@toronto.pandu.test")
    )
    assert response.status_code == 404


def test_citizens_cannot_list_the_staff_queue(client, ayu_auth):
    assert client.get("/api/v1/staff/applications", **ayu_auth).status_code == 403


def test_photo_upload_kind_refuses_a_pdf(client, ayu_auth, draft):
    from pandu.applications.models import UploadKind

    requirement = draft.service.requirements.get(title_id="Pasfoto digital")
    assert requirement.upload_rule.kind == UploadKind.PHOTO  # the standard catalogue's rule
    response = client.post(
        f"/api/v1/applications/{draft.public_id}/documents",
        {"requirement": requirement.pk, "file": _file(pdf_bytes(), "photo.pdf")},
        **ayu_auth,
    )
    assert response.status_code in (400, 422)
    ok = client.post(
        f"/api/v1/applications/{draft.public_id}/documents",
        {"requirement": requirement.pk, "file": _file(png_bytes((413, 531)), "photo.png")},
        **ayu_auth,
    )
    assert ok.status_code == 201
    pytest.importorskip("pandu.applications.photo")
    assert ok.json()["photo_problems"]  # a flat colour has no face: the citizen is told


def test_letters_by_api(client, ayu_auth, submitted, demo):
    from pandu.applications.tasks import received_letter_issue
    from pandu.issuance.verification import verify_pdf

    body = client.get(f"/api/v1/applications/{submitted.public_id}", **ayu_auth).json()
    [received] = body["letters"]
    assert received["kind"] == "received_letter" and received["issued_at"] is None
    received_letter_issue.call(application_id=submitted.pk)  # the task enqueued on submission
    pdf = client.get(received["download"], **ayu_auth)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert verify_pdf(pdf.content).valid
    body = client.get(f"/api/v1/applications/{submitted.public_id}", **ayu_auth).json()
    [received] = body["letters"]
    assert received["issued_at"] and "/verify/" in received["verify_url"]
    assert client.get(received["download"], **ayu_auth).content == pdf.content

    # No certificate letter for a passport; nothing at all for another citizen.
    path = f"/api/v1/applications/{submitted.public_id}/letters/certificate_letter"
    assert client.get(path, **ayu_auth).status_code == 404
    siti = _auth("siti.rahayu@example.org")
    assert client.get(received["download"], **siti).status_code == 404
    bad = f"/api/v1/applications/{submitted.public_id}/letters/passport"
    assert client.get(bad, **ayu_auth).status_code == 422


def test_the_received_letter_by_api_says_it_is_being_prepared(client, ayu_auth, submitted, demo):
    from pandu.issuance.models import IssuedDocument

    documents = IssuedDocument.objects.count()
    path = f"/api/v1/applications/{submitted.public_id}/letters/received_letter"
    response = client.get(path, **ayu_auth)
    assert response.status_code == 400 and response.json()["code"] == "letter_pending"
    assert IssuedDocument.objects.count() == documents and not submitted.letters.exists()
