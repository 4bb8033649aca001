"""Wait estimates: a range from the tickets ahead, the service times and the counters."""

import pytest

from pandu.queue.estimates import (
    ServiceTimeStats,
    WaitRange,
    estimate_wait,
    service_time_stats,
)

TEN = ServiceTimeStats(mean=10.0, sd=5.0)


def test_no_history_uses_the_catalogue_duration():
    assert service_time_stats([], 12) == ServiceTimeStats(mean=12, sd=6)


def test_history_outweighs_the_catalogue_as_samples_grow():
    few = service_time_stats([20.0], 10)
    many = service_time_stats([20.0, 21.0, 19.0] * 10, 10)
    assert 10 < few.mean < 15
    assert 19 < many.mean < 20
    with pytest.raises(ValueError):
        service_time_stats([5.0], 0)


def test_no_open_counter_means_no_estimate():
    assert estimate_wait(ahead=["P"], counters=0, stats={}, default=TEN) is None


def test_first_in_line_at_an_idle_counter_waits_nothing():
    assert estimate_wait(ahead=[], counters=1, stats={}, default=TEN) == WaitRange(0, 0)
    # One ahead, two idle counters: called at once.
    assert estimate_wait(ahead=["P"], counters=2, stats={}, default=TEN) == (0, 0)


def test_range_contains_the_simple_average_and_is_rounded_to_five_minutes():
    low, high = estimate_wait(ahead=["P"] * 6, counters=2, stats={"P": TEN}, default=TEN)
    assert low % 5 == 0 and high % 5 == 0
    assert low < 30 < high  # six visits of ten minutes on two counters
    assert high - low <= 30


def test_more_counters_shorten_the_wait():
    two = estimate_wait(ahead=["P"] * 8, counters=2, stats={}, default=TEN)
    four = estimate_wait(ahead=["P"] * 8, counters=4, stats={}, default=TEN)
    assert four.high < two.high and four.low <= two.low


def test_slow_services_ahead_weigh_more():
    slow = {"L": ServiceTimeStats(mean=30, sd=5)}
    fast = estimate_wait(ahead=["P"] * 3, counters=1, stats=slow, default=TEN)
    slower = estimate_wait(ahead=["L"] * 3, counters=1, stats=slow, default=TEN)
    assert slower.low > fast.high


def test_busy_counters_count_their_remaining_time():
    idle = estimate_wait(ahead=["P"], counters=1, stats={}, default=TEN)
    busy = estimate_wait(ahead=["P"], counters=1, stats={}, default=TEN, busy=[("P", 2.0)])
    assert busy.low >= idle.low and busy.high > idle.high


def test_possible_overtaking_widens_only_the_upper_end():
    base = estimate_wait(ahead=["P"] * 4, counters=1, stats={}, default=TEN)
    wide = estimate_wait(ahead=["P"] * 4, counters=1, stats={}, default=TEN, may_overtake=2)
    assert wide.low == base.low and wide.high >= base.high + 15
