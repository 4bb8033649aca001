import pytest
from django.urls import reverse
from django.utils import translation

from pandu.catalog.seed import CATALOGUE

CODES = [entry["fields"]["code"] for entry in CATALOGUE]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_public_pages_answer_in_their_language(client, demo, lang):
    with translation.override(lang):
        urls = [
            reverse("core:home"),
            reverse("core:service_list", kwargs={"mission": "toronto"}),
            reverse("core:service_list", kwargs={"mission": "ottawa"}),
            reverse("core:contact", kwargs={"mission": "toronto"}),
            reverse("core:privacy"),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in response.content.decode()


@pytest.mark.parametrize("code", CODES)
def test_each_service_page_shows_checklist_fee_and_time(client, demo, code):
    response = client.get(f"/id/missions/toronto/services/{code}/")
    assert response.status_code == 200
    service = response.context["service"]
    html = response.content.decode()
    for requirement in service.requirements.filter(kind="document"):
        assert requirement.title_id in html
    for fee in service.fees.all():
        assert fee.case_id in html
    assert 'id="checklist-heading"' in html


def test_service_page_in_english_uses_english_catalogue_text(client, demo):
    html = client.get("/en/missions/toronto/services/paspor-hilang-rusak/").content.decode()
    assert "Replacement of a lost or damaged passport" in html
    assert "Police report (for a lost passport)" in html
    assert "CAD 165.00" in html


def test_fee_flags_stay_out_of_the_public_page(client, demo):
    html = client.get("/id/missions/toronto/services/paspor-baru/").content.decode()
    assert "Placeholder" not in html and "confirm" not in html.lower()


def test_unknown_service_or_mission_is_a_friendly_404(client, demo):
    for url in [
        "/id/missions/toronto/services/nope/",
        "/id/missions/atlantis/services/",
        "/en/nothing/",
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert 'href="/' in response.content.decode()


def test_service_list_redirects_to_default_or_own_mission(client, demo):
    assert client.get("/id/services/").url == "/id/missions/toronto/services/"
    from pandu.people.models import User

    client.force_login(User.objects.get(email="dewi.lestari@example.org"))
    assert client.get("/en/services/").url == "/en/missions/ottawa/services/"


def test_language_switch_keeps_the_page(client, demo):
    html = client.get("/id/missions/toronto/services/splp/").content.decode()
    assert 'href="/en/missions/toronto/services/splp/"' in html


def test_root_redirects_to_indonesian(client, demo):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/id/")


def test_inactive_service_is_hidden(client, demo):
    from pandu.catalog.models import Service

    Service.objects.filter(code="splp").update(is_active=False)
    assert client.get("/id/missions/toronto/services/splp/").status_code == 404
    assert "splp" not in client.get("/id/missions/toronto/services/").content.decode()


def test_expired_form_gets_a_friendly_translated_page(demo):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/account/login/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Reload the page" in response.content.decode()
