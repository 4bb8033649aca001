"""``pandu demo``: migrate, load the demo data (idempotent), run the periodic work and serve."""

import json
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from pandu.demo.loader import load_demo_data


class Command(BaseCommand):
    help = "Migrates the database, loads demo data (idempotent) and serves Pandu."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address:port to serve on")
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")

    def handle(self, *args, addr: str, no_serve: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        created = load_demo_data(with_calendar=True)
        summary = ", ".join(f"{n} {kind}" for kind, n in created.items())
        self.stdout.write(f"Demo data ready (created now: {summary}).")
        if no_serve:
            return
        # Reminders, mail retries and purges every minute, in this process: the demo needs no
        # worker (tasks run inline with the immediate backend).
        from pandu.jobs import start_background

        start_background(60, report=self._report_round)
        # The letters the load deferred (a second each to sign) are issued meanwhile; until
        # then their pages say the letter is being prepared.
        threading.Thread(target=self._letters, name="pandu-demo-letters", daemon=True).start()
        self.stdout.write(f"Pandu is at http://{addr}/ (sign-in details are in the README).")
        call_command("runserver", addr, use_reloader=False)

    def _letters(self):
        from django.db import close_old_connections

        from pandu.demo.loader import demo_letters_issue

        try:
            issued = demo_letters_issue()
            self.stdout.write(f"Demo letters issued: {issued}.")
        finally:
            close_old_connections()

    def _report_round(self, at, counts):
        done = {name: n for name, n in counts.items() if n}
        if done:
            self.stdout.write(f"Periodic work at {at:%H:%M}: {json.dumps(done)}")
