"""Can a Pertiwi team reach a home in a day trip? Plain rules on plain values, no database.

A day trip leaves the mission (the depot), travels to the home, serves, and comes back. No shift
may be longer than the mission's ``max_day_trip_minutes``, so a home whose round trip plus
service exceeds it can never be served by a day trip, whatever shifts are planned: the request
is flagged ``out_of_reach`` as soon as it arrives, with an alternative:

* ``overnight_trip`` when the round trip plus service fits in twice the day-trip limit (the
  team could go one day, sleep nearby and serve on the next, on a planned overnight trip);
* otherwise ``outreach_session`` when any requested service needs the person present
  (biometrics): the person is invited to the nearest outreach session;
* otherwise ``mail_in``: the services can be done by post.

Travel times are the trip planner's (``routing.GreatCircleTravel``): great-circle distance times
a detour factor at an average speed. Whether a reachable request fits a given week's shifts and
windows is the planner's question, not this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from pandu.outreach.routing import GreatCircleTravel, Point

OUT_OF_REACH = "out_of_reach"
OVERNIGHT_TRIP = "overnight_trip"
OUTREACH_SESSION = "outreach_session"
MAIL_IN = "mail_in"
#: An overnight trip covers what fits in this many day-trip lengths.
OVERNIGHT_FACTOR = 2


@dataclass(frozen=True)
class TravelPolicy:
    speed_kmh: float = 60.0
    detour_factor: float = 1.3
    max_day_trip_minutes: int = 720


@dataclass(frozen=True)
class Reach:
    code: str  # "" when a day trip can reach the home, else OUT_OF_REACH
    alternative: str  # "" or one of OVERNIGHT_TRIP, OUTREACH_SESSION, MAIL_IN
    round_trip_minutes: float  # there and back, plus the service

    @property
    def reachable(self) -> bool:
        return not self.code


def assess(
    *,
    depot: Point,
    home: Point,
    service_minutes: float,
    needs_presence: bool,
    policy: TravelPolicy,
) -> Reach:
    travel = GreatCircleTravel(speed_kmh=policy.speed_kmh, detour_factor=policy.detour_factor)
    total = travel.minutes(depot, home) + service_minutes + travel.minutes(home, depot)
    limit = policy.max_day_trip_minutes
    if total <= limit:
        return Reach("", "", total)
    if total <= OVERNIGHT_FACTOR * limit:
        alternative = OVERNIGHT_TRIP
    elif needs_presence:
        alternative = OUTREACH_SESSION
    else:
        alternative = MAIL_IN
    return Reach(OUT_OF_REACH, alternative, total)
