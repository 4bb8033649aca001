"""``pandu staffing``: how many counters keep "P of visitors wait at most T minutes".

    pandu staffing --arrivals-per-hour L --service-minutes S --target-wait-minutes T
                   --target-share P [--simulate [--hours H] [--runs N] [--seed N]] --json

Prints the Erlang C answer (:func:`pandu.queueing.erlang.counters_needed`) as one JSON object:
``counters``, ``p_wait``, ``mean_wait_minutes``, ``service_level`` (plus ``load`` and
``occupancy``). With ``--simulate`` it also plays ``--runs`` sessions of ``--hours`` hours of
walk-ins at that rate and those counters with lognormal service times and the waiting room's
ordering policy, and adds the pooled figures under ``simulated_*`` keys. Without ``--json`` the
answer is one sentence. Bad input exits with status 2 and a message on stderr; nothing else
happens, since the command only computes.
"""

from __future__ import annotations

import json
import math

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pandu.queueing import erlang
from pandu.queueing import simulation as sim


def _messages() -> dict[str, str]:
    return {
        "arrivals_per_hour": _("--arrivals-per-hour harus bilangan lebih dari 0."),
        "service_minutes": _("--service-minutes harus bilangan lebih dari 0."),
        "target_wait_minutes": _("--target-wait-minutes harus 0 atau lebih."),
        "target_share": _(
            "--target-share harus pecahan antara 0 dan 1 (tanpa 0 dan 1), misalnya 0.8."
        ),
    }


def _message(exc: erlang.ErlangInputError, options: dict) -> str:
    """The translated message for a refused option."""
    rate = options["arrivals_per_hour"]
    if exc.field == "arrivals_per_hour" and math.isfinite(rate) and rate > 0:
        return _("Terlalu banyak loket diperlukan (lebih dari %(n)d); periksa angkanya.") % {
            "n": erlang.MAX_COUNTERS
        }
    return _messages().get(exc.field, exc.message)


def _rounded(value: float) -> float | None:
    return None if math.isinf(value) else round(value, 4)


class Command(BaseCommand):
    help = "Recommend the number of counters for a waiting-time target (Erlang C, optionally simulated)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--arrivals-per-hour", type=float, required=True, metavar="L")
        parser.add_argument("--service-minutes", type=float, required=True, metavar="S")
        parser.add_argument("--target-wait-minutes", type=float, required=True, metavar="T")
        parser.add_argument(
            "--target-share", type=float, required=True, metavar="P", help="e.g. 0.8"
        )
        parser.add_argument(
            "--simulate", action="store_true", help="also simulate sessions at that staffing"
        )
        parser.add_argument("--hours", type=int, default=4, help="hours per simulated session")
        parser.add_argument("--runs", type=int, default=200, help="simulated sessions")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        try:
            plan = erlang.counters_needed(
                arrivals_per_hour=options["arrivals_per_hour"],
                service_minutes=options["service_minutes"],
                target_wait_minutes=options["target_wait_minutes"],
                target_share=options["target_share"],
            )
        except erlang.ErlangInputError as exc:
            raise CommandError(_message(exc, options), returncode=2) from exc
        if options["simulate"] and (options["hours"] < 1 or options["runs"] < 1):
            raise CommandError(_("--hours dan --runs harus paling sedikit 1."), returncode=2)

        out: dict[str, object] = {
            "counters": plan.counters,
            "p_wait": _rounded(plan.p_wait),
            "mean_wait_minutes": _rounded(plan.mean_wait_minutes),
            "service_level": _rounded(plan.service_level),
            "load": _rounded(plan.load),
            "occupancy": _rounded(plan.occupancy),
        }
        if options["simulate"]:
            session = sim.SessionPlan(
                counters_per_hour=[plan.counters] * options["hours"],
                walkins_per_hour=options["arrivals_per_hour"],
            )
            times = sim.ServiceTimes(default_minutes=options["service_minutes"])
            result = sim.simulate_many(session, times, runs=options["runs"], seed=options["seed"])
            summary = result.summary(options["target_wait_minutes"])
            out.update(
                {f"simulated_{key}": _rounded(value) for key, value in summary.items()}
                | {
                    "simulated_sessions": options["runs"],
                    "simulated_hours": options["hours"],
                    "simulated_service_times": "lognormal, cv 0.5",
                    "seed": options["seed"],
                }
            )
        if options["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        self.stdout.write(
            _(
                "%(counters)d loket: %(level).0f%% pengunjung menunggu paling lama %(minutes)s "
                "menit (rata-rata %(mean).1f menit)."
            )
            % {
                "counters": plan.counters,
                "level": plan.service_level * 100,
                "minutes": f"{options['target_wait_minutes']:g}",
                "mean": plan.mean_wait_minutes,
            }
        )
