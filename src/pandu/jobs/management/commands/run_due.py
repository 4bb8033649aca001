"""``pandu run_due [--loop SECONDS]``: reminders, mail retries and purges that are due now.

Prints one JSON line per round with what each job did. Once by default (for cron); with
``--loop`` it repeats until interrupted.
"""

import json
import threading

from django.core.management.base import BaseCommand, CommandError

from pandu import jobs


class Command(BaseCommand):
    help = (
        "Runs the periodic work that is due (reminders, mail retries, purges); once or in a loop."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="repeat every SECONDS until interrupted (e.g. 60)",
        )

    def _report(self, at, counts):
        self.stdout.write(json.dumps({"at": at.isoformat(), **counts}))
        self.stdout.flush()

    def handle(self, *args, loop: float | None, **options):
        if loop is None:
            counts = jobs.run_due()
            self.stdout.write(json.dumps(counts))
            if counts["errors"]:
                raise CommandError(f"{counts['errors']} periodic job(s) failed; see the log.")
            return
        if loop < 1:
            raise CommandError("--loop must be at least 1 second.")
        try:
            jobs.run_forever(loop, stop=threading.Event(), report=self._report)
        except KeyboardInterrupt:
            self.stderr.write("Stopped.")
