"""Pertiwi from the citizen's request to the biometrics on the application, in the browser:
an elderly citizen asks for Pertiwi and a home visit, a supervisor approves, plans and publishes
the week, the team records the visit at the door, and the citizen's passport application shows
its biometrics captured."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from pandu.appointments.calendar import local_to_utc
from pandu.demo.loader import DEMO_PASSWORD

ELDERLY = "soekarno@example.org"
SUPERVISOR = "supervisor@toronto.pandu.test"
OFFICER = "officer@toronto.pandu.test"


def choose(page, label: str) -> None:
    page.locator("label.usa-radio__label", has_text=label).click()


def waiting_application():
    """Soekarno's passport renewal, documents accepted: it waits for biometrics."""
    from pandu.applications import services
    from pandu.applications.demo import _apply, _review_all
    from pandu.applications.workflow import Event
    from pandu.people.models import User

    officer = User.objects.get(email=OFFICER)
    application = _apply(
        ELDERLY,
        "paspor-ganti",
        {
            "birth_place": "Surabaya",
            "old_passport_expiry": dt.date.today() + dt.timedelta(days=90),
            "old_passport_number": "A0012345",
        },
    )
    _review_all(application, officer)
    return services.application_transition(
        application=application, event=Event.ACCEPT_DOCUMENTS, by=officer
    )


def team_on(mission, day: dt.date):
    from pandu.outreach.models import Kit, Shift, Team
    from pandu.people.models import User

    team = Team.objects.create(mission=mission, name="Tim Utara")
    team.members.add(User.objects.get(email=OFFICER))
    kit = Kit.objects.create(mission=mission, label="Kit 1")
    Shift.objects.create(
        mission=mission, team=team, kit=kit, date=day, start=dt.time(8), end=dt.time(17)
    )


def test_from_request_to_biometrics_captured_at_home(page, sign_in, demo_site, monkeypatch):
    from pandu.applications.models import Application
    from pandu.outreach.models import PlanItem, TripPlan

    mission = demo_site["toronto"]
    today = timezone.localdate(timezone.now(), mission.zone)
    visit_day = today + dt.timedelta(days=2)
    application = waiting_application()
    team_on(mission, visit_day)

    # The citizen (here helped by his son) asks for Pertiwi.
    sign_in(page, ELDERLY, DEMO_PASSWORD, lang="id")
    page.goto("/id/pertiwi/ajukan/")
    choose(page, "Sebagai keluarga")
    page.locator("#id_acting_name").fill("Guntur")
    page.locator("#id_acting_relation").fill("anak")
    choose(page, "Usia 60 tahun atau lebih")
    page.locator("label[for=id_consent]").click()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Menunggu keputusan")

    # A supervisor approves.
    page.context.clear_cookies()
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang="id")
    page.goto("/id/pertiwi/penilaian/")
    page.get_by_role("link", name="Soekarno").click()
    choose(page, "Setujui")
    page.locator("#id_reason_text").fill("Usia 75 tahun")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("Keputusan tersimpan")

    # The citizen asks for a home visit for his passport renewal.
    page.context.clear_cookies()
    sign_in(page, ELDERLY, DEMO_PASSWORD, lang="id")
    page.goto("/id/pertiwi/")
    page.get_by_role("link", name="Minta kunjungan rumah").click()
    page.locator("label.usa-checkbox__label", has_text="Penggantian paspor elektronik").click()
    page.locator("#id_window_0_date").fill(visit_day.isoformat())
    page.locator("#id_window_0_start").fill("09:00")
    page.locator("#id_window_0_end").fill("12:00")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Menunggu penjadwalan")

    # The supervisor plans the week and publishes it.
    page.context.clear_cookies()
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang="id")
    page.goto("/id/pertiwi/rencana/")
    page.locator("#id_week").fill(visit_day.isoformat())
    page.locator("#id_seconds").fill("2")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/id/pertiwi/rencana/[0-9a-f-]+/$"))
    expect(page.locator("#publish-heading")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Soekarno")
    page.locator("label[for=id_confirm]").click()
    page.locator("#publish-heading ~ form button[type=submit]").click()
    expect(page.locator("main .usa-tag").first).to_have_text(re.compile("Diterbitkan"))
    plan = TripPlan.objects.get(status="published")
    route = plan.routes.get()

    # On the day, the officer records the visit as served from the phone page.
    on_the_day = local_to_utc(visit_day, dt.time(11, 30), mission.zone)
    monkeypatch.setattr(timezone, "now", lambda: on_the_day)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, OFFICER, DEMO_PASSWORD, lang="id")
    page.goto(f"/id/pertiwi/tugas/{route.public_id}/")
    page.locator("label[for=id_stop1_outcome_0]").click()  # served
    page.locator("#id_stop1_notes").fill("Sidik jari dan foto lengkap")
    page.locator("#stop-1 form button[type=submit]").click()
    expect(page.locator("#stop-1")).to_contain_text("Sidik jari dan foto lengkap")
    assert PlanItem.objects.get(route=route).outcome == "served"

    # The citizen's application shows the biometrics as captured.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, ELDERLY, DEMO_PASSWORD, lang="id")
    page.goto(f"/id/permohonan/{application.public_id}/")
    expect(page.locator("main")).to_contain_text("Biometrik sudah diambil")
    assert Application.objects.get(pk=application.pk).state == "biometrics_captured"
