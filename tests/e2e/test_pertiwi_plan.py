"""Pertiwi trips in the browser: a supervisor proposes and publishes this week's plan, the
officer opens the phone run sheet and records a visit as served, the citizen sees the date;
every page passes axe in both languages."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pandu.demo.loader import DEMO_PASSWORD
from pandu.outreach import planning
from pandu.outreach.models import PlanItem, TripPlan, VisitRequest

from ..outreach.pertiwi_week import build_week
from .conftest import LANGUAGES
from .test_accessibility import assert_accessible

SUPERVISOR = "supervisor@toronto.pandu.test"
OFFICER = "officer@toronto.pandu.test"


@pytest.fixture
def week(demo_site):
    """Team A (the demo officer's) works today, team B tomorrow."""
    mission = demo_site["toronto"]
    today = timezone.localdate(timezone.now(), mission.zone)
    return build_week(
        mission, planning.week_of(today), member_email=OFFICER, far_email=None, first_day=today
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_supervisor_publishes_a_week_and_the_officer_records_a_visit(page, sign_in, week, lang):
    today = week.monday
    sign_in(page, SUPERVISOR, DEMO_PASSWORD, lang=lang)
    page.locator(f"header a[href='/{lang}/pertiwi/rencana/']").click()
    expect(page.locator("#id_week")).to_be_visible()
    assert_accessible(page)

    page.locator("#id_week").fill(today.isoformat())
    page.locator("#id_seconds").fill("2")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/pertiwi/rencana/[0-9a-f-]+/$"))
    expect(page.locator("#publish-heading")).to_be_visible()  # solved: the proposal is shown
    expect(page.locator("main")).to_contain_text("Tim Utara")
    expect(page.locator("main svg[role=img]").first).to_be_visible()
    assert_accessible(page)
    plan = TripPlan.objects.get()
    assert plan.summary["served"] >= 2

    page.locator("label[for=id_confirm]").click()
    page.locator("#publish-heading ~ form button[type=submit]").click()
    expect(page.locator("main .usa-tag").first).to_have_text(re.compile("Diterbitkan|Published"))
    assert_accessible(page)
    plan.refresh_from_db()
    assert plan.status == TripPlan.Status.PUBLISHED
    siti = VisitRequest.objects.get(pk=week.requests["siti"].pk)
    assert siti.status == VisitRequest.Status.SCHEDULED and siti.scheduled_date == today

    # The officer finds today's route on the phone and records the first visit as served.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, OFFICER, DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/pertiwi/tugas/")
    assert_accessible(page)
    route = plan.routes.get(shift__team=week.team_a)
    page.locator(f"a[href='/{lang}/pertiwi/tugas/{route.public_id}/']").click()
    expect(page.locator("#stop-1")).to_be_visible()
    assert_accessible(page)
    first = route.stops.get(order=1)
    page.locator("label[for=id_stop1_outcome_0]").click()  # served
    page.locator("#id_stop1_notes").fill("Biometrik lengkap")
    page.locator("#stop-1 form button[type=submit]").click()
    expect(page.locator("#stop-1")).to_contain_text("Biometrik lengkap")
    assert_accessible(page)
    first.refresh_from_db()
    assert first.outcome == PlanItem.Outcome.SERVED
    assert VisitRequest.objects.get(pk=first.request_id).status == VisitRequest.Status.SERVED

    # The citizen of a visit still to come sees its date and may confirm it.
    later = plan.items.filter(route__isnull=False).exclude(pk=first.pk).first()
    citizen = later.request.citizen.user
    page.context.clear_cookies()
    sign_in(page, citizen.email, DEMO_PASSWORD, lang=lang)
    page.goto(f"/{lang}/pertiwi/jadwal/{later.request.public_id}/")
    expect(page.locator("#visit-when")).to_be_visible()
    assert_accessible(page)
    page.locator("main form input[value=confirm] ~ button").click()
    expect(page.locator("main .usa-tag").first).to_have_text(re.compile("Dikonfirmasi|Confirmed"))
    assert_accessible(page)


def test_run_sheet_pdf_downloads_for_the_team(page, sign_in, week):
    mission = week.team_a.mission
    from pandu.people.models import User

    plan = planning.plan_propose(
        mission=mission,
        week_start=week.monday,
        by=User.objects.get(email=SUPERVISOR),
        seconds=1,
    )
    planning.plan_publish(plan=plan, by=User.objects.get(email=SUPERVISOR))
    route = plan.routes.get(shift__team=week.team_a)
    sign_in(page, OFFICER, DEMO_PASSWORD, lang="id")
    response = page.request.get(f"/id/pertiwi/tugas/{route.public_id}/pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    assert page.request.get(f"/id/pertiwi/rencana/{plan.public_id}/").status == 403
