"""Solomon VRPTW benchmark: ``pandu solve_vrptw`` on the 56 instances, against the best-known.

Usage::

    .venv/bin/python bench/solomon.py --seconds 30 [--instances C101,R101] [--jobs 1]

Prints one JSON object per instance on stdout as it finishes, then one with the averages.
Each instance runs the real command in a fresh process (the contract other tools use), and
its output is re-checked here against the instance file with exact Euclidean distances: every
customer exactly once, capacity, and time windows. The best-known figures come from
``best_known.csv`` (hierarchical objective: vehicles, then distance in double precision).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import vrplib

ROOT = Path(__file__).resolve().parent.parent
SOLOMON = ROOT.parent / "shared" / "benchmarks" / "solomon"


def check(instance_path: Path, routes: list[list[int]]) -> tuple[bool, str, float]:
    """Independent feasibility check; returns (ok, problem, exact distance)."""
    inst = vrplib.read_instance(str(instance_path))
    coords, demand = inst["node_coord"], inst["demand"]
    windows, service = inst["time_window"], inst["service_time"]
    n = len(coords)
    if not hasattr(service, "__len__"):
        service = [0] + [service] * (n - 1)

    def dist(a, b):
        return math.dist(coords[a], coords[b])

    seen = sorted(c for r in routes for c in r)
    if seen != list(range(1, n)):
        return False, "customers not visited exactly once", math.nan
    total = 0.0
    for route in routes:
        if sum(demand[c] for c in route) > inst["capacity"]:
            return False, f"route {route} over capacity", math.nan
        t, prev = float(windows[0][0]), 0
        for c in route:
            t = max(t + dist(prev, c), windows[c][0])
            if t > windows[c][1] + 1e-9:
                return False, f"customer {c} starts at {t:.4f} after {windows[c][1]}", math.nan
            t += service[c]
            prev = c
        if t + dist(prev, 0) > windows[0][1] + 1e-9:
            return False, f"route {route} back at the depot too late", math.nan
        stops = [0, *route, 0]
        total += sum(dist(a, b) for a, b in zip(stops, stops[1:], strict=False))
    return True, "", total


def best_known() -> dict[str, tuple[int, float]]:
    with open(SOLOMON / "best_known.csv", newline="") as fh:
        return {
            r["instance"]: (int(r["vehicles"]), float(r["distance"])) for r in csv.DictReader(fh)
        }


def run_one(name: str, seconds: float, seed: int, bks: dict) -> dict:
    path = SOLOMON / "vrplib" / f"{name}.vrp"
    env = dict(os.environ)
    if not env.get("PANDU_SECRET_KEY"):
        env["PANDU_DEMO"] = "1"  # the command needs no secret; demo mode lets Django start
    started = time.perf_counter()
    proc = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pandu.cli",
            "solve_vrptw",
            str(path),
            "--seconds",
            str(seconds),
            "--seed",
            str(seed),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - started
    row: dict = {"instance": name, "time_s": round(elapsed, 2)}
    bk_vehicles, bk_distance = bks.get(name, (None, None))
    row.update(best_known_vehicles=bk_vehicles, best_known_distance=bk_distance)
    if proc.returncode != 0:
        row.update(ok=False, error=proc.stderr.strip()[-500:])
        return row
    out = json.loads(proc.stdout)
    ok, problem, exact = check(path, out["routes"])
    row.update(vehicles=out["vehicles"], distance=round(out["distance"], 2), ok=ok)
    if not ok:
        row["error"] = problem
    elif abs(exact - out["distance"]) > 1e-6:
        row.update(ok=False, error=f"reported distance {out['distance']} != recomputed {exact}")
    if bk_distance:
        row["vehicle_diff"] = out["vehicles"] - bk_vehicles
        row["gap_pct"] = round(100 * (out["distance"] - bk_distance) / bk_distance, 2)
    return row


def summarise(rows: list[dict]) -> dict:
    done = [r for r in rows if r.get("ok")]
    same = [r for r in done if r.get("vehicle_diff") == 0]
    mean = lambda xs: round(sum(xs) / len(xs), 3) if xs else None  # noqa: E731
    return {
        "summary": {
            "instances": len(rows),
            "feasible": len(done),
            "best_known_vehicles_reached": len(same),
            "more_vehicles": sorted(r["instance"] for r in done if r.get("vehicle_diff", 0) > 0),
            "fewer_vehicles": sorted(r["instance"] for r in done if r.get("vehicle_diff", 0) < 0),
            "mean_vehicles": mean([r["vehicles"] for r in done]),
            "mean_best_known_vehicles": mean([r["best_known_vehicles"] for r in done]),
            "total_vehicles": sum(r["vehicles"] for r in done),
            "total_best_known_vehicles": sum(r["best_known_vehicles"] for r in done),
            "mean_distance": mean([r["distance"] for r in done]),
            "mean_gap_pct_all": mean([r["gap_pct"] for r in done if "gap_pct" in r]),
            "mean_gap_pct_same_vehicles": mean([r["gap_pct"] for r in same]),
            "mean_time_s": mean([r["time_s"] for r in rows]),
        }
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per instance")
    parser.add_argument("--instances", default="", help="comma-separated names (default: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="instances run in parallel")
    args = parser.parse_args(argv)
    if not (SOLOMON / "vrplib").is_dir():
        print(f"no Solomon instances at {SOLOMON / 'vrplib'}", file=sys.stderr)
        return 2
    names = [n.strip() for n in args.instances.split(",") if n.strip()] or sorted(
        p.stem for p in (SOLOMON / "vrplib").glob("*.vrp")
    )
    bks = best_known()
    rows: list[dict] = []
    with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        for row in pool.map(lambda n: run_one(n, args.seconds, args.seed, bks), names):
            rows.append(row)
            print(json.dumps(row), flush=True)
    print(json.dumps(summarise(rows)), flush=True)
    return 0 if all(r.get("ok") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
