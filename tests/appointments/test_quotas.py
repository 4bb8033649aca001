"""Session quotas (per service and booking channel) and release times, decided by the database."""

import datetime as dt

import pytest

from pandu.appointments import selectors, services
from pandu.appointments.errors import BookingRefused, SlotFull
from pandu.appointments.models import Appointment, Session, SessionQuota, Slot
from pandu.core.errors import PanduError
from pandu.people.models import User

from .conftest import NOW


def renewal_slots(day):
    return list(
        Slot.objects.filter(service__code="paspor-ganti", session__date=day).order_by("starts_at")
    )


def book(citizen, slot, **kwargs):
    return services.appointment_book(
        citizen=citizen, slot=slot, service=slot.service, now=NOW, **kwargs
    )


def test_saturday_rule_quotas_reach_its_sessions(demo):
    mission = demo["toronto"]
    services.saturday_rule_create(
        mission=mission,
        weeks=[2, 4],
        opens=dt.time(10),
        closes=dt.time(12),
        counters=2,
        valid_from=dt.date(2027, 1, 1),
        quotas={"paspor-ganti": 5},
    )
    services.sessions_generate(mission=mission, start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31))
    saturdays = Session.objects.filter(mission=mission, kind="saturday").order_by("date")
    assert [s.date for s in saturdays] == [dt.date(2027, 1, 9), dt.date(2027, 1, 23)]
    for session in saturdays:
        quota = SessionQuota.objects.get(session=session)
        assert (quota.service.code, quota.limit, quota.used) == ("paspor-ganti", 5, 0)


def test_unknown_service_or_negative_quota_is_refused_and_nothing_is_created(demo):
    for quotas in ({"no-such-service": 3}, {"paspor-ganti": -1}, {"paspor-ganti": "ten"}):
        with pytest.raises(PanduError) as refused:
            services.saturday_rule_create(
                mission=demo["toronto"],
                weeks=[1],
                opens=dt.time(9),
                closes=dt.time(12),
                counters=2,
                valid_from=dt.date(2027, 1, 1),
                quotas=quotas,
            )
        assert refused.value.code == "bad_quota"
    assert not demo["toronto"].saturday_rules.exists()


def test_a_service_quota_caps_the_session_across_its_slots(toronto, make_citizen):
    day = dt.date(2027, 1, 12)
    slots = renewal_slots(day)
    session = slots[0].session
    SessionQuota.objects.create(session=session, service=slots[0].service, limit=2)
    first, second, third = make_citizen(), make_citizen(), make_citizen()
    book(first, slots[0])
    book(second, slots[5])
    with pytest.raises(SlotFull):
        book(third, slots[9])
    assert not Appointment.objects.filter(citizen=third).exists()
    assert Slot.objects.get(pk=slots[9].pk).booked == 0  # the seat taken first was given back
    assert SessionQuota.objects.get(session=session).used == 2
    # No seat is shown as free in that session any more; the next day still has seats.
    free = selectors.free_slots_for(
        service=slots[0].service,
        start=day,
        end=day + dt.timedelta(days=1),
        channel="weekday",
        citizen=third,
        now=NOW,
    )
    assert {slot.session.date for slot, _seats in free} == {day + dt.timedelta(days=1)}


def test_cancelling_gives_the_quota_place_back(toronto, make_citizen):
    slots = renewal_slots(dt.date(2027, 1, 12))
    quota = SessionQuota.objects.create(session=slots[0].session, service=None, limit=1)
    first, second = make_citizen(), make_citizen()
    appointment = book(first, slots[0])
    with pytest.raises(SlotFull):
        book(second, slots[1])
    services.appointment_cancel(appointment=appointment, by=first.user, now=NOW)
    quota.refresh_from_db()
    assert quota.used == 0
    assert book(second, slots[1]).status == "booked"


def test_an_online_quota_leaves_seats_for_bookings_made_by_staff(toronto, make_citizen):
    slots = renewal_slots(dt.date(2027, 1, 12))
    SessionQuota.objects.create(session=slots[0].session, channel="online", limit=1)
    officer = User.objects.get(email="officer@toronto.pandu.test")
    online, by_phone = make_citizen(), make_citizen()
    book(online, slots[0])
    with pytest.raises(SlotFull):
        book(by_phone, slots[1])
    appointment = book(by_phone, slots[1], channel="staff", by=officer)
    assert appointment.channel == "staff"


def test_before_release_and_during_the_draw_direct_booking_is_refused(toronto, make_citizen):
    slot = renewal_slots(dt.date(2027, 1, 12))[0]
    session = slot.session
    session.releases_at = NOW + dt.timedelta(hours=1)
    session.save()
    citizen = make_citizen()
    with pytest.raises(BookingRefused) as refused:
        book(citizen, slot)
    assert refused.value.code == "not_released"
    assert "2026-12-20 11:00" in str(refused.value)  # shown in Toronto time (UTC-5)
    session.releases_at = NOW - dt.timedelta(minutes=5)
    session.save()
    with pytest.raises(BookingRefused) as refused:
        book(citizen, slot)
    assert refused.value.code == "in_draw"
    assert Slot.objects.get(pk=slot.pk).booked == 0
    free = selectors.free_slots_for(
        service=slot.service, start=session.date, end=session.date, channel="weekday", now=NOW
    )
    assert free == []
    session.draw_done_at = NOW
    session.save()
    assert book(citizen, slot).status == "booked"
