"""The waiting room in the browser: check in by reference at the kiosk, the officer calls, the
number appears on the room's display; kiosk, display, counter and phone pages pass axe in both
languages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

KIOSK = "kiosk@toronto.pandu.test"
OFFICER = "officer@toronto.pandu.test"


@pytest.fixture
def booked_today(demo_site):
    """Siti's passport renewal today at KJRI Toronto, and counter 1 open for passports."""
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
        citizen=CitizenProfile.objects.get(user__email="siti.rahayu@example.org"),
        slot=Slot.objects.get(session=session),
        service=passports,
        now=timezone.now() - dt.timedelta(days=5),
    )
    counter = Counter.objects.get(mission=toronto, number=1)
    services.counter_open(
        counter=counter,
        services=[passports],
        by=User.objects.get(email=OFFICER),
    )
    return appointment, counter


@pytest.mark.parametrize("lang", LANGUAGES)
def test_check_in_then_called_on_the_display(
    page, browser, live_server, sign_in, lang, booked_today
):
    appointment, counter = booked_today

    # The kiosk tablet at the door.
    sign_in(page, KIOSK, DEMO_PASSWORD, lang)
    page.goto(f"/{lang}/queue/kiosk/")
    assert_accessible(page)
    expect(page.locator("#id_checkin-code")).to_be_focused()
    page.fill("#id_checkin-code", "NOT-A-REF")
    page.locator("#checkin-form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_checkin-code", appointment.reference.lower())
    page.locator("#checkin-form button[type=submit]").click()
    expect(page.locator(".pandu-ticket__number")).to_have_text("P-001")
    assert_accessible(page)

    # The citizen's phone page, from the QR code on the ticket (no sign-in).
    phone_url = page.locator(".pandu-ticket__qr + div .usa-sr-only").inner_text().split()[-1]
    phone = browser.new_context(base_url=live_server.url).new_page()
    phone.goto(phone_url)
    expect(phone.locator("#phone-status")).to_contain_text("0")
    assert_accessible(phone)

    # The screen in the waiting room (same kiosk account).
    display = page.context.new_page()
    display.goto(f"/{lang}/queue/display/")
    assert_accessible(display)
    expect(display.locator("#display-calls")).not_to_contain_text("P-001")
    display.locator("[data-sound-toggle]").click()
    expect(display.locator("[data-sound-toggle]")).to_have_attribute("aria-pressed", "true")

    # An officer calls the next ticket at counter 1.
    officer = browser.new_context(base_url=live_server.url).new_page()
    sign_in(officer, OFFICER, DEMO_PASSWORD, lang)
    officer.locator("header a[href$='/queue/counters/']").click()
    officer.wait_for_url("**/queue/counters/")
    assert_accessible(officer)
    officer.locator(f"a[href$='/queue/counters/{counter.public_id}/']").click()
    officer.wait_for_url(f"**/queue/counters/{counter.public_id}/")
    assert_accessible(officer)
    officer.locator("form[action$='/call/'] button").click()
    expect(officer.locator(".pandu-counter__number")).to_have_text("P-001")
    assert_accessible(officer)

    # The display shows it within its polling interval and announces it.
    expect(display.locator(".pandu-display__latest")).to_contain_text("P-001", timeout=15_000)
    expect(display.locator("[data-announce]")).to_contain_text("P-001")
    assert re.search(r"\b1\b", display.locator(".pandu-display__latest").inner_text())
    assert "Siti" not in display.content()
    assert_accessible(display)

    # The phone page follows.
    phone.reload()
    expect(phone.locator("#phone-status")).to_contain_text("1")
    assert_accessible(phone)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_walk_in_ticket_at_the_kiosk(page, sign_in, lang, demo_site):
    sign_in(page, KIOSK, DEMO_PASSWORD, lang)
    page.goto(f"/{lang}/queue/kiosk/")
    page.locator("label[for='id_walkin-service_0']").click()
    page.locator("label[for='id_walkin-priority_reason_1']").click()
    page.locator("form:has(input[value=walkin]) button[type=submit]").click()
    expect(page.locator(".pandu-ticket__number")).to_have_text(re.compile(r"^[A-Z]-001$"))
