"""Many people press "book" for the last seats at the same moment, each on its own connection."""

import threading

import pytest
from django.db import connections

from pandu.appointments import services
from pandu.appointments.errors import AlreadyBooked, SlotFull
from pandu.appointments.models import Appointment, Slot

from .conftest import NOW

SEATS = 5
PEOPLE = 16


@pytest.mark.django_db(transaction=True)
def test_exactly_the_seats_are_booked_and_nobody_twice(make_citizen, passport_slot):
    Slot.objects.filter(pk=passport_slot.pk).update(capacity=SEATS, priority_seats=0)
    citizens = [make_citizen() for _ in range(PEOPLE)]
    start = threading.Barrier(PEOPLE)
    outcomes, errors = [], []

    def attempt(citizen):
        try:
            start.wait()
            for _ in range(2):  # each presses twice
                try:
                    services.appointment_book(
                        citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
                    )
                    outcomes.append("booked")
                except SlotFull:
                    outcomes.append("full")
                except AlreadyBooked:
                    outcomes.append("already")
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in citizens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    passport_slot.refresh_from_db()
    booked = Appointment.objects.filter(slot=passport_slot, status="booked")
    assert passport_slot.booked == SEATS
    assert booked.count() == SEATS
    assert booked.values("citizen").distinct().count() == SEATS
    assert outcomes.count("booked") == SEATS
    assert len(outcomes) == 2 * PEOPLE


@pytest.mark.django_db(transaction=True)
def test_one_person_on_two_devices_keeps_the_daily_limit(make_citizen, toronto):
    """Two bookings of one person for one day at the same moment: the daily limit still holds."""
    import datetime as dt

    from pandu.appointments.errors import BookingRefused
    from pandu.appointments.models import BookingRules

    BookingRules.objects.create(mission=toronto, daily_limit=1)
    citizen = make_citizen()
    day = dt.date(2027, 1, 12)
    slots = [
        Slot.objects.filter(service__code=code, session__date=day).first()
        for code in ("paspor-ganti", "legalisasi")
    ]
    start = threading.Barrier(len(slots))
    outcomes, errors = [], []

    def attempt(slot):
        try:
            start.wait()
            services.appointment_book(citizen=citizen, slot=slot, service=slot.service, now=NOW)
            outcomes.append("booked")
        except BookingRefused as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(s,)) for s in slots]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(outcomes) == ["booked", "daily_limit"]
    assert Appointment.objects.filter(citizen=citizen, status="booked").count() == 1
