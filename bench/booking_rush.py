"""Booking rush: many citizens race for few seats through the HTTP API of a production-like server.

Runs against PostgreSQL and gunicorn (2 worker processes by default) on 127.0.0.1, then checks the
database. Prints one JSON object. Usage (from the project root, with `pip install -e '.[prod]'`):

    .venv/bin/python bench/booking_rush.py [--seats 100] [--citizens 500] [--requests 2000]
        [--concurrency 32] [--workers 2] [--database postgres://postgres@127.0.0.1:5432/pandu_bench]

The database named in --database is dropped and created anew.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def pandu(args: list[str], env: dict) -> str:
    result = subprocess.run(
        [str(BIN / "pandu"), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"pandu {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback only)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def race_http(
    base: str, slot: str, service: str, tokens: list[str], requests: int, concurrency: int
) -> dict:
    rng = random.Random(1)
    plan = [tokens[i % len(tokens)] for i in range(requests)]
    rng.shuffle(plan)
    body = json.dumps({"slot": slot, "service": service}).encode()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def attempt(token: str) -> None:
        request = urllib.request.Request(  # noqa: S310 (loopback only)
            f"{base}/api/v1/appointments",
            data=body,
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, ConnectionError):
            status = 0
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(attempt, plan))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "attempts": requests,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors_5xx": sum(v for k, v in statuses.items() if k >= 500 or k == 0),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
        "requests_per_s": round(requests / wall, 1),
    }


def race_raw_sql(url: str, seats: int, requests: int, concurrency: int) -> dict:
    """The same race as bare conditional UPDATEs, one connection per worker thread."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS rush_raw")
        conn.execute(
            "CREATE TABLE rush_raw (id int PRIMARY KEY, capacity int, booked int CHECK (booked <= capacity))"
        )
        conn.execute("INSERT INTO rush_raw VALUES (1, %s, 0)", [seats])
    per_thread = [
        requests // concurrency + (1 if i < requests % concurrency else 0)
        for i in range(concurrency)
    ]
    won = []

    def worker(n: int) -> None:
        mine = 0
        with psycopg.connect(url, autocommit=True) as conn:
            for _ in range(n):
                cur = conn.execute(
                    "UPDATE rush_raw SET booked = booked + 1 WHERE id = 1 AND booked < capacity"
                )
                mine += cur.rowcount
        won.append(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in per_thread]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as conn:
        booked = conn.execute("SELECT booked FROM rush_raw WHERE id = 1").fetchone()[0]
        conn.execute("DROP TABLE rush_raw")
    return {
        "raw_sql_booked": booked,
        "raw_sql_per_s": round(requests / wall, 1),
        "raw_sql_won": sum(won),
    }


def check_database(url: str, slot: str) -> dict:
    with psycopg.connect(url) as conn:
        capacity, booked, slot_id = conn.execute(
            "SELECT capacity, booked, id FROM appointments_slot WHERE public_id = %s", [slot]
        ).fetchone()
        rows = conn.execute(
            "SELECT count(*), count(DISTINCT citizen_id), count(DISTINCT identity_key) FROM appointments_appointment "
            "WHERE slot_id = %s AND status IN ('booked', 'checked_in')",
            [slot_id],
        ).fetchone()
    appointments, citizens, identities = rows
    return {
        "seats": capacity,
        "booked": appointments,
        "slot_booked_counter": booked,
        "double_bookings": (appointments - citizens)
        + (appointments - identities)
        + max(0, appointments - capacity),
        "counter_matches_rows": booked == appointments,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--citizens", type=int, default=500)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/pandu_bench")
    args = parser.parse_args()

    fresh_database(args.database)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": args.database,
        "PANDU_SECRET_KEY": secrets.token_urlsafe(40),
        "PANDU_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PANDU_SECURE_SSL_REDIRECT": "false",
        "PANDU_SECURE_COOKIES": "false",
        "PANDU_HSTS_SECONDS": "0",
        "PANDU_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PANDU_DB_CONN_MAX_AGE": "60",
        "PANDU_LOG_LEVEL": "ERROR",
    }
    env.pop("PANDU_DEMO", None)
    env.pop("PANDU_DEBUG", None)
    demo_env = {**env, "PANDU_DEMO": "1"}
    pandu(["demo", "--no-serve"], demo_env)
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "rush.json"
        pandu(
            [
                "seed_rush",
                "--seats",
                str(args.seats),
                "--citizens",
                str(args.citizens),
                "--out",
                str(seeds),
            ],
            env,
        )
        seed = json.loads(seeds.read_text())
        with tempfile.TemporaryDirectory() as static:
            env["PANDU_STATIC_ROOT"] = static
            pandu(["collectstatic", "--no-input", "-v", "0"], env)
            server = subprocess.Popen(  # noqa: S603
                [str(BIN / "gunicorn"), "pandu.wsgi:application", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                 "--log-level", "warning"],
                env=env,
                cwd=ROOT,
            )  # fmt: skip
            try:
                base = f"http://127.0.0.1:{port}"
                wait_for(f"{base}/api/v1/openapi.json")
                http = race_http(
                    base,
                    seed["slot"],
                    seed["service"],
                    seed["tokens"],
                    args.requests,
                    args.concurrency,
                )
            finally:
                server.terminate()
                server.wait(timeout=30)
    result = {**http, **check_database(args.database, seed["slot"])}
    result.update(race_raw_sql(args.database, args.seats, args.requests, args.concurrency))
    result["stack_vs_raw_sql"] = round(result["raw_sql_per_s"] / result["requests_per_s"], 1)
    result["workers"] = args.workers
    result["concurrency"] = args.concurrency
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
