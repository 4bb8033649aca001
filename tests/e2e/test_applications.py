"""Paperless applications in the browser: a citizen applies for a passport renewal with uploads,
an officer returns one document, the citizen replaces it, the officer accepts and takes the
application to issued and collected; the citizen sees each status. Every new page passes axe in both languages.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

CITIZEN = "siti.rahayu@example.org"
OFFICER = "officer@toronto.pandu.test"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png(colour=(230, 230, 225)) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), colour).save(out, "PNG")
    return {"name": "scan.png", "mimeType": "image/png", "buffer": out.getvalue()}


def _state(page):
    return page.locator("[data-testid=state]")


def _citizen_fills_and_submits(page, sign_in, lang="id"):
    sign_in(page, CITIZEN, DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/missions/toronto/services/paspor-ganti/")
    page.locator("main a[href*='/permohonan/baru/toronto/paspor-ganti/']").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/permohonan/[0-9a-f-]+/isi/$"))


def test_renewal_from_upload_to_issued(page, sign_in):
    _citizen_fills_and_submits(page, sign_in)
    page.get_by_label("Tempat lahir").fill("Yogyakarta")
    page.locator("#id_old_passport_number").fill("B7654321")
    page.locator("#id_old_passport_expiry_day").fill("30")
    page.locator("#id_old_passport_expiry_month").select_option("4")
    page.locator("#id_old_passport_expiry_year").fill("2027")
    for file_input in page.locator("main input[type=file]").all():
        file_input.set_input_files(files=[_png()])
    page.get_by_role("button", name="Simpan dan periksa jawaban").click()
    expect(page.locator("h1")).to_have_text("Periksa jawaban Anda")
    expect(page.locator("main")).to_contain_text("YOGYAKARTA")
    expect(page.locator("main")).not_to_contain_text("Belum lengkap")
    # The blank picture given as the (optional) passport photo is kept, with what is wrong.
    expect(page.locator("main")).to_contain_text("foto mungkin ditolak")
    page.get_by_role("button", name="Ajukan permohonan").click()
    expect(_state(page)).to_have_text("Diajukan")
    expect(page.locator("main")).to_contain_text("Target selesai")
    detail_url = page.url
    # The signed "application received" letter is there from submission on.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Unduh tanda terima permohonan")).click()
    with open(download.value.path(), "rb") as letter:
        assert letter.read(5) == b"%PDF-"

    # The officer returns the residence permit and accepts the old passport.
    page.context.clear_cookies()
    sign_in(page, OFFICER, DEMO_PASSWORD)
    page.get_by_role("link", name="Antrean permohonan").click()
    page.locator("main table tbody a").first.click()
    sections = page.locator("main section[id^=req-]")
    expect(sections).to_have_count(3)
    passport, permit, photo = sections.nth(0), sections.nth(1), sections.nth(2)
    # The photo failed the check: the officer may accept it anyway, with a reason.
    expect(photo).to_contain_text("Tidak lolos pemeriksaan foto")
    photo.locator("label.usa-radio__label", has_text="Diterima").click()
    photo.get_by_role("button", name="Simpan penilaian").click()
    expect(page.locator("body")).to_contain_text("alasan")
    photo = page.locator("main section[id^=req-]").nth(2)
    photo.locator("label.usa-radio__label", has_text="Diterima").click()
    photo.get_by_label("Alasan (wajib jika dikembalikan)").fill(
        "Foto paspor diambil ulang saat biometrik."
    )
    photo.get_by_role("button", name="Simpan penilaian").click()
    expect(page.locator("body")).to_contain_text("tersimpan")
    passport = page.locator("main section[id^=req-]").nth(0)
    passport.locator("label.usa-radio__label", has_text="Diterima").click()
    passport.get_by_role("button", name="Simpan penilaian").click()
    expect(page.locator("body")).to_contain_text("tersimpan")
    permit = page.locator("main section[id^=req-]").nth(1)
    permit.locator("label.usa-radio__label", has_text="Dikembalikan").click()
    permit.get_by_label("Alasan (wajib jika dikembalikan)").fill("Pindaian buram, foto ulang.")
    permit.get_by_role("button", name="Simpan penilaian").click()
    expect(page.locator("body")).to_contain_text("tersimpan")
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(_state(page)).to_have_text("Dikembalikan untuk perbaikan")
    staff_url = page.url

    # The citizen sees why, replaces the scan and resubmits.
    page.context.clear_cookies()
    sign_in(page, CITIZEN, DEMO_PASSWORD)
    page.goto(detail_url)
    expect(_state(page)).to_have_text("Dikembalikan untuk perbaikan")
    expect(page.locator("main")).to_contain_text("Pindaian buram, foto ulang.")
    page.locator("main input[type=file]").first.set_input_files(files=[_png((250, 250, 250))])
    page.get_by_role("button", name="Unggah pengganti").click()
    expect(page.locator("body")).to_contain_text("Dokumen pengganti sudah disimpan")
    page.get_by_role("link", name="Periksa dan ajukan ulang").click()
    page.get_by_role("button", name="Ajukan ulang").click()
    expect(_state(page)).to_have_text("Diajukan ulang")

    # The officer accepts the new scan and takes the application to issued.
    page.context.clear_cookies()
    sign_in(page, OFFICER, DEMO_PASSWORD)
    page.goto(staff_url)
    permit = page.locator("main section[id^=req-]").nth(1)
    expect(permit).to_contain_text("Unduh versi 1")  # the old version stays in the history
    permit.locator("label.usa-radio__label", has_text="Diterima").click()
    permit.get_by_role("button", name="Simpan penilaian").click()
    expect(page.locator("body")).to_contain_text("tersimpan")
    page.get_by_role("button", name="Terima dokumen").click()
    expect(_state(page)).to_have_text("Dokumen diterima")
    page.get_by_role("button", name="Catat biometrik selesai").click()
    expect(_state(page)).to_have_text("Biometrik sudah diambil")
    page.locator("label.usa-radio__label", has_text="Tunai").click()
    page.get_by_label("Nomor kuitansi").fill("TOR-2027-0042")
    page.get_by_role("button", name="Catat pembayaran").click()
    expect(page.locator("body")).to_contain_text("Pembayaran tercatat")
    page.get_by_role("button", name="Kirim untuk diterbitkan").click()
    expect(_state(page)).to_have_text("Dikirim untuk diterbitkan")
    page.get_by_role("button", name="Catat sudah terbit").click()
    expect(_state(page)).to_have_text("Diterbitkan")
    page.get_by_role("button", name="Siap diambil").click()
    expect(_state(page)).to_have_text("Siap diambil")
    page.get_by_role("button", name="Catat sudah diambil").click()
    expect(_state(page)).to_have_text("Sudah diambil")

    # The citizen sees it, with every step in the history.
    page.context.clear_cookies()
    sign_in(page, CITIZEN, DEMO_PASSWORD)
    page.goto("/id/account/profile/")
    page.get_by_role("link", name=re.compile("Penggantian paspor elektronik")).click()
    expect(_state(page)).to_have_text("Sudah diambil")
    history = page.locator("main .usa-process-list")
    for step in (
        "Diajukan",
        "Dikembalikan untuk perbaikan",
        "Diajukan ulang",
        "Biometrik sudah diambil",
        "Diterbitkan",
        "Siap diambil",
        "Sudah diambil",
    ):
        expect(history).to_contain_text(step)
    expect(page.get_by_role("link", name="Unduh kuitansi (PDF)")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_application_pages_have_no_axe_violations(page, sign_in, lang):
    _citizen_fills_and_submits(page, sign_in, lang)
    assert_accessible(page)  # the form
    page.locator("#id_old_passport_number").fill("12")
    page.locator("main form button[type=submit]").click()  # an error next to its field
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_old_passport_number").fill("B7654321")
    page.locator("#id_birth_place").fill("Medan")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/periksa/$"))
    assert_accessible(page)  # check your answers, with what is missing
    page.goto(f"/{lang}/missions/toronto/services/paspor-ganti/")
    page.locator("main a[href*='/permohonan/baru/']").click()
    assert_accessible(page)  # the start page, offering to continue the draft
    page.goto(f"/{lang}/permohonan/")
    assert_accessible(page)
    page.locator("main ul a").first.click()
    # ``all()`` does not wait: the form must be there before its file inputs are listed.
    page.wait_for_url(re.compile(r"/isi/$"))
    expect(page.locator("main input[type=file]").first).to_be_visible()
    for file_input in page.locator("main input[type=file]").all():
        file_input.set_input_files(files=[_png()])
    page.locator("#id_old_passport_number").fill("B7654321")
    page.locator("#id_old_passport_expiry_day").fill("30")
    page.locator("#id_old_passport_expiry_month").select_option("4")
    page.locator("#id_old_passport_expiry_year").fill("2027")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/periksa/$"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/permohonan/[0-9a-f-]+/$"))
    assert_accessible(page)  # the status page

    page.context.clear_cookies()
    sign_in(page, OFFICER, DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/permohonan/petugas/")
    assert_accessible(page)
    page.locator("main table tbody a").first.click()
    assert_accessible(page)
