"""Pertiwi eligibility in the browser: an elderly citizen asks through a relative, a supervisor
approves; every page passes axe in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

ELDERLY = "soekarno@example.org"
SUPERVISOR = "supervisor@toronto.pandu.test"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_relative_asks_for_an_elderly_citizen_and_the_supervisor_approves(page, sign_in):
    sign_in(page, ELDERLY, DEMO_PASSWORD, lang="id")
    page.locator("header a[href='/id/pertiwi/']").click()
    page.get_by_role("link", name="Ajukan Pertiwi").click()
    choose(page, "Sebagai keluarga")
    page.get_by_label("Nama Anda (keluarga atau pendamping)").fill("Guntur")
    page.get_by_label("Hubungan dengan pemohon").fill("anak")
    page.locator("main form button[type=submit]").click()
    # Nothing chosen as reason and no consent: the errors are listed and linked.
    expect(page.locator("#form-errors")).to_contain_text("Alasan")
    choose(page, "Usia 60 tahun atau lebih")
    page.get_by_label("Nama Anda (keluarga atau pendamping)").fill("Guntur")
    page.locator("label[for=id_consent]").click()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Menunggu keputusan")
    expect(page.locator("main")).to_contain_text("Guntur")

    page.context.clear_cookies()
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang="id")
    page.locator("header a[href='/id/pertiwi/penilaian/']").click()
    page.get_by_role("link", name="Soekarno").click()
    expect(page.locator("main")).to_contain_text("Memenuhi syarat hari ini")
    choose(page, "Setujui")
    page.get_by_label("Alasan keputusan (dikirim kepada pemohon)").fill("Usia 75 tahun")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Keputusan tersimpan")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pertiwi_pages_have_no_axe_violations(page, sign_in, lang):
    page.goto(f"/{lang}/pertiwi/")
    assert_accessible(page)
    sign_in(page, "budi.santoso@example.org", DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/pertiwi/ajukan/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()  # errors shown
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)
    page.locator("label[for=id_reason_0]").click()  # disability
    page.locator("#id_details").fill("Low vision")
    page.locator("#id_files").set_input_files(
        files=[{"name": "card.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.locator("label[for=id_consent]").click()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main form button[type=submit]").first).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/pertiwi/penilaian/")
    assert_accessible(page)
    page.locator("main table a").first.click()
    assert_accessible(page)


def choose(page, label: str) -> None:
    """USWDS hides the native radio; people click its label."""
    page.locator("label.usa-radio__label", has_text=label).click()


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "PNG")
    return out.getvalue()
