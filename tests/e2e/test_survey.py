"""Satisfaction survey in the browser: an officer marks an appointment served, the citizen follows
the e-mail's link and answers; the survey, thank-you, closed-link, kiosk and follow-up pages pass
axe in both languages."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD

from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

CITIZEN = "siti.rahayu@example.org"
OFFICER = "officer@toronto.pandu.test"
SUPERVISOR = "supervisor@toronto.pandu.test"


def _book_today(mission, email=CITIZEN):
    from pandu.appointments.calendar import local_to_utc
    from pandu.appointments.models import Slot
    from pandu.appointments.services import appointment_book, extra_session_create
    from pandu.catalog.models import Service
    from pandu.people.models import CitizenProfile

    today = timezone.localdate(timezone.now(), mission.zone)
    session = extra_session_create(
        mission=mission,
        day=today,
        opens=dt.time(0, 30),
        closes=dt.time(23, 30),
        counters=2,
        slots=[(s, 5) for s in Service.objects.filter(mission=mission, code="paspor-ganti")],
    )
    slot = Slot.objects.filter(session=session).first()
    booked_at = local_to_utc(today - dt.timedelta(days=5), dt.time(10), mission.zone)
    citizen = CitizenProfile.objects.get(user__email=email)
    return appointment_book(citizen=citizen, slot=slot, service=slot.service, now=booked_at)


def _answer_all(page, score_labels: list[str]) -> None:
    """Click one answer's label in each of the nine radio groups (USWDS hides the inputs)."""
    groups = page.locator("main fieldset.usa-fieldset")
    expect(groups).to_have_count(9)
    for i, label in enumerate(score_labels):
        groups.nth(i).locator("label.usa-radio__label").get_by_text(label, exact=True).click()


def test_from_an_officer_marking_served_to_the_citizens_submitted_survey(
    page, sign_in, demo_site, browser, live_server
):
    from pandu.feedback.models import FollowUp, SurveyResponse

    appointment = _book_today(demo_site["toronto"])
    mail.outbox.clear()
    sign_in(page, OFFICER, DEMO_PASSWORD, lang="id")
    page.goto("/id/appointments/staff/")
    page.locator(f"main form[action$='/{appointment.reference}/served/'] button").click()
    expect(page.locator("body")).to_contain_text("undangan survei kepuasan dikirim")

    [message] = [m for m in mail.outbox if m.to == [CITIZEN]]
    link = next(line.strip() for line in message.body.splitlines() if "/survei/" in line)
    link = urlsplit(link).path  # the mail names the configured site; the test server differs
    citizen = browser.new_context(base_url=live_server.url).new_page()  # no session: no sign-in
    citizen.goto(link)
    expect(citizen.locator("h1")).to_have_text("Survei kepuasan masyarakat")
    _answer_all(
        citizen,
        ["Sangat sesuai", "Mudah", "Kurang cepat", "Gratis", "Sesuai", "Kompeten",
         "Sangat sopan dan ramah", "Dikelola dengan baik", "Baik"],
    )  # fmt: skip
    citizen.get_by_label("Komentar atau saran").fill("Terima kasih, cepat di loket.")
    citizen.locator("main form button[type=submit]").click()
    expect(citizen.locator("h1")).to_have_text("Terima kasih atas penilaian Anda")

    response = SurveyResponse.objects.get()
    assert response.invitation.appointment == appointment
    assert response.scores == (4, 3, 2, 4, 3, 3, 4, 4, 3)
    assert not FollowUp.objects.exists()
    citizen.goto(link)  # the link works once
    expect(citizen.locator("h1")).to_have_text("Survei sudah diisi")
    citizen.context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_survey_pages_have_no_axe_violations(page, demo_site, lang):
    from pandu.feedback import services

    _invitation, token = services.survey_invite(
        mission=demo_site["toronto"], channel="saturday", email=""
    )
    page.goto(f"/{lang}/survei/{token}/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()  # nothing answered: errors shown
    expect(page.locator("#form-errors")).to_be_visible()
    assert_accessible(page)
    groups = page.locator("main fieldset.usa-fieldset")
    for i in range(9):
        groups.nth(i).locator("label.usa-radio__label").nth(i % 4).click()
    page.locator("main label.usa-checkbox__label").click()
    page.locator("main textarea").fill("Antrean terlalu lama.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/survei/terima-kasih/")
    assert_accessible(page)
    page.goto(f"/{lang}/survei/{token}/")  # used
    assert_accessible(page)
    page.goto(f"/{lang}/survei/bukan-token/")  # wrong
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_kiosk_and_follow_up_pages_have_no_axe_violations(page, sign_in, demo_site, lang):
    from pandu.appointments.services import appointment_mark_served
    from pandu.feedback import services
    from pandu.people.models import User

    toronto = demo_site["toronto"]
    officer = User.objects.get(email=OFFICER)
    appointment = _book_today(toronto)
    appointment_mark_served(appointment=appointment, by=officer)
    _invitation, _token = services.survey_invite(mission=toronto, channel="pertiwi", email="")
    follow_up = services.survey_submit(
        invitation=_invitation,
        answers={f"u{i}": 1 if i == 3 else 3 for i in range(1, 10)},
        comment="Petugas datang terlambat dua jam.",
        is_complaint=True,
    ).follow_up

    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang=lang)
    page.locator(f"header a[href='/{lang}/survei/tindak-lanjut/']").click()
    expect(page.locator("main table")).to_contain_text("Pertiwi")
    assert_accessible(page)
    page.locator(f"main a[href*='{follow_up.public_id}']").click()
    assert_accessible(page)
    page.locator("main form button[value=close]").click()  # no outcome yet: refused
    expect(page.locator("main .usa-error-message").first).to_be_visible()
    assert_accessible(page)
    page.locator("main textarea").fill("Jadwal tim diperbaiki; warga ditelepon.")
    page.locator("main form button[value=close]").click()
    expect(page.locator("main form button[value=close]")).to_have_count(0)
    follow_up.refresh_from_db()
    assert follow_up.status == "closed"
    assert_accessible(page)

    page.goto(f"/{lang}/survei/kios/")
    assert_accessible(page)
    page.locator("main input[name=code]").fill(appointment.reference)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main fieldset.usa-fieldset")).to_have_count(9)
    assert_accessible(page)
