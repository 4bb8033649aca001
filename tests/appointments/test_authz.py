"""The appointment services refuse what the acting user may not do, even without a view in front.

Each write is called directly with a user lacking the role at the object's mission (an officer
or supervisor of another mission, an officer for a supervisor's work, a citizen): it is refused
with ``PermissionDenied`` and nothing is written, not even an audit event.
"""

import datetime as dt

import pytest
from django.db.models import F

from pandu.appointments import closures, draw, planning, services, waitlist
from pandu.appointments.models import (
    Appointment,
    CalendarOverride,
    SaturdayRule,
    Session,
    Slot,
    WaitlistEntry,
)
from pandu.audit.models import AuditEvent
from pandu.catalog.models import Service
from pandu.core.errors import PermissionDenied, ValidationFailed
from pandu.people.models import User

from .conftest import NOW

DAY = dt.date(2027, 1, 12)  # the Tuesday of ``passport_slot``


def staff(email):
    return User.objects.get(email=email)


@pytest.fixture
def supervisor(toronto):
    return staff("supervisor@toronto.pandu.test")


@pytest.fixture
def officer(toronto):
    return staff("officer@toronto.pandu.test")


@pytest.fixture
def strangers(toronto, make_citizen):
    """Users who may not plan Toronto's sessions: another mission's supervisor and officer,
    Toronto's own officer, and a citizen."""
    return [
        staff("supervisor@ottawa.pandu.test"),
        staff("officer@ottawa.pandu.test"),
        staff("officer@toronto.pandu.test"),
        make_citizen().user,
    ]


@pytest.fixture
def booked(make_citizen, passport_slot):
    return services.appointment_book(
        citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
    )


def _refused(call):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        call()
    assert AuditEvent.objects.count() == before


def _planning_calls(toronto, slot, user):
    session = slot.session
    rule = SaturdayRule.objects.filter(mission=toronto).first()
    passport = Service.objects.get(mission=toronto, code="paspor-ganti")
    later = dt.date(2027, 2, 2)
    return {
        "slot_capacity_set": lambda: planning.slot_capacity_set(slot=slot, capacity=9, by=user),
        "session_capacities_set": lambda: planning.session_capacities_set(
            session=session, capacities={slot: 9}, by=user
        ),
        "session_quota_set": lambda: planning.session_quota_set(
            session=session, service=passport, channel="", limit=5, by=user
        ),
        "session_hours_set": lambda: planning.session_hours_set(
            session=session, opens=dt.time(10), closes=dt.time(12), counters=2, by=user
        ),
        "saturday_rule_end": lambda: planning.saturday_rule_end(
            rule=rule, valid_until=dt.date(2027, 6, 30), by=user
        ),
        "saturday_rule_update": lambda: planning.saturday_rule_update(
            rule=rule,
            weeks=[2],
            opens=dt.time(9),
            closes=dt.time(12),
            counters=2,
            valid_from=rule.valid_from,
            valid_until=None,
            quotas={},
            by=user,
        ),
        "saturday_rule_create": lambda: services.saturday_rule_create(
            mission=toronto,
            weeks=[3],
            opens=dt.time(9),
            closes=dt.time(12),
            counters=2,
            valid_from=later,
            by=user,
        ),
        "extra_session_create": lambda: services.extra_session_create(
            mission=toronto,
            day=later,
            opens=dt.time(18),
            closes=dt.time(20),
            counters=1,
            slots=[(passport, 5)],
            by=user,
        ),
        "sessions_generate": lambda: services.sessions_generate(
            mission=toronto, start=later, end=dt.date(2027, 3, 31), by=user
        ),
        "session_release_set": lambda: draw.session_release_set(
            session=session, releases_at=NOW + dt.timedelta(days=3), by=user, now=NOW
        ),
        "day_close": lambda: closures.day_close(
            mission=toronto, date=DAY, reason_id="Tutup", reason_en="Closed", by=user, now=NOW
        ),
        "day_open": lambda: closures.day_open(
            mission=toronto, date=later, reason_id="Buka", reason_en="Open", by=user, now=NOW
        ),
    }


PLANNING = [
    "slot_capacity_set",
    "session_capacities_set",
    "session_quota_set",
    "session_hours_set",
    "saturday_rule_end",
    "saturday_rule_update",
    "saturday_rule_create",
    "extra_session_create",
    "sessions_generate",
    "session_release_set",
    "day_close",
    "day_open",
]


@pytest.mark.parametrize("name", PLANNING)
def test_planning_is_refused_to_anyone_but_the_missions_supervisor(
    toronto, passport_slot, strangers, name
):
    sessions = Session.objects.count()
    rule = SaturdayRule.objects.filter(mission=toronto).values().first()
    slots = list(Slot.objects.filter(session=passport_slot.session).values())
    for user in strangers:
        _refused(_planning_calls(toronto, passport_slot, user)[name])
    assert Session.objects.count() == sessions
    assert SaturdayRule.objects.filter(mission=toronto).count() == 1
    assert SaturdayRule.objects.filter(mission=toronto).values().first() == rule
    assert list(Slot.objects.filter(session=passport_slot.session).values()) == slots
    assert not CalendarOverride.objects.filter(mission=toronto).exists()
    assert Session.objects.get(pk=passport_slot.session_id).releases_at is None


@pytest.mark.parametrize("name", ["slot_capacity_set", "day_close", "session_release_set"])
def test_the_missions_supervisor_may_plan(toronto, passport_slot, supervisor, name):
    _planning_calls(toronto, passport_slot, supervisor)[name]()
    assert AuditEvent.objects.filter(actor=supervisor).exists()


# --- capacities of a session: all or nothing ----------------------------------------------


@pytest.mark.parametrize("bad", ["below_booked", "out_of_range"])
def test_a_failure_halfway_through_the_capacities_writes_nothing(
    make_citizen, passport_slot, supervisor, bad
):
    slots = list(
        Slot.objects.filter(session=passport_slot.session, service=passport_slot.service)
        .order_by("starts_at")
        .select_related("service")[:5]
    )
    assert len(slots) == 5
    third = slots[2]
    services.appointment_book(citizen=make_citizen(), slot=third, service=third.service, now=NOW)
    capacities = {slot: slot.capacity + 3 for slot in slots}
    capacities[third] = 0 if bad == "below_booked" else -1
    before = {slot.pk: slot.capacity for slot in slots}
    with pytest.raises(ValidationFailed) as refused:
        planning.session_capacities_set(
            session=passport_slot.session, capacities=capacities, by=supervisor
        )
    assert list(refused.value.errors) == [str(third.public_id)]
    assert {s.pk: s.capacity for s in Slot.objects.filter(pk__in=before)} == before
    assert not AuditEvent.objects.filter(event="slot_capacity_set").exists()

    capacities[third] = 4
    assert (
        planning.session_capacities_set(
            session=passport_slot.session, capacities=capacities, by=supervisor
        )
        == 5
    )
    assert AuditEvent.objects.filter(event="slot_capacity_set").count() == 5


# --- officers' work on appointments ----------------------------------------------------------


AT_THE_DAY = dt.datetime(2027, 1, 12, 16, 0, tzinfo=dt.UTC)  # 11:00 in Toronto


@pytest.mark.parametrize(
    "call",
    [
        lambda a, user: services.appointment_mark_no_show(appointment=a, by=user, now=AT_THE_DAY),
        lambda a, user: services.appointment_mark_served(appointment=a, by=user, now=AT_THE_DAY),
        lambda a, user: services.appointment_check_in(appointment=a, by=user, now=AT_THE_DAY),
    ],
    ids=["no_show", "served", "check_in"],
)
def test_officers_work_is_refused_outside_their_mission(booked, make_citizen, officer, call):
    for user in (
        staff("officer@ottawa.pandu.test"),
        staff("supervisor@ottawa.pandu.test"),
        make_citizen().user,
        booked.citizen.user,  # not even for their own appointment
    ):
        _refused(lambda user=user: call(booked, user))
    assert Appointment.objects.get(pk=booked.pk).status == Appointment.Status.BOOKED
    call(booked, officer)
    assert Appointment.objects.get(pk=booked.pk).status != Appointment.Status.BOOKED


# --- citizens' own appointments --------------------------------------------------------------


def _other_slot(appointment):
    return (
        Slot.objects.filter(service=appointment.service, session__date=dt.date(2027, 1, 13))
        .order_by("starts_at")
        .first()
    )


def test_another_citizen_cannot_cancel_or_move_an_appointment(booked, make_citizen):
    intruders = [make_citizen().user, staff("officer@ottawa.pandu.test")]
    for user in intruders:
        _refused(lambda u=user: services.appointment_cancel(appointment=booked, by=u, now=NOW))
        _refused(
            lambda u=user: services.appointment_reschedule(
                appointment=booked, to_slot=_other_slot(booked), by=u, now=NOW
            )
        )
    stored = Appointment.objects.get(pk=booked.pk)
    assert (stored.status, stored.slot_id, stored.reschedules) == (
        Appointment.Status.BOOKED,
        booked.slot_id,
        0,
    )
    assert Slot.objects.get(pk=booked.slot_id).booked == 1


def test_the_owner_and_the_missions_officer_may_change_it(booked, officer):
    owner = booked.citizen.user
    moved = services.appointment_reschedule(
        appointment=booked, to_slot=_other_slot(booked), by=owner, now=NOW
    )
    assert moved.reschedules == 1
    services.appointment_cancel(appointment=booked, by=officer, now=NOW)
    assert Appointment.objects.get(pk=booked.pk).status == Appointment.Status.CANCELLED


def test_booking_for_someone_else_is_an_officers_work(make_citizen, passport_slot, officer):
    citizen, other = make_citizen(), make_citizen()
    service = passport_slot.service
    refused = [
        (other.user, "online"),  # a citizen booking in another's name
        (citizen.user, "staff"),  # a citizen on the staff channel (no no-show pause there)
        (staff("officer@ottawa.pandu.test"), "staff"),
    ]
    for user, channel in refused:
        _refused(
            lambda u=user, c=channel: services.appointment_book(
                citizen=citizen, slot=passport_slot, service=service, now=NOW, channel=c, by=u
            )
        )
    assert not Appointment.objects.filter(citizen=citizen).exists()
    assert Slot.objects.get(pk=passport_slot.pk).booked == 0
    own = services.appointment_book(
        citizen=citizen, slot=passport_slot, service=service, now=NOW, by=citizen.user
    )
    by_officer = services.appointment_book(
        citizen=other, slot=passport_slot, service=service, now=NOW, channel="staff", by=officer
    )
    assert own.citizen == citizen and by_officer.citizen == other


# --- the waitlist ----------------------------------------------------------------------------


def test_only_the_citizen_answers_their_waitlist_offer(toronto, passport_slot, make_citizen):
    Slot.objects.filter(service=passport_slot.service).exclude(pk=passport_slot.pk).update(
        booked=F("capacity")
    )
    holders = [
        services.appointment_book(
            citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
        )
        for _ in range(passport_slot.capacity)
    ]
    waiting, intruder = make_citizen(), make_citizen()
    _refused(
        lambda: waitlist.waitlist_join(
            citizen=waiting, service=passport_slot.service, now=NOW, by=intruder.user
        )
    )
    entry = waitlist.waitlist_join(
        citizen=waiting, service=passport_slot.service, now=NOW, by=waiting.user
    )
    services.appointment_cancel(appointment=holders[0], by=holders[0].citizen.user, now=NOW)
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    for answer in (waitlist.waitlist_accept, waitlist.waitlist_decline, waitlist.waitlist_leave):
        _refused(lambda a=answer: a(entry=entry, by=intruder.user, now=NOW))
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED and entry.appointment is None
    appointment = waitlist.waitlist_accept(entry=entry, by=waiting.user, now=NOW)
    assert appointment.citizen == waiting
