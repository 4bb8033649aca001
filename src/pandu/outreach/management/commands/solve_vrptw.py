"""``pandu solve_vrptw FILE.vrp [--seconds S] [--seed N]``: a VRPLIB VRPTW instance, solved.

Prints ``{"vehicles": k, "distance": d, "routes": [[...], ...]}`` on stdout; customers are
numbered as in the ``.sol`` files (1 to n, the depot left out). A file that cannot be read
exits with status 2 and the reason on stderr.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from pandu.outreach.vrplib_solver import InstanceError, solve_file


class Command(BaseCommand):
    help = "Solve a VRPTW instance in VRPLIB format: fewest vehicles, then least distance."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="instance in VRPLIB format (.vrp)")
        parser.add_argument("--seconds", type=float, default=30.0, help="search time limit")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, **options):
        if not options["seconds"] > 0:
            raise CommandError("--seconds must be a positive number", returncode=2)
        try:
            solution = solve_file(options["file"], seconds=options["seconds"], seed=options["seed"])
        except InstanceError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if not solution.feasible:
            raise CommandError(
                f"{options['file']}: no feasible solution found in {options['seconds']} s",
                returncode=1,
            )
        self.stdout.write(json.dumps(solution.as_dict()))
