"""Reach of a day trip: plain rules on points, limits and the alternatives they suggest."""

import pytest

from pandu.outreach import reach
from pandu.outreach.routing import Point

TORONTO = Point(43.6527, -79.3722)
POLICY = reach.TravelPolicy(speed_kmh=60, detour_factor=1.3, max_day_trip_minutes=720)


def assess(home, *, presence=True, minutes=45, policy=POLICY):
    return reach.assess(
        depot=TORONTO, home=home, service_minutes=minutes, needs_presence=presence, policy=policy
    )


def test_a_home_in_the_city_is_reachable():
    result = assess(Point(43.6525, -79.3686))
    assert result.reachable and result.alternative == ""
    assert result.round_trip_minutes == pytest.approx(45, abs=2)


def test_sudbury_needs_an_overnight_trip():
    result = assess(Point(46.5076, -80.9872))
    assert result.code == reach.OUT_OF_REACH and result.alternative == reach.OVERNIGHT_TRIP
    assert 720 < result.round_trip_minutes <= 1440


def test_far_north_gets_an_outreach_session_or_mail_in():
    far_north = Point(52.923, -82.4173)
    assert assess(far_north).alternative == reach.OUTREACH_SESSION
    assert assess(far_north, presence=False).alternative == reach.MAIL_IN


def test_the_limit_is_the_missions():
    sudbury = Point(46.5076, -80.9872)
    assert assess(sudbury, policy=reach.TravelPolicy(max_day_trip_minutes=1000)).reachable
    faster = reach.TravelPolicy(speed_kmh=100, detour_factor=1.2, max_day_trip_minutes=720)
    assert assess(sudbury, policy=faster).reachable
