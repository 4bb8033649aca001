"""Accessibility: axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page, in both languages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from pandu.catalog.seed import CATALOGUE
from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    }
}
CITIZEN = "siti.rahayu@example.org"  # demo citizen served by Toronto
SERVICE_CODES = [entry["fields"]["code"] for entry in CATALOGUE]

_axe = Axe()


def _report(violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s):"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


# What the browser says when axe runs while a click's navigation replaces the document.
_MID_NAVIGATION = ("documentElement", "Execution context was destroyed", "navigation")


def assert_accessible(page) -> None:
    """Run axe on the page as it stands once any navigation a click started has finished."""
    for attempt in range(3):
        page.wait_for_load_state()
        try:
            results = _axe.run(page, options=AXE_OPTIONS)
            break
        except PlaywrightError as error:
            if attempt == 2 or not any(sign in str(error) for sign in _MID_NAVIGATION):
                raise
    violations = results.response["violations"]
    assert not violations, f"{page.url}\n{_report(violations)}"


def _submit(page) -> None:
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


# Public pages ---------------------------------------------------------------------------------


def _goto(path: str):
    def open_page(page, lang):
        page.goto(f"/{lang}{path}")

    return open_page


def _signup_with_errors(page, lang):
    page.goto(f"/{lang}/account/signup/")
    _submit(page)
    expect(page.locator("#form-errors")).to_be_visible()


def _login_with_errors(page, lang):
    page.goto(f"/{lang}/account/login/")
    _submit(page)
    expect(page.locator("#form-errors")).to_be_visible()


def _logged_out(page, lang):
    page.goto(f"/{lang}/account/login/")
    page.fill("#id_username", CITIZEN)
    page.fill("#id_password", DEMO_PASSWORD)
    _submit(page)
    page.wait_for_url(f"**/{lang}/account/profile/")
    page.locator(f"header form[action='/{lang}/account/logout/'] button").click()
    page.wait_for_load_state()
    expect(page.locator(f"header a[href='/{lang}/account/login/']")).to_be_visible()


def _not_found(page, lang):
    response = page.goto(f"/{lang}/tidak-ada-halaman-ini/")
    assert response.status == 404


PUBLIC_PAGES = {
    "home": _goto("/"),
    "services": _goto("/services/"),
    **{f"service-{code}": _goto(f"/missions/toronto/services/{code}/") for code in SERVICE_CODES},
    "contact-toronto": _goto("/missions/toronto/contact/"),
    "contact-ottawa": _goto("/missions/ottawa/contact/"),
    "privacy": _goto("/privacy/"),
    "signup": _goto("/account/signup/"),
    "signup-errors": _signup_with_errors,
    "signup-done": _goto("/account/signup/done/"),
    "login": _goto("/account/login/"),
    "login-errors": _login_with_errors,
    "password-reset": _goto("/account/password-reset/"),
    "verify-resend": _goto("/account/verify/resend/"),
    "logged-out": _logged_out,
    "not-found": _not_found,
}


@pytest.mark.parametrize("name", list(PUBLIC_PAGES))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_page_has_no_axe_violations(page, lang, name):
    PUBLIC_PAGES[name](page, lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)


# Pages of a signed-in citizen -----------------------------------------------------------------


def _profile_edit_with_errors(page, lang):
    page.goto(f"/{lang}/account/profile/edit/")
    page.fill("#id_full_name", "")
    page.fill("#id_phone", "12")
    _submit(page)
    expect(page.locator("#form-errors")).to_be_visible()


CITIZEN_PAGES = {
    "profile": _goto("/account/profile/"),
    "profile-edit": _goto("/account/profile/edit/"),
    "profile-edit-errors": _profile_edit_with_errors,
    "delete-request": _goto("/account/delete/"),
    "data-export": _goto("/account/data/"),
}


@pytest.mark.parametrize("name", list(CITIZEN_PAGES))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_citizen_page_has_no_axe_violations(page, sign_in, lang, name):
    sign_in(page, CITIZEN, DEMO_PASSWORD, lang=lang)
    CITIZEN_PAGES[name](page, lang)
    assert "/account/login/" not in page.url, "still signed in"
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)


# Keyboard -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_skip_link_is_first_and_moves_focus_to_main_content(page, lang):
    page.goto(f"/{lang}/")
    page.keyboard.press("Tab")
    skip = page.locator("a.usa-skipnav")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_have_attribute("href", "#main-content")
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')")
