"""Check-in, walk-in tickets, counters and calls, and the times derived from the periods."""

import pytest

from pandu.appointments.errors import BookingRefused
from pandu.appointments.models import Appointment
from pandu.audit.models import AuditEvent
from pandu.notify.models import OutboundMessage
from pandu.queue import selectors, services
from pandu.queue.errors import CheckInRefused, CounterRefused, TicketConflict
from pandu.queue.models import QueueSettings, Ticket, TicketPeriod

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_check_in_by_typed_reference_gives_a_ticket(book, toronto, at):
    appointment = book("siti.rahayu@example.org")
    ticket = services.ticket_check_in(
        mission=toronto, code=f"  {appointment.reference.lower()} ", now=at(8, 50)
    )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CHECKED_IN
    assert ticket.number == "P-001"
    assert ticket.channel == Ticket.Channel.APPOINTMENT
    assert ticket.date == DAY
    assert ticket.appointment_at == appointment.slot.starts_at
    assert ticket.notify_email == "siti.rahayu@example.org"
    assert [(p.state, p.ended_at) for p in ticket.periods.all()] == [("waiting", None)]
    assert AuditEvent.objects.filter(event="ticket_created").count() == 1
    assert AuditEvent.objects.filter(event="appointment_checked_in").count() == 1


def test_check_in_by_qr_content_and_again_returns_the_same_ticket(book, toronto, at):
    from pandu.appointments.documents import checkin_payload

    appointment = book("soekarno@example.org")
    first = services.ticket_check_in(mission=toronto, code=checkin_payload(appointment), now=at(9))
    again = services.ticket_check_in(
        mission=toronto, code=checkin_payload(appointment), now=at(9, 5)
    )
    assert again.pk == first.pk
    assert first.priority_reason == Ticket.Priority.ELDERLY  # 75 years old
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("code", ["", "PANDU:", "TOR-NOPE99", "<script>", "x" * 60])
def test_unknown_codes_are_refused_and_change_nothing(toronto, at, code):
    with pytest.raises(CheckInRefused) as raised:
        services.ticket_check_in(mission=toronto, code=code, now=at(9))
    assert raised.value.field == "code"
    assert not Ticket.objects.exists()


def test_another_missions_appointment_is_not_found(book, demo, at):
    appointment = book("siti.rahayu@example.org")
    with pytest.raises(CheckInRefused):
        services.ticket_check_in(mission=demo["ottawa"], code=appointment.reference, now=at(9))


def test_an_appointment_of_another_day_cannot_check_in(book, toronto, at):
    appointment = book("siti.rahayu@example.org")
    with pytest.raises(BookingRefused):
        services.ticket_check_in(
            mission=toronto, code=appointment.reference, now=at(9, day=DAY.replace(day=11))
        )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert not Ticket.objects.exists()


def test_walk_in_numbers_run_per_service_group_and_day(toronto, service, at):
    p1 = services.ticket_take(mission=toronto, service=service("paspor-baru"), now=at(9))
    p2 = services.ticket_take(mission=toronto, service=service("splp"), now=at(9, 1))
    l1 = services.ticket_take(mission=toronto, service=service("legalisasi"), now=at(9, 2))
    tomorrow = services.ticket_take(
        mission=toronto, service=service("paspor-baru"), now=at(9, day=DAY.replace(day=13))
    )
    assert [p1.number, p2.number, l1.number, tomorrow.number] == [
        "P-001",
        "P-002",
        "L-001",
        "P-001",
    ]


def test_walk_in_refuses_a_foreign_service_or_an_unknown_priority(toronto, demo, at):
    from pandu.catalog.models import Service

    ottawa_service = Service.objects.filter(mission=demo["ottawa"]).first()
    with pytest.raises(CheckInRefused):
        services.ticket_take(mission=toronto, service=ottawa_service, now=at(9))
    with pytest.raises(CheckInRefused):
        services.ticket_take(
            mission=toronto,
            service=Service.objects.filter(mission=toronto).first(),
            priority_reason="vip",
            now=at(9),
        )
    assert not Ticket.objects.exists()


def test_call_next_follows_the_policy(toronto, counters, officer, service, at):
    one, _two = counters
    walk = services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9))
    elderly = services.ticket_take(
        mission=toronto, service=service("paspor-ganti"), priority_reason="elderly", now=at(9, 5)
    )
    legal = services.ticket_take(mission=toronto, service=service("legalisasi"), now=at(8, 59))
    called = services.ticket_call_next(counter=one, by=officer, now=at(9, 6))
    assert called.pk == elderly.pk
    assert called.state == Ticket.State.CALLED and called.counter_id == one.pk
    walk.refresh_from_db()
    assert walk.overtaken == 1
    legal.refresh_from_db()
    assert legal.overtaken == 0  # counter 1 does not serve legalisation
    assert AuditEvent.objects.filter(event="ticket_called").count() == 1


def test_a_counter_calls_one_ticket_at_a_time(toronto, counters, officer, service, at):
    one, _ = counters
    for minute in range(2):
        services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9, minute))
    services.ticket_call_next(counter=one, by=officer, now=at(9, 5))
    with pytest.raises(TicketConflict):
        services.ticket_call_next(counter=one, by=officer, now=at(9, 6))
    assert Ticket.objects.filter(state="called").count() == 1


def test_nobody_waiting_and_closed_counters(toronto, counters, officer, at):
    one, _ = counters
    assert services.ticket_call_next(counter=one, by=officer, now=at(9)) is None
    services.counter_close(counter=one, by=officer, now=at(9, 1))
    with pytest.raises(CounterRefused):
        services.ticket_call_next(counter=one, by=officer, now=at(9, 2))


def test_opening_needs_a_service_of_the_mission(toronto, demo, counters, officer):
    from pandu.catalog.models import Service

    one, _ = counters
    with pytest.raises(CounterRefused):
        services.counter_open(counter=one, services=[], by=officer)
    with pytest.raises(CounterRefused):
        services.counter_open(
            counter=one, services=Service.objects.filter(mission=demo["ottawa"])[:1], by=officer
        )


def test_periods_and_derived_times(toronto, counters, officer, service, at):
    one, _ = counters
    ticket = services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9))
    ticket = services.ticket_call_next(counter=one, by=officer, now=at(9, 10))
    ticket = services.ticket_recall(ticket=ticket, by=officer, now=at(9, 11))
    ticket = services.ticket_start(ticket=ticket, by=officer, now=at(9, 12))
    ticket = services.ticket_hold(ticket=ticket, by=officer, now=at(9, 20))
    ticket = services.ticket_resume(ticket=ticket, counter=one, by=officer, now=at(9, 25))
    ticket = services.ticket_start(ticket=ticket, by=officer, now=at(9, 26))
    ticket = services.ticket_finish(ticket=ticket, by=officer, now=at(9, 36))
    periods = list(ticket.periods.all())
    assert [p.state for p in periods] == [
        "waiting",
        "called",
        "called",
        "serving",
        "on_hold",
        "called",
        "serving",
        "done",
    ]
    assert all(p.ended_at is not None for p in periods)
    assert periods[-1].started_at == periods[-1].ended_at
    times = selectors.ticket_times(ticket, now=at(10))
    assert times.wait_minutes == 10
    assert times.service_minutes == 8 + 10
    assert times.hold_minutes == 5
    assert times.called_at == at(9, 10)
    samples = selectors.service_time_samples(toronto, since=at(0))
    assert samples == {"paspor-ganti": [18.0]}


def test_finished_tickets_cannot_be_acted_on_again(toronto, counters, officer, service, at):
    one, _ = counters
    services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9))
    ticket = services.ticket_call_next(counter=one, by=officer, now=at(9, 1))
    services.ticket_no_show(ticket=ticket, by=officer, now=at(9, 5))
    with pytest.raises(TicketConflict):
        services.ticket_finish(ticket=ticket, by=officer, now=at(9, 6))
    assert TicketPeriod.objects.filter(ticket=ticket).count() == 3


def test_transfer_keeps_arrival_and_goes_only_to_the_chosen_counter(
    toronto, counters, officer, service, at
):
    one, two = counters
    first = services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9))
    services.ticket_take(mission=toronto, service=service("legalisasi"), now=at(9, 1))
    ticket = services.ticket_call_next(counter=one, by=officer, now=at(9, 2))
    assert ticket.pk == first.pk
    ticket = services.ticket_start(ticket=ticket, by=officer, now=at(9, 3))
    with pytest.raises(CounterRefused):  # counter 1 does not serve legalisation
        services.ticket_transfer(
            ticket=ticket, by=officer, service=service("legalisasi"), to_counter=one
        )
    ticket = services.ticket_transfer(
        ticket=ticket, by=officer, service=service("legalisasi"), to_counter=two, now=at(9, 10)
    )
    assert ticket.state == Ticket.State.TRANSFERRED
    assert ticket.service.code == "legalisasi" and ticket.arrived_at == at(9)
    # Counter 2 calls it before the legalisation walk-in who came later.
    called = services.ticket_call_next(counter=two, by=officer, now=at(9, 11))
    assert called.pk == first.pk
    period_services = [p.service.code for p in called.periods.all()]
    assert period_services == [
        "paspor-ganti",
        "paspor-ganti",
        "paspor-ganti",
        "legalisasi",
        "legalisasi",
    ]


def test_closing_a_counter_returns_held_tickets_to_the_line(
    toronto, counters, officer, service, at
):
    one, _ = counters
    services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9))
    ticket = services.ticket_call_next(counter=one, by=officer, now=at(9, 1))
    with pytest.raises(CounterRefused):
        services.counter_close(counter=one, by=officer, now=at(9, 2))
    services.ticket_hold(ticket=ticket, by=officer, now=at(9, 2))
    services.counter_close(counter=one, by=officer, now=at(9, 3))
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.WAITING and ticket.counter is None


def test_the_phone_line_positions_and_estimates(toronto, counters, officer, service, at):
    tickets = [
        services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9, m))
        for m in range(5)
    ]
    line = selectors.Line(toronto, DAY, at(9, 10))
    assert [line.position(t) for t in tickets] == [0, 1, 2, 3, 4]
    first, last = line.estimate(tickets[0]), line.estimate(tickets[-1])
    assert first.range == (0, 0)  # two idle counters
    assert last.ahead == 4 and 0 < last.range.low < last.range.high
    for counter in counters:
        services.counter_close(counter=counter, by=officer, now=at(9, 11))
    assert selectors.Line(toronto, DAY, at(9, 12)).estimate(tickets[0]).range is None


def test_a_citizen_is_mailed_once_when_few_are_ahead(toronto, counters, officer, service, at):
    QueueSettings.objects.update_or_create(mission=toronto, defaults={"notify_places_ahead": 1})
    one, two = counters
    services.counter_close(counter=two, by=officer, now=at(8))
    for m in range(4):
        services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9, m))
    last = Ticket.objects.order_by("-arrived_at").first()
    services.ticket_notify_set(ticket=last, email="ayu@example.org", language="en")
    ticket = services.ticket_call_next(counter=one, by=officer, now=at(9, 5))
    # Two are still ahead of the last ticket: no mail yet.
    assert not OutboundMessage.objects.filter(template="queue_turn_near").exists()
    services.ticket_finish(ticket=ticket, by=officer, now=at(9, 10))
    ticket = services.ticket_call_next(counter=one, by=officer, now=at(9, 11))
    sent = OutboundMessage.objects.filter(template="queue_turn_near")
    assert [(m.recipient, m.language) for m in sent] == [("ayu@example.org", "en")]
    assert "P-004" in sent.get().subject
    services.ticket_finish(ticket=ticket, by=officer, now=at(9, 12))
    services.ticket_call_next(counter=one, by=officer, now=at(9, 13))
    assert sent.count() == 1


def test_a_walk_in_s_estimate_counts_booked_visitors_due_during_the_wait(
    toronto, counters, officer, service, at, book
):
    """Booked visitors not yet checked in go ahead of walk-ins when their time comes (the
    policy), so a walk-in's range reaches further when some are due; an appointment holder's
    does not change."""
    for m in range(6):
        services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(8, 40 + m))
    walk_in = services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(8, 50))
    before = selectors.Line(toronto, DAY, at(8, 51)).estimate(walk_in).range
    # Three visitors booked for 09:00 (the fixture's extra session), none checked in yet.
    for email in ("siti.rahayu@example.org", "budi.santoso@example.org", "soekarno@example.org"):
        book(email)
    after = selectors.Line(toronto, DAY, at(8, 51)).estimate(walk_in).range
    assert after.high > before.high


def test_finishing_an_appointment_s_ticket_marks_the_appointment_served(
    book, toronto, counters, officer, at
):
    appointment = book("siti.rahayu@example.org")
    ticket = services.ticket_check_in(mission=toronto, code=appointment.reference, now=at(8, 55))
    called = services.ticket_call_next(counter=counters[0], by=officer, now=at(9, 0))
    assert called.pk == ticket.pk
    services.ticket_finish(ticket=called, by=officer, now=at(9, 20))
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.SERVED
    assert AuditEvent.objects.filter(event="appointment_served").count() == 1
