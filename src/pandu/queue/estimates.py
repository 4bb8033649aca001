"""Honest wait estimates for a waiting ticket: a range in minutes, not a single number.

Pure Python on plain data (no Django), shared by the phone page, the staffing
simulation and ``bench/wait_estimates.py``.

Method
------
1. **Service time per service** (`service_time_stats`): the mean and standard
   deviation of recent service durations, shrunk towards the catalogue's
   duration at the counter while there are few samples (a weight of
   ``PRIOR_WEIGHT`` pseudo-samples), because two quick visits in the morning are
   not a service time. With no samples the catalogue's duration is used with a
   coefficient of variation of ``DEFAULT_CV``.
2. **Centre** (`estimate_wait`): the counters open for the ticket's service are
   busy for the remaining part of their current visit (mean less time already
   spent, at least ``MIN_REMAINING`` of a mean), then take the tickets ahead one
   by one, each at its service's mean, always the counter that frees first (list
   scheduling). The ticket's wait is when a counter frees for it. This keeps the
   granularity of a few counters that a plain "work / counters" division loses
   (one ticket ahead and two idle counters means no wait).
3. **Spread**: service times of the visits ahead add up, so the standard
   deviation of the work ahead is the square root of the summed variances; on
   ``c`` counters it is shared, so divided by ``c``. The range is the centre
   plus and minus ``Z`` of those deviations (about an 80 % interval for a
   normal sum).
4. **Later priorities**: a ticket may still be overtaken by priority arrivals,
   at most up to the policy's bound. ``may_overtake`` such visits widen only the
   upper end.
5. The ends are rounded outwards to ``ROUND_TO`` minutes (0 stays 0), so the page
   never claims a precision the data do not have.

What it deliberately does not do: forecast arrivals other than the bounded
overtaking, or model officers' breaks; the benchmark measures how often the
real wait falls inside the range.
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

PRIOR_WEIGHT = 3.0
DEFAULT_CV = 0.5
MIN_REMAINING = 0.2
Z = 1.28
ROUND_TO = 5


@dataclass(frozen=True)
class ServiceTimeStats:
    """Mean and standard deviation of one service's time at the counter, in minutes."""

    mean: float
    sd: float


class WaitRange(NamedTuple):
    low: int
    high: int


def service_time_stats(samples: Sequence[float], default_minutes: float) -> ServiceTimeStats:
    """Recent service durations (minutes) blended with the catalogue's duration (see step 1)."""
    if default_minutes <= 0:
        raise ValueError("default_minutes must be positive")
    clean = [float(s) for s in samples if s is not None and s >= 0]
    prior_sd = default_minutes * DEFAULT_CV
    n = len(clean)
    if n == 0:
        return ServiceTimeStats(mean=default_minutes, sd=prior_sd)
    sample_mean = statistics.fmean(clean)
    sample_sd = statistics.stdev(clean) if n >= 2 else prior_sd
    weight = n / (n + PRIOR_WEIGHT)
    mean = weight * sample_mean + (1 - weight) * default_minutes
    sd = math.sqrt(weight * sample_sd**2 + (1 - weight) * prior_sd**2)
    return ServiceTimeStats(mean=mean, sd=sd)


def _round_out(low: float, high: float) -> WaitRange:
    lo = int(math.floor(max(low, 0.0) / ROUND_TO) * ROUND_TO)
    hi = int(math.ceil(max(high, 0.0) / ROUND_TO) * ROUND_TO)
    if hi <= lo:
        hi = lo + ROUND_TO if high > 0 else lo
    return WaitRange(lo, hi)


def estimate_wait(
    *,
    ahead: Sequence[str],
    counters: int,
    stats: Mapping[str, ServiceTimeStats],
    default: ServiceTimeStats,
    busy: Sequence[tuple[str, float]] = (),
    may_overtake: int = 0,
) -> WaitRange | None:
    """The wait, in minutes, before a counter calls the ticket, as (low, high).

    ``ahead``: the services of the tickets that will be called before this one at
    the counters that serve it, in calling order. ``counters``: how many open
    counters serve this ticket's service; ``busy``: for those counters now
    serving someone, (service, minutes already spent). ``stats``: service time
    per service code (from `service_time_stats`); ``default`` for services
    missing there. ``may_overtake``: how many later priority visits may still go
    ahead (bounded by the ordering policy). Returns None when no counter is open
    for the service, because then nobody can say.
    """
    if counters <= 0:
        return None
    if may_overtake < 0:
        raise ValueError("may_overtake must not be negative")

    def of(service: str) -> ServiceTimeStats:
        return stats.get(service, default)

    free_at = [0.0] * counters
    variance = 0.0
    for i, (service, spent) in enumerate(busy[:counters]):
        s = of(service)
        free_at[i] = max(s.mean - spent, MIN_REMAINING * s.mean)
        # Only the part still to come is uncertain; scale the spread to it.
        if s.mean > 0:
            variance += (s.sd * min(1.0, free_at[i] / s.mean)) ** 2
    heapq.heapify(free_at)
    for service in ahead:
        s = of(service)
        soonest = heapq.heappop(free_at)
        heapq.heappush(free_at, soonest + s.mean)
        variance += s.sd**2
    centre = free_at[0]
    spread = Z * math.sqrt(variance) / counters
    extra = 0.0
    if may_overtake:
        extra = may_overtake * default.mean / counters
    if len(ahead) < counters - len(busy[:counters]):
        # A counter is idle for this ticket: it is called as soon as it is its turn.
        return _round_out(0.0, extra)
    return _round_out(centre - spread, centre + spread + extra)
