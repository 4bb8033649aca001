"""Who a crisis message reaches: the area (a radius or provinces) and the groups."""

from __future__ import annotations

import datetime as dt

import pytest

from pandu.broadcast.selectors import (
    Selection,
    bounding_box,
    haversine_km,
    places,
    recipients,
)
from pandu.outreach.models import EligibilityRequest

pytestmark = pytest.mark.django_db

TORONTO = (43.6532, -79.3832)
HAMILTON = (43.2557, -79.8711)  # about 58 km away


def around_toronto(km: float, *groups: str) -> Selection:
    return Selection(
        area="radius",
        groups=groups or ("all",),
        center_lat=TORONTO[0],
        center_lon=TORONTO[1],
        radius_km=km,
    )


def citizens(mission, selection) -> set[int]:
    return {citizen for _reg, citizen, _lang in recipients(mission, selection)}


def test_haversine_and_the_box_agree_with_known_distances():
    assert haversine_km(*TORONTO, *HAMILTON) == pytest.approx(58.0, abs=1.5)
    south, north, west, east = bounding_box(*TORONTO, 60)
    assert south < HAMILTON[0] < north and west < HAMILTON[1] < east


def test_a_radius_takes_citizens_inside_it_and_leaves_those_outside(toronto, register):
    near = register(lat=43.70, lon=-79.40)
    far = register(lat=HAMILTON[0], lon=HAMILTON[1], city="Hamilton")
    unplaced = register(lat=None, lon=None)
    assert citizens(toronto, around_toronto(25)) >= {near.citizen_id}
    assert far.citizen_id not in citizens(toronto, around_toronto(25))
    assert far.citizen_id in citizens(toronto, around_toronto(60))
    assert unplaced.citizen_id not in citizens(toronto, around_toronto(500))


def test_the_corner_of_the_box_is_outside_the_circle(toronto, register):
    south, north, west, east = bounding_box(*TORONTO, 10)
    corner = register(lat=north - 0.001, lon=east - 0.001)  # in the box, ~14 km away
    assert corner.citizen_id not in citizens(toronto, around_toronto(10))


def test_provinces_take_every_registration_there_placed_or_not(toronto, register):
    manitoba = register(province="MB", city="Winnipeg", lat=None, lon=None)
    ontario = register()
    chosen = citizens(toronto, Selection(area="provinces", groups=("all",), provinces=("MB",)))
    assert manitoba.citizen_id in chosen and ontario.citizen_id not in chosen


def test_places_leave_out_a_registration_with_half_a_point(toronto, register):
    # The admin can fill in a latitude and leave the longitude empty: no centre is made of it.
    register(lat=43.70, lon=None, city="Halfway")
    register(lat=43.2557, lon=-79.8711, city="Hamilton")
    names = [name for name, _lat, _lon in places(toronto)]
    assert "Hamilton" in names and "Halfway" not in names


def test_only_active_registrations_of_this_mission_count(toronto, ottawa, register):
    ended = register(status="ended")
    moved = register(status="moved")
    elsewhere = register(mission=ottawa)
    chosen = citizens(toronto, around_toronto(50))
    assert not {ended.citizen_id, moved.citizen_id, elsewhere.citizen_id} & chosen


def test_elderly_are_60_on_the_missions_today(toronto, register, time_machine):
    time_machine.move_to(dt.datetime(2027, 3, 14, 12, 0, tzinfo=dt.UTC), tick=False)
    turned_60_today = register(born=dt.date(1967, 3, 14))
    turns_60_tomorrow = register(born=dt.date(1967, 3, 15))
    chosen = citizens(toronto, around_toronto(50, "elderly"))
    assert turned_60_today.citizen_id in chosen
    assert turns_60_tomorrow.citizen_id not in chosen


def test_students_are_those_staying_to_study(toronto, register):
    student = register(purpose="study")
    worker = register(purpose="work")
    chosen = citizens(toronto, around_toronto(50, "students"))
    assert student.citizen_id in chosen and worker.citizen_id not in chosen


def approve(registration, reason, *, status="approved", valid_until=dt.date(2099, 1, 1)):
    EligibilityRequest.objects.create(
        mission=registration.mission,
        citizen=registration.citizen,
        submitted_by=registration.citizen.user,
        reason=reason,
        status=status,
        valid_until=valid_until,
    )


def test_pregnant_and_disability_come_from_approved_valid_pertiwi_eligibility(toronto, register):
    pregnant = register()
    approve(pregnant, "pregnancy")
    disabled = register()
    approve(disabled, "disability")
    refused = register()
    approve(refused, "pregnancy", status="refused")
    expired = register()
    approve(expired, "disability", valid_until=dt.date(2000, 1, 1))
    assert citizens(toronto, around_toronto(50, "pregnant")) & {
        pregnant.citizen_id,
        disabled.citizen_id,
        refused.citizen_id,
    } == {pregnant.citizen_id}
    assert citizens(toronto, around_toronto(50, "disability")) & {
        disabled.citizen_id,
        expired.citizen_id,
    } == {disabled.citizen_id}


def test_groups_are_joined_by_or_and_all_takes_everyone(toronto, register):
    student = register(purpose="study")
    elderly = register(born=dt.date(1940, 1, 1))
    other = register()
    both = citizens(toronto, around_toronto(50, "students", "elderly"))
    assert {student.citizen_id, elderly.citizen_id} <= both and other.citizen_id not in both
    assert {student.citizen_id, elderly.citizen_id, other.citizen_id} <= citizens(
        toronto, around_toronto(50, "all")
    )
