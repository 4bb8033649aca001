"""A citizen books a Saturday slot, gets the e-mail, reschedules it; every booking page passes axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

CITIZEN = "siti.rahayu@example.org"
SERVICE = "/missions/toronto/services/paspor-ganti/"


@pytest.fixture
def calendar(demo_site):
    """Three weeks of sessions from today, with a session every Saturday."""
    from pandu.appointments.models import SaturdayRule
    from pandu.appointments.services import sessions_generate

    toronto = demo_site["toronto"]
    SaturdayRule.objects.create(
        mission=toronto, weeks=[1, 2, 3, 4, 5], opens=dt.time(9), closes=dt.time(13), counters=3,
        valid_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    today = timezone.localdate(timezone.now(), toronto.zone)
    sessions_generate(mission=toronto, start=today, end=today + dt.timedelta(days=21))
    return toronto


def _pick_first_slot_and_submit(page):
    page.locator(".pandu-slot-grid label").first.click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/appointments/TOR-*/")


def test_book_a_saturday_then_reschedule_from_the_mail_link(page, sign_in, calendar, live_server):
    sign_in(page, CITIZEN, DEMO_PASSWORD, lang="id")
    page.goto(f"/id{SERVICE}")
    page.locator("main a[href='/id/appointments/book/toronto/paspor-ganti/']").click()
    page.locator(".usa-button-group a[href*='channel=saturday']").click()
    expect(page.locator("main a[aria-current=page]")).to_have_attribute("href", "?channel=saturday")
    _pick_first_slot_and_submit(page)

    reference = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator("h1")).to_contain_text(reference)
    expect(page.locator(".pandu-qr svg")).to_be_visible()
    saturday_text = page.locator("main dl").inner_text()
    assert len(mail.outbox) == 1 and reference in mail.outbox[0].subject
    names = [name for name, _content, _type in mail.outbox[0].attachments]
    assert names == [f"{reference}.ics", f"{reference}-qr.png"]

    # The link in the e-mail opens the appointment without signing in; move it to a weekday.
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/appointments/manage/" in line
    )
    page.context.clear_cookies()
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert_accessible(page)
    weekday = page.locator(".pandu-slot-grid .usa-radio").filter(has_not_text="Sabtu").first
    weekday.locator("label").click()
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".usa-alert--success")).to_be_visible()
    assert page.locator("main dl").inner_text() != saturday_text
    assert len(mail.outbox) == 2

    from pandu.appointments.models import Appointment

    appointment = Appointment.objects.select_related("slot__session").get(reference=reference)
    assert appointment.slot.session.kind == "weekday" and appointment.reschedules == 1

    # The officer sees it on its new day in the day page, and finds it by reference.
    sign_in(page, "officer@toronto.pandu.test", DEMO_PASSWORD, lang="id")
    page.goto(f"/id/appointments/staff/?date={appointment.slot.session.date.isoformat()}")
    expect(page.locator("main table")).to_contain_text(reference)
    page.fill("#staff-search", reference)
    page.locator("main form[role=search] button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text(reference)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_booking_pages_have_no_axe_violations(page, sign_in, calendar, lang):
    sign_in(page, CITIZEN, DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/appointments/book/toronto/paspor-ganti/")
    assert_accessible(page)
    page.goto(f"/{lang}/appointments/book/toronto/paspor-ganti/?channel=saturday")
    assert_accessible(page)
    _pick_first_slot_and_submit(page)
    assert_accessible(page)
    page.goto(f"/{lang}/account/profile/")
    expect(page.locator("main")).to_contain_text("TOR-")
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_officer_day_page_has_no_axe_violations(page, sign_in, calendar, lang):
    from pandu.appointments.models import Slot
    from pandu.appointments.services import appointment_book
    from pandu.people.models import CitizenProfile

    siti = CitizenProfile.objects.get(user__email=CITIZEN)
    slot = Slot.objects.filter(
        service__code="paspor-ganti", starts_at__gt=timezone.now() + dt.timedelta(days=2)
    ).first()
    appointment = appointment_book(citizen=siti, slot=slot, service=slot.service)
    sign_in(page, "officer@toronto.pandu.test", DEMO_PASSWORD, lang=lang)
    page.locator(f"header a[href='/{lang}/appointments/staff/']").click()
    page.goto(f"/{lang}/appointments/staff/?date={slot.session.date.isoformat()}")
    expect(page.locator("main table")).to_contain_text(appointment.reference)
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_officer_books_for_a_caller_and_the_page_has_no_axe_violations(
    page, sign_in, calendar, lang
):
    from pandu.appointments.models import Appointment

    sign_in(page, "officer@toronto.pandu.test", DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/appointments/staff/")
    page.locator(f"main a[href^='/{lang}/appointments/staff/book/']").click()
    assert_accessible(page)
    page.fill("#who", CITIZEN)
    page.select_option("#service", "paspor-ganti")
    page.locator("main form[method=get] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Siti Rahayu")
    assert_accessible(page)
    page.locator("main form[method=post] .usa-radio__label").first.click()
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/appointments/staff/?*")
    appointment = Appointment.objects.get(citizen__user__email=CITIZEN)
    assert appointment.channel == "staff"
    expect(page.locator("main table")).to_contain_text(appointment.reference)
