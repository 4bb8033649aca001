"""Time ``pandu plan_visits`` on a generated week: 300 visits, 40 shifts (8 teams x 5 days).

Usage::

    .venv/bin/python bench/plan_visits_300.py [--seconds 30] [--seed 1] [--keep FILE]

Visits are placed at Ontario postal-code areas (FSA centroids from
``../shared/geodata/ca_fsa_postalcodes.csv``) within ``--radius-km`` of the Toronto mission,
jittered by up to ~2 km, each with one to three windows of two to four hours on the week's
days. Everything is drawn from ``--seed``, so the same instance comes back every run. Prints
one JSON object with the timing and the plan's summary.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FSA = ROOT.parent / "shared" / "geodata" / "ca_fsa_postalcodes.csv"
DEPOT = {"name": "KJRI Toronto", "lat": 43.6717, "lon": -79.3770}


def km(a, b) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def generate(seed: int, n_visits: int = 300, teams: int = 8, days: int = 5, radius_km=120.0):
    rng = random.Random(seed)  # noqa: S311  (a repeatable instance, not a secret)
    with open(FSA, newline="", encoding="utf-8") as fh:
        areas = [
            (float(r["latitude"]), float(r["longitude"]))
            for r in csv.DictReader(fh)
            if r["province"] == "Ontario"
            and km((DEPOT["lat"], DEPOT["lon"]), (float(r["latitude"]), float(r["longitude"])))
            <= radius_km
        ]
    monday = dt.date(2027, 3, 8)
    dates = [(monday + dt.timedelta(days=d)).isoformat() for d in range(days)]
    shifts = [
        {"team": f"T{t + 1}", "date": d, "start": "08:00", "end": "17:00"}
        for d in dates
        for t in range(teams)
    ]
    visits = []
    for i in range(n_visits):
        lat, lon = rng.choice(areas)
        windows = []
        for d in sorted(rng.sample(dates, rng.randint(1, 3))):
            start = rng.randrange(9 * 60, 15 * 60 + 1, 30)
            end = min(start + rng.choice([120, 180, 240]), 17 * 60)
            windows.append({"date": d, "start": hhmm(start), "end": hhmm(end)})
        visits.append(
            {
                "id": f"P-{i + 1:03d}",
                "lat": round(lat + rng.uniform(-0.02, 0.02), 5),
                "lon": round(lon + rng.uniform(-0.025, 0.025), 5),
                "service_minutes": rng.choice([30, 40, 45, 60]),
                "windows": windows,
            }
        )
    return {
        "depot": DEPOT,
        "travel": {"speed_kmh": 60, "detour_factor": 1.3},
        "shifts": shifts,
        "visits": visits,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="plan_visits --seconds")
    parser.add_argument("--seed", type=int, default=1, help="instance and solver seed")
    parser.add_argument("--radius-km", type=float, default=120.0)
    parser.add_argument("--keep", help="also write the generated input to this file")
    args = parser.parse_args(argv)
    if not FSA.is_file():
        print(f"no FSA centroids at {FSA}", file=sys.stderr)
        return 2
    problem = generate(args.seed, radius_km=args.radius_km)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "week.json"
        path.write_text(json.dumps(problem), encoding="utf-8")
        env = dict(os.environ)
        if not env.get("PANDU_SECRET_KEY"):
            env["PANDU_DEMO"] = "1"
        started = time.perf_counter()
        proc = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "pandu.cli", "plan_visits", str(path)]
            + ["--seconds", str(args.seconds), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=False,
        )
        wall = time.perf_counter() - started
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
        return proc.returncode
    out = json.loads(proc.stdout)
    print(
        json.dumps(
            {
                "visits": len(problem["visits"]),
                "shifts": len(problem["shifts"]),
                "seconds_limit": args.seconds,
                "wall_time_s": round(wall, 2),
                "served": out["summary"]["served"],
                "shifts_used": out["summary"]["shifts_used"],
                "travel_minutes": out["summary"]["travel_minutes"],
                "unassigned": dict(Counter(u["code"] for u in out["unassigned"])),
                "max_stops_per_route": max((len(r["stops"]) for r in out["routes"]), default=0),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
