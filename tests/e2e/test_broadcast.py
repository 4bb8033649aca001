"""A supervisor sends a crisis message to one area, sees it through to the end, a citizen asks
for help by the link in it, and the supervisor resolves that on the help list."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from pandu.core.demo import DEMO_PASSWORD

from .test_accessibility import assert_accessible

SUPERVISOR = "supervisor@toronto.pandu.test"


@pytest.fixture
def citizens(demo_site):
    from tests.broadcast.factories import make_citizens

    near = make_citizens(demo_site["toronto"], 2, lat=43.66, lon=-79.39, language="id")
    make_citizens(demo_site["toronto"], 1, lat=45.42, lon=-75.70)  # Ottawa: outside the area
    return near


def test_a_crisis_message_to_one_area_and_a_call_for_help_worked_through(page, sign_in, citizens):
    from pandu.broadcast.models import HelpCase

    sign_in(page, SUPERVISOR, DEMO_PASSWORD)
    page.locator("header a[href='/id/pesan-krisis/']").click()
    assert_accessible(page)
    page.get_by_role("link", name="Tulis pesan baru").click()
    page.select_option("#id_crisis", "flood")
    page.get_by_role("button", name="Pakai templat").click()
    expect(page.locator("#id_subject_en")).to_have_value("Flood warning")
    page.fill("#id_lat", "43.6532")
    page.fill("#id_lon", "-79.3832")
    page.fill("#id_radius_km", "10")
    page.get_by_role("button", name="Hitung penerima").click()
    expect(page.locator("#recipient-count")).to_contain_text("2 WNI akan menerima")
    assert_accessible(page)
    page.get_by_role("button", name="Lanjut ke konfirmasi").click()
    expect(page.get_by_test_id("confirm-count")).to_contain_text("kepada 2 WNI")
    assert_accessible(page)
    page.get_by_role("button", name="Kirim sekarang").click()
    expect(page.get_by_test_id("broadcast-status")).to_have_text("Selesai", timeout=30_000)
    expect(page.get_by_test_id("count-sent")).to_have_text("2")
    assert_accessible(page)

    # A citizen answers from the e-mail: no sign-in.
    message = next(m for m in mail.outbox if m.to[0] == citizens[0].citizen.user.email)
    link = re.search(r"https?://\S+/pesan-krisis/balas/\S+/", message.body).group(0)
    citizen_page = page.context.browser.new_context(base_url=page.url).new_page()
    citizen_page.goto(re.sub(r"^https?://[^/]+", "", link))  # SITE_URL is not the live server
    assert_accessible(citizen_page)
    citizen_page.fill("#id_note", "Air masuk ke rumah, ada anak kecil.")
    citizen_page.get_by_role("button", name="Saya butuh bantuan").click()
    expect(citizen_page.locator("h1")).to_contain_text("Terima kasih")
    citizen_page.context.close()

    page.reload()
    expect(page.get_by_test_id("count-help")).to_have_text("1")
    page.get_by_role("link", name="Semua permintaan bantuan").click()
    assert_accessible(page)
    page.get_by_role("link", name=citizens[0].citizen.full_name).click()
    expect(page.locator("main")).to_contain_text("Air masuk ke rumah")
    page.get_by_role("button", name="Saya tangani").click()
    expect(page.get_by_test_id("help-status")).to_have_text("Sedang ditangani")
    page.fill("#id_text", "Ditelepon; keluarga dibawa ke tempat penampungan.")
    page.get_by_role("button", name="Simpan dan selesaikan").click()
    expect(page.get_by_test_id("help-status")).to_have_text("Selesai")
    assert_accessible(page)
    assert HelpCase.objects.get().status == "resolved"
