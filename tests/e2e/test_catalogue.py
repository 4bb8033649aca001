"""The catalogue as a visitor uses it: from the home page to one service's checklist and fees."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from pandu.catalog.selectors import service_get
from pandu.core.templatetags.pandu import money

from .conftest import LANGUAGES

CODE = "paspor-hilang-rusak"
SERVICE_PATH = f"/missions/toronto/services/{CODE}/"


def _path(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def _service(demo_site, lang: str):
    with translation.override(lang):
        service = service_get(mission=demo_site["toronto"], code=CODE)
        documents = [r.title for r in service.requirements.all() if r.kind == r.Kind.DOCUMENT]
        fees = [money(f.amount, "CAD") for f in service.fees.all()]
        return service.name, documents, fees


def _assert_service_page(page, demo_site, lang: str) -> None:
    name, documents, fees = _service(demo_site, lang)
    assert _path(page) == f"/{lang}{SERVICE_PATH}"
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("main h1")).to_have_text(name)

    checklist = page.locator("section[aria-labelledby=checklist-heading]")
    expect(checklist.locator("h2#checklist-heading")).to_be_visible()
    boxes = checklist.locator("input[type=checkbox]")
    assert documents, "the demo service should list documents"
    expect(boxes).to_have_count(len(documents))
    for i, title in enumerate(documents):
        box = boxes.nth(i)
        label = checklist.locator(f"label[for='{box.get_attribute('id')}']")
        expect(label).to_contain_text(title)
        expect(box).not_to_be_checked()

    facts = page.locator("section[aria-labelledby=facts-heading]")
    assert len(fees) == 2
    for amount in fees:
        assert amount.startswith("CAD ")
        expect(facts).to_contain_text(amount)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_from_home_to_service_checklist_and_back_in_the_other_language(page, demo_site, lang):
    other = "en" if lang == "id" else "id"
    page.goto(f"/{lang}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)

    page.locator(f"header a[href='/{lang}/services/']").click()
    page.wait_for_url(f"**/{lang}/missions/toronto/services/")
    expect(page.locator("html")).to_have_attribute("lang", lang)

    page.locator(f"main a[href='/{lang}{SERVICE_PATH}']").click()
    page.wait_for_url(f"**/{lang}{SERVICE_PATH}")
    _assert_service_page(page, demo_site, lang)

    # Ticking a document works with the label (a large target), as people would use it.
    first = page.locator("#checklist-heading ~ ul input[type=checkbox]").first
    page.locator(f"label[for='{first.get_attribute('id')}']").click()
    expect(first).to_be_checked()

    switch = page.locator(f".pandu-lang-switch a[hreflang='{other}']")
    expect(switch).to_be_visible()
    expect(page.locator(f".pandu-lang-switch [aria-current='true'][lang='{lang}']")).to_be_visible()
    switch.click()
    page.wait_for_url(f"**/{other}{SERVICE_PATH}")
    _assert_service_page(page, demo_site, other)


def test_service_page_fits_a_small_phone(page, demo_site):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/id{SERVICE_PATH}")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"horizontal scroll at 360px: scrollWidth/clientWidth {widths}"
    heading = page.locator("#checklist-heading")
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    expect(page.locator("section[aria-labelledby=checklist-heading] label").first).to_be_visible()


def test_print_hides_the_header_and_keeps_the_checklist(page, demo_site):
    page.goto(f"/id{SERVICE_PATH}")
    expect(page.locator("header.usa-header")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.usa-header")).to_be_hidden()
    expect(page.locator("footer.usa-footer")).to_be_hidden()
    expect(page.locator("#checklist-heading")).to_be_visible()
    expect(page.locator("section[aria-labelledby=checklist-heading] label").first).to_be_visible()


def test_english_service_page_wording(page, demo_site, english):
    """English wording from the .po files (runs once English translations are compiled)."""
    english.require()
    page.goto("/en/")
    english.assert_translated(
        page.locator("main h1").inner_text(),
        "Layanan kekonsuleran tanpa antre dan tanpa kehilangan hari kerja",
    )
    english.assert_translated(
        page.locator("header a[href='/en/services/']").inner_text(), "Layanan"
    )
    page.goto(f"/en{SERVICE_PATH}")
    english.assert_translated(page.locator("#checklist-heading").inner_text(), "Yang harus dibawa")
    english.assert_translated(page.locator("#facts-heading").inner_text(), "Ringkasan")
    english.assert_translated(
        page.locator(".usa-skipnav").text_content(), "Langsung ke isi halaman"
    )
