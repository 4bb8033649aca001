"""Pages of week plans and run sheets: supervisors plan, team members work, nobody else sees."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pandu.outreach import maps, planning, runsheet
from pandu.outreach.models import PlannedRoute, TripPlan, VisitRequest
from pandu.people.models import User

from .pertiwi_week import build_week

SUPERVISOR = "supervisor@toronto.pandu.test"
OFFICER = "officer@toronto.pandu.test"
SVG = "{http://www.w3.org/2000/svg}"


def sign_in(client, email):
    client.force_login(User.objects.get(email=email))


@pytest.fixture
def mission(demo):
    return demo["toronto"]


@pytest.fixture
def week(mission, citizen):
    today = timezone.localdate(timezone.now(), mission.zone)
    return build_week(mission, planning.week_of(today) + dt.timedelta(days=7), member_email=OFFICER)


@pytest.fixture
def plan(mission, week):
    return planning.plan_propose(
        mission=mission,
        week_start=week.monday,
        by=User.objects.get(email=SUPERVISOR),
        seconds=2,
    )


@pytest.fixture
def published(plan, week):
    """Published, with Soekarno locked to Monday so that team A has two stops."""
    supervisor = User.objects.get(email=SUPERVISOR)
    plan = planning.plan_adjust(
        plan=plan, request=week.requests["soekarno"], pin_date=week.monday, by=supervisor
    )
    return planning.plan_publish(plan=plan, by=supervisor)


def route_of(plan, team) -> PlannedRoute:
    return plan.routes.get(shift__team=team)


def test_supervisor_proposes_from_the_list_and_sees_the_proposal(
    client, mission, week, django_capture_on_commit_callbacks
):
    sign_in(client, SUPERVISOR)
    listing = client.get(reverse("outreach:plan_list"))
    assert listing.status_code == 200 and "Usulkan rencana" in listing.text
    # Next week is offered, as an ISO date (what a date input takes).
    assert f'value="{week.monday.isoformat()}"' in listing.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outreach:plan_list"), {"week": week.monday.isoformat(), "seconds": "2"}
        )
    assert response.status_code == 302
    plan = TripPlan.objects.get()
    assert plan.solved_at is not None  # the immediate task backend solved it on commit
    page = client.get(response["Location"])
    assert page.status_code == 200
    for name in ("Siti Rahayu", "Soekarno", "Budi Santoso", "Ayu Lestari", "Tim Utara"):
        assert name in page.text
    assert "satu giliran" in page.text  # the reason Ayu is not served
    assert page.text.count("<svg") == 2 and "Terbitkan rencana" in page.text
    status = client.get(reverse("outreach:plan_status", kwargs={"public_id": plan.public_id}))
    assert status.json() == {"solved": True, "status": "draft"}


def test_unsolved_plan_page_shows_progress(client, plan):
    TripPlan.objects.filter(pk=plan.pk).update(solved_at=None)
    sign_in(client, SUPERVISOR)
    page = client.get(reverse("outreach:plan_detail", kwargs={"public_id": plan.public_id}))
    assert "Rencana sedang dihitung" in page.text and "data-poll-url" in page.text
    assert "Terbitkan rencana" not in page.text


@pytest.mark.parametrize(
    "data",
    [
        {"week": "not a date", "seconds": "2"},
        {"week": "2026-01-05", "seconds": "9999"},
        {"week": "2020-01-06", "seconds": "2"},
        {},
    ],
)
def test_bad_proposals_show_errors_not_500(client, mission, week, data):
    sign_in(client, SUPERVISOR)
    response = client.post(reverse("outreach:plan_list"), data)
    assert response.status_code == 200 and "form-errors" in response.text
    assert not TripPlan.objects.exists()


def test_adjust_and_publish_through_the_pages(
    client, plan, week, django_capture_on_commit_callbacks
):
    sign_in(client, SUPERVISOR)
    adjust = reverse("outreach:plan_adjust", kwargs={"public_id": plan.public_id})
    detail = reverse("outreach:plan_detail", kwargs={"public_id": plan.public_id})
    soekarno = week.requests["soekarno"]
    tuesday = week.monday + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            adjust,
            {"request": str(soekarno.public_id), "action": "pin", "date": tuesday.isoformat()},
        )
    assert response.status_code == 302
    assert plan.items.get(request=soekarno).route.shift.date == tuesday
    with django_capture_on_commit_callbacks(execute=True):
        client.post(adjust, {"request": str(soekarno.public_id), "action": "exclude"})
    assert plan.items.get(request=soekarno).route is None
    for bad in (
        {"request": "nope", "action": "exclude"},
        {"request": str(soekarno.public_id), "action": "explode"},
        {"request": str(soekarno.public_id), "action": "pin", "date": "someday"},
        {"request": str(soekarno.public_id), "action": "pin", "date": "2020-01-01"},
    ):
        assert client.post(adjust, bad).status_code == 302
    page = client.get(detail)
    assert "Masukkan lagi" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        resolve = reverse("outreach:plan_resolve", kwargs={"public_id": plan.public_id})
        assert client.post(resolve).status_code == 302
    assert TripPlan.objects.get(pk=plan.pk).solved_at is not None

    publish = reverse("outreach:plan_publish", kwargs={"public_id": plan.public_id})
    client.post(publish, {})  # without the confirmation box: refused
    assert TripPlan.objects.get(pk=plan.pk).status == TripPlan.Status.DRAFT
    response = client.post(publish, {"confirm": "on"}, follow=True)
    assert "Rencana diterbitkan" in response.text
    assert TripPlan.objects.get(pk=plan.pk).status == TripPlan.Status.PUBLISHED
    assert VisitRequest.objects.get(pk=soekarno.pk).status == VisitRequest.Status.REQUESTED
    response = client.post(publish, {"confirm": "on"}, follow=True)
    assert "Hanya draf" in response.text


@pytest.mark.parametrize("email", ["officer@toronto.pandu.test", "budi.santoso@example.org"])
def test_plan_pages_are_forbidden_without_the_planning_permission(client, plan, email):
    sign_in(client, email)
    assert client.get(reverse("outreach:plan_list")).status_code == 403
    detail = reverse("outreach:plan_detail", kwargs={"public_id": plan.public_id})
    assert client.get(detail).status_code == 403
    publish = reverse("outreach:plan_publish", kwargs={"public_id": plan.public_id})
    assert client.post(publish, {"confirm": "on"}).status_code == 403


def test_other_missions_supervisor_gets_404(client, plan):
    sign_in(client, "supervisor@ottawa.pandu.test")
    detail = reverse("outreach:plan_detail", kwargs={"public_id": plan.public_id})
    assert client.get(detail).status_code == 404
    route = plan.routes.first()
    assert (
        client.get(reverse("outreach:runsheet", kwargs={"public_id": route.public_id})).status_code
        == 404
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, plan):
    response = client.get(reverse("outreach:plan_list"))
    assert response.status_code == 302 and "login" in response["Location"]


# --------------------------------------------------------------------------- run sheets


def test_officer_finds_the_route_and_records_an_outcome(client, published, week):
    route = route_of(published, week.team_a)
    sign_in(client, OFFICER)
    mine = client.get(reverse("outreach:my_routes"))
    assert mine.status_code == 200
    assert str(route.public_id) in mine.text
    assert str(route_of(published, week.team_b).public_id) not in mine.text
    page = client.get(reverse("outreach:runsheet", kwargs={"public_id": route.public_id}))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store, private"
    assert "Pakai lift barang di belakang" in page.text  # access notes, decrypted
    assert "tel:+14165550199" in page.text and "Simpan hasil kunjungan 1" in page.text

    siti = week.requests["siti"]
    item = route.stops.get(request=siti)
    url = reverse(
        "outreach:runsheet_outcome",
        kwargs={"public_id": route.public_id, "request_id": siti.public_id},
    )
    # Next week's visit cannot be recorded today: the page says so, nothing changes.
    response = client.post(url, {"outcome": "served", "notes": ""}, follow=True)
    assert "pada hari kunjungan" in response.text
    item.refresh_from_db()
    assert item.outcome == ""
    assert client.post(url, {"outcome": "bogus"}).status_code == 302


def test_route_pages_are_404_for_everyone_else(client, published, week, django_user_model):
    from django.contrib.auth.models import Group

    from pandu.people.services import staff_membership_add

    other = django_user_model.objects.create_user("officer2@toronto.pandu.test", "x" * 12)
    staff_membership_add(
        user=other, mission=week.team_a.mission, role=Group.objects.get(name="Officer")
    )
    route_b = route_of(published, week.team_b)
    for email in (OFFICER, "officer2@toronto.pandu.test", "budi.santoso@example.org"):
        sign_in(client, email)
        for name in ("outreach:runsheet", "outreach:runsheet_pdf"):
            assert (
                client.get(reverse(name, kwargs={"public_id": route_b.public_id})).status_code
                == 404
            )
    sign_in(client, "budi.santoso@example.org")
    assert client.get(reverse("outreach:my_routes")).status_code == 403


def test_team_members_do_not_see_draft_routes(client, plan, week):
    route = route_of(plan, week.team_a)
    sign_in(client, OFFICER)
    assert (
        client.get(reverse("outreach:runsheet", kwargs={"public_id": route.public_id})).status_code
        == 404
    )
    sign_in(client, SUPERVISOR)
    assert (
        client.get(reverse("outreach:runsheet", kwargs={"public_id": route.public_id})).status_code
        == 200
    )


def test_run_sheet_pdf_lists_the_stops_in_order(client, published, week):
    route = route_of(published, week.team_a)
    stops = list(route.stops.order_by("order").select_related("request__citizen"))
    assert len(stops) >= 2
    sign_in(client, OFFICER)
    response = client.get(reverse("outreach:runsheet_pdf", kwargs={"public_id": route.public_id}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    positions = []
    for stop in stops:
        name = stop.request.citizen.full_name
        assert name in text and stop.request.address_line in text
        positions.append(text.index(name))
        assert text.index(stop.request.address_line) > text.index(name)
    assert positions == sorted(positions)
    assert "Tim Utara" in text and "Pakai lift barang" in text


def parse_svg(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 (our own output, not untrusted input)


def test_route_map_has_one_circle_per_stop(published, week):
    route = route_of(published, week.team_a)
    stops = runsheet.route_stops(route)
    svg = runsheet.route_map(route, stops)
    root = parse_svg(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert len(root.findall(f".//{SVG}circle")) == len(stops)
    assert root.find(f"{SVG}title").text.startswith("Peta rute Tim Utara")
    assert root.find(f"{SVG}desc") is not None
    numbers = [t.text for t in root.iter(f"{SVG}text")]
    assert numbers == [str(n) for n in range(1, len(stops) + 1)]


def test_map_projection_keeps_points_inside_and_escapes_labels():
    depot = maps.MapPoint("Kantor <KJRI>", 43.65, -79.37)
    stops = [maps.MapPoint("A & B", 43.70, -79.40), maps.MapPoint("C", 43.60, -79.20)]
    root = parse_svg(maps.route_svg(depot=depot, stops=stops, title="T", desc="D"))
    for circle in root.iter(f"{SVG}circle"):
        assert 0 <= float(circle.get("cx")) <= maps.WIDTH
        assert 0 <= float(circle.get("cy")) <= maps.HEIGHT
    # North is up: the northern stop is drawn above the southern one.
    c1, c2 = list(root.iter(f"{SVG}circle"))
    assert float(c1.get("cy")) < float(c2.get("cy"))
    same = maps.route_svg(depot=depot, stops=[maps.MapPoint("x", 43.65, -79.37)], title="", desc="")
    assert len(parse_svg(same).findall(f".//{SVG}circle")) == 1


# --------------------------------------------------------------------------- the citizen


def test_citizen_answers_from_the_account_page(client, published, week):
    budi = week.requests["budi"]
    url = reverse("outreach:visit_schedule", kwargs={"public_id": budi.public_id})
    sign_in(client, "siti.rahayu@example.org")
    assert client.get(url).status_code == 404
    sign_in(client, "budi.santoso@example.org")
    page = client.get(url)
    assert page.status_code == 200 and "Konfirmasi jadwal ini" in page.text
    response = client.post(url, {"action": "change", "reason": ""})
    assert response.status_code == 200 and "form-errors" in response.text
    response = client.post(url, {"action": "change", "reason": "Hari Selasa saya kerja"})
    assert response.status_code == 302
    assert VisitRequest.objects.get(pk=budi.pk).status == VisitRequest.Status.CHANGE_REQUESTED
    response = client.post(url, {"action": "confirm"}, follow=True)
    assert "tidak menunggu konfirmasi" in response.text


def test_bad_signed_link_is_a_400_page(client, published):
    response = client.get(reverse("outreach:visit_answer", kwargs={"token": "forged:token"}))
    assert response.status_code == 400
