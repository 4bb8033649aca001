"""The draw and the waitlist in a browser: every new page passes axe, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible
from .test_booking import calendar  # noqa: F401 (fixture)

CITIZEN = "siti.rahayu@example.org"
BOOK = "/appointments/book/toronto/paspor-ganti/"


def _renewal_sessions():
    from pandu.appointments.models import Session

    soon = timezone.now() + dt.timedelta(days=3)
    return Session.objects.filter(
        slots__service__code="paspor-ganti", starts_at__gt=soon, kind="weekday"
    ).distinct()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_release_notice_and_draw_request_pages(page, sign_in, calendar, lang):  # noqa: F811
    from pandu.appointments.models import DrawEntry, Session

    sessions = list(_renewal_sessions()[:2])
    now = timezone.now()
    Session.objects.filter(pk=sessions[0].pk).update(releases_at=now + dt.timedelta(hours=3))
    Session.objects.filter(pk=sessions[1].pk).update(releases_at=now - dt.timedelta(minutes=1))
    sign_in(page, CITIZEN, DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}{BOOK}?channel=weekday")
    expect(page.locator("#releases-heading")).to_be_visible()
    assert_accessible(page)

    draw_form = page.locator("section[aria-labelledby^='draw-heading'] form")
    draw_form.locator(".usa-radio label").first.click()
    draw_form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".usa-alert--success").first).to_be_visible()
    assert DrawEntry.objects.filter(citizen__user__email=CITIZEN).count() == 1
    assert_accessible(page)
    page.goto(f"/{lang}/account/profile/")
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_waitlist_join_offer_and_answer_pages(page, sign_in, calendar, live_server, lang):  # noqa: F811
    from pandu.appointments import services, waitlist
    from pandu.appointments.models import Slot, WaitlistEntry
    from pandu.people.services import citizen_register

    other = citizen_register(
        email="lain@example.org",
        password=DEMO_PASSWORD,
        profile={
            "full_name": "Warga Lain",
            "date_of_birth": dt.date(1985, 5, 5),
            "sex": "M",
            "nik": "",
            "passport_number": "B7654321",
            "phone": "+1 416 555 0199",
            "address_line": "1 King Street",
            "city": "Toronto",
            "province": "ON",
            "postal_code": "M5V 2B5",
        },
        verified_by="demo",
    ).citizen
    slot = Slot.objects.filter(
        session__in=_renewal_sessions(), service__code="paspor-ganti"
    ).first()
    held = services.appointment_book(citizen=other, slot=slot, service=slot.service)
    Slot.objects.filter(service__code="paspor-ganti").update(booked=F("capacity"))

    sign_in(page, CITIZEN, DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}{BOOK}?channel=weekday")
    expect(page.locator("#waitlist-heading")).to_be_visible()
    assert_accessible(page)
    page.locator("form[action*='/waitlist/join/'] button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/account/profile/")
    assert_accessible(page)

    services.appointment_cancel(appointment=held, by=other.user)
    entry = WaitlistEntry.objects.get(citizen__user__email=CITIZEN)
    assert entry.status == "offered"
    page.goto(f"/{lang}/account/profile/")
    expect(page.locator("form[action$='/accept/']")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(f"/{lang}/appointments/waitlist/offer/{waitlist.offer_token(entry)}/")
    expect(page.locator("button[value=accept]")).to_be_visible()
    assert_accessible(page)
    page.locator("button[value=decline]").click()
    page.wait_for_load_state()
    expect(page.locator(".usa-alert--success").first).to_be_visible()
    assert_accessible(page)
