"""The supervisor's planning pages pass axe in both languages, fit a phone, and close a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

SUPERVISOR = "supervisor@toronto.pandu.test"
CITIZEN = "siti.rahayu@example.org"


@pytest.fixture
def planned(demo_site):
    """Three weeks of sessions from today with a Saturday rule, and one booking in a week."""
    from pandu.appointments.models import SaturdayRule, Slot
    from pandu.appointments.services import appointment_book, sessions_generate
    from pandu.people.models import CitizenProfile

    toronto = demo_site["toronto"]
    SaturdayRule.objects.create(
        mission=toronto, weeks=[1, 2, 3, 4, 5], opens=dt.time(9), closes=dt.time(13), counters=3,
        valid_from=dt.date(2020, 1, 1), quotas={"paspor-ganti": 6},
    )  # fmt: skip
    today = timezone.localdate(timezone.now(), toronto.zone)
    sessions_generate(mission=toronto, start=today, end=today + dt.timedelta(days=21))
    slot = (
        Slot.objects.filter(
            service__code="paspor-ganti",
            session__kind="weekday",
            starts_at__gt=timezone.now() + dt.timedelta(days=3),
        )
        .select_related("session")
        .first()
    )
    appointment = appointment_book(
        citizen=CitizenProfile.objects.get(user__email=CITIZEN), slot=slot, service=slot.service
    )
    return appointment


def _supervisor_pages(page, lang, appointment):
    """Visit every planning page (and its error states), checking each with axe."""
    base = f"/{lang}/appointments/supervisor/"
    session = appointment.slot.session
    day = session.date.isoformat()

    page.locator(f"header a[href='{base}']").click()
    expect(page.locator("main table").nth(1)).to_contain_text(str(session.date.day))
    assert_accessible(page)

    page.goto(f"{base}sessions/{session.public_id}/")
    expect(page.locator("#capacity")).to_be_visible()
    assert_accessible(page)
    page.locator(f"#id_cap-{appointment.slot.public_id}").fill("0")  # below the booking
    page.locator("form[action$='/capacity/'] button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}sessions/new/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{base}saturday/")
    expect(page.locator("main table")).to_contain_text("09:00")
    assert_accessible(page)
    page.locator("form.usa-form--large button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)
    page.locator("main table a[href$='/edit/']").first.click()
    expect(page.locator("#id_weeks_0")).to_be_checked()
    assert_accessible(page)

    page.goto(f"{base}days/")
    assert_accessible(page)
    page.goto(f"{base}days/open/?date={day}")
    assert_accessible(page)
    page.goto(f"{base}days/close/?date={day}")
    expect(page.locator("#impact-heading")).to_be_visible()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_supervisor_pages_have_no_axe_violations(page, sign_in, planned, lang):
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang=lang)
    _supervisor_pages(page, lang, planned)


def test_close_a_day_on_a_phone(page, sign_in, planned):
    from pandu.appointments.models import Appointment

    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang="id")
    day = planned.slot.session.date.isoformat()
    base = "/id/appointments/supervisor/"
    for path in (base, f"{base}sessions/{planned.slot.session.public_id}/", f"{base}saturday/"):
        page.goto(path)
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"{path} is wider than the screen: {scroll} > {client}"

    page.goto(f"{base}days/")
    page.fill("#id_date", day)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#impact-heading")).to_be_visible()
    expect(page.locator(".usa-summary-box")).to_contain_text("1 janji temu dibatalkan")
    page.fill("#id_reason_id", "Perbaikan listrik")
    page.fill("#id_reason_en", "Electrical repairs")
    page.locator("label[for=id_confirm]").click()
    mail.outbox.clear()
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".usa-alert--success")).to_contain_text("1 janji temu dibatalkan")
    expect(page.locator("main")).to_contain_text("Perbaikan listrik")
    assert Appointment.objects.get(pk=planned.pk).cancel_reason == "closure"
    assert len(mail.outbox) == 1 and "Perbaikan listrik" in mail.outbox[0].body
