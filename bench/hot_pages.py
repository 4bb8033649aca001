"""Hot pages under a release minute: the requests besides booking that many people make at once.

Loads the demo into a fresh PostgreSQL database, seeds citizens with tokens and a day of walk-in
tickets, starts gunicorn with the production configuration (``pandu.gunicorn_conf``) and runs
``--users`` concurrent users for ``--seconds``:

- citizens (most users) alternate between the free slots of the released day
  (``GET /api/v1/services/{code}/slots``) and their own appointment
  (``GET /api/v1/appointments/{reference}``), with their API token;
- the waiting room's screen polls ``/id/queue/display/calls/`` (the kiosk account's session);
- two officers at open counters call the next number and finish it
  (``POST /id/queue/counters/{id}/call/``, ``.../start/`` and ``.../finish/``, with their session
  and CSRF token).

Each user waits ``--think`` seconds (1) on average between two requests, as a person or a polling
app does: drawn between half and one and a half times that, and the users start spread over the
first two think times. (Users who all start in the same millisecond and wait exactly the same
time stay in step, so every request of a round arrives in the same instant: a load no crowd of
people makes, which measured the queue in front of the workers rather than the pages.)

Prints one JSON object: per kind of request the count, statuses, p50/p95/p99 in milliseconds,
and whether p95 is within ``--target-ms`` (100). Usage (from the project root, with
``pip install -e '.[prod]'``):

    .venv/bin/python bench/hot_pages.py [--users 50] [--seconds 30]
        [--database postgres://postgres@127.0.0.1:5432/pandu_bench_pages]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from booking_rush import BIN, ROOT, free_port, fresh_database, pandu, server_env, wait_for

DEMO_PASSWORD = "Pandu-demo-2026"  # noqa: S105 (the demo accounts' password, in the README)

SEED_TICKETS = """
from pandu.catalog.models import Service
from pandu.core.models import Mission
from pandu.queue import services
mission = Mission.objects.get(slug="toronto")
served = list(Service.objects.filter(counters__mission=mission, counters__is_open=True).distinct())
for i in range(%(tickets)d):
    services.ticket_take(mission=mission, service=served[i %% len(served)])
print("ok")
"""

BOOK_ALL = """
import json
from pandu.appointments import draw
from pandu.appointments.models import Slot
from pandu.people.models import User
seed = json.loads(open(%(seed)r).read())
slot = Slot.objects.select_related("service").get(public_id=seed["slot"])
refs = []
users = User.objects.filter(email__startswith="rush-").select_related("citizen").order_by("id")
for user in users[: slot.capacity]:
    refs.append(draw.appointment_request(citizen=user.citizen, slot=slot, service=slot.service).reference)
print(json.dumps(refs))
"""


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.statuses: dict[str, dict[int, int]] = {}

    def add(self, kind: str, status: int, ms: float) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(ms)
            counts = self.statuses.setdefault(kind, {})
            counts[status] = counts.get(status, 0) + 1

    def report(self, target_ms: float) -> dict:
        out = {}
        for kind, times in sorted(self.times.items()):
            times.sort()

            def at(share: float, times=times) -> float:
                return round(times[min(len(times) - 1, int(len(times) * share))], 1)

            p95 = at(0.95)
            out[kind] = {
                "requests": len(times),
                "statuses": {str(k): v for k, v in sorted(self.statuses[kind].items())},
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": p95,
                "p99_ms": at(0.99),
                "p95_within_target": p95 <= target_ms,
            }
        return out


def timed(recorder: Recorder, kind: str, opener, request) -> bytes:
    started = time.perf_counter()
    body = b""
    try:
        with opener.open(request, timeout=60) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, OSError):
        status = 0
    recorder.add(kind, status, (time.perf_counter() - started) * 1000)
    return body


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def signed_in(base: str, email: str) -> tuple[urllib.request.OpenerDirector, str]:
    """An opener holding a staff member's session, and its CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/id/account/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": DEMO_PASSWORD}
    ).encode()
    opener.open(
        urllib.request.Request(
            f"{base}/id/account/login/", data=data, headers={"Referer": f"{base}/id/account/login/"}
        ),
        timeout=30,
    )
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    quiet = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    return quiet, csrf


def counter_ids(opener, base: str) -> list[str]:
    page = opener.open(f"{base}/id/queue/counters/", timeout=30).read().decode()
    return list(dict.fromkeys(re.findall(r"/queue/counters/([0-9a-f-]{36})/", page)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--target-ms", type=float, default=100)
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds a user waits between two requests"
    )
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/pandu_bench_pages"
    )
    args = parser.parse_args()

    fresh_database(args.database)
    port = free_port()
    env = {**server_env(args.database, port), "PANDU_RATE_BOOKING": ""}
    pandu(["demo", "--no-serve"], {**env, "PANDU_DEMO": "1"})
    recorder = Recorder()
    with tempfile.TemporaryDirectory() as tmp:
        seed_file = Path(tmp) / "seed.json"
        citizens = max(args.users, 60)
        pandu(
            ["seed_rush", "--seats", str(citizens), "--citizens", str(citizens),
             "--out", str(seed_file)],
            env,
        )  # fmt: skip
        seed = json.loads(seed_file.read_text())
        references = json.loads(
            pandu(["shell", "-c", BOOK_ALL % {"seed": str(seed_file)}], env)
            .strip()
            .splitlines()[-1]
        )
        pandu(["shell", "-c", SEED_TICKETS % {"tickets": 300}], env)  # a busy Saturday
        pandu(["collectstatic", "--no-input", "-v", "0"], {**env, "PANDU_STATIC_ROOT": tmp})
        server = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "-c", "python:pandu.gunicorn_conf", "pandu.wsgi:application"],
            env={**env, "PANDU_STATIC_ROOT": tmp},
            cwd=ROOT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/api/v1/openapi.json")
            kiosk, _csrf = signed_in(base, "kiosk@toronto.pandu.test")
            officer, csrf = signed_in(base, "officer@toronto.pandu.test")
            counters = counter_ids(officer, base)[:2]
            if len(counters) < 2:
                raise SystemExit("the demo has no two open counters at KJRI Toronto")
            deadline = time.monotonic() + args.seconds
            plain = urllib.request.build_opener()
            # The free slots of the released session's day, as the booking page shows them.
            day = seed["day"]
            slots_url = f"{base}/api/v1/services/{seed['service']}/slots?from={day}&to={day}"

            jitter = random.Random(7)  # the same spread of starts and pauses in every run

            def pause() -> None:
                time.sleep(args.think * jitter.uniform(0.5, 1.5))

            def citizen(i: int) -> None:
                headers = {"Authorization": f"Bearer {seed['tokens'][i % len(seed['tokens'])]}"}
                reference = references[i % len(references)]
                while time.monotonic() < deadline:
                    timed(
                        recorder, "slots", plain, urllib.request.Request(slots_url, headers=headers)
                    )
                    pause()
                    timed(
                        recorder,
                        "own_appointment",
                        plain,
                        urllib.request.Request(
                            f"{base}/api/v1/appointments/{reference}", headers=headers
                        ),
                    )
                    pause()

            def screen() -> None:
                while time.monotonic() < deadline:
                    timed(recorder, "display_poll", kiosk, f"{base}/id/queue/display/calls/")
                    pause()

            def desk(counter: str) -> None:
                def post(action: str, data: dict) -> None:
                    request = urllib.request.Request(
                        f"{base}/id/queue/counters/{counter}/{action}/",
                        data=urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, **data}).encode(),
                        headers={
                            "Referer": f"{base}/id/queue/counters/{counter}/",
                            "X-CSRFToken": csrf,
                        },
                    )
                    timed(recorder, f"counter_{action}", officer, request)

                page = f"{base}/id/queue/counters/{counter}/"
                while time.monotonic() < deadline:
                    post("call", {})
                    html = officer.open(page, timeout=60).read().decode()
                    found = re.search(
                        r'/start/".{0,400}?name="ticket" value="([0-9a-f-]{36})"', html, re.S
                    )
                    if found:
                        post("start", {"ticket": found.group(1)})
                        post("finish", {"ticket": found.group(1)})
                    pause()

            workers = [
                threading.Thread(target=screen),
                *(threading.Thread(target=desk, args=(c,)) for c in counters),
            ]
            workers += [
                threading.Thread(target=citizen, args=(i,))
                for i in range(args.users - len(workers))
            ]
            starts = [jitter.uniform(0, 2 * args.think) for _ in workers]
            began = time.monotonic()
            for worker, start in sorted(zip(workers, starts, strict=True), key=lambda w: w[1]):
                time.sleep(max(0.0, began + start - time.monotonic()))
                worker.start()
            for worker in workers:
                worker.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    result = {
        "users": args.users,
        "seconds": args.seconds,
        "target_p95_ms": args.target_ms,
        "think_s": args.think,
        "think_spread": [0.5, 1.5],
        "start_spread_s": 2 * args.think,
        "workers": int(env.get("PANDU_WEB_WORKERS", 0)) or 2 * (os.cpu_count() or 1) + 1,
        "pages": recorder.report(args.target_ms),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
