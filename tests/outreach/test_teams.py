"""Teams, kits and shifts: the mission's staff only, one shift per team and per kit a date."""

import datetime as dt

import pytest

from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError, PermissionDenied, ValidationFailed
from pandu.outreach import teams
from pandu.outreach.models import Kit, PlannedRoute, Shift, Team, TripPlan
from pandu.people.models import User

NOW = dt.datetime(2027, 2, 1, 15, 0, tzinfo=dt.UTC)
DAY = dt.date(2027, 2, 3)
T = dt.time


def user(email):
    return User.objects.get(email=email)


@pytest.fixture
def supervisor(demo):
    return user("supervisor@toronto.pandu.test")


@pytest.fixture
def team(demo, supervisor):
    return teams.team_create(
        mission=demo["toronto"],
        name="Tim Melati",
        members=[user("officer@toronto.pandu.test")],
        by=supervisor,
    )


@pytest.fixture
def kit(demo, supervisor):
    return teams.kit_create(mission=demo["toronto"], label="Koper 1", by=supervisor)


EIGHT, SIX_PM = T(8), T(18)


def shift(team, kit, by, day=DAY, start=EIGHT, end=SIX_PM):
    return teams.shift_create(team=team, kit=kit, date=day, start=start, end=end, by=by, now=NOW)


def test_team_members_are_the_missions_staff(demo, supervisor, team):
    assert list(team.members.values_list("email", flat=True)) == ["officer@toronto.pandu.test"]
    for outsider in ("soekarno@example.org", "officer@ottawa.pandu.test"):
        with pytest.raises(ValidationFailed) as caught:
            teams.team_update(team=team, name="Tim Melati", members=[user(outsider)], by=supervisor)
        assert "members" in caught.value.errors
    renamed = teams.team_update(
        team=team, name="  Tim   Mawar ", members=[supervisor], by=supervisor
    )
    assert renamed.name == "Tim Mawar" and list(renamed.members.all()) == [supervisor]
    assert AuditEvent.objects.filter(event="pertiwi_team_changed").count() == 1


def test_names_are_unique_in_a_mission(demo, supervisor, team, kit):
    with pytest.raises(ValidationFailed) as caught:
        teams.team_create(mission=demo["toronto"], name="Tim Melati", by=supervisor)
    assert "name" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        teams.kit_create(mission=demo["toronto"], label="Koper 1", by=supervisor)
    assert "label" in caught.value.errors
    assert Team.objects.count() == 1 and Kit.objects.count() == 1


@pytest.mark.parametrize(
    "email", ["officer@toronto.pandu.test", "supervisor@ottawa.pandu.test", "soekarno@example.org"]
)
def test_only_the_missions_supervisors(demo, team, kit, email):
    someone = user(email)
    with pytest.raises(PermissionDenied):
        teams.team_create(mission=demo["toronto"], name="Tim Lain", by=someone)
    with pytest.raises(PermissionDenied):
        teams.kit_create(mission=demo["toronto"], label="Koper 9", by=someone)
    with pytest.raises(PermissionDenied):
        teams.kit_set_active(kit=kit, active=False, by=someone)
    with pytest.raises(PermissionDenied):
        shift(team, kit, someone)
    assert not Shift.objects.exists()


def test_one_shift_per_team_and_per_kit_a_date(demo, supervisor, team, kit):
    first = shift(team, kit, supervisor)
    assert first.mission == demo["toronto"]
    other_team = teams.team_create(mission=demo["toronto"], name="Tim Kenanga", by=supervisor)
    other_kit = teams.kit_create(mission=demo["toronto"], label="Koper 2", by=supervisor)
    with pytest.raises(ValidationFailed) as caught:
        shift(team, other_kit, supervisor)
    assert "team" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        shift(other_team, kit, supervisor)
    assert "kit" in caught.value.errors
    assert Shift.objects.count() == 1
    shift(other_team, other_kit, supervisor)
    shift(team, kit, supervisor, day=DAY + dt.timedelta(days=1))
    assert Shift.objects.count() == 3


@pytest.mark.parametrize(
    ("day", "start", "end", "field"),
    [
        (DAY, T(18), T(8), "end"),
        (DAY, T(6), T(19, 1), "end"),  # longer than the 12-hour day trip
        (dt.date(2027, 1, 31), T(8), T(18), "date"),
    ],
)
def test_shift_rules(supervisor, team, kit, day, start, end, field):
    with pytest.raises(ValidationFailed) as caught:
        shift(team, kit, supervisor, day=day, start=start, end=end)
    assert field in caught.value.errors
    assert not Shift.objects.exists()


def test_a_kit_out_of_service_takes_no_new_shift(supervisor, team, kit):
    teams.kit_set_active(kit=kit, active=False, by=supervisor)
    with pytest.raises(ValidationFailed) as caught:
        shift(team, kit, supervisor)
    assert "kit" in caught.value.errors
    teams.kit_set_active(kit=kit, active=True, by=supervisor)
    assert shift(team, kit, supervisor)
    assert AuditEvent.objects.filter(event="pertiwi_kit_out_of_service").count() == 1


def test_another_missions_kit_is_refused(demo, supervisor, team):
    ottawa_kit = teams.kit_create(
        mission=demo["ottawa"], label="Koper O", by=user("supervisor@ottawa.pandu.test")
    )
    with pytest.raises(ValidationFailed) as caught:
        shift(team, ottawa_kit, supervisor)
    assert "kit" in caught.value.errors


def _route(plan_status, the_shift, supervisor):
    plan = TripPlan.objects.create(
        mission=the_shift.mission, week_start=DAY, status=plan_status, created_by=supervisor
    )
    return PlannedRoute.objects.create(
        plan=plan, shift=the_shift, depart=T(8), return_time=T(17), travel_minutes=120
    )


def test_a_shift_in_a_published_plan_stays(supervisor, team, kit):
    the_shift = shift(team, kit, supervisor)
    _route(TripPlan.Status.PUBLISHED, the_shift, supervisor)
    with pytest.raises(PanduError) as caught:
        teams.shift_delete(shift=the_shift, by=supervisor)
    assert caught.value.code == "shift_in_published_plan"
    assert Shift.objects.filter(pk=the_shift.pk).exists()


def test_deleting_a_shift_drops_it_from_draft_plans(supervisor, team, kit):
    the_shift = shift(team, kit, supervisor)
    _route(TripPlan.Status.DRAFT, the_shift, supervisor)
    with pytest.raises(PermissionDenied):
        teams.shift_delete(shift=the_shift, by=user("officer@toronto.pandu.test"))
    teams.shift_delete(shift=the_shift, by=supervisor)
    assert not Shift.objects.exists() and not PlannedRoute.objects.exists()
    event = AuditEvent.objects.get(event="pertiwi_shift_deleted")
    assert event.data["draft_routes_dropped"] == 1
