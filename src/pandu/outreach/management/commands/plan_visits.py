"""``pandu plan_visits INPUT.json [--seconds S] [--seed N]``: Pertiwi trips, planned.

Reads the depot, travel settings, shifts and visits (see the issue's contract), plans with
:mod:`pandu.outreach.routing` and prints the plan as JSON on stdout. Bad input exits with
status 2 and a message naming the field on stderr. Reasons for unserved visits are
translated here, in the active language; the planner itself only knows codes.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from pandu.outreach.routing import (
    NO_CAPACITY,
    NO_WINDOW_REACHABLE,
    OUT_OF_REACH,
    PlanInputError,
    plan,
    plan_as_dict,
    problem_from_dict,
)


def reason_for(code: str) -> str:
    reasons = {
        OUT_OF_REACH: gettext(
            "Tidak ada giliran tim yang dapat mencapai alamat ini, melayani, lalu kembali dalam "
            "satu giliran. Pertimbangkan layanan jemput bola, layanan pos, atau perjalanan "
            "menginap yang direncanakan."
        ),
        NO_WINDOW_REACHABLE: gettext(
            "Tim dapat mencapai alamat ini, tetapi tidak pada jam-jam orang tersebut ada di "
            "rumah. Minta waktu lain."
        ),
        NO_CAPACITY: gettext(
            "Kunjungan ini mungkin dilakukan, tetapi giliran tim sudah penuh. Tambah giliran "
            "atau pindahkan kunjungan ke minggu lain."
        ),
    }
    return reasons[code]


class Command(BaseCommand):
    help = "Plan Pertiwi home visits over team shifts; prints the plan as JSON."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("input", help="planning input as JSON (depot, travel, shifts, visits)")
        parser.add_argument("--seconds", type=float, default=10.0, help="search time limit")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, **options):
        if not options["seconds"] > 0:
            raise CommandError("--seconds must be a positive number", returncode=2)
        path = Path(options["input"])
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"{path}: cannot read ({exc.strerror})", returncode=2) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path}: not valid JSON ({exc})", returncode=2) from exc
        try:
            problem = problem_from_dict(raw)
        except PlanInputError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from exc
        result = plan(problem, seconds=options["seconds"], seed=options["seed"])
        self.stdout.write(json.dumps(plan_as_dict(result, reason_for), ensure_ascii=False))
