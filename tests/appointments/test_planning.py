"""A supervisor's changes to planned sessions, and the fill rates they watch."""

import datetime as dt

import pytest

from pandu.appointments import planning, reports, services
from pandu.appointments.errors import SlotFull
from pandu.appointments.models import SaturdayRule, Session, SessionQuota, Slot
from pandu.audit.models import AuditEvent
from pandu.catalog.models import Service
from pandu.core.errors import PanduError
from pandu.people.models import User

from .conftest import NOW


@pytest.fixture
def supervisor():
    return User.objects.get(email="supervisor@toronto.pandu.test")


def book(citizen, slot):
    return services.appointment_book(citizen=citizen, slot=slot, service=slot.service, now=NOW)


class TestCapacity:
    def test_raise_and_lower_down_to_the_booked_seats(
        self, make_citizen, passport_slot, supervisor
    ):
        book(make_citizen(), passport_slot)
        slot = planning.slot_capacity_set(slot=passport_slot, capacity=10, by=supervisor)
        assert (slot.capacity, slot.priority_seats) == (10, 2)  # 20 % held for priority
        slot = planning.slot_capacity_set(slot=passport_slot, capacity=1, by=supervisor)
        assert (slot.capacity, slot.booked, slot.priority_seats) == (1, 1, 0)
        with pytest.raises(PanduError) as refused:
            planning.slot_capacity_set(slot=passport_slot, capacity=0, by=supervisor)
        assert refused.value.code == "below_booked" and refused.value.field == "capacity"
        assert Slot.objects.get(pk=passport_slot.pk).capacity == 1
        assert AuditEvent.objects.filter(event="slot_capacity_set").count() == 2

    def test_a_booking_made_meanwhile_is_counted(self, make_citizen, passport_slot, supervisor):
        stale = Slot.objects.get(pk=passport_slot.pk)  # read before the booking: booked == 0
        book(make_citizen(), passport_slot)
        with pytest.raises(PanduError):
            planning.slot_capacity_set(slot=stale, capacity=0, by=supervisor)
        assert Slot.objects.get(pk=passport_slot.pk).capacity == stale.capacity

    @pytest.mark.parametrize("capacity", [-1, 501, "3", None])
    def test_bad_values_are_refused(self, passport_slot, supervisor, capacity):
        with pytest.raises(PanduError):
            planning.slot_capacity_set(slot=passport_slot, capacity=capacity, by=supervisor)
        assert Slot.objects.get(pk=passport_slot.pk).capacity == passport_slot.capacity


class TestQuotas:
    def test_a_new_quota_counts_the_bookings_already_made(
        self, make_citizen, passport_slot, supervisor
    ):
        session = passport_slot.session
        book(make_citizen(), passport_slot)
        with pytest.raises(PanduError) as refused:
            planning.session_quota_set(
                session=session, service=passport_slot.service, channel="", limit=0, by=supervisor
            )
        assert refused.value.code == "below_used"
        quota = planning.session_quota_set(
            session=session, service=passport_slot.service, channel="", limit=2, by=supervisor
        )
        assert (quota.used, quota.limit) == (1, 2)
        book(make_citizen(), passport_slot)
        with pytest.raises(SlotFull):
            later = Slot.objects.filter(session=session, service=passport_slot.service).last()
            book(make_citizen(), later)
        quota = planning.session_quota_set(
            session=session, service=passport_slot.service, channel="", limit=3, by=supervisor
        )
        assert (quota.used, quota.limit) == (2, 3)
        with pytest.raises(PanduError):
            planning.session_quota_set(
                session=session, service=passport_slot.service, channel="", limit=1, by=supervisor
            )
        assert SessionQuota.objects.get(pk=quota.pk).limit == 3
        assert AuditEvent.objects.filter(event="session_quota_set").count() == 2

    def test_channel_quota_for_all_services(self, passport_slot, supervisor):
        quota = planning.session_quota_set(
            session=passport_slot.session, service=None, channel="online", limit=5, by=supervisor
        )
        assert quota.service is None and quota.channel == "online"

    def test_bad_input(self, demo, passport_slot, supervisor):
        other = Service.objects.filter(mission=demo["ottawa"]).first()
        for kwargs in (
            {"service": None, "channel": "fax", "limit": 1},
            {"service": other, "channel": "", "limit": 1},
            {"service": None, "channel": "", "limit": -2},
        ):
            with pytest.raises(PanduError):
                planning.session_quota_set(session=passport_slot.session, by=supervisor, **kwargs)
        assert not SessionQuota.objects.exists()


class TestHours:
    def test_hours_change_recuts_the_slots(self, toronto, supervisor):
        session = Session.objects.get(mission=toronto, date=dt.date(2027, 1, 13), kind="weekday")
        before = session.slots.filter(service__code="paspor-ganti").count()
        planning.session_hours_set(
            session=session, opens=dt.time(10), closes=dt.time(12), counters=4, by=supervisor
        )
        session.refresh_from_db()
        slots = session.slots.filter(service__code="paspor-ganti")
        assert slots.count() == 8 < before
        assert {s.capacity for s in slots} == {4}
        assert session.starts_at == dt.datetime(2027, 1, 13, 15, tzinfo=dt.UTC)  # 10:00 EST

    def test_refused_once_booked_or_for_bad_hours(self, make_citizen, passport_slot, supervisor):
        session = passport_slot.session
        with pytest.raises(PanduError):
            planning.session_hours_set(
                session=session, opens=dt.time(12), closes=dt.time(10), counters=2, by=supervisor
            )
        book(make_citizen(), passport_slot)
        with pytest.raises(PanduError) as refused:
            planning.session_hours_set(
                session=session, opens=dt.time(10), closes=dt.time(12), counters=2, by=supervisor
            )
        assert refused.value.code == "has_bookings"
        session.refresh_from_db()
        assert session.opens == dt.time(9)

    def test_extra_session_keeps_its_seats(self, toronto, supervisor):
        service = Service.objects.get(mission=toronto, code="paspor-ganti")
        session = services.extra_session_create(
            mission=toronto,
            day=dt.date(2027, 1, 23),
            opens=dt.time(10),
            closes=dt.time(14),
            counters=2,
            location_name="Gereja",
            address="1 Church St, Hamilton",
            slots=[(service, 25)],
            by=supervisor,
        )
        assert session.address == "1 Church St, Hamilton"
        planning.session_hours_set(
            session=session, opens=dt.time(11), closes=dt.time(15), counters=3, by=supervisor
        )
        slot = session.slots.get()
        assert slot.capacity == 25 and slot.starts_at == dt.datetime(2027, 1, 23, 16, tzinfo=dt.UTC)


class TestExtraSessionAndRules:
    def test_extra_session_refuses_bad_input(self, toronto, supervisor):
        service = Service.objects.get(mission=toronto, code="paspor-ganti")
        day = dt.date(2027, 1, 23)
        for kwargs in (
            {"opens": dt.time(14), "closes": dt.time(10), "slots": [(service, 1)]},
            {"opens": dt.time(10), "closes": dt.time(14), "slots": [(service, 0)]},
        ):
            with pytest.raises(PanduError):
                services.extra_session_create(
                    mission=toronto, day=day, counters=1, by=supervisor, **kwargs
                )
        services.extra_session_create(
            mission=toronto,
            day=day,
            opens=dt.time(10),
            closes=dt.time(14),
            counters=1,
            slots=[(service, 5)],
        )
        with pytest.raises(PanduError):
            services.extra_session_create(
                mission=toronto,
                day=day,
                opens=dt.time(10),
                closes=dt.time(12),
                counters=1,
                slots=[(service, 5)],
            )
        assert Session.objects.filter(kind="extra").count() == 1

    def test_end_a_saturday_rule(self, toronto, supervisor):
        rule = SaturdayRule.objects.get(mission=toronto)
        with pytest.raises(PanduError):
            planning.saturday_rule_end(rule=rule, valid_until=dt.date(2025, 1, 1), by=supervisor)
        planning.saturday_rule_end(rule=rule, valid_until=dt.date(2027, 1, 31), by=supervisor)
        rule.refresh_from_db()
        assert rule.valid_until == dt.date(2027, 1, 31)
        assert services.sessions_generate(
            mission=toronto, start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 28)
        ) == len(Session.objects.filter(date__month=2, kind="weekday"))
        assert not Session.objects.filter(date__month=2, kind="saturday").exists()
        assert AuditEvent.objects.filter(event="saturday_rule_ended").exists()

    def test_rule_valid_until_before_start_is_refused(self, toronto):
        with pytest.raises(PanduError):
            services.saturday_rule_create(
                mission=toronto,
                weeks=[2],
                opens=dt.time(9),
                closes=dt.time(12),
                counters=1,
                valid_from=dt.date(2027, 2, 1),
                valid_until=dt.date(2027, 1, 1),
            )


def test_fill_rates_per_session_and_kind(toronto, make_citizen, passport_slot, supervisor):
    book(make_citizen(), passport_slot)
    book(make_citizen(), passport_slot)
    report = reports.fill_rates(toronto, dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    row = next(r for r in report.sessions if r.session.pk == passport_slot.session_id)
    assert row.booked == 2 and row.capacity == sum(
        passport_slot.session.slots.values_list("capacity", flat=True)
    )
    assert 0 < row.rate < 1
    kinds = {k.kind: k for k in report.kinds}
    assert kinds["saturday"].sessions == 1 and kinds["saturday"].booked == 0
    assert kinds["saturday"].percent == 0
    assert kinds["weekday"].booked == 2 and kinds["weekday"].sessions == 19
    assert kinds["extra"].sessions == 0 and kinds["extra"].rate is None
    Session.objects.filter(pk=passport_slot.session_id).update(is_closed=True)
    report = reports.fill_rates(toronto, dt.date(2027, 1, 1), dt.date(2027, 1, 31))
    assert {k.kind: k.booked for k in report.kinds}["weekday"] == 0
    assert len(report.sessions) == 20


def test_saturday_rule_update_checks_like_a_new_rule(toronto, supervisor):
    rule = SaturdayRule.objects.get(mission=toronto)
    values = {
        "weeks": [2],
        "opens": dt.time(9),
        "closes": dt.time(12),
        "counters": 2,
        "valid_from": dt.date(2027, 1, 1),
        "valid_until": None,
        "quotas": {"nope": 3},
    }
    with pytest.raises(PanduError):
        planning.saturday_rule_update(rule=rule, by=supervisor, **values)
    rule.refresh_from_db()
    assert rule.weeks == [1]
    planning.saturday_rule_update(rule=rule, by=supervisor, **{**values, "quotas": {}})
    rule.refresh_from_db()
    assert rule.weeks == [2] and AuditEvent.objects.filter(event="saturday_rule_changed").exists()
