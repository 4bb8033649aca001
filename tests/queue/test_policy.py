"""The waiting room's ordering policy, on plain data."""

from datetime import UTC, datetime, timedelta

from pandu.queue.policy import (
    DEFAULT_POLICY,
    Policy,
    PriorityReason,
    WaitingTicket,
    choose_next,
    order,
    passed_over,
    priority_reason,
)

T0 = datetime(2026, 3, 7, 14, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def walk_in(key, minute, service="P", **kw):
    return WaitingTicket(key=key, service=service, arrived_at=at(minute), **kw)


def test_walk_ins_are_called_in_arrival_order():
    waiting = [walk_in("c", 3), walk_in("a", 1), walk_in("b", 2)]
    assert [t.key for t in order(waiting, at(5))] == ["a", "b", "c"]
    assert choose_next(waiting, at(5)).key == "a"


def test_nobody_waiting_gives_none():
    assert choose_next([], at(0)) is None
    assert choose_next([walk_in("a", 0, service="L")], at(1), services_served={"P"}) is None


def test_priority_citizens_go_ahead_of_earlier_walk_ins():
    waiting = [walk_in("w", 0), walk_in("e", 5, priority="elderly")]
    assert choose_next(waiting, at(6)).key == "e"
    assert priority_reason(waiting[1], at(6)) is PriorityReason.ELDERLY


def test_appointment_holder_is_served_close_to_the_booked_time():
    early = walk_in("appt", 0, appointment_at=at(40))
    waiting = [early, walk_in("w", 5)]
    # Forty minutes early: the walk-in who came later goes first ...
    assert choose_next(waiting, at(10)).key == "w"
    assert priority_reason(early, at(10)) is None
    # ... but from ten minutes before the booked time the appointment goes ahead.
    assert choose_next(waiting, at(31)).key == "appt"
    assert priority_reason(early, at(31)) is PriorityReason.APPOINTMENT


def test_an_early_appointment_holder_is_called_when_nobody_else_waits():
    assert choose_next([walk_in("appt", 0, appointment_at=at(60))], at(1)).key == "appt"


def test_a_late_appointment_holder_queues_like_a_walk_in():
    late = walk_in("late", 30, appointment_at=at(0))  # 30 minutes late, grace is 15
    waiting = [walk_in("w", 20), late]
    assert priority_reason(late, at(31)) is None
    assert [t.key for t in order(waiting, at(31))] == ["w", "late"]


def test_a_counter_calls_only_its_services():
    waiting = [walk_in("p", 0, service="P"), walk_in("l", 1, service="L")]
    assert choose_next(waiting, at(2), services_served={"L"}).key == "l"
    assert choose_next(waiting, at(2), services_served={"L", "P"}).key == "p"


def test_between_appointments_the_booked_time_decides():
    a = walk_in("a", 0, appointment_at=at(30))
    b = walk_in("b", 5, appointment_at=at(20))
    assert [t.key for t in order([a, b], at(25))] == ["b", "a"]


def test_overtaking_is_bounded_under_a_stream_of_priorities():
    """Simulate calls: a walk-in behind an endless stream of elderly visitors is served
    after at most `max_overtaken` of them went ahead."""
    policy = Policy(max_overtaken=3)
    walker = walk_in("walker", 0)
    waiting = [walker]
    served = []
    for i in range(10):
        # A new elderly visitor arrives before every call.
        waiting.append(walk_in(f"e{i}", 1 + i, priority="elderly"))
        chosen = choose_next(waiting, at(1 + i), policy=policy)
        bumped = {t.key for t in passed_over(waiting, chosen, policy=policy)}
        waiting = [
            WaitingTicket(**{**t.__dict__, "overtaken": t.overtaken + (t.key in bumped)})
            for t in waiting
            if t.key != chosen.key
        ]
        served.append(chosen.key)
        if chosen.key == "walker":
            break
    assert served == ["e0", "e1", "e2", "walker"]


def test_without_the_bound_priorities_would_keep_overtaking():
    walker = walk_in("walker", 0, overtaken=DEFAULT_POLICY.max_overtaken - 1)
    assert choose_next([walker, walk_in("e", 1, priority="pregnant")], at(2)).key == "e"


def test_passed_over_counts_only_earlier_queued_tickets_the_counter_could_serve():
    waiting = [
        walk_in("w1", 0),
        walk_in("w2", 1, service="L"),
        walk_in("early-appt", 0, appointment_at=at(90)),
        walk_in("d", 5, priority="disability"),
        walk_in("w3", 6),
    ]
    chosen = choose_next(waiting, at(7), services_served={"P"})
    assert chosen.key == "d"
    bumped = {t.key for t in passed_over(waiting, chosen, services_served={"P"})}
    assert bumped == {"w1"}


def test_order_is_deterministic_on_ties():
    a, b = walk_in("a", 0), walk_in("b", 0)
    assert [t.key for t in order([b, a], at(1))] == ["a", "b"]
