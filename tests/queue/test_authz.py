"""The waiting-room services refuse what the acting user may not do, even without a view in front.

Each write is called directly with a user who may not do it at the counter's or ticket's mission
(an officer of another mission, the kiosk account, a citizen): ``PermissionDenied`` and nothing
changes, not even an audit event.
"""

import pytest

from pandu.appointments.models import Appointment
from pandu.audit.models import AuditEvent
from pandu.core.errors import PermissionDenied
from pandu.people.models import CitizenProfile, User
from pandu.queue import services
from pandu.queue.models import Counter, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def strangers(demo, kiosk_user):
    """May not operate Toronto's counters: Ottawa's officer and supervisor, the kiosk, a citizen."""
    return [
        User.objects.get(email="officer@ottawa.pandu.test"),
        User.objects.get(email="supervisor@ottawa.pandu.test"),
        kiosk_user,
        CitizenProfile.objects.filter(mission=demo["toronto"]).first().user,
    ]


def _refused(call):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        call()
    assert AuditEvent.objects.count() == before


def _state(ticket):
    return Ticket.objects.values_list("state", "counter_id", "service_id").get(pk=ticket.pk)


def test_counters_are_opened_and_closed_by_the_missions_officers_only(
    toronto, counters, strangers, service, officer
):
    one, _two = counters
    for user in strangers:
        _refused(lambda u=user: services.counter_close(counter=one, by=u))
        _refused(
            lambda u=user: services.counter_open(
                counter=one, services=[service("legalisasi")], by=u
            )
        )
    stored = Counter.objects.get(pk=one.pk)
    assert stored.is_open and stored.officer == officer
    assert list(stored.services.values_list("code", flat=True)) == ["paspor-ganti"]
    services.counter_close(counter=one, by=officer)
    assert not Counter.objects.get(pk=one.pk).is_open


def test_calling_next_is_refused_to_anyone_but_the_missions_officers(
    toronto, counters, strangers, service, officer, at
):
    one, _two = counters
    waiting = services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9))
    for user in strangers:
        _refused(lambda u=user: services.ticket_call_next(counter=one, by=u, now=at(9, 5)))
        _refused(
            lambda u=user: services.ticket_call_next(
                counter_public_id=one.public_id, by=u, now=at(9, 5)
            )
        )
    assert _state(waiting) == (Ticket.State.WAITING, None, waiting.service_id)
    called = services.ticket_call_next(counter=one, by=officer, now=at(9, 5))
    assert called.pk == waiting.pk and _state(waiting)[0] == Ticket.State.CALLED


@pytest.mark.parametrize("action", ["recall", "start", "no_show", "hold"])
def test_ticket_moves_are_refused_outside_the_mission(
    toronto, counters, strangers, service, officer, at, action
):
    one, _two = counters
    services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9))
    ticket = services.ticket_call_next(counter=one, by=officer, now=at(9, 5))
    move = getattr(services, f"ticket_{action}")
    before = _state(ticket)
    for user in strangers:
        _refused(lambda u=user: move(ticket=ticket, by=u, now=at(9, 6)))
    assert _state(ticket) == before
    move(ticket=ticket, by=officer, now=at(9, 6))
    assert _state(ticket) != before or action == "recall"


def test_finish_resume_and_transfer_are_refused_outside_the_mission(
    toronto, counters, strangers, service, officer, at
):
    one, two = counters
    services.ticket_take(mission=toronto, service=service("paspor-ganti"), now=at(9))
    ticket = services.ticket_call_next(counter=one, by=officer, now=at(9, 5))
    services.ticket_start(ticket=ticket, by=officer, now=at(9, 6))
    for user in strangers:
        _refused(lambda u=user: services.ticket_finish(ticket=ticket, by=u, now=at(9, 7)))
        _refused(
            lambda u=user: services.ticket_transfer(
                ticket=ticket, by=u, service=service("legalisasi"), to_counter=two, now=at(9, 7)
            )
        )
    assert _state(ticket) == (Ticket.State.SERVING, one.pk, service("paspor-ganti").pk)
    services.ticket_hold(ticket=ticket, by=officer, now=at(9, 8))
    for user in strangers:
        _refused(
            lambda u=user: services.ticket_resume(ticket=ticket, counter=one, by=u, now=at(9, 9))
        )
    assert _state(ticket)[0] == Ticket.State.ON_HOLD


def test_tickets_are_taken_and_checked_in_only_at_the_missions_kiosk_or_by_its_officers(
    toronto, book, service, kiosk_user, officer, at
):
    appointment = book("siti.rahayu@example.org")
    outsiders = [
        User.objects.get(email="officer@ottawa.pandu.test"),
        User.objects.get(email="kiosk@ottawa.pandu.test")
        if User.objects.filter(email="kiosk@ottawa.pandu.test").exists()
        else User.objects.get(email="supervisor@ottawa.pandu.test"),
        appointment.citizen.user,
    ]
    for user in outsiders:
        _refused(
            lambda u=user: services.ticket_take(
                mission=toronto, service=service("paspor-ganti"), by=u, now=at(9)
            )
        )
        _refused(
            lambda u=user: services.ticket_check_in(
                mission=toronto, code=appointment.reference, by=u, now=at(9)
            )
        )
    assert not Ticket.objects.exists()
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.BOOKED
    assert services.ticket_take(
        mission=toronto, service=service("paspor-ganti"), by=kiosk_user, now=at(9)
    )
    checked_in = services.ticket_check_in(
        mission=toronto, code=appointment.reference, by=officer, now=at(9)
    )
    assert checked_in.appointment_id == appointment.pk


def test_a_counter_is_added_by_the_missions_supervisors_only(toronto, strangers, officer):
    """Officers operate counters but do not add them; a supervisor of the mission does."""
    before = Counter.objects.filter(mission=toronto).count()
    for user in [*strangers, officer]:
        _refused(lambda u=user: services.counter_create(mission=toronto, by=u))
    assert Counter.objects.filter(mission=toronto).count() == before
    supervisor = User.objects.get(email="supervisor@toronto.pandu.test")
    added = services.counter_create(mission=toronto, by=supervisor)
    assert added.mission == toronto and not added.is_open
    assert Counter.objects.filter(mission=toronto).count() == before + 1
