"""The supervisor's account deletion pages pass axe in both languages and do what they say."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD
from pandu.people.models import AccountDeletionRequest, User
from pandu.people.services import account_deletion_request

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

SUPERVISOR = "supervisor@toronto.pandu.test"


@pytest.fixture
def requests(demo_site):
    return {
        email: account_deletion_request(user=User.objects.get(email=email), reason="Pulang")
        for email in ("siti.rahayu@example.org", "budi.santoso@example.org")
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_deletion_pages_have_no_axe_violations(page, sign_in, requests, lang):
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang=lang)
    listing = f"/{lang}/privasi/penghapusan-akun/"
    page.locator(f"header a[href='{listing}']").click()
    expect(page.locator("main")).to_contain_text("Siti Rahayu")
    assert_accessible(page)

    siti = requests["siti.rahayu@example.org"]
    page.locator(f"main a[href$='/{siti.public_id}/']").click()
    expect(page.locator("#preview")).to_contain_text("27/2022")
    assert_accessible(page)
    # Refusing without a reason: the error is next to the field, nothing changes.
    page.locator("form[action$='/tolak/'] button[type=submit]").click()
    expect(page.locator("#id_refuse-reason-error")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_refuse-reason", "Paspor Anda belum diambil.")
    page.locator("form[action$='/tolak/'] button[type=submit]").click()
    page.wait_for_url(f"**{listing}")
    assert_accessible(page)
    assert AccountDeletionRequest.objects.get(pk=siti.pk).status == "refused"

    budi = requests["budi.santoso@example.org"]
    page.locator(f"main a[href$='/{budi.public_id}/']").click()
    page.locator("label[for='id_confirm-checked']").click()
    page.locator("form[action$='/konfirmasi/'] button[type=submit]").click()
    page.wait_for_url(f"**{listing}")
    assert AccountDeletionRequest.objects.get(pk=budi.pk).status == "completed"
    page.locator(f"main a[href$='/{budi.public_id}/']").click()
    expect(page.locator("main")).to_contain_text("6/2011")  # the rules, with their basis
    assert_accessible(page)

    # Siti sees on her profile that her request was refused, and why.
    page.context.clear_cookies()
    sign_in(page, "siti.rahayu@example.org", DEMO_PASSWORD, lang=lang)
    expect(page.locator("#deletion-refused")).to_contain_text("Paspor Anda belum diambil.")
    assert_accessible(page)
