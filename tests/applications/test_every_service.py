"""Every service of the catalogue can be applied for, on the site and by the API, and submitted.

The catalogue decides the form: which answers a service asks (passport data, a fee case), which
uploads it needs. These tests read only what a citizen or an API client sees (the form's fields,
the API's requirements and problems), give what is asked and submit, for each active service.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pandu.applications.models import Application
from pandu.applications.workflow import State
from pandu.catalog.models import Service
from pandu.people.models import User
from pandu.people.services import token_issue

from .conftest import png_bytes

PASSPORT_ANSWERS = {
    "surname": "Lestari",
    "given_names": "Ayu",
    "birth_date": "1990-08-17",
    "birth_place": "Jakarta",
    "sex": "F",
    "old_passport_number": "A1234567",
    "old_passport_expiry": "2027-01-31",
    "replacement_reason": "damaged",
}


def _codes():
    from pandu.catalog.seed import CATALOGUE

    return [entry["fields"]["code"] for entry in CATALOGUE]


@pytest.mark.parametrize("code", _codes())
def test_every_service_by_api(client, citizen, code):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=citizen).token}"}
    service = client.get(f"/api/v1/missions/toronto/services/{code}").json()
    created = client.post("/api/v1/applications", {"service": code}, "application/json", **auth)
    assert created.status_code == 201, created.json()
    body = created.json()
    answers = {}
    if "fee" in body["problems"]:
        answers["fee_id"] = service["fees"][0]["id"]
    answers |= {k: v for k, v in PASSPORT_ANSWERS.items() if k in body["problems"]}
    if answers:
        body = client.patch(
            f"/api/v1/applications/{body['id']}", answers, "application/json", **auth
        ).json()
    for requirement in body["requirements"]:
        if requirement["required_upload"]:
            uploaded = client.post(
                f"/api/v1/applications/{body['id']}/documents",
                {
                    "requirement": requirement["id"],
                    "file": SimpleUploadedFile("scan.png", png_bytes((400, 300)), "image/png"),
                },
                **auth,
            )
            assert uploaded.status_code == 201, uploaded.json()
    submitted = client.post(f"/api/v1/applications/{body['id']}/submit", **auth)
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted"


def _web_answers(form_html: str, service: Service) -> dict:
    data = {}
    if 'name="fee"' in form_html:
        data["fee"] = service.fees.first().pk
    for name, value in PASSPORT_ANSWERS.items():
        if f'name="{name}"' in form_html:
            data[name] = value
        elif f'name="{name}_day"' in form_html:  # a date in three boxes
            day = dt.date.fromisoformat(value)
            data |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
    return data


@pytest.mark.parametrize("code", _codes())
def test_every_service_on_the_site(client, citizen, demo, code):
    client.force_login(User.objects.get(email="ayu@example.org"))
    service = Service.objects.get(mission=demo["toronto"], code=code)
    start = reverse("applications:start", kwargs={"mission": "toronto", "code": code})
    assert client.get(start).status_code == 200
    edit = client.post(start)
    assert edit.status_code == 302
    form_html = client.get(edit["Location"]).content.decode()
    application = Application.objects.get(citizen=citizen.citizen, service=service)
    data = _web_answers(form_html, service)
    for requirement in service.requirements.filter(uploadable=True, kind="document"):
        if not requirement.optional:
            data[f"req_{requirement.pk}"] = SimpleUploadedFile(
                "scan.png", png_bytes((400, 300)), "image/png"
            )
    saved = client.post(edit["Location"], data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    check = client.get(saved["Location"]).content.decode()
    assert "Ajukan permohonan" in check
    client.post(
        reverse("applications:transition", kwargs={"public_id": application.public_id}),
        {"event": "submit"},
    )
    application.refresh_from_db()
    assert application.state == State.SUBMITTED, check[:3000]
