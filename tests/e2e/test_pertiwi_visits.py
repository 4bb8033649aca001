"""Pertiwi visits in the browser: an approved elderly citizen asks for a home visit with two
windows and corrects the home's point; every new page passes axe in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

ELDERLY = "soekarno@example.org"
SUPERVISOR = "supervisor@toronto.pandu.test"


def _today() -> dt.date:
    from tests.outreach.pertiwi_helpers import local_today

    return local_today()


def test_an_approved_elderly_citizen_requests_a_visit_with_two_windows(page, sign_in):
    from tests.outreach.pertiwi_helpers import approve

    approve(ELDERLY)
    sign_in(page, ELDERLY, DEMO_PASSWORD, lang="id")
    page.locator("header a[href='/id/pertiwi/']").click()
    page.get_by_role("link", name="Minta kunjungan rumah").click()
    expect(page.locator("#id_address_line")).to_have_value("22 Elm Drive")
    page.locator("label.usa-checkbox__label", has_text="Penggantian paspor elektronik").click()
    first, second = _today() + dt.timedelta(days=2), _today() + dt.timedelta(days=3)
    page.locator("#id_window_0_date").fill(first.isoformat())
    page.locator("#id_window_0_start").fill("09:00")
    page.locator("#id_window_0_end").fill("12:00")
    page.locator("#id_window_1_date").fill(second.isoformat())
    page.locator("#id_window_1_start").fill("14:00")
    page.locator("#id_window_1_end").fill("13:00")  # a slip: ends before it starts
    page.locator("label.usa-checkbox__label", has_text="Ada tangga, tanpa lift").click()
    page.get_by_label("Catatan untuk petugas").fill("Pintu samping, bel rusak")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_contain_text("Waktu 2")
    page.locator("#form-errors a").first.click()
    page.locator("#id_window_1_end").fill("17:00")
    page.locator("main form button[type=submit]").click()
    main = page.locator("main")
    expect(main).to_contain_text("Permintaan kunjungan Anda sudah diterima")
    expect(main).to_contain_text("Menunggu penjadwalan")
    expect(main).to_contain_text("14:00-17:00")

    page.get_by_role("link", name="Perbaiki lokasi rumah").click()
    page.get_by_label("Lintang").fill("43.5890")
    page.get_by_label("Bujur").fill("-79.6441")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Lokasi rumah sudah diperbaiki")

    from pandu.outreach.models import VisitRequest

    request = VisitRequest.objects.get()
    assert request.windows.count() == 2 and request.location_source == "manual"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_visit_pages_have_no_axe_violations(page, sign_in, lang):
    from pandu.outreach.demo import load_pertiwi_demo

    load_pertiwi_demo(password=DEMO_PASSWORD)
    sign_in(page, ELDERLY, DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/pertiwi/")
    expect(page.locator("main a[href*='/lokasi/']")).to_have_count(1)
    assert_accessible(page)
    page.goto(f"/{lang}/pertiwi/kunjungan/baru/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()  # nothing chosen: errors shown
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/{lang}/pertiwi/")
    page.locator("main a[href*='/lokasi/']").first.click()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/pertiwi/kunjungan/")
    assert_accessible(page)
    page.goto(f"/{lang}/pertiwi/kunjungan/?status=out_of_reach")
    page.locator("main table a").first.click()
    assert_accessible(page)
    page.goto(f"/{lang}/pertiwi/tim/")
    assert_accessible(page)
    page.locator("main table a").first.click()
    assert_accessible(page)
    page.goto(f"/{lang}/pertiwi/giliran/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").last.click()  # nothing chosen: errors shown
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)


def test_visit_pages_fit_a_phone(page, sign_in):
    """WCAG 1.4.10 reflow at 320 CSS px: the citizen's and the supervisor's new pages."""
    from pandu.outreach.demo import load_pertiwi_demo

    load_pertiwi_demo(password=DEMO_PASSWORD)
    too_wide = {}

    def check(path):
        page.goto(path)
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            too_wide[path] = (scroll, client)

    sign_in(page, ELDERLY, DEMO_PASSWORD, lang="id")
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/id/pertiwi/", "/id/pertiwi/kunjungan/baru/"):
        check(path)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang="id")
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/id/pertiwi/kunjungan/", "/id/pertiwi/tim/", "/id/pertiwi/giliran/"):
        check(path)
    assert too_wide == {}, f"pages wider than the screen (scrollWidth, clientWidth): {too_wide}"
