"""A citizen chooses SMS for their notices on a phone, and stops it by the link in a message."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

CITIZEN = "siti.rahayu@example.org"


@pytest.fixture
def text_channels(settings):
    """Both channels configured (nothing is sent in this test: only the choice is saved)."""
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "twilio-auth-token"
    settings.SMS_FROM = "+14165550100"
    settings.WHATSAPP_TOKEN = "whatsapp-access-token"
    settings.WHATSAPP_PHONE_NUMBER_ID = "109876543210"


def _fits_the_screen(page) -> None:
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{page.url} scrolls sideways ({scroll} > {client})"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_choosing_sms_on_a_phone_and_stopping_it_by_link(page, lang, sign_in, text_channels):
    from pandu.notify.models import ContactPreference
    from pandu.notify.tokens import stop_token

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, CITIZEN, DEMO_PASSWORD, lang=lang)
    page.locator(f"main a[href='/{lang}/messages/preferences/']").click()
    page.wait_for_url(f"**/{lang}/messages/preferences/")
    assert_accessible(page)
    _fits_the_screen(page)

    # SMS chosen without its consent: refused, with the errors shown accessibly.
    page.locator("input[name=channel][value=sms] + label").click()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".usa-error-message").first).to_be_visible()
    assert_accessible(page)
    _fits_the_screen(page)
    assert not ContactPreference.objects.filter(user__email=CITIZEN).exists()

    page.fill("#id_phone", "+1 416 555 0123")
    page.locator("input[name=consents][value=sms] + label").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/account/profile/")
    expect(page.locator(".usa-alert--success")).to_be_visible()
    preference = ContactPreference.objects.get(user__email=CITIZEN)
    assert preference.channel == "sms" and preference.phone == "+14165550123"
    assert preference.sms_consent_source == "page"

    # The link at the end of every SMS, opened on the phone without signing in.
    page.context.clear_cookies()
    page.goto(f"/{lang}/messages/stop/{stop_token(preference=preference, channel='sms')}/")
    assert_accessible(page)
    _fits_the_screen(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".usa-alert--success")).to_be_visible()
    assert_accessible(page)
    preference.refresh_from_db()
    assert preference.sms_consent_at is None and preference.channel == "email"
