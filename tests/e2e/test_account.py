"""A citizen's account in the browser: sign-up, e-mail link, sign-in and profile changes."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from pandu.people.forms import EmailAuthenticationForm
from pandu.people.models import User

LINK_RE = re.compile(r"https?://\S+/account/verify/\S+/")


def _submit(page) -> None:
    page.locator("main form button[type=submit]").click()


def _fill_signup(page, *, email: str, password: str, profile: dict, language: str) -> None:
    page.fill("#id_email", email)
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.fill("#id_full_name", profile["full_name"])
    born = profile["date_of_birth"]
    page.fill("#id_date_of_birth_day", str(born.day))
    page.select_option("#id_date_of_birth_month", str(born.month))
    page.fill("#id_date_of_birth_year", str(born.year))
    page.select_option("#id_sex", profile["sex"])
    page.fill("#id_nik", profile["nik"])
    page.fill("#id_passport_number", profile["passport_number"])
    page.fill("#id_phone", profile["phone"])
    page.fill("#id_address_line", profile["address_line"])
    page.fill("#id_city", profile["city"])
    page.select_option("#id_province", profile["province"])
    page.fill("#id_postal_code", profile["postal_code"])
    page.select_option("#id_preferred_language", language)
    # The USWDS checkbox is drawn by its label; people tick it by clicking the label.
    page.locator("label[for=id_consent]").click()
    expect(page.locator("#id_consent")).to_be_checked()


def _sign_up(page, *, lang: str, email: str, password: str, profile: dict, language: str):
    """Open sign-up from the home page's navigation, fill in the form and send it."""
    page.goto(f"/{lang}/")
    page.locator(f"header a[href='/{lang}/account/signup/']").click()
    page.wait_for_url(f"**/{lang}/account/signup/")
    _fill_signup(page, email=email, password=password, profile=profile, language=language)
    _submit(page)
    page.wait_for_url(f"**/{lang}/account/signup/done/")
    expect(page.locator("main")).to_contain_text(email)
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [email]
    return message


def _verification_path(message, live_server) -> str:
    found = LINK_RE.search(message.body)
    assert found, message.body
    link = found.group(0)
    assert link.startswith(settings.SITE_URL + "/"), link
    return link.replace(settings.SITE_URL, live_server.url, 1)


def test_sign_up_verify_sign_in_and_edit_profile(page, live_server, profile_data, password):
    email = "ayu.lestari@example.org"
    message = _sign_up(
        page, lang="id", email=email, password=password, profile=profile_data, language="id"
    )
    user = User.objects.get(email=email)
    assert not user.email_verified

    page.goto(_verification_path(message, live_server))
    page.wait_for_url("**/id/account/login/")
    expect(page.locator(".usa-alert--success[role=status]")).to_be_visible()
    user.refresh_from_db()
    assert user.email_verified

    page.fill("#id_username", email)
    page.fill("#id_password", password)
    _submit(page)
    page.wait_for_url("**/id/account/profile/")
    profile = page.locator("dl.pandu-profile")
    expect(profile).to_contain_text(email)
    expect(profile).to_contain_text(profile_data["full_name"])
    expect(profile).to_contain_text(profile_data["phone"])

    page.locator("main a[href='/id/account/profile/edit/']").click()
    page.wait_for_url("**/id/account/profile/edit/")
    expect(page.locator("#id_date_of_birth_day")).to_have_value("17")
    expect(page.locator("#id_date_of_birth_month")).to_have_value("8")
    expect(page.locator("#id_date_of_birth_year")).to_have_value("1990")
    expect(page.locator("#id_province")).to_have_value("ON")
    page.fill("#id_phone", "+1 647 555 0123")
    page.fill("#id_city", "Mississauga")
    _submit(page)
    page.wait_for_url("**/id/account/profile/")
    expect(page.locator(".usa-alert--success[role=status]")).to_be_visible()
    expect(profile).to_contain_text("+1 647 555 0123")
    expect(profile).to_contain_text("Mississauga")
    expect(profile).not_to_contain_text(profile_data["phone"])
    user.citizen.refresh_from_db()
    assert (user.citizen.phone, user.citizen.city) == ("+1 647 555 0123", "Mississauga")


def test_sign_up_with_bad_nik_and_postal_code_shows_errors_by_the_fields(
    page, profile_data, password
):
    email = "salah@example.org"
    bad = {**profile_data, "nik": "12345", "postal_code": "H3A 0E5", "province": "ON"}
    page.goto("/id/account/signup/")
    _fill_signup(page, email=email, password=password, profile=bad, language="id")
    _submit(page)
    page.wait_for_load_state()

    assert page.url.endswith("/id/account/signup/")
    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#id_nik']")).to_be_visible()
    expect(summary.locator("a[href='#id_postal_code']")).to_be_visible()
    for field in ("nik", "postal_code"):
        group = page.locator(f".usa-form-group:has(#id_{field})")
        expect(group.locator(f"#id_{field}-error")).to_be_visible()
        expect(group.locator(f"#id_{field}-error")).not_to_be_empty()
        expect(page.locator(f"#id_{field}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#id_{field}")).to_have_attribute(
            "aria-describedby", re.compile(rf"\bid_{field}-error\b")
        )
    # What was typed is kept, so it can be corrected.
    expect(page.locator("#id_postal_code")).to_have_value("H3A 0E5")
    expect(page.locator("#id_full_name")).to_have_value(profile_data["full_name"])
    # The summary link moves focus to the field.
    summary.locator("a[href='#id_nik']").click()
    expect(page.locator("#id_nik")).to_be_focused()

    assert not User.objects.filter(email=email).exists()
    assert mail.outbox == []


def test_sign_in_before_verification_is_refused(page, profile_data, password):
    from pandu.people.services import citizen_register

    email = "belum@example.org"
    citizen_register(email=email, password=password, profile=profile_data, language="id")

    page.goto("/id/account/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    _submit(page)
    page.wait_for_load_state()

    assert page.url.endswith("/id/account/login/")
    with translation.override("id"):
        unverified = str(EmailAuthenticationForm.error_messages["unverified"])
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#form-errors")).to_contain_text(unverified)
    expect(page.locator("header form[action='/id/account/logout/']")).to_have_count(0)
    assert "sessionid" not in {c["name"] for c in page.context.cookies()}

    page.goto("/id/account/profile/")
    page.wait_for_url(re.compile(r"/id/account/login/\?next="))


def test_english_as_preferred_language_gives_an_english_verification_mail(
    page, profile_data, password
):
    email = "english@example.org"
    # Signed up from the Indonesian pages: only the language choice asks for English.
    message = _sign_up(
        page, lang="id", email=email, password=password, profile=profile_data, language="en"
    )
    assert message.to == [email]
    assert "/en/account/verify/" in LINK_RE.search(message.body).group(0)
    assert User.objects.get(email=email).preferred_language == "en"


def test_english_verification_mail_wording(page, profile_data, password, english):
    """English wording from the .po files (runs once English translations are compiled)."""
    english.require()
    message = _sign_up(
        page,
        lang="en",
        email="english@example.org",
        password=password,
        profile=profile_data,
        language="en",
    )
    english.assert_translated(message.subject, "Pandu: konfirmasi alamat surel Anda")
    expect(page.locator("main h1")).to_have_text(english.gettext("Periksa surel Anda"))
    assert english.gettext("Periksa surel Anda") != "Periksa surel Anda"


@pytest.mark.parametrize("lang", ["en"])
def test_english_pages_keep_the_language(page, lang):
    """Structure only: the English prefix and ``<html lang>`` survive the account pages."""
    page.goto("/en/account/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("main a[href='/en/account/signup/']").click()
    page.wait_for_url("**/en/account/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#id_preferred_language")).to_have_value("en")
