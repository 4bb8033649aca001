"""How honest are the waiting room's wait estimates? Replays simulated Saturdays and compares.

Usage::

    .venv/bin/python bench/wait_estimates.py [--days 60] [--seed 1]

Each day is a Saturday session of KJRI Toronto as :mod:`pandu.queueing.simulation` plays it
(9:00-13:00, counters per hour ``COUNTERS``, appointments booked every few minutes with the
catalogue's Saturday services, walk-ins at random, some with a priority reason, lognormal
service times whose true means differ from the catalogue's ``counter_minutes`` as real ones
do, and the waiting room's ordering policy). At each ticket's arrival the queue app's
:func:`pandu.queue.estimates.estimate_wait` is called with what the room knows at that moment,
as the phone page's ``Line.estimate`` does (``pandu.queue.selectors``):

- ``ahead``: the waiting tickets the policy would call before it (``policy.order``);
- ``counters`` open now and ``busy``: the service and the minutes already spent at each busy one;
- ``stats``: ``service_time_stats`` of each service from the durations finished on the previous
  ``HISTORY_DAYS`` days and earlier that day, around the catalogue's minutes;
- ``may_overtake``: for a ticket without priority, the priority tickets of its service that
  arrived in the last hour, as a rate over the first estimate's upper end, plus the booked
  visitors not yet checked in whose time comes within that end, at most the bound.

The estimate is then compared with the wait the simulation produced. Prints one JSON object:
the mean absolute error of the range's midpoint (minutes), the share of true waits inside the
shown range, and for context the mean true wait, the mean width of the ranges, the error of a
naive estimate (places ahead times the catalogue's minutes over the open counters), and the
figures had ``may_overtake`` left out the booked visitors not yet checked in whose time comes
during the wait (``if_pending_appointments_ignored``); ``by_kind`` splits the main
figures by appointment holders, priority visitors and other walk-ins.
Everything is drawn from ``--seed``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import statistics
import time
from collections import defaultdict, deque

from pandu.queue import estimates, policy
from pandu.queueing import simulation as sim

#: Saturday services and their ``counter_minutes`` in the demo catalogue, with booking weights.
CATALOGUE = {
    "paspor-baru": (20, 3),
    "paspor-ganti": (15, 6),
    "paspor-hilang-rusak": (30, 1),
    "splp": (20, 1),
    "legalisasi": (10, 3),
    "lapor-kelahiran": (20, 1),
    "surat-keterangan": (15, 2),
}
COUNTERS = [4, 5, 5, 4]
BOOKING_EVERY_MINUTES = 5  # one appointment every five minutes, 9:00-12:45
WALKINS_PER_HOUR = 5.0
WALKIN_PRIORITY_SHARE = 0.15
ELDERLY_BOOKING_SHARE = 0.1
SHOW_SHARE = 0.9
HISTORY_DAYS = 7


def day_plan(rng: random.Random) -> sim.SessionPlan:
    codes = list(CATALOGUE)
    weights = [CATALOGUE[c][1] for c in codes]
    bookings = [
        sim.Booking(
            minute=float(m),
            service=rng.choices(codes, weights)[0],
            priority="elderly" if rng.random() < ELDERLY_BOOKING_SHARE else None,
        )
        for m in range(0, 60 * len(COUNTERS), BOOKING_EVERY_MINUTES)
    ]
    return sim.SessionPlan(
        counters_per_hour=COUNTERS,
        bookings=bookings,
        walkins_per_hour=WALKINS_PER_HOUR,
        walkin_services={c: w for c, w in zip(codes, weights, strict=True)},
        walkin_priority_share=WALKIN_PRIORITY_SHARE,
        show_share=SHOW_SHARE,
    )


def true_times(rng: random.Random) -> sim.ServiceTimes:
    """Real service times: each service's mean 20 % below to 40 % above the catalogue's."""
    return sim.ServiceTimes(
        mean_minutes={c: minutes * rng.uniform(0.8, 1.4) for c, (minutes, _) in CATALOGUE.items()},
        cv=0.5,
    )


class Estimator:
    """Calls ``estimate_wait`` at each arrival the way the phone page does."""

    def __init__(self, history: deque):
        self.history = history  # one list of (service, minutes) per earlier day
        self.records: dict[str, tuple] = {}  # key: (shown range, naive minutes, alternative)
        self.arrivals: list[tuple[float, str, bool]] = []  # (minute, service, declared priority)

    def __call__(self, snap: sim.Snapshot) -> None:
        ticket = snap.ticket
        declared = ticket.priority in policy.DECLARED_REASONS
        self.arrivals.append((snap.now, ticket.service, declared))
        now = sim.EPOCH + dt.timedelta(minutes=snap.now)
        keys = [w.key for w in policy.order(snap.waiting, now)]
        by_key = {w.key: w for w in snap.waiting}
        ahead = [by_key[k].service for k in keys[: keys.index(ticket.key)]]
        samples: dict[str, list[float]] = defaultdict(list)
        for day in self.history:
            for service, minutes in day:
                samples[service].append(minutes)
        for service, minutes in snap.finished:
            samples[service].append(minutes)
        stats = {
            code: estimates.service_time_stats(samples.get(code, []), minutes)
            for code, (minutes, _) in CATALOGUE.items()
        }
        kwargs = {
            "ahead": ahead,
            "counters": snap.counters_open,
            "stats": stats,
            "default": stats[ticket.service],
            "busy": list(snap.busy),
        }
        first = estimates.estimate_wait(**kwargs)
        shown = alternative = first
        if first is not None and policy.priority_reason(ticket, now) is None:
            left = max(policy.DEFAULT_POLICY.max_overtaken - ticket.overtaken, 0)
            recent = sum(
                1
                for minute, service, prio in self.arrivals
                if prio and service == ticket.service and minute >= snap.now - 60
            )
            # As the app does: priority arrivals at the last hour's rate, and booked visitors
            # not yet in whose time comes during the wait (the policy puts them ahead then).
            # The alternative leaves the booked visitors out, as the first version did.
            early = policy.DEFAULT_POLICY.appointment_early.total_seconds() / 60
            booked = (
                sum(1 for b in snap.pending_bookings if b.minute - early <= snap.now + first.high)
                if ticket.appointment_at is None  # appointment holders soon have their own turn
                else 0
            )
            may = min(left, math.ceil(recent / 60 * first.high) + booked)
            if may:
                shown = estimates.estimate_wait(**kwargs, may_overtake=may)
            fewer = min(left, math.ceil(recent / 60 * first.high))
            if fewer:
                alternative = estimates.estimate_wait(**kwargs, may_overtake=fewer)
        naive = (
            len(ahead) * CATALOGUE[ticket.service][0] / snap.counters_open
            if snap.counters_open
            else math.nan
        )
        self.records[ticket.key] = (shown, naive, alternative)


def run(days: int, seed: int) -> dict:
    rng = random.Random(seed)
    times = true_times(rng)
    history: deque = deque(maxlen=HISTORY_DAYS)
    errors, naive_errors, widths, waits = [], [], [], []
    alt_errors: list[float] = []
    inside = tickets = no_estimate = alt_inside = 0
    by_kind: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for day in range(days):
        estimator = Estimator(history)
        result = sim.simulate(day_plan(rng), times, seed=seed * 100_000 + day, observer=estimator)
        history.append([(t.service, t.service_minutes) for t in result.tickets])
        for t in result.tickets:
            shown, naive, alternative = estimator.records[t.key]
            if shown is None:
                no_estimate += 1
                continue
            tickets += 1
            mid = (shown.low + shown.high) / 2
            hit = shown.low <= t.wait <= shown.high
            errors.append(abs(mid - t.wait))
            naive_errors.append(abs(naive - t.wait))
            alt_errors.append(abs((alternative.low + alternative.high) / 2 - t.wait))
            alt_inside += alternative.low <= t.wait <= alternative.high
            widths.append(shown.high - shown.low)
            waits.append(t.wait)
            inside += hit
            kind = "priority" if t.priority else t.kind
            by_kind[kind].append((abs(mid - t.wait), hit))
    return {
        "days": days,
        "seed": seed,
        "tickets": tickets,
        "mean_absolute_error_minutes": round(statistics.fmean(errors), 2),
        "share_inside_range": round(inside / tickets, 3),
        "mean_true_wait_minutes": round(statistics.fmean(waits), 2),
        "mean_range_width_minutes": round(statistics.fmean(widths), 2),
        "naive_mean_absolute_error_minutes": round(statistics.fmean(naive_errors), 2),
        "without_estimate": no_estimate,
        "if_pending_appointments_ignored": {
            "mean_absolute_error_minutes": round(statistics.fmean(alt_errors), 2),
            "share_inside_range": round(alt_inside / tickets, 3),
        },
        "by_kind": {
            kind: {
                "tickets": len(rows),
                "mean_absolute_error_minutes": round(statistics.fmean(e for e, _ in rows), 2),
                "share_inside_range": round(sum(h for _, h in rows) / len(rows), 3),
            }
            for kind, rows in sorted(by_kind.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60, help="simulated Saturdays (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args()
    if args.days < 1:
        parser.error("--days must be at least 1")
    started = time.perf_counter()
    out = run(args.days, args.seed)
    out["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
