"""Pertiwi trip planning: which team visits whom, on which day, in which order.

Pure Python on plain data (no Django), so the planner can be tested and benchmarked alone and
used by the ``plan_visits`` command, the supervisor's pages and background tasks alike.

The problem is a multi-day vehicle routing problem with time windows. Each *shift* (one team
on one date, leaving the depot no earlier than its start and back by its end) is a vehicle;
each *visit* must start inside one of its windows, on that window's date. The objective is
hierarchical: serve as many visits as possible, then use as few shifts as possible, then
travel as little as possible. The search itself is PyVRP's (a proven solver); what is written
here by hand is only the modelling around it, and why:

* **One time axis for the week.** Times are integers in hundredths of a minute since midnight
  of the earliest shift date (the epoch). A date is a disjoint 24-hour interval on that axis,
  so a shift (its time window) can only ever reach windows on its own date: wrong-day service
  is infeasible by time alone, without restricting clients to vehicle types.
* **Several windows per visit.** Each (visit, window) pair that some shift could serve becomes
  an optional PyVRP client; the clients of one visit form a mutually exclusive, optional client
  group, so a visit is served at most once, in one of its windows.
* **Hierarchy by weights.** A fixed cost per used shift larger than any plan's total travel,
  and a prize per served visit larger than any plan's total cost, make the weighted sum rank
  plans exactly as the hierarchy does.
* **Rounding that never lies.** Travel times are rounded *up* for the solver, so any plan the
  solver accepts is feasible with exact travel times too. The times we report are recomputed
  exactly (floating point) along the solver's routes: each stop starts as early as possible
  (arrival, or the window's opening if earlier; waiting is allowed), and the team *departs* at
  the latest whole minute that still reaches the first stop at that start time, which avoids
  waiting at the first door. The screening below uses the solver's rounded travel times, so
  the codes agree with what the solver could do; the difference from exact arithmetic is at
  most 0.01 minute per leg.
* **Screening before solving.** Windows that no shift could serve (alone, on an empty route)
  are left out of the model, and a visit with none left is reported: ``out_of_reach`` when no
  shift can get there, do the service and get back within its hours at all (windows ignored),
  ``no_window_reachable`` otherwise. A visit that could be served alone but is not in the plan
  is ``no_capacity``. Shifts that could serve no window are left out too.

Travel times come from a :class:`TravelTimes` implementation: by default great-circle distance
times a detour factor at an average speed; a road-network table service (OSRM, Valhalla) can
be plugged in through the same interface. Reasons are returned as codes; translating them is
the caller's job. Validation of the ``plan_visits`` JSON input lives here too, as
:func:`problem_from_dict`, raising :class:`PlanInputError` with a message that names the field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

EARTH_RADIUS_KM = 6371.0088
MINUTES_PER_DAY = 24 * 60
#: Solver time units per minute (hundredths of a minute).
SCALE = 100
#: Stop the search after this many iterations without improvement, so that small instances
#: end well before ``seconds`` and give the same plan for the same seed on any machine.
NO_IMPROVEMENT_ITERATIONS = 20_000
_EPS = 1e-6

OUT_OF_REACH = "out_of_reach"
NO_WINDOW_REACHABLE = "no_window_reachable"
NO_CAPACITY = "no_capacity"
CODES = (OUT_OF_REACH, NO_WINDOW_REACHABLE, NO_CAPACITY)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Depot:
    name: str
    lat: float
    lon: float

    @property
    def point(self) -> Point:
        return Point(self.lat, self.lon)


@dataclass(frozen=True)
class Shift:
    """One team on one date; ``start``/``end`` in minutes after that date's midnight."""

    team: str
    date: dt.date
    start: int
    end: int


@dataclass(frozen=True)
class Window:
    """The person is at home on ``date`` from ``start`` to ``end`` (minutes, bounds included)."""

    date: dt.date
    start: int
    end: int


@dataclass(frozen=True)
class Visit:
    id: str
    lat: float
    lon: float
    service_minutes: float
    windows: tuple[Window, ...]

    @property
    def point(self) -> Point:
        return Point(self.lat, self.lon)


@dataclass(frozen=True)
class Problem:
    depot: Depot
    shifts: tuple[Shift, ...]
    visits: tuple[Visit, ...]
    speed_kmh: float = 60.0
    detour_factor: float = 1.3


@dataclass(frozen=True)
class Stop:
    """A served visit; times in minutes after midnight of the route's date, exact."""

    id: str
    start: float
    end: float
    window: Window


@dataclass(frozen=True)
class PlannedRoute:
    team: str
    date: dt.date
    depart: float
    return_: float
    stops: tuple[Stop, ...]
    travel_minutes: float


@dataclass(frozen=True)
class Unassigned:
    id: str
    code: str


@dataclass(frozen=True)
class Plan:
    routes: tuple[PlannedRoute, ...]
    unassigned: tuple[Unassigned, ...]

    @property
    def served(self) -> int:
        return sum(len(r.stops) for r in self.routes)


# --------------------------------------------------------------------------- travel times


class TravelTimes(Protocol):
    """Elapsed travel minutes between points, as a full matrix (row: from, column: to).

    A matrix, not a pair function, because road-network services (OSRM ``/table``, Valhalla
    ``sources_to_targets``) answer for all pairs in one request.
    """

    def matrix(self, points: Sequence[Point]) -> list[list[float]]: ...


def haversine_km(a: Point, b: Point) -> float:
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class GreatCircleTravel:
    """Great-circle km x detour factor / average speed, in minutes (the contract's default)."""

    speed_kmh: float = 60.0
    detour_factor: float = 1.3

    def minutes(self, a: Point, b: Point) -> float:
        return haversine_km(a, b) * self.detour_factor / self.speed_kmh * 60.0

    def matrix(self, points: Sequence[Point]) -> list[list[float]]:
        return [[self.minutes(a, b) for b in points] for a in points]


# --------------------------------------------------------------------------- input


class PlanInputError(ValueError):
    """The planning input is malformed; the message names the offending field."""


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _get(obj: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise PlanInputError(f"{where}: '{key}' is missing")
    return obj[key]


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PlanInputError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise PlanInputError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PlanInputError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlanInputError(f"{where}: expected a number, got {value!r}")
    if not math.isfinite(value):
        raise PlanInputError(f"{where}: expected a finite number, got {value!r}")
    return float(value)


def _date(value: object, where: str) -> dt.date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise PlanInputError(f"{where}: expected a date as YYYY-MM-DD, got {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PlanInputError(f"{where}: {value!r} is not a calendar date") from None


def _time(value: object, where: str) -> int:
    match = _TIME.match(value) if isinstance(value, str) else None
    if not match:
        raise PlanInputError(f"{where}: expected a time as HH:MM (00:00-23:59), got {value!r}")
    return int(match[1]) * 60 + int(match[2])


def _point(obj: Mapping[str, Any], where: str) -> tuple[float, float]:
    lat = _number(_get(obj, "lat", where), f"{where}.lat")
    lon = _number(_get(obj, "lon", where), f"{where}.lon")
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise PlanInputError(f"{where}: ({lat}, {lon}) is off the map")
    return lat, lon


def _interval(obj: Mapping[str, Any], where: str) -> tuple[dt.date, int, int]:
    date = _date(_get(obj, "date", where), f"{where}.date")
    start = _time(_get(obj, "start", where), f"{where}.start")
    end = _time(_get(obj, "end", where), f"{where}.end")
    if end < start:
        raise PlanInputError(f"{where}: ends ({obj['end']}) before it starts ({obj['start']})")
    return date, start, end


def problem_from_dict(data: object) -> Problem:
    """Validate the ``plan_visits`` input (see the issue's contract) into a :class:`Problem`."""
    data = _mapping(data, "input")
    depot_obj = _mapping(_get(data, "depot", "input"), "depot")
    name = depot_obj.get("name", "depot")
    if not isinstance(name, str):
        raise PlanInputError(f"depot.name: expected a string, got {name!r}")
    depot = Depot(name, *_point(depot_obj, "depot"))

    travel = _mapping(data.get("travel", {}), "travel")
    speed = _number(travel.get("speed_kmh", 60.0), "travel.speed_kmh")
    detour = _number(travel.get("detour_factor", 1.3), "travel.detour_factor")
    if speed <= 0:
        raise PlanInputError(f"travel.speed_kmh: must be positive, got {speed:g}")
    if detour < 1:
        raise PlanInputError(f"travel.detour_factor: must be at least 1, got {detour:g}")

    shifts: list[Shift] = []
    seen_shifts: set[tuple[str, dt.date]] = set()
    for i, raw in enumerate(_list(_get(data, "shifts", "input"), "shifts")):
        where = f"shifts[{i}]"
        raw = _mapping(raw, where)
        team = _text(_get(raw, "team", where), f"{where}.team")
        date, start, end = _interval(raw, where)
        if (team, date) in seen_shifts:
            raise PlanInputError(f"{where}: team {team!r} already has a shift on {date}")
        seen_shifts.add((team, date))
        shifts.append(Shift(team, date, start, end))

    visits: list[Visit] = []
    seen_ids: set[str] = set()
    for i, raw in enumerate(_list(_get(data, "visits", "input"), "visits")):
        where = f"visits[{i}]"
        raw = _mapping(raw, where)
        visit_id = _text(_get(raw, "id", where), f"{where}.id")
        if visit_id in seen_ids:
            raise PlanInputError(f"{where}: duplicate id {visit_id!r}")
        seen_ids.add(visit_id)
        lat, lon = _point(raw, where)
        service = _number(_get(raw, "service_minutes", where), f"{where}.service_minutes")
        if service < 0:
            raise PlanInputError(f"{where}.service_minutes: must not be negative, got {service:g}")
        windows = []
        for j, win in enumerate(_list(_get(raw, "windows", where), f"{where}.windows")):
            w_where = f"{where}.windows[{j}]"
            windows.append(Window(*_interval(_mapping(win, w_where), w_where)))
        visits.append(Visit(visit_id, lat, lon, service, tuple(windows)))

    return Problem(depot, tuple(shifts), tuple(visits), speed, detour)


# --------------------------------------------------------------------------- planning


@dataclass
class _Candidate:
    """One (visit, window) pair some shift could serve: one optional client in the model."""

    visit: int
    window: Window
    tw_early: int
    tw_late: int


@dataclass
class _Screened:
    candidates: list[_Candidate] = field(default_factory=list)
    codes: dict[int, str] = field(default_factory=dict)
    useful_shifts: list[int] = field(default_factory=list)


def _units(minutes: float) -> int:
    """Minutes to solver units, rounded up (so the solver never underestimates)."""
    return math.ceil(minutes * SCALE - _EPS)


def _screen(problem: Problem, epoch: dt.date, dur: np.ndarray, svc: list[int]) -> _Screened:
    out = _Screened()
    shifts_by_date: dict[dt.date, list[int]] = {}
    for s, shift in enumerate(problem.shifts):
        shifts_by_date.setdefault(shift.date, []).append(s)
    useful: set[int] = set()
    for v, visit in enumerate(problem.visits):
        loc = v + 1
        there, back = int(dur[0, loc]), int(dur[loc, 0])
        any_window = False
        for window in visit.windows:
            early, late = window.start * SCALE, window.end * SCALE
            fits = [
                s
                for s in shifts_by_date.get(window.date, [])
                if max(problem.shifts[s].start * SCALE + there, early) <= late
                and max(problem.shifts[s].start * SCALE + there, early) + svc[v] + back
                <= problem.shifts[s].end * SCALE
            ]
            if fits:
                any_window = True
                useful.update(fits)
                offset = (window.date - epoch).days * MINUTES_PER_DAY * SCALE
                out.candidates.append(_Candidate(v, window, offset + early, offset + late))
        if not any_window:
            reachable = any(
                there + svc[v] + back <= (shift.end - shift.start) * SCALE
                for shift in problem.shifts
            )
            out.codes[v] = NO_WINDOW_REACHABLE if reachable else OUT_OF_REACH
    out.useful_shifts = sorted(useful)
    return out


def _schedule(
    shift: Shift, stops: list[tuple[Visit, Window, int]], minutes: list[list[float]]
) -> PlannedRoute:
    """Exact times along a route (see the module docstring for the depart rule)."""
    t, prev, travel = float(shift.start), 0, 0.0
    planned = []
    for visit, window, loc in stops:
        leg = minutes[prev][loc]
        travel += leg
        start = max(t + leg, float(window.start))
        t = start + visit.service_minutes
        planned.append(Stop(visit.id, start, t, window))
        prev = loc
    travel += minutes[prev][0]
    depart = math.floor(planned[0].start - minutes[0][stops[0][2]] + _EPS)
    return PlannedRoute(
        shift.team,
        shift.date,
        float(max(depart, shift.start)),
        t + minutes[prev][0],
        tuple(planned),
        travel,
    )


def _feasible(route: PlannedRoute, shift: Shift) -> bool:
    return (
        route.depart >= shift.start
        and route.return_ <= shift.end + _EPS
        and all(s.window.start <= s.start <= s.window.end + _EPS for s in route.stops)
    )


def plan(
    problem: Problem,
    *,
    seconds: float = 10.0,
    seed: int = 1,
    travel: TravelTimes | None = None,
    iterations: int | None = None,
) -> Plan:
    """Plan the shifts' routes; every visit ends up in exactly one route or in ``unassigned``.

    The search stops after ``seconds``, or earlier when it stops improving. A search cut
    off by the clock depends on how fast the machine was at that moment; ``iterations``
    caps the search by work done instead, which gives the same plan for the same seed
    however busy the machine is (``seconds`` then only guards against a runaway).
    """
    travel = travel or GreatCircleTravel(problem.speed_kmh, problem.detour_factor)
    points = [problem.depot.point, *(v.point for v in problem.visits)]
    minutes = travel.matrix(points)
    exact = np.asarray(minutes, dtype=float).reshape(len(points), len(points))
    dur = np.ceil(exact * SCALE - _EPS).astype(np.int64)
    dist = np.round(exact * SCALE).astype(np.int64)
    svc = [_units(v.service_minutes) for v in problem.visits]
    epoch = min((s.date for s in problem.shifts), default=dt.date(2000, 1, 1))

    screened = _screen(problem, epoch, dur, svc)
    served: dict[int, tuple[int, list[int]]] = {}  # model vehicle type -> candidate indices
    if screened.candidates and screened.useful_shifts:
        served = _solve(problem, epoch, screened, dur, dist, svc, seconds, seed, iterations)

    routes: list[PlannedRoute] = []
    in_routes: set[int] = set()
    for shift_idx, cand_idcs in served.values():
        shift = problem.shifts[shift_idx]
        stops = [
            (problem.visits[c.visit], c.window, c.visit + 1)
            for c in (screened.candidates[i] for i in cand_idcs)
        ]
        route = _schedule(shift, stops, minutes)
        if _feasible(route, shift):  # always, by construction; a guard against solver surprises
            routes.append(route)
            in_routes.update(screened.candidates[i].visit for i in cand_idcs)
    routes.sort(key=lambda r: (r.date, r.depart, r.team))

    unassigned = tuple(
        Unassigned(visit.id, screened.codes.get(v, NO_CAPACITY))
        for v, visit in enumerate(problem.visits)
        if v not in in_routes
    )
    return Plan(tuple(routes), unassigned)


def _solve(
    problem: Problem,
    epoch: dt.date,
    screened: _Screened,
    dur: np.ndarray,
    dist: np.ndarray,
    svc: list[int],
    seconds: float,
    seed: int,
    iterations: int | None,
) -> dict[int, tuple[int, list[int]]]:
    import pyvrp  # here, so that screening and validation do not pay for the import  # noqa: PLC0415
    from pyvrp.stop import (  # noqa: PLC0415
        MaxIterations,
        MaxRuntime,
        MultipleCriteria,
        NoImprovement,
        StoppingCriterion,
    )

    shifts = [problem.shifts[s] for s in screened.useful_shifts]
    # Hierarchy by weights: total travel of any plan <= total shift time < one shift's cost;
    # cost of any plan (shifts and travel) < one visit's prize.
    total_time = sum((s.end - s.start) * SCALE for s in shifts)
    fixed_cost = total_time + 1
    prize = len(shifts) * fixed_cost + total_time + 1

    clients: list[pyvrp.Client] = []
    groups: list[pyvrp.ClientGroup] = []
    by_visit: dict[int, list[int]] = {}
    for i, cand in enumerate(screened.candidates):
        by_visit.setdefault(cand.visit, []).append(i)
    group_of: dict[int, int] = {}
    for idcs in by_visit.values():
        if len(idcs) > 1:
            group_of.update({i: len(groups) for i in idcs})
            groups.append(pyvrp.ClientGroup(idcs, required=False))
    for i, cand in enumerate(screened.candidates):
        clients.append(
            pyvrp.Client(
                location=cand.visit + 1,
                service_duration=svc[cand.visit],
                tw_early=cand.tw_early,
                tw_late=cand.tw_late,
                prize=prize,
                required=False,
                group=group_of.get(i),
                name=problem.visits[cand.visit].id,
            )
        )
    vehicle_types = []
    for shift in shifts:
        offset = (shift.date - epoch).days * MINUTES_PER_DAY * SCALE
        vehicle_types.append(
            pyvrp.VehicleType(
                num_available=1,
                fixed_cost=fixed_cost,
                tw_early=offset + shift.start * SCALE,
                tw_late=offset + shift.end * SCALE,
                name=f"{shift.team} {shift.date}",
            )
        )
    locations = [pyvrp.Location(x=problem.depot.lon, y=problem.depot.lat)]
    locations += [pyvrp.Location(x=v.lon, y=v.lat) for v in problem.visits]
    data = pyvrp.ProblemData(
        locations=locations,
        clients=clients,
        depots=[pyvrp.Depot(location=0)],
        vehicle_types=vehicle_types,
        # pyvrp's stub writes a matrix as np.ndarray[int], which numpy reads as a shape type.
        distance_matrices=[dist],  # type: ignore[list-item]
        duration_matrices=[dur],  # type: ignore[list-item]
        groups=groups,
    )
    params = pyvrp.SolveParams(
        # Time warp must be able to outweigh a prize, or infeasible plans look attractive.
        penalty=pyvrp.PenaltyParams(max_penalty=float(prize))
    )
    criteria: list[StoppingCriterion] = [
        MaxRuntime(seconds),
        NoImprovement(NO_IMPROVEMENT_ITERATIONS),
    ]
    if iterations is not None:
        criteria.append(MaxIterations(iterations))
    stop = MultipleCriteria(criteria)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pyvrp.solve(
            data, stop=stop, seed=seed, collect_stats=False, display=False, params=params
        )
    served: dict[int, tuple[int, list[int]]] = {}
    for route in result.best.routes():
        if route.has_time_warp():
            continue
        cands = [a.idx for a in route if a.is_client()]
        if cands:
            served[len(served)] = (screened.useful_shifts[route.vehicle_type()], cands)
    return served


# --------------------------------------------------------------------------- output


def clock(minutes: float) -> str:
    """Minutes after midnight as HH:MM, rounded up to the minute (times are printed so)."""
    m = math.ceil(minutes - _EPS)
    return f"{m // 60:02d}:{m % 60:02d}"


def plan_as_dict(result: Plan, reason: Callable[[str], str] = str) -> dict[str, Any]:
    """The ``plan_visits`` output; ``reason`` turns a code into the reader's language."""
    routes: list[dict[str, Any]] = []
    for r in result.routes:
        routes.append(
            {
                "team": r.team,
                "date": r.date.isoformat(),
                "depart": clock(r.depart),
                "return": clock(r.return_),
                "stops": [
                    {"id": s.id, "start": clock(s.start), "end": clock(s.end)} for s in r.stops
                ],
                "travel_minutes": round(r.travel_minutes, 1),
            }
        )
    return {
        "routes": routes,
        "unassigned": [
            {"id": u.id, "code": u.code, "reason": reason(u.code)} for u in result.unassigned
        ],
        "summary": {
            "served": result.served,
            "shifts_used": len(routes),
            "travel_minutes": round(float(sum(r["travel_minutes"] for r in routes)), 1),
        },
    }
