"""Lapor diri at phone size: a citizen registers (in Indonesian and in English), downloads the
signed letter and opens its verification page, then finds the data on the booking page; axe on
every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

CITIZEN = "siti.rahayu@example.org"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def signing(demo_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_KEY = ""
    settings.SIGNING_TRUST = ""
    settings.SIGNING_DEMO_DIR = tmp_path / "signing"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_register_get_the_letter_and_see_it_prefill_a_booking(
    page, sign_in, signing, lang, english
):
    page.set_viewport_size(PHONE)
    sign_in(page, CITIZEN, DEMO_PASSWORD, lang=lang)
    page.locator(f"main a[href='/{lang}/lapor-diri/']").click()
    page.wait_for_url(f"**/{lang}/lapor-diri/")
    if lang == "en":
        english.require()
        english.assert_translated(page.locator("h1").inner_text(), "Lapor diri saya")
    assert_accessible(page)
    page.locator(f"main a[href='/{lang}/lapor-diri/daftar/']").click()
    page.wait_for_url(f"**/{lang}/lapor-diri/daftar/")
    # The address comes from the profile.
    expect(page.locator("#id_address_line")).to_have_value("480 Queen Street West, Apt 12")
    assert_accessible(page)

    # Sent without a purpose or an emergency contact: the summary names the fields.
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#form-errors a[href='#id_emergency_id_name']")).to_be_visible()
    assert_accessible(page)

    page.locator("label[for=id_purpose_1]").click()  # study
    page.fill("#id_arrived_on", "2025-08-20")
    page.fill("#id_emergency_id_name", "Sri Wahyuni")
    page.fill("#id_emergency_id_phone", "+62 812 3456 7890")
    page.fill("#id_members-0-full_name", "Bima Rahayu")
    page.select_option("#id_members-0-relation", "child")
    page.locator(f"label[for=id_language_{LANGUAGES.index(lang)}]").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/lapor-diri/")
    expect(page.locator(".usa-alert--success")).to_be_visible()
    expect(page.locator("#stay-address")).to_contain_text("480 Queen Street West, Apt 12")
    assert_accessible(page)

    with page.expect_download() as download:
        page.locator("#letter-link").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    page.reload()
    page.locator("#verify-link").click()
    page.wait_for_url(f"**/{lang}/verify/*/")
    expect(page.locator("#document-status")).to_be_visible()
    expect(page.locator("#document-facts")).to_contain_text("Siti Rahayu")
    assert_accessible(page)

    page.goto(f"/{lang}/appointments/book/toronto/legalisasi/")
    expect(page.locator("#prefill-address")).to_contain_text(
        "480 Queen Street West, Apt 12, Toronto ON M5V 2B5"
    )
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_officer_searches_the_missions_registrations(page, sign_in, demo_site, lang):
    from pandu.people.models import User
    from pandu.registry.services import stay_register

    budi = User.objects.get(email="budi.santoso@example.org")
    stay_register(
        citizen=budi.citizen,
        by=budi,
        fields={
            "address_line": "310 Broadway",
            "city": "Winnipeg",
            "province": "MB",
            "postal_code": "R3C 0S6",
            "purpose": "work",
            "emergency_id_name": "Ani Santoso",
            "emergency_id_phone": "+62 811 222 333",
            "language": "en",
        },
    )
    page.set_viewport_size(PHONE)
    sign_in(page, "officer@toronto.pandu.test", DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/lapor-diri/staf/")
    assert_accessible(page)
    page.fill("#id_q", "winnipeg")
    page.locator("main form button[type=submit]").click()
    page.locator("main table a", has_text="Budi Santoso").click()
    page.wait_for_url(f"**/{lang}/lapor-diri/staf/*/")
    expect(page.locator("main")).to_contain_text("+62 811 222 333")
    assert_accessible(page)
