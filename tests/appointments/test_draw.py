"""The fair release: a release time, a seeded draw over the first minutes, then first come."""

import datetime as dt

import pytest
from django.core import mail
from django.db.models import Count

from pandu.appointments import draw, services
from pandu.appointments.errors import AlreadyBooked, BookingRefused
from pandu.appointments.models import Appointment, DrawEntry, Session, Slot
from pandu.audit.models import AuditEvent
from pandu.catalog.models import Service

from .conftest import NOW

RELEASE = NOW + dt.timedelta(hours=1)
IN_WINDOW = RELEASE + dt.timedelta(minutes=3)
CLOSED = RELEASE + dt.timedelta(minutes=10)  # default draw_minutes = 10


@pytest.fixture
def rush(toronto):
    """An extra Saturday session with one renewal slot of three seats, released at RELEASE."""
    service = Service.objects.get(mission=toronto, code="paspor-ganti")
    session = services.extra_session_create(
        mission=toronto,
        day=dt.date(2027, 1, 16),
        opens=dt.time(9),
        closes=dt.time(12),
        counters=3,
        slots=[(service, 3)],
    )
    return draw.session_release_set(session=session, releases_at=RELEASE, by=None, now=NOW)


def request(citizen, slot, now=IN_WINDOW):
    return draw.appointment_request(citizen=citizen, slot=slot, service=slot.service, now=now)


class TestDrawOrder:
    def test_same_seed_same_order_whatever_the_input_order(self):
        ids = [5, 3, 9, 1, 7, 2]
        assert draw.draw_order("abc", ids) == draw.draw_order("abc", list(reversed(ids)))
        assert sorted(draw.draw_order("abc", ids)) == sorted(ids)

    def test_another_seed_another_order(self):
        ids = list(range(1, 30))
        assert draw.draw_order("seed-one", ids) != draw.draw_order("seed-two", ids)

    def test_known_order_is_stable_across_releases(self):
        # Pinned so a change of the shuffle would be noticed: old draws must stay verifiable.
        assert draw.draw_order("00" * 16, [1, 2, 3, 4, 5]) == draw.draw_order(
            "00" * 16, [5, 4, 3, 2, 1]
        )
        import random

        expected = [1, 2, 3, 4, 5]
        random.Random("00" * 16).shuffle(expected)
        assert draw.draw_order("00" * 16, [1, 2, 3, 4, 5]) == expected


class TestRelease:
    def test_release_time_must_be_future_and_before_the_session(self, rush):
        for when, code in [
            (NOW - dt.timedelta(minutes=1), "release_in_past"),
            (rush.starts_at, "release_after_start"),
        ]:
            with pytest.raises(BookingRefused) as refused:
                draw.session_release_set(session=rush, releases_at=when, by=None, now=NOW)
            assert refused.value.code == code
        assert AuditEvent.objects.filter(event="session_release_set").count() == 1

    def test_cannot_change_once_seats_are_taken_or_requested(self, toronto, rush, make_citizen):
        request(make_citizen(), rush.slots.get())
        with pytest.raises(BookingRefused) as refused:
            draw.session_release_set(session=rush, releases_at=None, by=None, now=IN_WINDOW)
        assert refused.value.code == "draw_started"
        slot = Slot.objects.filter(session__date=dt.date(2027, 1, 12)).first()
        services.appointment_book(citizen=make_citizen(), slot=slot, service=slot.service, now=NOW)
        with pytest.raises(BookingRefused) as refused:
            draw.session_release_set(session=slot.session, releases_at=RELEASE, by=None, now=NOW)
        assert refused.value.code == "slots_booked"

    def test_clearing_the_release_time_opens_the_session(self, rush, make_citizen):
        draw.session_release_set(session=rush, releases_at=None, by=None, now=NOW)
        booked = request(make_citizen(), rush.slots.get(), now=NOW)
        assert isinstance(booked, Appointment)


class TestRequests:
    def test_before_the_release_a_request_is_refused(self, rush, make_citizen):
        with pytest.raises(BookingRefused) as refused:
            request(make_citizen(), rush.slots.get(), now=RELEASE - dt.timedelta(seconds=1))
        assert refused.value.code == "not_released"

    def test_in_the_window_a_request_is_an_entry_and_takes_no_seat(self, rush, make_citizen):
        citizen = make_citizen()
        slot = rush.slots.get()
        entry = request(citizen, slot)
        assert isinstance(entry, DrawEntry) and entry.outcome == "pending"
        # The entry is bound to the passport by its keyed hash, never the number itself.
        assert entry.identity_key == services.identity_key(citizen)
        assert entry.identity_key.startswith("P:")
        assert citizen.passport_number not in entry.identity_key
        assert Slot.objects.get(pk=slot.pk).booked == 0
        with pytest.raises(BookingRefused) as refused:
            services.appointment_book(
                citizen=citizen, slot=slot, service=slot.service, now=IN_WINDOW
            )
        assert refused.value.code == "in_draw"

    def test_a_second_request_moves_the_entry(self, toronto, make_citizen, passport_slot):
        session = draw.session_release_set(
            session=passport_slot.session, releases_at=RELEASE, by=None, now=NOW
        )
        later = session.slots.filter(service=passport_slot.service).order_by("starts_at")[5]
        citizen = make_citizen()
        first = request(citizen, passport_slot)
        second = request(citizen, later)
        assert first.pk == second.pk and DrawEntry.objects.get().slot == later
        assert AuditEvent.objects.filter(event="draw_entry_changed").count() == 1

    def test_one_identity_enters_once(self, rush, make_citizen):
        slot = rush.slots.get()
        request(make_citizen(passport="X1234567"), slot)
        with pytest.raises(BookingRefused) as refused:
            request(make_citizen(passport="X1234567"), slot)
        assert refused.value.code == "already_in_draw"
        assert DrawEntry.objects.count() == 1

    def test_someone_already_booked_for_the_service_cannot_enter(
        self, rush, make_citizen, passport_slot
    ):
        citizen = make_citizen()
        services.appointment_book(
            citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
        )
        with pytest.raises(AlreadyBooked):
            request(citizen, rush.slots.get())

    def test_after_the_window_the_draw_runs_then_booking_is_first_come(self, rush, make_citizen):
        slot = rush.slots.get()
        request(make_citizen(), slot)
        booked = request(make_citizen(), slot, now=CLOSED)
        assert isinstance(booked, Appointment)
        rush.refresh_from_db()
        assert rush.draw_done_at == CLOSED and len(rush.draw_seed) == 32
        assert Slot.objects.get(pk=slot.pk).booked == 2  # the entrant first, then the latecomer


class TestDraw:
    def test_winners_follow_the_seeded_shuffle_not_the_arrival_order(
        self, rush, make_citizen, monkeypatch, django_capture_on_commit_callbacks
    ):
        slot = rush.slots.get()
        entrants = [make_citizen() for _ in range(8)]
        for citizen in entrants:  # arrival order: entrants[0] first
            request(citizen, slot)
        seed = "5eed" * 8
        monkeypatch.setattr(draw.secrets, "token_hex", lambda n: seed)
        ids = list(DrawEntry.objects.order_by("pk").values_list("pk", flat=True))
        expected = draw.draw_order(seed, ids)
        assert expected[:3] != ids[:3], "pick a seed whose winners differ from the first three"

        with django_capture_on_commit_callbacks(execute=True):
            assert draw.draw_run(session=rush, now=CLOSED - dt.timedelta(seconds=1)) is None
            result = draw.draw_run(session=rush, now=CLOSED)
        assert (result.won, result.lost, result.seed) == (3, 5, seed)

        entries = {e.pk: e for e in DrawEntry.objects.select_related("appointment")}
        assert [entries[pk].outcome for pk in expected] == ["won"] * 3 + ["lost"] * 5
        assert [entries[pk].rank for pk in expected] == list(range(1, 9))
        assert Appointment.objects.filter(slot=slot, status="booked").count() == 3
        assert Slot.objects.get(pk=slot.pk).booked == 3

        # Winners get the confirmation, the others a mail pointing to other times.
        winners = {entries[pk].citizen.user.email for pk in expected[:3]}
        losers = {entries[pk].citizen.user.email for pk in expected[3:]}
        confirmations = {m.to[0] for m in mail.outbox if "Janji temu Anda" in m.subject}
        not_drawn = {m.to[0] for m in mail.outbox if "Hasil undian" in m.subject}
        assert confirmations == winners and not_drawn == losers
        assert "/id/appointments/book/toronto/paspor-ganti/" in next(
            m.body for m in mail.outbox if "Hasil undian" in m.subject
        )

        # The draw can be verified from its audit event.
        event = AuditEvent.objects.get(event="draw_run")
        assert event.data["seed"] == seed and event.data["won"] == 3
        public = dict(DrawEntry.objects.values_list("public_id", "pk"))
        recorded = [public[__import__("uuid").UUID(p)] for p in event.data["entries"]]
        assert draw.draw_order(event.data["seed"], recorded) == expected
        rush.refresh_from_db()
        assert rush.draw_seed == seed

    def test_the_draw_is_held_once(self, rush, make_citizen):
        request(make_citizen(), rush.slots.get())
        assert draw.draw_run(session=rush, now=CLOSED) is not None
        assert draw.draw_run(session=rush, now=CLOSED + dt.timedelta(minutes=1)) is None
        assert draw.draws_run_due(CLOSED + dt.timedelta(minutes=1)) == 0
        assert AuditEvent.objects.filter(event="draw_run").count() == 1

    def test_a_full_wanted_slot_gives_the_nearest_free_time(
        self, toronto, make_citizen, passport_slot
    ):
        session = draw.session_release_set(
            session=passport_slot.session, releases_at=RELEASE, by=None, now=NOW
        )
        for _ in range(passport_slot.capacity + 1):
            request(make_citizen(), passport_slot)
        draw.draw_run(session=session, now=CLOSED)
        counts = dict(
            Appointment.objects.values_list("slot").annotate(n=Count("pk")).values_list("slot", "n")
        )
        earlier = Slot.objects.filter(
            session=session, service=passport_slot.service, starts_at__lt=passport_slot.starts_at
        ).order_by("-starts_at")[0]
        assert counts == {passport_slot.pk: passport_slot.capacity, earlier.pk: 1}

    def test_each_identity_wins_at_most_once_and_nothing_is_double_booked(
        self, toronto, make_citizen, passport_slot
    ):
        session = draw.session_release_set(
            session=passport_slot.session, releases_at=RELEASE, by=None, now=NOW
        )
        slots = list(session.slots.filter(service=passport_slot.service).order_by("starts_at"))
        people = [make_citizen() for _ in range(24)]
        for n, citizen in enumerate(people):
            request(citizen, slots[n % 3])
        result = draw.draw_run(session=session, now=CLOSED)
        assert result.won + result.lost == 24
        per_identity = Appointment.objects.values("identity_key").annotate(n=Count("pk"))
        assert {row["n"] for row in per_identity} == {1}
        for slot in Slot.objects.filter(session=session):
            assert slot.booked == slot.appointments.filter(status="booked").count()
            assert slot.booked <= slot.capacity

    def test_due_draws_are_run_by_the_job(self, rush, make_citizen):
        request(make_citizen(), rush.slots.get())
        assert draw.draws_run_due(IN_WINDOW) == 0
        assert draw.draws_run_due(CLOSED) == 1
        assert Session.objects.get(pk=rush.pk).draw_done_at == CLOSED


def test_closing_the_day_ends_its_pending_draw(toronto, make_citizen):
    from pandu.appointments.closures import day_close
    from pandu.appointments.models import DrawEntry
    from pandu.people.models import User

    slot = Slot.objects.filter(
        service__code="paspor-ganti", session__date=dt.date(2027, 1, 12)
    ).first()
    session = slot.session
    session.releases_at = NOW - dt.timedelta(minutes=1)
    session.save()
    entry = draw.appointment_request(
        citizen=make_citizen(), slot=slot, service=slot.service, now=NOW
    )
    assert isinstance(entry, DrawEntry)
    day_close(
        mission=toronto,
        date=session.date,
        reason_id="Banjir",
        reason_en="Flood",
        by=User.objects.get(email="supervisor@toronto.pandu.test"),
        now=NOW,
    )
    entry.refresh_from_db()
    assert entry.outcome == "lost"
    assert draw.draw_run(session=session, now=NOW + dt.timedelta(hours=1)) is None
    assert not Appointment.objects.filter(slot__session=session).exists()
