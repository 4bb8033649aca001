"""A NUL character anywhere in a request is refused with a clear answer and changes nothing.

PostgreSQL refuses NUL in text; without these guards a lookup or a save holding one fails inside
the database (a server error on PostgreSQL, silently different on SQLite).
"""

import json

from pandu.people.models import CitizenProfile
from pandu.people.services import token_issue


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user).token}"}


def test_a_nul_in_a_json_body_is_a_422_naming_the_field(client, citizen):
    before = CitizenProfile.objects.get(user=citizen).city
    response = client.patch(
        "/api/v1/me/profile",
        json.dumps({"city": "Tor\u0000onto"}),
        content_type="application/json",
        **_bearer(citizen),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and "city" in body["errors"]
    assert "NUL" in body["errors"]["city"][0]
    assert CitizenProfile.objects.get(user=citizen).city == before


def test_a_nul_deep_in_a_body_is_found(client, citizen):
    response = client.post(
        "/api/v1/applications",
        json.dumps({"service": "paspor-ganti", "answers": {"names": ["A", "B\u0000"]}}),
        content_type="application/json",
        **_bearer(citizen),
    )
    assert response.status_code == 422
    assert any("NUL" in m for ms in response.json()["errors"].values() for m in ms)


def test_a_nul_in_an_api_query_or_path(client, demo):
    response = client.get("/api/v1/missions/toronto/services/paspor%00ganti")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = client.get("/api/v1/services/paspor-ganti/slots", {"mission": "toronto\u0000"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"mission": [response.json()["errors"]["mission"][0]]}


def test_a_nul_in_a_page_address_or_query(client, demo):
    assert client.get("/id/layanan/toronto/paspor%00ganti/").status_code == 404
    response = client.get("/id/", {"q": "x\u0000"})
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
