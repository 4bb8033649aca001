"""Crisis message to 10,000 citizens: how long queueing and sending take through the fake Twilio.

Builds a scratch SQLite database (migrations and the demo's missions and staff), adds
``--citizens`` registered citizens around Toronto who chose SMS (bulk rows, as
``tests/broadcast/factories.py`` makes them), then:

- ``queue_seconds``: ``broadcast_send``: selecting the recipients (bounding box in SQL, exact
  distance in Python) and writing one delivery row each, plus the task row (database queue);
- ``send_seconds``: ``broadcast_run`` in this process, as a worker runs it: claim, message row,
  the real Twilio client's HTTP request to the local fake server (``tests/notify``), mark sent.
  The throttle is off (``BROADCAST_RATE_SMS=0``) to measure Pandu itself; with a rate set,
  sending takes ``citizens / rate`` seconds at least (``throttled_seconds_at_default_rate``).

Prints one JSON object; ``duplicates`` (citizens who got more than one message) and ``missing``
must be 0. Usage, from the project root::

    PYTHONPATH=src .venv/bin/python bench/broadcast_10k.py [--citizens 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--citizens", type=int, default=10_000)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="pandu-bench-broadcast-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pandu.settings",
            "PANDU_DEMO": "1",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "PANDU_MEDIA_ROOT": str(folder / "media"),
            "PANDU_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PANDU_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "PANDU_BROADCAST_RATE_SMS": "0",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from pandu.broadcast import services, tokens
    from pandu.broadcast.models import Delivery
    from pandu.core.models import Mission
    from pandu.demo.loader import load_demo_data
    from pandu.people.models import User
    from tests.broadcast.factories import make_citizens
    from tests.broadcast.fake_twilio import FakeProvidersWithList
    from tests.broadcast.helpers import draft

    call_command("migrate", verbosity=0)
    load_demo_data()
    fake = FakeProvidersWithList().start()
    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = "bench-token"  # noqa: S105 (the fake server checks nothing)
    settings.SMS_FROM = "+14165550100"
    settings.TWILIO_BASE_URL = fake.url

    toronto = Mission.objects.get(slug="toronto")
    supervisor = User.objects.get(email="supervisor@toronto.pandu.test")
    started = time.perf_counter()
    make_citizens(toronto, args.citizens, sms=True, lat=43.70, lon=-79.40, batch=2000)
    setup_seconds = time.perf_counter() - started

    broadcast = draft(toronto, supervisor, km=10)
    started = time.perf_counter()
    services.broadcast_send(broadcast=broadcast, by=supervisor)
    queue_seconds = time.perf_counter() - started

    started = time.perf_counter()
    status = services.broadcast_run(broadcast_id=broadcast.pk)
    send_seconds = time.perf_counter() - started
    fake.stop()

    bodies = fake.twilio_bodies()
    duplicates = missing = 0
    for public_id, phone in Delivery.objects.filter(broadcast=broadcast).values_list(
        "public_id", "message__phone"
    ):
        token = tokens.reply_token(public_id)
        got = sum(token in body for body in bodies.get(phone, []))
        duplicates += got > 1
        missing += got == 0
    recipients = Delivery.objects.filter(broadcast=broadcast).count()
    print(
        json.dumps(
            {
                "citizens": args.citizens,
                "recipients": recipients,
                "status": status,
                "setup_seconds": round(setup_seconds, 2),
                "queue_seconds": round(queue_seconds, 2),
                "send_seconds": round(send_seconds, 2),
                "messages_per_second": round(recipients / send_seconds, 1),
                "provider_requests": len(fake.of("twilio")),
                "duplicates": duplicates,
                "missing": missing,
                "throttled_seconds_at_default_rate": round(
                    recipients / 10.0,
                    1,  # PANDU_BROADCAST_RATE_SMS default
                ),
                "database": "sqlite",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
