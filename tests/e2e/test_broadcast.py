"""A supervisor sends a crisis message to one area, sees it through to the end, a citizen asks
for help by the link in it, and the supervisor resolves that on the help list; the second test
does it for the demo's own registrations in Manitoba (the demo holds Ontario and Manitoba).

The message is sent by a real ``pandu db_worker`` process (throttled to a few e-mails a second),
so the page shows the broadcast sending, then done, through its own polling."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .test_accessibility import assert_accessible

SUPERVISOR = "supervisor@toronto.pandu.test"
NEAR = 8


@pytest.fixture
def worker(settings):
    from tests.broadcast.workers import DB_TASKS, worker_env, worker_kill, worker_start

    settings.TASKS = DB_TASKS
    process = worker_start(worker_env(PANDU_BROADCAST_RATE_EMAIL="3"))
    yield process
    worker_kill(process)


@pytest.fixture
def citizens(demo_site):
    from pandu.registry.models import StayRegistration
    from tests.broadcast.factories import make_citizens

    StayRegistration.objects.update(status="ended")  # the counts below are of these alone
    near = make_citizens(demo_site["toronto"], NEAR, lat=43.66, lon=-79.39, language="id")
    make_citizens(demo_site["toronto"], 1, lat=45.42, lon=-75.70)  # Ottawa: outside the area
    return near


def test_a_crisis_message_to_one_area_and_a_call_for_help_worked_through(
    page, sign_in, citizens, worker
):
    from pandu.broadcast import tokens
    from pandu.broadcast.models import Delivery, HelpCase

    sign_in(page, SUPERVISOR, DEMO_PASSWORD)
    page.locator("header a[href='/id/pesan-krisis/']").click()
    assert_accessible(page)
    page.get_by_role("link", name="Tulis pesan baru").click()
    page.select_option("#id_crisis", "flood")
    page.get_by_role("button", name="Pakai templat").click()
    expect(page.locator("#id_subject_en")).to_have_value("Flood warning")
    page.fill("#id_lat", "43.6532")
    page.fill("#id_lon", "-79.3832")
    page.fill("#id_radius_km", "10")
    page.get_by_role("button", name="Hitung penerima").click()
    expect(page.locator("#recipient-count")).to_contain_text(f"{NEAR} WNI akan menerima")
    assert_accessible(page)
    page.get_by_role("button", name="Lanjut ke konfirmasi").click()
    expect(page.get_by_test_id("confirm-count")).to_contain_text(f"kepada {NEAR} WNI")
    assert_accessible(page)
    page.get_by_role("button", name="Kirim sekarang").click()
    expect(page.get_by_test_id("broadcast-status")).to_have_text("Sedang dikirim")
    assert_accessible(page)
    # The page asks for the counts every two seconds and stops once the worker is done.
    expect(page.get_by_test_id("broadcast-status")).to_have_text("Selesai", timeout=60_000)
    expect(page.get_by_test_id("count-sent")).to_have_text(str(NEAR))
    assert page.locator("[hx-trigger]").count() == 0

    # A citizen answers by the link in the message (the worker's e-mail): no sign-in.
    delivery = Delivery.objects.get(citizen=citizens[0].citizen)
    citizen_page = page.context.browser.new_context(base_url=page.url).new_page()
    citizen_page.goto(f"/id/pesan-krisis/balas/{tokens.reply_token(delivery.public_id)}/")
    assert_accessible(citizen_page)
    citizen_page.fill("#id_note", "Air masuk ke rumah, ada anak kecil.")
    citizen_page.get_by_role("button", name="Saya butuh bantuan").click()
    expect(citizen_page.locator("h1")).to_contain_text("Terima kasih")
    citizen_page.context.close()

    page.reload()
    expect(page.get_by_test_id("count-help")).to_have_text("1")
    page.get_by_role("link", name="Semua permintaan bantuan").click()
    assert_accessible(page)
    page.get_by_role("link", name=citizens[0].citizen.full_name).click()
    expect(page.locator("main")).to_contain_text("Air masuk ke rumah")
    page.get_by_role("button", name="Saya tangani").click()
    expect(page.get_by_test_id("help-status")).to_have_text("Sedang ditangani")
    page.fill("#id_text", "Ditelepon; keluarga dibawa ke tempat penampungan.")
    page.get_by_role("button", name="Simpan dan selesaikan").click()
    expect(page.get_by_test_id("help-status")).to_have_text("Selesai")
    assert_accessible(page)
    assert HelpCase.objects.get().status == "resolved"


@pytest.fixture
def manitoba(demo_site):
    """The demo's own lapor diri registrations (Ontario and Manitoba), as ``pandu demo`` loads
    them; the Manitoba ones are the area of the message below."""
    from pandu.issuance.services import issuing_deferred
    from pandu.notify.services import held
    from pandu.registry.demo import load_registry_demo
    from pandu.registry.models import StayRegistration
    from pandu.reports.demo_people import history_citizens

    with held(), issuing_deferred():
        history_citizens(demo_site["toronto"])  # the demo's many citizens, as `pandu demo`
        load_registry_demo()
    active = StayRegistration.objects.filter(mission=demo_site["toronto"], status="active")
    assert active.filter(province="ON").exists()  # the message must leave these out
    return list(active.filter(province="MB").select_related("citizen").order_by("pk"))


def test_a_crisis_message_to_the_demos_manitoba_registrations(page, sign_in, manitoba, worker):
    from pandu.broadcast import tokens
    from pandu.broadcast.models import Broadcast, Delivery, HelpCase

    count = len(manitoba)
    assert count >= 3
    sign_in(page, SUPERVISOR, DEMO_PASSWORD)
    page.locator("header a[href='/id/pesan-krisis/']").click()
    page.get_by_role("link", name="Tulis pesan baru").click()
    page.select_option("#id_crisis", "flood")
    page.get_by_role("button", name="Pakai templat").click()
    for choice in ("input[name='area'][value='provinces']", "input[name='provinces'][value='MB']"):
        # USWDS draws the box on the label: click it, as a person does.
        page.locator(f"label[for='{page.locator(choice).get_attribute('id')}']").click()
        expect(page.locator(choice)).to_be_checked()
    page.get_by_role("button", name="Hitung penerima").click()
    # The preview counts exactly the demo's registrations in Manitoba.
    expect(page.locator("#recipient-count")).to_contain_text(f"{count} WNI akan menerima")
    assert_accessible(page)
    page.get_by_role("button", name="Lanjut ke konfirmasi").click()
    expect(page.get_by_test_id("confirm-count")).to_contain_text(f"kepada {count} WNI")
    page.get_by_role("button", name="Kirim sekarang").click()
    expect(page.get_by_test_id("broadcast-status")).to_have_text("Sedang dikirim")
    expect(page.get_by_test_id("broadcast-status")).to_have_text("Selesai", timeout=90_000)
    expect(page.get_by_test_id("count-sent")).to_have_text(str(count))
    broadcast = Broadcast.objects.get()
    reached = set(broadcast.deliveries.values_list("citizen_id", flat=True))
    assert reached == {r.citizen_id for r in manitoba}  # nobody in Ontario

    # A citizen of Winnipeg or Brandon answers "I need help" by the link in the message.
    citizen = manitoba[0].citizen
    delivery = Delivery.objects.get(broadcast=broadcast, citizen=citizen)
    citizen_page = page.context.browser.new_context(base_url=page.url).new_page()
    citizen_page.goto(f"/id/pesan-krisis/balas/{tokens.reply_token(delivery.public_id)}/")
    citizen_page.fill("#id_note", "Jalan ke rumah tergenang, butuh dijemput.")
    citizen_page.get_by_role("button", name="Saya butuh bantuan").click()
    expect(citizen_page.locator("h1")).to_contain_text("Terima kasih")
    citizen_page.context.close()

    page.reload()
    expect(page.get_by_test_id("count-help")).to_have_text("1")
    page.get_by_role("link", name="Semua permintaan bantuan").click()
    page.get_by_role("link", name=citizen.full_name).click()
    expect(page.locator("main")).to_contain_text("Jalan ke rumah tergenang")
    page.get_by_role("button", name="Saya tangani").click()
    expect(page.get_by_test_id("help-status")).to_have_text("Sedang ditangani")
    page.fill("#id_text", "Ditelepon; dijemput relawan ke tempat penampungan.")
    page.get_by_role("button", name="Simpan dan selesaikan").click()
    expect(page.get_by_test_id("help-status")).to_have_text("Selesai")
    assert_accessible(page)
    assert HelpCase.objects.get().status == "resolved"
