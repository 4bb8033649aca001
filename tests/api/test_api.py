import json

import pytest

from pandu.audit.models import AuditEvent
from pandu.people.models import CitizenProfile, User
from pandu.people.services import token_issue


@pytest.fixture
def token(citizen):
    return token_issue(user=citizen).token


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_schema_is_published(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Pandu API"
    paths = schema["paths"]
    assert "/api/v1/missions/{slug}/services" in paths
    assert set(paths["/api/v1/me/profile"]["patch"]["responses"]) >= {
        "200",
        "401",
        "403",
        "404",
        "422",
    }


def test_catalogue_list_and_detail(client, demo):
    services = client.get("/api/v1/missions/toronto/services").json()
    codes = {s["code"] for s in services}
    assert {
        "paspor-baru",
        "paspor-ganti",
        "paspor-hilang-rusak",
        "splp",
        "legalisasi",
        "lapor-diri",
    } <= codes
    detail = client.get("/api/v1/missions/toronto/services/paspor-hilang-rusak").json()
    assert detail["name_en"] == "Replacement of a lost or damaged passport"
    assert [f["amount"] for f in detail["fees"]] == ["165.00", "115.00"]
    assert detail["fees"][0]["currency"] == "CAD"
    assert any(r["title_en"].startswith("Police report") for r in detail["requirements"])


def test_missions_are_separate(client, demo):
    ottawa = client.get("/api/v1/missions/ottawa/services").json()
    assert ottawa and all("code" in s for s in ottawa)
    assert [m["slug"] for m in client.get("/api/v1/missions").json()] == ["toronto", "ottawa"]


@pytest.mark.parametrize(
    "url", ["/api/v1/missions/atlantis/services", "/api/v1/missions/toronto/services/nope"]
)
def test_not_found_is_json(client, demo, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": response.json()["message"]}


def test_profile_needs_authentication(client, demo):
    response = client.get("/api/v1/me/profile")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert client.get("/api/v1/me/profile", **bearer("pandu_wrong")).status_code == 401


def test_profile_by_token(client, citizen, token):
    body = client.get("/api/v1/me/profile", **bearer(token)).json()
    assert body["email"] == "ayu@example.org"
    assert body["mission"] == "toronto"
    assert body["id"] == str(citizen.citizen.public_id)


def test_profile_by_session(client, citizen):
    client.force_login(citizen)
    assert client.get("/api/v1/me/profile").json()["full_name"] == "Ayu Lestari"


def test_session_write_needs_csrf(citizen):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen)
    response = strict.patch(
        "/api/v1/me/profile", json.dumps({"city": "X"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_profile_update(client, citizen, token):
    response = client.patch(
        "/api/v1/me/profile",
        json.dumps({"phone": "+1 647 555 0000", "preferred_language": "en"}),
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "+1 647 555 0000"
    assert User.objects.get(pk=citizen.pk).preferred_language == "en"
    assert AuditEvent.objects.filter(event="citizen_profile_updated").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"nik": "123"}, "nik"),
        ({"postal_code": "R3C 0S6"}, "postal_code"),
        ({"full_name": None}, "full_name"),
        ({"date_of_birth": "1990-02-30"}, "date_of_birth"),
        ({"sex": "X"}, "sex"),
        ({"province": "BC", "postal_code": "V6B 1A1"}, "province"),
    ],
)
def test_profile_update_bad_input_changes_nothing(client, citizen, token, payload, field):
    before = CitizenProfile.objects.get(user=citizen)
    response = client.patch(
        "/api/v1/me/profile",
        json.dumps(payload),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(token),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["message"]
    assert field in body["errors"]
    after = CitizenProfile.objects.get(user=citizen)
    assert (after.nik, after.postal_code, after.province) == (
        before.nik,
        before.postal_code,
        before.province,
    )


def test_malformed_json_is_a_json_error(client, citizen, token):
    response = client.patch(
        "/api/v1/me/profile", "{not json", content_type="application/json", **bearer(token)
    )
    assert response.status_code in (400, 422)
    assert "code" in response.json()


def test_staff_without_profile_gets_404(client, demo):
    staff = User.objects.get(email="officer@toronto.pandu.test")
    response = client.get("/api/v1/me/profile", **bearer(token_issue(user=staff).token))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
