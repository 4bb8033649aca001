"""The public verification page of an issued document: facts, validity, an upload check that
fails for a changed PDF; axe in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible


@pytest.fixture
def issued(demo_site, settings, tmp_path):
    from django.utils import translation

    from pandu.issuance.services import issue_document

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_KEY = ""
    settings.SIGNING_TRUST = ""
    settings.SIGNING_DEMO_DIR = tmp_path / "signing"
    with translation.override("id"):
        return issue_document(
            kind="receipt",
            template="issuance/receipt.html",
            context={"payer": "Siti Rahayu"},
            mission=demo_site["toronto"],
            subject="Paspor elektronik (penggantian)",
            facts={"Nomor kuitansi": "TOR-2026-0042", "Jumlah": "CAD 80.00"},
        )


def test_a_citizen_checks_a_pdf_and_a_changed_copy(page, issued, tmp_path):
    document, pdf = issued
    page.goto(f"/id/verify/{document.public_id}/")
    expect(page.locator("#document-status")).to_contain_text("masih berlaku")
    expect(page.locator("#document-facts")).to_contain_text("TOR-2026-0042")

    good = tmp_path / "kuitansi.pdf"
    good.write_bytes(pdf)
    page.set_input_files("#id_file", str(good))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#check-result")).to_contain_text("PDF ini asli dan sah")

    forged = tmp_path / "kuitansi-ubah.pdf"
    forged.write_bytes(pdf.replace(b"/Keywords (pandu", b"/Keywords (pandU", 1))
    page.set_input_files("#id_file", str(forged))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#check-result")).to_contain_text("PDF ini tidak sah")
    expect(page.locator("#check-result")).to_contain_text("telah diubah")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_verification_page_has_no_axe_violations(page, issued, lang, tmp_path):
    document, pdf = issued
    page.goto(f"/{lang}/verify/{document.public_id}/")
    assert_accessible(page)
    # Without a file the browser's own check stops the form; past it, the server explains.
    page.evaluate("document.querySelector('#id_file').removeAttribute('required')")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)
    forged = tmp_path / "x.pdf"
    forged.write_bytes(pdf[: len(pdf) // 2])
    page.set_input_files("#id_file", str(forged))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#check-result")).to_be_visible()
    assert_accessible(page)
