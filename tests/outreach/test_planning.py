"""Week plans: propose, adjust, publish and tell citizens; their answer; the outcome at the door."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError, PermissionDenied, ValidationFailed
from pandu.notify.models import OutboundMessage
from pandu.outreach import planning, routing
from pandu.outreach.models import PlanItem, TripPlan, VisitRequest
from pandu.people.models import User

from .pertiwi_week import build_week

SUPERVISOR = "supervisor@toronto.pandu.test"
OFFICER = "officer@toronto.pandu.test"


def user(email: str) -> User:
    return User.objects.get(email=email)


@pytest.fixture
def mission(demo):
    return demo["toronto"]


@pytest.fixture
def week(mission, citizen):
    today = timezone.localdate(timezone.now(), mission.zone)
    return build_week(mission, planning.week_of(today) + dt.timedelta(days=7), member_email=OFFICER)


def propose(mission, week, **kwargs) -> TripPlan:
    return planning.plan_propose(
        mission=mission, week_start=week.monday, by=user(SUPERVISOR), seconds=2, **kwargs
    )


def placement(plan: TripPlan) -> dict[int, tuple]:
    """request id -> (date, order) for placed items, or the unserved code."""
    out = {}
    for item in plan.items.select_related("route__shift"):
        out[item.request_id] = (
            (item.route.shift.date, item.order) if item.route_id else item.unassigned_code
        )
    return out


# --------------------------------------------------------------------------- propose and adjust


def test_propose_places_what_fits_and_says_why_the_rest_does_not(mission, week):
    plan = propose(mission, week)
    assert plan.solved_at is not None and plan.status == TripPlan.Status.DRAFT
    r = week.requests
    where = placement(plan)
    assert where[r["siti"].pk][0] == week.monday
    assert where[r["budi"].pk][0] == week.monday + dt.timedelta(days=1)
    assert isinstance(where[r["soekarno"].pk], tuple)
    assert where[r["far"].pk] == routing.OUT_OF_REACH
    assert plan.summary["served"] == 3 and plan.summary["unserved"] == 1
    assert plan.summary["shifts"] == 2
    for route in plan.routes.all():
        stops = list(route.stops.order_by("order"))
        assert [s.order for s in stops] == list(range(1, len(stops) + 1))
        assert route.depart <= stops[0].start and stops[-1].end <= route.return_time
        for stop in stops:
            window = stop.request.windows.get(date=route.shift.date)
            assert window.start <= stop.start <= window.end
    far = plan.items.get(request=r["far"])
    assert "satu giliran" in planning.unserved_reason(far.unassigned_code)
    assert AuditEvent.objects.filter(event="pertiwi_plan_solved").exists()


def test_only_open_located_requests_of_the_week_are_considered(mission, week):
    r = week.requests
    VisitRequest.objects.filter(pk=r["siti"].pk).update(status=VisitRequest.Status.SERVED)
    VisitRequest.objects.filter(pk=r["budi"].pk).update(lat=None, lon=None)
    VisitRequest.objects.filter(pk=r["far"].pk).update(reach_code="out_of_reach")
    plan = propose(mission, week)
    where = placement(plan)
    assert r["siti"].pk not in where and r["far"].pk not in where
    assert where[r["budi"].pk] == planning.NO_LOCATION
    assert "Lokasi" in planning.unserved_reason(planning.NO_LOCATION)


def test_pin_moves_a_visit_and_exclude_takes_it_out_then_back(mission, week):
    plan = propose(mission, week)
    soekarno = week.requests["soekarno"]
    tuesday = week.monday + dt.timedelta(days=1)
    for day in (week.monday, tuesday):  # pinning to either of its dates moves it there
        plan = planning.plan_adjust(plan=plan, request=soekarno, pin_date=day, by=user(SUPERVISOR))
        assert placement(plan)[soekarno.pk][0] == day
    assert plan.items.get(request=soekarno).pinned_date == tuesday

    plan = planning.plan_adjust(plan=plan, request=soekarno, exclude=True, by=user(SUPERVISOR))
    assert placement(plan)[soekarno.pk] == planning.EXCLUDED
    assert plan.summary["served"] == 2
    plan = planning.plan_adjust(plan=plan, request=soekarno, include=True, by=user(SUPERVISOR))
    assert placement(plan)[soekarno.pk][0] == tuesday  # the lock survived
    plan = planning.plan_adjust(plan=plan, request=soekarno, unpin=True, by=user(SUPERVISOR))
    assert plan.items.get(request=soekarno).pinned_date is None
    assert plan.summary["revision"] == 6


def test_adjustments_are_checked(mission, week):
    plan = propose(mission, week)
    siti = week.requests["siti"]
    with pytest.raises(ValidationFailed):  # Siti is home on Monday only
        planning.plan_adjust(
            plan=plan,
            request=siti,
            pin_date=week.monday + dt.timedelta(days=1),
            by=user(SUPERVISOR),
        )
    with pytest.raises(ValidationFailed):
        planning.plan_adjust(
            plan=plan, request=siti, exclude=True, include=True, by=user(SUPERVISOR)
        )
    with pytest.raises(PermissionDenied):
        planning.plan_adjust(plan=plan, request=siti, exclude=True, by=user(OFFICER))


def test_resolve_takes_in_what_changed_and_keeps_adjustments(mission, week):
    plan = propose(mission, week)
    supervisor = user(SUPERVISOR)
    soekarno, siti = week.requests["soekarno"], week.requests["siti"]
    tuesday = week.monday + dt.timedelta(days=1)
    plan = planning.plan_adjust(plan=plan, request=soekarno, pin_date=tuesday, by=supervisor)
    VisitRequest.objects.filter(pk=siti.pk).update(status=VisitRequest.Status.CANCELLED)
    with pytest.raises(PanduError) as exc:
        planning.plan_publish(plan=plan, by=supervisor)
    assert exc.value.code == "stale"
    plan = planning.plan_resolve(plan=plan, by=supervisor)
    where = placement(plan)
    assert siti.pk not in where and where[soekarno.pk][0] == tuesday
    assert planning.plan_publish(plan=plan, by=supervisor).status == TripPlan.Status.PUBLISHED


def test_a_stale_solve_stores_nothing(mission, week):
    plan = propose(mission, week)
    solved_at = plan.solved_at
    assert planning.plan_solve(plan_id=plan.pk, revision=0) == "stale"
    plan.refresh_from_db()
    assert plan.solved_at == solved_at


def test_proposals_are_refused_for_bad_input(mission, week):
    with pytest.raises(ValidationFailed):
        planning.plan_propose(
            mission=mission, week_start=week.monday, by=user(SUPERVISOR), seconds=600
        )
    with pytest.raises(ValidationFailed):
        planning.plan_propose(
            mission=mission, week_start=dt.date(2020, 1, 6), by=user(SUPERVISOR), seconds=1
        )
    with pytest.raises(PermissionDenied):
        planning.plan_propose(mission=mission, week_start=week.monday, by=user(OFFICER))
    assert not TripPlan.objects.exists()


def test_arrival_window_is_two_hours_from_the_half_hour_inside_the_home_window():
    t = dt.time
    assert planning.arrival_window(t(10, 17), (t(9, 0), t(14, 0))) == (t(10, 0), t(12, 0))
    assert planning.arrival_window(t(10, 17), (t(10, 10), t(11, 0))) == (t(10, 10), t(11, 0))
    assert planning.arrival_window(t(9, 45), None) == (t(9, 30), t(11, 30))


# --------------------------------------------------------------------------- publish and notify


def mail_for(email: str) -> OutboundMessage:
    messages = OutboundMessage.objects.filter(recipient=email, template="pertiwi_visit_scheduled")
    assert messages.count() == 1
    return messages.get()


def test_publish_schedules_served_visits_and_tells_each_citizen_in_their_language(
    mission, week, client
):
    plan = propose(mission, week)
    plan = planning.plan_publish(plan=plan, by=user(SUPERVISOR))
    assert plan.status == TripPlan.Status.PUBLISHED and plan.published_by == user(SUPERVISOR)
    r = {k: VisitRequest.objects.get(pk=v.pk) for k, v in week.requests.items()}
    for key in ("soekarno", "siti", "budi"):
        request = r[key]
        item = plan.items.get(request=request)
        assert request.status == VisitRequest.Status.SCHEDULED
        assert request.scheduled_date == item.route.shift.date
        start = dt.datetime.combine(request.scheduled_date, request.arrival_from)
        until = dt.datetime.combine(request.scheduled_date, request.arrival_until)
        assert dt.timedelta(0) < until - start <= dt.timedelta(minutes=120)
        assert request.arrival_from <= item.start <= request.arrival_until
        assert request.arrival_from.minute in (0, 30) or request.arrival_from == (
            request.windows.get(date=request.scheduled_date).start
        )
    assert r["far"].status == VisitRequest.Status.REQUESTED and r["far"].scheduled_date is None
    assert OutboundMessage.objects.filter(template="pertiwi_visit_scheduled").count() == 3
    assert not OutboundMessage.objects.filter(recipient="ayu@example.org").exists()

    siti = mail_for("siti.rahayu@example.org")
    assert siti.language == "id"
    assert siti.subject.startswith("Kunjungan Pertiwi Anda")
    assert "Senin" in siti.body  # the date, in Indonesian
    assert r["siti"].arrival_from.strftime("%H:%M") in siti.body
    assert "Paspor" in siti.body  # the service and its documents
    budi = mail_for("budi.santoso@example.org")
    assert budi.language == "en"
    assert "Tuesday" in budi.body and "/en/pertiwi/jadwal/" in budi.body
    assert "/id/pertiwi/jadwal/" in siti.body

    # The e-mail's signed link works without signing in and confirms.
    link = re.search(r"https?://\S+/pertiwi/jadwal/tautan/\S+/", siti.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "Konfirmasi jadwal ini" in page.text
    assert client.post("/" + path, {"action": "confirm"}).status_code == 302
    assert VisitRequest.objects.get(pk=r["siti"].pk).status == VisitRequest.Status.CONFIRMED


def test_the_same_week_is_published_once(mission, week):
    first = propose(mission, week)
    other_draft = propose(mission, week)
    planning.plan_publish(plan=first, by=user(SUPERVISOR))
    other_draft.refresh_from_db()
    assert other_draft.status == TripPlan.Status.DISCARDED
    again = propose(mission, week)  # only the far request is still open
    with pytest.raises(PanduError) as exc:
        planning.plan_publish(plan=again, by=user(SUPERVISOR))
    assert exc.value.code == "already_published"
    with pytest.raises(PanduError):
        planning.plan_publish(plan=first, by=user(SUPERVISOR))
    assert TripPlan.objects.filter(status=TripPlan.Status.PUBLISHED).count() == 1


def test_publish_refuses_an_unsolved_or_outdated_plan(mission, week):
    plan = propose(mission, week)
    TripPlan.objects.filter(pk=plan.pk).update(solved_at=None)
    plan.refresh_from_db()
    with pytest.raises(PanduError) as exc:
        planning.plan_publish(plan=plan, by=user(SUPERVISOR))
    assert exc.value.code == "solving"
    plan = propose(mission, week)
    VisitRequest.objects.filter(pk=week.requests["siti"].pk).update(status="cancelled")
    with pytest.raises(PanduError) as exc:
        planning.plan_publish(plan=plan, by=user(SUPERVISOR))
    assert exc.value.code == "stale"
    assert not OutboundMessage.objects.filter(template="pertiwi_visit_scheduled").exists()


# --------------------------------------------------------------------------- the citizen's answer


@pytest.fixture
def published(mission, week):
    plan = propose(mission, week)
    return planning.plan_publish(plan=plan, by=user(SUPERVISOR))


def test_citizen_confirms_or_asks_for_another_date(published, week):
    soekarno = VisitRequest.objects.get(pk=week.requests["soekarno"].pk)
    citizen_user = soekarno.citizen.user
    soekarno = planning.visit_confirm(request=soekarno, by=citizen_user)
    assert soekarno.status == VisitRequest.Status.CONFIRMED
    assert planning.visit_confirm(request=soekarno, by=citizen_user).status == "confirmed"
    with pytest.raises(ValidationFailed):
        planning.visit_change_request(request=soekarno, reason="  ", by=citizen_user)
    soekarno = planning.visit_change_request(
        request=soekarno, reason="Saya ke dokter hari itu", by=citizen_user
    )
    assert soekarno.status == VisitRequest.Status.CHANGE_REQUESTED
    assert soekarno.scheduled_date is None
    assert planning.change_reasons([soekarno]) == {soekarno.pk: "Saya ke dokter hari itu"}
    with pytest.raises(PanduError):
        planning.visit_confirm(request=soekarno, by=citizen_user)
    # Someone else cannot answer for him.
    siti = VisitRequest.objects.get(pk=week.requests["siti"].pk)
    with pytest.raises(PermissionDenied):
        planning.visit_confirm(request=siti, by=citizen_user)


def test_a_change_request_comes_back_in_the_next_plan_with_its_reason(mission, published, week):
    soekarno = VisitRequest.objects.get(pk=week.requests["soekarno"].pk)
    next_monday = week.monday + dt.timedelta(days=7)
    soekarno.windows.create(date=next_monday, start=dt.time(9), end=dt.time(12))
    planning.visit_change_request(
        request=soekarno, reason="Minggu depan saja", by=soekarno.citizen.user
    )
    from pandu.outreach import runsheet

    plan = planning.plan_propose(
        mission=mission, week_start=next_monday, by=user(SUPERVISOR), seconds=1
    )
    context = runsheet.plan_context(plan)
    (item,) = context["unserved"]  # no shift next week
    assert item.request_id == soekarno.pk and item.change_reason == "Minggu depan saja"
    assert item.unassigned_code == planning.NO_SHIFTS


# --------------------------------------------------------------------------- outcomes


def stop_of(plan, request) -> PlanItem:
    return plan.items.select_related("route__shift").get(request=request)


def on_day(item: PlanItem) -> dt.datetime:
    return dt.datetime.combine(item.route.shift.date, dt.time(17), tzinfo=dt.UTC)


def test_team_member_records_served_and_the_request_follows(published, week):
    siti = week.requests["siti"]
    item = stop_of(published, siti)
    assert item.route.shift.team == week.team_a  # Monday: team A, the officer's
    planning.visit_outcome_record(
        item=item, outcome="served", notes="Sidik jari lengkap", by=user(OFFICER), now=on_day(item)
    )
    item.refresh_from_db()
    assert item.outcome == "served" and item.outcome_by == user(OFFICER)
    assert VisitRequest.objects.get(pk=siti.pk).status == VisitRequest.Status.SERVED
    assert AuditEvent.objects.filter(event="pertiwi_visit_outcome").count() == 1


def test_rescheduled_outcome_sends_the_request_back_to_planning(published, week):
    item = stop_of(published, week.requests["siti"])
    planning.visit_outcome_record(
        item=item, outcome="rescheduled", by=user(SUPERVISOR), now=on_day(item)
    )
    request = VisitRequest.objects.get(pk=item.request_id)
    assert request.status == VisitRequest.Status.CHANGE_REQUESTED
    assert request.scheduled_date is None


@pytest.mark.parametrize("email", ["officer@ottawa.pandu.test", "budi.santoso@example.org"])
def test_outsiders_cannot_record_outcomes(published, week, email):
    item = stop_of(published, week.requests["siti"])
    with pytest.raises(PermissionDenied):
        planning.visit_outcome_record(item=item, outcome="served", by=user(email), now=on_day(item))


def test_other_teams_officer_cannot_record_and_nothing_before_the_day(published, week):
    budi = stop_of(published, week.requests["budi"])  # Tuesday: team B, not the officer's
    with pytest.raises(PermissionDenied):
        planning.visit_outcome_record(
            item=budi, outcome="served", by=user(OFFICER), now=on_day(budi)
        )
    siti = stop_of(published, week.requests["siti"])
    with pytest.raises(PanduError) as exc:
        planning.visit_outcome_record(item=siti, outcome="served", by=user(OFFICER))
    assert exc.value.code == "future"
    with pytest.raises(ValidationFailed):
        planning.visit_outcome_record(item=siti, outcome="lost", by=user(OFFICER), now=on_day(siti))


def test_outcomes_only_on_published_plans(mission, week):
    plan = propose(mission, week)
    item = stop_of(plan, week.requests["siti"])
    with pytest.raises(PanduError) as exc:
        planning.visit_outcome_record(
            item=item, outcome="served", by=user(SUPERVISOR), now=on_day(item)
        )
    assert exc.value.code == "not_planned"


def accepted_application(email: str, passport: str):
    """The citizen's renewal with its documents accepted: biometrics are what it waits for."""
    from pandu.applications import services as application_services
    from pandu.applications.demo import _apply, _review_all
    from pandu.applications.workflow import Event

    application = _apply(
        email,
        "paspor-ganti",
        {
            "birth_place": "Jakarta",
            "old_passport_expiry": dt.date.today() + dt.timedelta(days=90),
            "old_passport_number": passport,
        },
    )
    _review_all(application, user(OFFICER))
    return application_services.application_transition(
        application=application, event=Event.ACCEPT_DOCUMENTS, by=user(OFFICER)
    )


def test_a_served_visit_records_the_biometrics_of_the_linked_application(
    published, week, django_capture_on_commit_callbacks
):
    from pandu.applications.models import Transition

    siti = week.requests["siti"]
    application = accepted_application("siti.rahayu@example.org", "B7654321")
    siti.applications.add(application)
    item = stop_of(published, siti)
    # Applications record the biometrics when the visit's outcome is committed (visit_served).
    with django_capture_on_commit_callbacks(execute=True):
        planning.visit_outcome_record(
            item=item, outcome="served", by=user(OFFICER), now=on_day(item)
        )
    application.refresh_from_db()
    assert application.state == "biometrics_captured"
    last = Transition.objects.filter(application=application).latest("pk")
    assert last.by == user(OFFICER) and "Pertiwi" in last.note


def test_a_visit_request_links_the_applications_waiting_for_biometrics(mission, citizen):
    from pandu.catalog.models import Service
    from pandu.outreach import services as eligibility_services
    from pandu.outreach.visits import visit_request_submit

    soekarno = user("soekarno@example.org").citizen
    waiting = accepted_application("soekarno@example.org", "A0012345")
    approval = eligibility_services.eligibility_request_submit(
        citizen=soekarno, submitted_by=soekarno.user, reason="elderly", consent=True
    )
    eligibility_services.eligibility_decide(
        request=approval, by=user(SUPERVISOR), approve=True, reason_text="Usia"
    )
    tomorrow = timezone.localdate(timezone.now(), mission.zone) + dt.timedelta(days=1)
    request = visit_request_submit(
        citizen=soekarno,
        submitted_by=soekarno.user,
        services=[Service.objects.get(mission=mission, code="paspor-ganti")],
        windows=[(tomorrow, dt.time(9), dt.time(12))],
    )
    assert list(request.applications.all()) == [waiting]
