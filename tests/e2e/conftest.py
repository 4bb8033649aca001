"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Every test in this folder is marked ``e2e``. The browser is Debian's ``/usr/bin/chromium``, never
one downloaded by Playwright. Without it the tests are skipped, or fail when
``PANDU_REQUIRE_BROWSER=1`` (CI sets this so a missing browser cannot pass silently).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the main thread; Django would otherwise
# refuse database queries made by the test itself (fixtures, assertions on the outbox or users).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCALES = {"id": "id-ID", "en": "en-CA"}
LANGUAGES = ["id", "en"]
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session; each test gets its own context."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        reason = f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it."
        if os.environ.get("PANDU_REQUIRE_BROWSER") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def lang():
    """The page's language; tests override it with ``@pytest.mark.parametrize("lang", ...)``."""
    return "id"


@pytest.fixture
def demo_site(transactional_db):
    """The demo data set, in the database the live server reads."""
    from pandu.core.models import Mission
    from pandu.demo.loader import load_demo_data

    load_demo_data()
    return {m.slug: m for m in Mission.objects.all()}


@pytest.fixture
def page(browser, live_server, demo_site, lang):
    """A fresh browser context (no cookies) per test, 1280x900, in the test's language."""
    from playwright.sync_api import expect

    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale=LOCALES[lang],
        base_url=live_server.url,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def sign_in(live_server):
    """Sign in through the login form: ``sign_in(page, email, password, lang="id")``."""

    def _sign_in(page, email: str, password: str, lang: str = "id") -> None:
        page.goto(f"/{lang}/account/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/{lang}/account/profile/$"))

    return _sign_in


# English wording ------------------------------------------------------------------------------
#
# English texts come from .po files written separately. Assertions on English wording go through
# ``english``: they run when the English catalogue is compiled (or PANDU_E2E_ENGLISH=1 forces
# them; PANDU_E2E_ENGLISH=0 skips them), and are skipped until then.

ENGLISH_MO = HERE.parents[1] / "src" / "pandu" / "locale" / "en" / "LC_MESSAGES" / "django.mo"


def english_translations_ready() -> bool:
    flag = os.environ.get("PANDU_E2E_ENGLISH", "")
    if flag in {"0", "1"}:
        return flag == "1"
    return ENGLISH_MO.is_file()


class English:
    """Checks that a text shown on an English page is the English translation of its source."""

    def require(self) -> None:
        if not english_translations_ready():
            pytest.skip(
                "English translations are not compiled yet "
                f"({ENGLISH_MO} missing); set PANDU_E2E_ENGLISH=1 to run anyway."
            )

    @staticmethod
    def gettext(source: str) -> str:
        from django.utils import translation

        with translation.override("en"):
            return translation.gettext(source)

    def assert_translated(self, shown: str, source: str) -> None:
        expected = self.gettext(source)
        assert expected != source, f"No English translation for {source!r}"
        assert " ".join(shown.split()) == " ".join(expected.split()), (
            f"Expected the English text {expected!r} (for {source!r}), page shows {shown!r}"
        )


@pytest.fixture
def english():
    return English()
