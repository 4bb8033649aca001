import datetime as dt
import re

import pytest
from django.core.management import call_command

from pandu.appointments import services
from pandu.appointments.errors import AlreadyBooked, BookingRefused, SlotFull
from pandu.appointments.models import Appointment, BookingRules, CalendarOverride, Session, Slot
from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError

from .conftest import NOW


def book(citizen, slot, now=NOW):
    return services.appointment_book(citizen=citizen, slot=slot, service=slot.service, now=now)


class TestCalendar:
    def test_weekdays_and_first_saturday_without_holidays(self, toronto):
        sessions = Session.objects.filter(mission=toronto, date__month=1, date__year=2027)
        days = {s.date for s in sessions}
        assert dt.date(2027, 1, 1) not in days  # New Year's Day (both countries)
        assert dt.date(2027, 1, 5) not in days  # Isra' and Mi'raj (Indonesia)
        assert dt.date(2027, 1, 2) in days  # first Saturday
        assert dt.date(2027, 1, 9) not in days  # second Saturday: closed
        assert sessions.get(date=dt.date(2027, 1, 2)).kind == "saturday"
        assert sessions.filter(kind="weekday").count() == 19  # 21 weekdays less the two holidays

    def test_slots_follow_the_service_and_its_channels(self, toronto):
        saturday = Session.objects.get(mission=toronto, date=dt.date(2027, 1, 2))
        codes = set(saturday.slots.values_list("service__code", flat=True))
        assert "paspor-ganti" in codes and "lapor-kematian" not in codes  # no Saturday channel
        renewal = saturday.slots.filter(service__code="paspor-ganti")
        assert renewal.count() == 16  # 09:00-13:00 in 15 minutes
        assert {s.capacity for s in renewal} == {3}

    def test_generating_again_creates_nothing(self, toronto):
        before = Slot.objects.count()
        assert (
            services.sessions_generate(
                mission=toronto, start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31)
            )
            == 0
        )
        assert Slot.objects.count() == before

    def test_closures_and_openings_override_holidays(self, toronto):
        CalendarOverride.objects.create(
            mission=toronto, date=dt.date(2027, 2, 3), reason_id="Rapat", reason_en="Staff day"
        )
        CalendarOverride.objects.create(
            mission=toronto,
            date=dt.date(2027, 2, 15),
            is_open=True,
            reason_id="Buka",
            reason_en="Open on Family Day",
        )
        services.sessions_generate(
            mission=toronto, start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 28)
        )
        days = set(
            Session.objects.filter(mission=toronto, date__month=2).values_list("date", flat=True)
        )
        assert dt.date(2027, 2, 3) not in days and dt.date(2027, 2, 15) in days

    def test_saturday_after_the_march_change_starts_at_nine_local(self, toronto):
        services.sessions_generate(
            mission=toronto, start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 31)
        )
        session = Session.objects.get(mission=toronto, date=dt.date(2027, 3, 6))
        assert session.starts_at.astimezone(toronto.zone).hour == 9

    def test_bad_range(self, toronto):
        with pytest.raises(PanduError) as exc:
            services.sessions_generate(
                mission=toronto, start=dt.date(2027, 2, 1), end=dt.date(2027, 1, 1)
            )
        assert exc.value.code == "bad_range"


class TestBooking:
    def test_booking_takes_a_seat_and_gives_an_unguessable_reference(
        self, make_citizen, passport_slot
    ):
        appointment = book(make_citizen(), passport_slot)
        assert re.fullmatch(r"TOR-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", appointment.reference)
        passport_slot.refresh_from_db()
        assert passport_slot.booked == 1
        assert AuditEvent.objects.filter(
            event="appointment_booked", object_ref=str(appointment.public_id)
        ).exists()

    def test_last_seat_then_slot_full(self, make_citizen, passport_slot):
        for _ in range(passport_slot.capacity):
            book(make_citizen(), passport_slot)
        with pytest.raises(SlotFull):
            book(make_citizen(), passport_slot)
        passport_slot.refresh_from_db()
        assert passport_slot.booked == passport_slot.capacity
        assert Appointment.objects.filter(slot=passport_slot).count() == passport_slot.capacity

    def test_one_active_booking_per_service(self, make_citizen, passport_slot):
        citizen = make_citizen()
        book(citizen, passport_slot)
        other = (
            Slot.objects.filter(service=passport_slot.service).exclude(pk=passport_slot.pk).first()
        )
        with pytest.raises(AlreadyBooked):
            book(citizen, other)
        other.refresh_from_db()
        assert other.booked == 0

    def test_same_passport_on_another_account_is_refused(self, make_citizen, passport_slot):
        book(make_citizen(passport="X1111111"), passport_slot)
        with pytest.raises(AlreadyBooked):
            book(make_citizen(passport="X1111111"), passport_slot)

    def test_identity_document_is_required(self, make_citizen, passport_slot):
        citizen = make_citizen()
        citizen.passport_number = ""
        citizen.save()
        with pytest.raises(BookingRefused) as exc:
            book(citizen, passport_slot)
        assert exc.value.code == "identity_required"

    def test_lead_time_and_horizon(self, make_citizen, passport_slot):
        citizen = make_citizen()
        with pytest.raises(BookingRefused) as exc:
            book(citizen, passport_slot, now=passport_slot.starts_at - dt.timedelta(hours=2))
        assert exc.value.code == "too_late"
        with pytest.raises(BookingRefused) as exc:
            book(citizen, passport_slot, now=passport_slot.starts_at - dt.timedelta(days=90))
        assert exc.value.code == "too_early"

    def test_daily_limit(self, make_citizen, toronto):
        BookingRules.objects.create(mission=toronto, daily_limit=1)
        citizen = make_citizen()
        day = dt.date(2027, 1, 12)
        renewal = Slot.objects.filter(service__code="paspor-ganti", session__date=day).first()
        legal = Slot.objects.filter(service__code="legalisasi", session__date=day).first()
        book(citizen, renewal)
        with pytest.raises(BookingRefused) as exc:
            book(citizen, legal)
        assert exc.value.code == "daily_limit"

    def test_a_change_after_the_booking_read_its_facts_is_seen(self, make_citizen, toronto):
        """Facts read before another booking of the same person are checked again, not trusted."""
        BookingRules.objects.create(mission=toronto, daily_limit=1)
        citizen = make_citizen()
        day = dt.date(2027, 1, 12)
        renewal = Slot.objects.filter(service__code="paspor-ganti", session__date=day).first()
        legal = Slot.objects.filter(service__code="legalisasi", session__date=day).first()
        rules = services.rules_for(legal.service)
        stale = services.booking_facts(
            citizen_id=citizen.pk, rules=rules, now=NOW, channel="online", slot_id=legal.pk
        )
        assert stale.same_day == 0
        book(citizen, renewal)  # meanwhile, on another device
        with pytest.raises(BookingRefused) as exc:
            services.appointment_book(
                citizen=citizen, slot=legal, service=legal.service, now=NOW, facts=stale
            )
        assert exc.value.code == "daily_limit"
        assert Slot.objects.get(pk=legal.pk).booked == 0

    def test_priority_seats_are_held_until_release(self, make_citizen, toronto, passport_slot):
        BookingRules.objects.create(
            mission=toronto, priority_share_percent=40, priority_release_hours=48
        )
        Slot.objects.filter(pk=passport_slot.pk).update(capacity=5, priority_seats=2)
        for _ in range(3):
            book(make_citizen(), passport_slot)
        with pytest.raises(SlotFull):
            book(make_citizen(), passport_slot)
        book(make_citizen(born=dt.date(1950, 1, 1)), passport_slot)  # an elderly citizen
        late = passport_slot.starts_at - dt.timedelta(hours=30)  # the held seat is open to all now
        book(make_citizen(), passport_slot, now=late)
        passport_slot.refresh_from_db()
        assert passport_slot.booked == 5


class TestChanges:
    def test_cancel_gives_the_seat_back(self, make_citizen, passport_slot):
        citizen = make_citizen()
        appointment = book(citizen, passport_slot)
        services.appointment_cancel(appointment=appointment, by=citizen.user, now=NOW)
        passport_slot.refresh_from_db()
        assert passport_slot.booked == 0
        book(citizen, passport_slot)  # may book the service again

    def test_cancel_after_the_deadline_is_refused(self, make_citizen, passport_slot):
        appointment = book(make_citizen(), passport_slot)
        with pytest.raises(BookingRefused):
            services.appointment_cancel(
                appointment=appointment,
                by=None,
                now=passport_slot.starts_at - dt.timedelta(hours=3),
            )

    def test_reschedule_moves_the_seat_and_counts(self, make_citizen, toronto, passport_slot):
        BookingRules.objects.create(mission=toronto, max_reschedules=1)
        citizen = make_citizen()
        appointment = book(citizen, passport_slot)
        target = Slot.objects.filter(
            service=passport_slot.service, session__kind="saturday"
        ).first()
        services.appointment_reschedule(
            appointment=appointment, to_slot=target, by=citizen.user, now=NOW
        )
        passport_slot.refresh_from_db()
        target.refresh_from_db()
        assert (passport_slot.booked, target.booked) == (0, 1)
        with pytest.raises(BookingRefused) as exc:
            services.appointment_reschedule(
                appointment=appointment, to_slot=passport_slot, by=citizen.user, now=NOW
            )
        assert exc.value.code == "reschedule_limit"

    def test_reschedule_to_a_full_slot_keeps_the_old_seat(self, make_citizen, passport_slot):
        citizen = make_citizen()
        appointment = book(citizen, passport_slot)
        full = (
            Slot.objects.filter(service=passport_slot.service).exclude(pk=passport_slot.pk).first()
        )
        Slot.objects.filter(pk=full.pk).update(booked=full.capacity)
        with pytest.raises(SlotFull):
            services.appointment_reschedule(
                appointment=appointment, to_slot=full, by=citizen.user, now=NOW
            )
        appointment.refresh_from_db()
        assert appointment.slot_id == passport_slot.pk


def test_every_booking_change_keeps_the_audit_chain(make_citizen, passport_slot):
    citizen = make_citizen()
    appointment = book(citizen, passport_slot)
    services.appointment_cancel(appointment=appointment, by=citizen.user, now=NOW)
    call_command("audit_verify")


def test_plan_sessions_command(demo):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("plan_sessions", "toronto", "--from", "2027-03-01", "--days", "7", stdout=out)
    assert "5 sessions planned" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("plan_sessions", "atlantis")
    with pytest.raises(CommandError):
        call_command("plan_sessions", "toronto", "--from", "1 March")


@pytest.mark.parametrize(
    ("weeks", "opens", "closes", "counters"),
    [([], 9, 13, 2), ([6], 9, 13, 2), ([1], 13, 9, 2), ([1], 9, 13, 0)],
)
def test_bad_saturday_rule_is_refused(demo, weeks, opens, closes, counters):
    from pandu.appointments.models import SaturdayRule

    with pytest.raises(PanduError):
        services.saturday_rule_create(
            mission=demo["toronto"], weeks=weeks, opens=dt.time(opens), closes=dt.time(closes),
            counters=counters, valid_from=dt.date(2027, 1, 1),
        )  # fmt: skip
    assert not SaturdayRule.objects.exists()


def test_the_rules_of_many_services_are_read_at_once_as_one_by_one(
    toronto, django_assert_num_queries
):
    from pandu.appointments.rules import rules_for_code, rules_for_services, rules_forget
    from pandu.catalog.models import Service

    BookingRules.objects.create(mission=toronto, daily_limit=1, lead_time_hours=12)
    legal = Service.objects.get(mission=toronto, code="legalisasi")
    BookingRules.objects.create(mission=toronto, service=legal, horizon_days=30)
    active = list(Service.objects.filter(mission=toronto, is_active=True).order_by("code"))
    one_by_one = [rules_for_code(mission_id=toronto.pk, code=s.code) for s in active]
    rules_forget()
    with django_assert_num_queries(1):
        assert rules_for_services(active) == one_by_one
    assert one_by_one[[s.code for s in active].index("legalisasi")].horizon_days == 30
    assert {r.daily_limit for r in one_by_one} == {1, 2}
    with django_assert_num_queries(0):  # kept for the process, like ``rules_for``'s
        rules_for_services(active)
