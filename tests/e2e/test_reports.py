"""Reports in the browser: the dashboard (with figures, and with filter errors) and the public
performance page pass axe in both languages; a ticket served at the counter, the citizen's survey
answer and the figure on the dashboard, end to end."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD
from tests.reports.conftest import Builder, build_march

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

SUPERVISOR = "supervisor@toronto.pandu.test"
OFFICER = "officer@toronto.pandu.test"
CITIZEN = "siti.rahayu@example.org"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dashboard_has_no_axe_violations(page, sign_in, demo_site, lang):
    build_march(Builder(demo_site["toronto"]))
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang=lang)
    page.locator(f"header a[href='/{lang}/laporan/']").click()
    expect(page.locator("h1")).to_be_visible()
    page.fill("#id_month", "2026-03")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#table-volumes tbody tr").last).to_contain_text("11")
    expect(page.locator("svg#chart-volumes")).to_be_visible()
    assert_accessible(page)

    page.fill("#id_month", "2026-13")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#table-volumes")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_page_has_no_axe_violations(page, demo_site, lang):
    builder = Builder(demo_site["toronto"])
    day = timezone.localdate(timezone.now(), builder.mission.zone).replace(day=1)
    for wait in (3, 4, 5, 6, 7, 8):
        builder.ticket(day, "paspor-ganti", wait=wait, serve=10, arrive_hour=0)
    builder.ticket(day, "legalisasi", wait=1, serve=None, arrive_hour=0)
    page.goto(f"/{lang}/")
    page.locator(f"footer a[href='/{lang}/kinerja/']").click()
    page.wait_for_url(f"**/{lang}/kinerja/toronto/")
    expect(page.locator("#performance")).to_be_visible()
    assert_accessible(page)


def test_fits_a_phone(page, sign_in, demo_site):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang="id")
    for path in ("/id/laporan/?month=2026-03", "/id/kinerja/toronto/"):
        page.goto(path)
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"{path} is wider than the screen: {scroll} > {client}"


@pytest.fixture
def checked_in(demo_site):
    """Siti checked in today for her passport renewal, and counter 1 open for passports."""
    from pandu.appointments.models import Slot
    from pandu.appointments.services import appointment_book, extra_session_create
    from pandu.catalog.models import Service
    from pandu.people.models import CitizenProfile, User
    from pandu.queue import services
    from pandu.queue.models import Counter

    toronto = demo_site["toronto"]
    passports = Service.objects.get(mission=toronto, code="paspor-ganti")
    today = timezone.localdate(timezone.now(), toronto.zone)
    session = extra_session_create(
        mission=toronto,
        day=today,
        opens=dt.time(0, 5),
        closes=dt.time(23, 55),
        counters=2,
        slots=[(passports, 5)],
    )
    appointment = appointment_book(
        citizen=CitizenProfile.objects.get(user__email=CITIZEN),
        slot=Slot.objects.get(session=session),
        service=passports,
        now=timezone.now() - dt.timedelta(days=5),
    )
    counter = Counter.objects.get(mission=toronto, number=1)
    services.counter_open(counter=counter, services=[passports], by=User.objects.get(email=OFFICER))
    services.ticket_check_in(
        mission=toronto, code=appointment.reference, now=timezone.now() - dt.timedelta(minutes=12)
    )
    return counter


ALL_FOURS = [
    "Sangat sesuai",
    "Sangat mudah",
    "Sangat cepat",
    "Gratis",
    "Sangat sesuai",
    "Sangat kompeten",
    "Sangat sopan dan ramah",
    "Dikelola dengan baik",
    "Sangat baik",
]


def test_from_a_served_ticket_to_the_survey_to_the_dashboard(
    page, browser, live_server, sign_in, checked_in
):
    if not apps.is_installed("pandu.feedback"):
        pytest.skip("the feedback app is not installed")
    counter = checked_in
    mail.outbox.clear()

    # The officer calls, serves and finishes the ticket at counter 1.
    sign_in(page, OFFICER, DEMO_PASSWORD, lang="id")
    page.goto(f"/id/queue/counters/{counter.public_id}/")
    page.locator("form[action$='/call/'] button").click()
    expect(page.locator(".pandu-counter__number")).to_have_text("P-001")
    page.locator("form[action$='/start/'] button").click()
    page.locator("form[action$='/finish/'] button").click()
    expect(page.locator(".pandu-counter__number")).to_have_count(0)

    # The citizen answers the survey from the e-mail's link, without signing in.
    [message] = [m for m in mail.outbox if m.to == [CITIZEN]]
    link = next(line.strip() for line in message.body.splitlines() if "/survei/" in line)
    citizen = browser.new_context(base_url=live_server.url).new_page()
    citizen.goto(urlsplit(link).path)
    groups = citizen.locator("main fieldset.usa-fieldset")
    expect(groups).to_have_count(9)
    for i, label in enumerate(ALL_FOURS):
        groups.nth(i).locator("label.usa-radio__label", has_text=label).first.click()
    citizen.locator("main form button[type=submit]").click()
    expect(citizen.locator("h1")).to_have_text("Terima kasih atas penilaian Anda")
    citizen.context.close()

    # The supervisor sees the visit, its wait and the answer on this month's dashboard.
    supervisor = browser.new_context(base_url=live_server.url).new_page()
    sign_in(supervisor, SUPERVISOR, DEMO_PASSWORD, lang="id")
    supervisor.goto("/id/laporan/")
    ikm = supervisor.locator("#table-ikm")
    expect(ikm).to_contain_text("100,00")
    expect(ikm).to_contain_text("A (Sangat Baik)")
    expect(ikm.locator("tr", has_text="Responden")).to_contain_text("1")
    channels = supervisor.locator("#table-ikm_channels tr", has_text="Loket hari kerja")
    expect(channels).to_contain_text("100,0")
    volumes = supervisor.locator("#table-volumes tr", has_text="Penggantian paspor")
    expect(volumes.first).to_contain_text("1")
    waiting = supervisor.locator("#table-waiting tbody tr").last
    expect(waiting).to_contain_text("12,0")  # checked in 12 minutes before the call
    supervisor.context.close()
