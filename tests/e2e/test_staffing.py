"""The staffing page passes axe in both languages, with a plan and with errors, and fits a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

SUPERVISOR = "supervisor@toronto.pandu.test"
CITIZEN = "siti.rahayu@example.org"


@pytest.fixture
def saturdays(demo_site):
    """Every Saturday for the next two months, with one booking on next month's first one."""
    from pandu.appointments.models import SaturdayRule, Slot
    from pandu.appointments.services import appointment_book, sessions_generate
    from pandu.people.models import CitizenProfile

    toronto = demo_site["toronto"]
    SaturdayRule.objects.create(
        mission=toronto, weeks=[1, 2, 3, 4, 5], opens=dt.time(9), closes=dt.time(13), counters=2,
        valid_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    today = timezone.localdate(timezone.now(), toronto.zone)
    sessions_generate(mission=toronto, start=today, end=today + dt.timedelta(days=62))
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    slot = (
        Slot.objects.filter(
            session__kind="saturday", session__date__gte=next_month, service__code="paspor-ganti"
        )
        .select_related("session", "service")
        .order_by("starts_at")
        .first()
    )
    appointment_book(
        citizen=CitizenProfile.objects.get(user__email=CITIZEN), slot=slot, service=slot.service
    )
    return slot.session


@pytest.mark.parametrize("lang", LANGUAGES)
def test_staffing_page_has_no_axe_violations(page, sign_in, saturdays, lang):
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang=lang)
    base = f"/{lang}/appointments/supervisor/"
    page.goto(base)
    page.locator(f"main nav a[href^='{base}staffing/']").click()
    expect(page.locator("#plan")).to_contain_text(str(saturdays.date.day))
    expect(page.locator("main table").first.locator("tbody tr")).to_have_count(4)
    expect(page.locator("main table").first).to_contain_text("09:00")
    assert_accessible(page)

    page.fill("#id_walkins", "-1")
    page.fill("#id_target_percent", "100")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#plan")).to_have_count(0)
    assert_accessible(page)


def test_staffing_page_fits_a_phone(page, sign_in, saturdays):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang="id")
    page.goto("/id/appointments/supervisor/staffing/")
    expect(page.locator("#plan")).to_be_visible()
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"the staffing page is wider than the screen: {scroll} > {client}"
