"""Erlang C for the M/M/c queue: how long visitors wait at ``c`` counters, and how many counters
a waiting-time target needs.

Visitors arrive at random (Poisson, ``arrivals_per_hour``), each takes on average
``service_minutes`` at a counter (exponential), ``c`` counters serve one shared line in arrival
order, and nobody leaves the line. The offered load is ``A = arrivals_per_hour *
service_minutes / 60`` (in erlangs, the number of counters kept busy on average); the line is
stable only when ``c > A``. The figures are steady-state ones: what an hour looks like once the
room has been running at that rate for a while. :mod:`pandu.queueing.simulation` checks them
against a whole session with non-exponential service, priorities and the real ordering policy.

Written by hand rather than taken from a library: the formulas are a dozen lines, while the
Python packages that offer them (``pyworkforce``, ``erlang``) bring pandas or OR-Tools along,
and several compute ``A**c / c!`` directly, which overflows for a few hundred counters. Here
the probability of waiting comes from the Erlang B recursion ``B(k) = A B(k-1) / (k + A
B(k-1))``, which stays between 0 and 1 at every step, and ``C = c B / (c - A (1 - B))``.

This module imports no Django; wrong input raises :class:`ErlangInputError` (a ``ValueError``)
with an English message for the caller to translate or show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: ``counters_needed`` gives up above this many counters (a typo such as 10000 arrivals per
#: hour, not a plan a consulate could staff).
MAX_COUNTERS = 1000


class ErlangInputError(ValueError):
    """An argument is out of range; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Figures:
    """Erlang C figures for one number of counters. Times in minutes, shares from 0 to 1."""

    counters: int
    load: float  # offered load in erlangs
    occupancy: float  # share of counter time spent serving (load / counters, at most 1)
    p_wait: float  # probability that an arriving visitor waits at all
    mean_wait_minutes: float  # over all visitors, including those served at once
    service_level: float  # share of visitors who wait at most the target time

    @property
    def stable(self) -> bool:
        return self.counters > self.load


def _positive(field: str, value: float) -> float:
    if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ErlangInputError(field, "must be a positive number")
    return float(value)


def _counters(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ErlangInputError("counters", "must be a whole number of at least 1")
    return value


def offered_load(arrivals_per_hour: float, service_minutes: float) -> float:
    """The offered load in erlangs: counters kept busy on average."""
    return _positive("arrivals_per_hour", arrivals_per_hour) * (
        _positive("service_minutes", service_minutes) / 60.0
    )


def erlang_b(counters: int, load: float) -> float:
    """Erlang B: the probability that all ``counters`` are busy in a loss system with ``load``."""
    counters = _counters(counters)
    load = _positive("load", load)
    b = 1.0
    for k in range(1, counters + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(counters: int, load: float) -> float:
    """Erlang C: the probability that an arriving visitor has to wait (1 when unstable)."""
    counters = _counters(counters)
    load = _positive("load", load)
    if load >= counters:
        return 1.0
    b = erlang_b(counters, load)
    return counters * b / (counters - load * (1.0 - b))


def figures(
    *,
    counters: int,
    arrivals_per_hour: float,
    service_minutes: float,
    target_wait_minutes: float,
) -> Figures:
    """Erlang C figures for ``counters`` counters. An unstable line (load at or above the
    counters) waits for ever: ``p_wait`` 1, infinite mean wait, service level 0."""
    counters = _counters(counters)
    load = offered_load(arrivals_per_hour, service_minutes)
    target = _target(target_wait_minutes)
    if load >= counters:
        return Figures(counters, load, 1.0, 1.0, math.inf, 0.0)
    p_wait = erlang_c(counters, load)
    spare = counters - load
    return Figures(
        counters=counters,
        load=load,
        occupancy=load / counters,
        p_wait=p_wait,
        mean_wait_minutes=p_wait * service_minutes / spare,
        # The wait of those who do wait is exponential with rate (c - A) / service time.
        service_level=1.0 - p_wait * math.exp(-spare * target / service_minutes),
    )


def _target(value: float) -> float:
    if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise ErlangInputError("target_wait_minutes", "must be zero or a positive number")
    return float(value)


def _share(value: float) -> float:
    if not isinstance(value, int | float) or not 0 < value < 1:
        raise ErlangInputError("target_share", "must be more than 0 and less than 1")
    return float(value)


def check_target(*, target_wait_minutes: float, target_share: float) -> None:
    """Refuse a target wait below 0 or a share outside the open interval (0, 1)."""
    _target(target_wait_minutes)
    _share(target_share)


def counters_needed(
    *,
    arrivals_per_hour: float,
    service_minutes: float,
    target_wait_minutes: float,
    target_share: float,
) -> Figures:
    """The fewest counters with which ``target_share`` of visitors wait at most
    ``target_wait_minutes``, with their figures.

    The service level only grows with each counter added, so the first number that meets the
    target is the answer. A share of 1 is never met (someone always may wait), hence the open
    interval.
    """
    load = offered_load(arrivals_per_hour, service_minutes)
    target = _target(target_wait_minutes)
    share = _share(target_share)
    counters = max(1, math.floor(load) + 1)
    while counters <= MAX_COUNTERS:
        result = figures(
            counters=counters,
            arrivals_per_hour=arrivals_per_hour,
            service_minutes=service_minutes,
            target_wait_minutes=target,
        )
        if result.service_level >= share:
            return result
        counters += 1
    raise ErlangInputError(
        "arrivals_per_hour", f"needs more than {MAX_COUNTERS} counters; check the figures"
    )
