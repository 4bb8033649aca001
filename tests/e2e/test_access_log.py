"""The supervisor's access log page passes axe in both languages and filters what it shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

SUPERVISOR = "supervisor@toronto.pandu.test"


@pytest.fixture
def accesses(demo_site):
    from pandu.audit.services import sensitive_access_record
    from pandu.people.models import CitizenProfile, User

    citizen = CitizenProfile.objects.filter(mission=demo_site["toronto"]).first()
    officer = User.objects.get(email="officer@toronto.pandu.test")
    head = User.objects.get(email="head@toronto.pandu.test")
    sensitive_access_record(
        actor=officer,
        mission=citizen.mission,
        data_kind="identity_number",
        obj=citizen,
        subject=citizen,
    )
    sensitive_access_record(
        actor=head,
        mission=citizen.mission,
        data_kind="document_scan",
        obj=citizen,
        subject=citizen,
        reason="Pengaduan warga",
    )
    return citizen


@pytest.mark.parametrize("lang", LANGUAGES)
def test_access_log_page_has_no_axe_violations(page, sign_in, accesses, lang):
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang=lang)
    page.locator("header a[href$='/audit/akses-data/']").click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    assert_accessible(page)

    page.get_by_label("Jenis data" if lang == "id" else "Kind of data").select_option(
        "document_scan"
    )
    page.locator("main form button[type=submit]").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Pengaduan warga")
    assert_accessible(page)

    # A date range the wrong way round: the error is announced and the page still passes axe.
    page.goto(f"/{lang}/audit/akses-data/?date_from=2030-01-02&date_to=2030-01-01")
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)
