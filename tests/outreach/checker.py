"""An independent check of a ``plan_visits`` output against its input.

Written from the contract alone (it shares no code with the planner): travel minutes are
haversine km (R = 6371.0088) x detour factor / speed x 60; times are printed rounded up to
the minute, so a printed time may be up to one minute later than the exact one.
"""

from __future__ import annotations

import math

R = 6371.0088
CODES = {"out_of_reach", "no_window_reachable", "no_capacity"}


def hm(text: str) -> int:
    h, m = text.split(":")
    assert len(h) == 2 and len(m) == 2, text
    return int(h) * 60 + int(m)


def minutes_between(a, b, speed_kmh, detour) -> float:
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    dp, dl = p2 - p1, math.radians(b["lon"] - a["lon"])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    km = 2 * R * math.asin(math.sqrt(h))
    return km * detour / speed_kmh * 60


def check_plan(problem: dict, out: dict) -> None:
    """Raise AssertionError on any breach of the contract."""
    travel = problem.get("travel", {})
    speed, detour = travel.get("speed_kmh", 60), travel.get("detour_factor", 1.3)
    depot = problem["depot"]
    visits = {v["id"]: v for v in problem["visits"]}
    shifts = {(s["team"], s["date"]): s for s in problem["shifts"]}

    def tt(a, b):
        return minutes_between(a, b, speed, detour)

    # Every visit exactly once.
    seen = [s["id"] for r in out["routes"] for s in r["stops"]] + [
        u["id"] for u in out["unassigned"]
    ]
    assert sorted(seen) == sorted(visits), "each visit must appear exactly once"
    for u in out["unassigned"]:
        assert u["code"] in CODES and isinstance(u["reason"], str) and u["reason"]

    used = set()
    total = 0.0
    for r in out["routes"]:
        key = (r["team"], r["date"])
        assert key in shifts, f"route for a shift that does not exist: {key}"
        assert key not in used, f"shift used twice: {key}"
        used.add(key)
        shift = shifts[key]
        assert r["stops"], "routes without stops must be left out"
        depart, back = hm(r["depart"]), hm(r["return"])
        assert depart >= hm(shift["start"]), f"{key} leaves before its shift starts"
        assert back <= hm(shift["end"]), f"{key} returns after its shift ends"
        here, t, legs = depot, float(depart), 0.0
        for stop in r["stops"]:
            visit = visits[stop["id"]]
            leg = tt(here, visit)
            legs += leg
            start, end = hm(stop["start"]), hm(stop["end"])
            # Printed times are rounded up: allow the one minute that rounding can add.
            assert start >= t + leg - 1 - 1e-6, f"{stop['id']} starts before the team arrives"
            assert any(
                w["date"] == r["date"] and hm(w["start"]) <= start <= hm(w["end"])
                for w in visit["windows"]
            ), f"{stop['id']} starts at {stop['start']} outside its windows on {r['date']}"
            assert abs(end - (start + visit["service_minutes"])) <= 1 + 1e-6, stop
            t, here = float(end), visit
        leg = tt(here, depot)
        legs += leg
        assert back >= t + leg - 1 - 1e-6, f"{key} is back before it can be"
        assert abs(r["travel_minutes"] - legs) <= 0.05 + 1e-9, (r["travel_minutes"], legs)
        total += r["travel_minutes"]

    summary = out["summary"]
    assert summary["served"] == sum(len(r["stops"]) for r in out["routes"])
    assert summary["shifts_used"] == len(out["routes"])
    assert abs(summary["travel_minutes"] - total) <= 1e-6


def check_schedule_exact(problem: dict, out: dict) -> None:
    """The documented schedule: depart at the printed (whole) minute, start each stop as early
    as arrival and window allow, print every time rounded up."""
    travel = problem.get("travel", {})
    speed, detour = travel.get("speed_kmh", 60), travel.get("detour_factor", 1.3)
    visits = {v["id"]: v for v in problem["visits"]}
    for r in out["routes"]:
        here, t = problem["depot"], float(hm(r["depart"]))
        first = True
        for stop in r["stops"]:
            visit = visits[stop["id"]]
            arrival = t + minutes_between(here, visit, speed, detour)
            window = next(
                w
                for w in visit["windows"]
                if w["date"] == r["date"] and hm(w["start"]) <= hm(stop["start"]) <= hm(w["end"])
            )
            start = max(arrival, hm(window["start"]))
            if first:  # latest whole minute: one minute later would arrive too late
                assert arrival <= start + 1e-6 and arrival + 1 > start - 1e-6
                first = False
            assert math.ceil(start - 1e-6) == hm(stop["start"]), (stop, start)
            t = start + visit["service_minutes"]
            assert math.ceil(t - 1e-6) == hm(stop["end"]), (stop, t)
            here = visit
        back = t + minutes_between(here, problem["depot"], speed, detour)
        assert math.ceil(back - 1e-6) == hm(r["return"])
