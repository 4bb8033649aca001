"""Booking rush: many citizens race for few seats, through a production-like server and without.

Runs against PostgreSQL and gunicorn on 127.0.0.1 with the project's gunicorn configuration
(``pandu.gunicorn_conf``), then checks the database. For each number of clients in
``--clients`` it runs three variants of the same race, one after another in the same run:

- ``raw_sql``: bare conditional UPDATEs over psycopg, one connection per client: the database's
  own limit;
- ``bare_view``: a Django view behind the same middleware doing only the conditional UPDATE and
  the INSERT (``bench/bench_urls.py``): the price of Django and HTTP;
- ``full_endpoint``: ``POST /api/v1/appointments`` with a citizen's token: every rule.

Prints one JSON object. The top-level keys describe the full endpoint at the largest number of
clients, as before; ``variants`` holds every run, ``ratio_full_vs_raw`` and
``ratio_full_vs_bare`` compare them per number of clients, and ``queries_per_booking`` /
``queries_per_refusal`` count the SQL statements of one booking and one refusal of the full
endpoint on the same database. Each HTTP race also reports ``cpu_ms_per_request``: the CPU
that the server (gunicorn and its workers), PostgreSQL (the backends on the benchmark's
database) and the load generator spent per request (``raw_sql_cpu_ms_per_request`` for raw
SQL); ``client`` names the load generator and ``load_average`` the machine's load before and
after. Usage (from the project root, with ``pip install -e '.[prod]'``):

    PYTHONPATH=$PWD/src .venv/bin/python bench/booking_rush.py [--seats 50] [--citizens 300]
        [--requests 1200] [--clients 16,48] [--workers N] [--threads N]
        [--client wrk|python] [--reuse DIR]
        [--database postgres://postgres@127.0.0.1:5432/pandu_bench]

``--client wrk`` (the default when wrk is installed: ``apt-get install wrk``) sends the plan
with one wrk process per client (``bench/plan.lua``), keeping connections alive where the
server does; ``--client python`` with Python threads and urllib, a new connection per request,
on the same cores as the server (it limits both HTTP variants). The database named in
--database is dropped and created anew, unless ``--reuse DIR`` finds it there from an earlier
run (DIR keeps its keys and seed). Mail is queued in the database (``db_worker`` is not run
during the race), as in production. The server runs the code on ``PYTHONPATH`` (the checkout's
``src/``), not only the installed package.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import secrets
import shutil
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
            urllib.request.urlopen(url, timeout=10)  # noqa: S310 (loopback only)
            return
        except (urllib.error.URLError, OSError):  # not up yet, or still building the schema
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def race_http(base: str, plan: list[tuple[str, bytes, dict]], concurrency: int) -> dict:
    """POST each ``(path, body, headers)`` of ``plan`` with ``concurrency`` clients."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def attempt(item: tuple[str, bytes, dict]) -> None:
        path, body, headers = item
        request = urllib.request.Request(  # noqa: S310 (loopback only)
            f"{base}{path}",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", **headers},
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
    return {
        "attempts": len(plan),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors_5xx": sum(v for k, v in statuses.items() if k >= 500 or k == 0),
        **percentiles(latencies),
        "requests_per_s": round(len(plan) / wall, 1),
    }


def race_wrk(base: str, plan: list[tuple[str, bytes, dict]], concurrency: int) -> dict:
    """The same as ``race_http``, driven by wrk and ``bench/plan.lua``: one wrk process per client.

    Client ``i`` sends requests ``i``, ``i + concurrency``, ... of ``plan`` one after the other
    on one connection, kept alive when the server allows it (gunicorn's sync worker closes it
    after each answer, and wrk connects again), all clients starting at the same moment.
    Percentiles come from each request's own latency, requests/s from the time between the
    first request sent and the last answer read.
    """
    clients = max(1, min(concurrency, len(plan)))
    wrk = shutil.which("wrk") or "wrk"
    script = str(ROOT / "bench" / "plan.lua")
    with tempfile.TemporaryDirectory() as tmp:
        plan_file = Path(tmp) / "plan.tsv"
        with plan_file.open("w") as out:
            for path, body, headers in plan:
                block = "\n".join(
                    f"{k}: {v}" for k, v in {"Content-Type": "application/json", **headers}.items()
                )
                out.write(f"POST\t{path}\t{block.encode().hex()}\t{body.hex()}\n")
        # Every client sends its first request at this moment (CLOCK_MONOTONIC, microseconds).
        start_at = int((time.monotonic() + 0.3 + clients * 0.01) * 1_000_000)
        processes = [
            subprocess.Popen(  # noqa: S603
                [
                    wrk,
                    "-t1",
                    "-c1",
                    "-d600s",
                    "--timeout",
                    "60s",
                    "-s",
                    script,
                    base,
                    "--",
                    str(plan_file),
                    str(i + 1),
                    str(clients),
                    str(start_at),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for i in range(clients)
        ]
        outputs = [process.communicate(timeout=660) for process in processes]
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    first, last = [], []
    for out, err in outputs:
        line = next((x for x in out.splitlines() if x.startswith("PLAN-RESULT ")), None)
        if line is None:
            raise SystemExit(f"wrk gave no result:\n{out}\n{err}")
        found = json.loads(line.removeprefix("PLAN-RESULT "))
        for status, count in found["statuses"].items():
            statuses[int(status)] = statuses.get(int(status), 0) + int(count)
        latencies += found["latencies_ms"] if isinstance(found["latencies_ms"], list) else []
        if found.get("first_us") is not None:
            first.append(found["first_us"])
            last.append(found["last_us"])
    wall = (max(last) - min(first)) / 1_000_000 if first else 0.0
    return {
        "attempts": len(plan),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors_5xx": sum(v for k, v in statuses.items() if k >= 500 or k == 0),
        **percentiles(latencies or [0.0]),
        "requests_per_s": round(sum(statuses.values()) / max(wall, 1e-6), 1),
    }


def cpu_seconds(pid: int) -> float:
    """CPU time of process ``pid`` and all its threads so far (0 once it is gone)."""
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += int((task / "schedstat").read_text().split()[0])
    except (OSError, ValueError):
        pass
    return total / 1e9


def child_pids(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


class CpuMeter:
    """CPU spent during one race by the server (gunicorn and its workers), PostgreSQL (the
    backends connected to the benchmark's database) and the load generator (this process's
    threads, or the wrk processes it waited for)."""

    def __init__(self, server_pid: int, database: str) -> None:
        self.server_pid, self.database = server_pid, database

    def _backends(self) -> dict[int, float]:
        name = urlparse(self.database).path.lstrip("/")
        with psycopg.connect(self.database, autocommit=True) as conn:
            pids = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
        return {pid: cpu_seconds(pid) for (pid,) in pids}

    def _server(self) -> float:
        return sum(cpu_seconds(pid) for pid in [self.server_pid, *child_pids(self.server_pid)])

    @staticmethod
    def _client() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def __enter__(self) -> CpuMeter:
        self.before = (self._server(), self._backends(), self._client())
        return self

    def __exit__(self, *exc) -> None:
        client, server = self._client(), self._server()
        backends = self._backends()
        server0, backends0, client0 = self.before
        self.used = {
            "server": server - server0,
            "database": sum(cpu - backends0.get(pid, 0.0) for pid, cpu in backends.items()),
            "client": client - client0,
        }

    def per_request(self, requests: int) -> dict:
        ms = {k: round(v * 1000 / requests, 3) for k, v in self.used.items()}
        ms["total"] = round(sum(self.used.values()) * 1000 / requests, 3)
        return ms


def percentiles(latencies: list[float]) -> dict:
    latencies = sorted(latencies)
    return {
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
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
    latencies: list[float] = []
    backends_cpu: list[float] = []

    def worker(n: int) -> None:
        mine, times = 0, []
        with psycopg.connect(url, autocommit=True) as conn:
            backend = conn.info.backend_pid
            cpu = cpu_seconds(backend)
            for _ in range(n):
                began = time.perf_counter()
                cur = conn.execute(
                    "UPDATE rush_raw SET booked = booked + 1 WHERE id = 1 AND booked < capacity"
                )
                times.append((time.perf_counter() - began) * 1000)
                mine += cur.rowcount
            backends_cpu.append(cpu_seconds(backend) - cpu)
        won.append(mine)
        latencies.extend(times)

    client_cpu = time.process_time()
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in per_thread]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    client_cpu = time.process_time() - client_cpu
    with psycopg.connect(url, autocommit=True) as conn:
        booked = conn.execute("SELECT booked FROM rush_raw WHERE id = 1").fetchone()[0]
        conn.execute("DROP TABLE rush_raw")
    return {
        "raw_sql_booked": booked,
        "raw_sql_per_s": round(requests / wall, 1),
        "raw_sql_won": sum(won),
        **percentiles(latencies),
        # CPU per UPDATE: PostgreSQL's backends, and this process's threads (psycopg).
        "raw_sql_cpu_ms_per_request": {
            "database": round(sum(backends_cpu) * 1000 / requests, 3),
            "client": round(client_cpu * 1000 / requests, 3),
            "total": round((sum(backends_cpu) + client_cpu) * 1000 / requests, 3),
        },
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


def server_env(database: str, port: int) -> dict[str, str]:
    """The environment of a production-like server (and its commands) on ``database``.

    Mail is queued in the database (no worker runs during a benchmark), nothing is logged below
    errors, and the test client's host is allowed for in-process measurements.
    """
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "PANDU_SECRET_KEY": secrets.token_urlsafe(40),
        # Production has its own keys (identity numbers are encrypted at rest); the demo loaded
        # into the benchmark's database and the server must share them.
        "PANDU_DATA_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "PANDU_LOOKUP_KEY": secrets.token_urlsafe(32),
        "PANDU_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PANDU_SECURE_SSL_REDIRECT": "false",
        "PANDU_SECURE_COOKIES": "false",
        "PANDU_HSTS_SECONDS": "0",
        "PANDU_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PANDU_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "PANDU_LOG_LEVEL": "ERROR",
        "PANDU_WEB_ACCESS_LOG": "",
        "PANDU_WEB_LOG_LEVEL": "warning",
        "PANDU_BIND": f"127.0.0.1:{port}",
    }
    env.pop("PANDU_DEMO", None)
    env.pop("PANDU_DEBUG", None)
    return env


def reset_slot(url: str, slot: str) -> None:
    """Give the slot its seats back between two races (the appointments of the last go)."""
    with psycopg.connect(url) as conn:
        slot_id = conn.execute(
            "SELECT id FROM appointments_slot WHERE public_id = %s", [slot]
        ).fetchone()[0]
        conn.execute("DELETE FROM appointments_appointment WHERE slot_id = %s", [slot_id])
        conn.execute("UPDATE appointments_slot SET booked = 0 WHERE id = %s", [slot_id])


def bare_plan(url: str, seed: dict, requests: int) -> list[tuple[str, bytes, dict]]:
    """The bare view's requests: the same citizens in the same shuffled order."""
    with psycopg.connect(url) as conn:
        slot_id, mission_id, service_id = conn.execute(
            "SELECT s.id, se.mission_id, s.service_id FROM appointments_slot s "
            "JOIN appointments_session se ON se.id = s.session_id WHERE s.public_id = %s",
            [seed["slot"]],
        ).fetchone()
        citizens = conn.execute(
            # The identity key a booking stores: the passport number's lookup hash, as
            # appointments.services.identity_key makes it (the number itself is encrypted).
            "SELECT c.id, c.passport_hash FROM people_citizenprofile c "
            "JOIN people_personalaccesstoken t ON t.user_id = c.user_id "
            "WHERE t.name = 'booking rush' ORDER BY t.id"
        ).fetchall()
    bodies = [
        json.dumps(
            {
                "slot_id": slot_id,
                "mission_id": mission_id,
                "service_id": service_id,
                "citizen_id": citizen_id,
                "key": f"P:{passport_hash[:38]}",
            }
        ).encode()
        for citizen_id, passport_hash in citizens
    ]
    return [("/bench/bare-book", bodies[i], {}) for i in order(len(bodies), requests)]


def full_plan(seed: dict, requests: int) -> list[tuple[str, bytes, dict]]:
    body = json.dumps({"slot": seed["slot"], "service": seed["service"]}).encode()
    tokens = seed["tokens"]
    return [
        ("/api/v1/appointments", body, {"Authorization": f"Bearer {tokens[i]}"})
        for i in order(len(tokens), requests)
    ]


def order(people: int, requests: int) -> list[int]:
    plan = [i % people for i in range(requests)]
    random.Random(1).shuffle(plan)
    return plan


QUERY_COUNT = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pandu.appointments.models import Slot
from pandu.people.models import User
from pandu.people.services import token_issue

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
seed = json.loads(open(%(seed)r).read())
client = Client()
slot = Slot.objects.get(public_id=seed["slot"])
counts = []
for user in User.objects.filter(email__startswith="rush-").order_by("-id")[:2]:
    token = token_issue(user=user, name="count").token
    client.get("/api/v1/services/%%s/slots" %% seed["service"], HTTP_AUTHORIZATION="Bearer " + token)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/api/v1/appointments", json.dumps({"slot": seed["slot"], "service": seed["service"]}),
            content_type="application/json", HTTP_AUTHORIZATION="Bearer " + token)
    counts.append((response.status_code, sum(1 for q in ctx.captured_queries if not q["sql"].strip().upper().startswith(CONTROL))))
    Slot.objects.filter(pk=slot.pk).update(booked=slot.capacity)
print(json.dumps(counts))
"""


def query_counts(env: dict, seed_file: Path, url: str, slot: str) -> tuple[int, int]:
    """Statements of one booking and of one refusal (slot full), as the endpoint runs them."""
    reset_slot(url, slot)
    out = pandu(["shell", "-c", QUERY_COUNT % {"seed": str(seed_file)}], env)
    (booked_status, booked), (refused_status, refused) = json.loads(out.strip().splitlines()[-1])
    if booked_status != 201 or refused_status != 409:
        raise SystemExit(f"query count run answered {booked_status} and {refused_status}")
    return booked, refused


def default_client() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def prepare(args, env: dict, keep: Path | None, tmp: Path) -> tuple[dict, Path]:
    """Load the demo and seed the rush into a fresh database; with ``--reuse``, once only.

    ``--reuse DIR`` keeps the database, its keys and the seed in ``DIR`` for the next run (for
    measuring changes to the endpoint without loading the demo each time).
    """
    state = keep / "state.json" if keep else None
    if state is not None and state.exists():
        saved = json.loads(state.read_text())
        if saved["database"] == args.database:
            env.update(saved["keys"])
            seed_file = keep / "rush.json"
            return json.loads(seed_file.read_text()), seed_file
    fresh_database(args.database)
    pandu(["demo", "--no-serve"], {**env, "PANDU_DEMO": "1"})
    seed_file = (keep or tmp) / "rush.json"
    pandu(
        ["seed_rush", "--seats", str(args.seats), "--citizens", str(args.citizens),
         "--out", str(seed_file)],
        env,
    )  # fmt: skip
    if state is not None:
        keys = {k: env[k] for k in ("PANDU_SECRET_KEY", "PANDU_DATA_KEYS", "PANDU_LOOKUP_KEY")}
        state.write_text(json.dumps({"database": args.database, "keys": keys}))
    return json.loads(seed_file.read_text()), seed_file


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--citizens", type=int, default=300)
    parser.add_argument("--requests", type=int, default=1200)
    parser.add_argument("--clients", default="16,48")
    parser.add_argument("--workers", type=int, default=0, help="default: the configuration's")
    parser.add_argument("--threads", type=int, default=0, help="default: the configuration's")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/pandu_bench")
    parser.add_argument(
        "--client",
        choices=("wrk", "python"),
        default=default_client(),
        help="load generator: wrk with bench/plan.lua (default when wrk is installed), "
        "or Python threads with urllib (a new connection per request)",
    )
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="keep the database and the seed in DIR and use them again in the next run",
    )
    args = parser.parse_args()
    clients = sorted(int(c) for c in args.clients.split(","))
    if args.client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("--client wrk needs wrk (apt-get install wrk)")
    race = race_wrk if args.client == "wrk" else race_http
    keep = Path(args.reuse).resolve() if args.reuse else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)

    load_before = [round(x, 2) for x in os.getloadavg()]
    port = free_port()
    env = server_env(args.database, port)
    if args.workers:
        env["PANDU_WEB_WORKERS"] = str(args.workers)
    if args.threads:
        env["PANDU_WEB_THREADS"] = str(args.threads)
    variants: dict[str, dict[str, dict]] = {"raw_sql": {}, "bare_view": {}, "full_endpoint": {}}
    with tempfile.TemporaryDirectory() as tmp:
        seed, seed_file = prepare(args, env, keep, Path(tmp))
        site_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            # bench/ for bench_settings, before any path given (a checkout's own src/).
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")) if p
            ),
            "PANDU_STATIC_ROOT": str(Path(tmp) / "static"),
        }
        pandu(["collectstatic", "--no-input", "-v", "0"], site_env)
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", "python:pandu.gunicorn_conf", "pandu.wsgi:application"],
            env=site_env,
            cwd=ROOT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/api/v1/openapi.json")
            bare = bare_plan(args.database, seed, args.requests)
            full = full_plan(seed, args.requests)
            # Warm every worker (and each of its threads) up on both endpoints, as a server that
            # has been running a while is (compiled queries, connections, prepared statements),
            # with each citizen's token once: their app listed the slots first, which records
            # the token's use (as the statement counts below assume).
            for plan in (bare, full):
                reset_slot(args.database, seed["slot"])
                once = list({(path, body, str(headers)): (path, body, headers)
                             for path, body, headers in plan}.values())  # fmt: skip
                race(base, once, clients[-1])
            for n in clients:
                variants["raw_sql"][str(n)] = race_raw_sql(
                    args.database, args.seats, args.requests, n
                )
                for name, plan in (("bare_view", bare), ("full_endpoint", full)):
                    reset_slot(args.database, seed["slot"])
                    with CpuMeter(server.pid, args.database) as cpu:
                        result = race(base, plan, n)
                    result["cpu_ms_per_request"] = cpu.per_request(len(plan))
                    result.update(check_database(args.database, seed["slot"]))
                    variants[name][str(n)] = result
        finally:
            server.terminate()
            server.wait(timeout=30)
        booked_queries, refused_queries = query_counts(env, seed_file, args.database, seed["slot"])

    top = str(clients[-1])
    full_top, raw_top = variants["full_endpoint"][top], variants["raw_sql"][top]
    result = {k: v for k, v in full_top.items()}
    result.update({k: v for k, v in raw_top.items() if k.startswith("raw_sql")})
    result["stack_vs_raw_sql"] = round(raw_top["raw_sql_per_s"] / full_top["requests_per_s"], 1)
    result["ratio_full_vs_raw"] = {
        n: round(variants["full_endpoint"][n]["requests_per_s"] / variants["raw_sql"][n]["raw_sql_per_s"], 3)
        for n in variants["raw_sql"]
    }  # fmt: skip
    result["ratio_full_vs_bare"] = {
        n: round(variants["full_endpoint"][n]["requests_per_s"] / variants["bare_view"][n]["requests_per_s"], 3)
        for n in variants["bare_view"]
    }  # fmt: skip
    result["queries_per_booking"] = booked_queries
    result["queries_per_refusal"] = refused_queries
    result["variants"] = variants
    result["workers"] = int(env.get("PANDU_WEB_WORKERS", 0)) or 2 * (os.cpu_count() or 1) + 1
    result["threads"] = int(env.get("PANDU_WEB_THREADS", 0)) or 1
    result["concurrency"] = clients[-1]
    result["client"] = args.client
    # The machine's load (1, 5 and 15 minutes) before and after: other work shares the cores.
    result["load_average"] = {
        "before": load_before,
        "after": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
