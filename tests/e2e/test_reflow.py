"""WCAG 1.4.10 reflow: at 400% zoom on a 1280 px screen (320 CSS px) nothing scrolls sideways."""

from __future__ import annotations

import pytest

PAGES = [
    "/{lang}/",
    "/{lang}/missions/toronto/services/",
    "/{lang}/missions/toronto/services/paspor-hilang-rusak/",
    "/{lang}/missions/toronto/contact/",
    "/{lang}/account/signup/",
    "/{lang}/account/login/",
]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pages_reflow_at_320_css_pixels(page, lang):
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = {}
    for template in PAGES:
        path = template.format(lang=lang)
        page.goto(path)
        if path.endswith("/signup/"):  # the longest page, with every error message shown
            page.locator("main form button[type=submit]").click()
            page.wait_for_selector("#form-errors")
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            too_wide[path] = (scroll, client)
    assert too_wide == {}, f"pages wider than the screen (scrollWidth, clientWidth): {too_wide}"
