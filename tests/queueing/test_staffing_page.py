"""The staffing plan of a session and the supervisor's page that shows it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pandu.appointments.models import SaturdayRule, Session, Slot
from pandu.appointments.services import appointment_book, sessions_generate
from pandu.people.models import User
from pandu.people.services import citizen_register
from pandu.queueing import erlang, planner

# Planning in December 2026 for January 2027, whose first Saturday is the 2nd.
NOW = dt.datetime(2026, 12, 20, 15, 0, tzinfo=dt.UTC)
URL = "/id/appointments/supervisor/staffing/"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def saturday(demo):
    toronto = demo["toronto"]
    if not SaturdayRule.objects.filter(mission=toronto).exists():
        SaturdayRule.objects.create(
            mission=toronto,
            weeks=[1],
            opens=dt.time(9),
            closes=dt.time(13),
            counters=3,
            valid_from=dt.date(2026, 1, 1),
        )
    sessions_generate(mission=toronto, start=dt.date(2026, 12, 21), end=dt.date(2027, 1, 31))
    return Session.objects.get(mission=toronto, date=dt.date(2027, 1, 2), kind="saturday")


def citizen(n: int):
    user = citizen_register(
        email=f"antre{n}@example.org",
        password="Kuat-sekali-2026",
        profile={
            "full_name": f"Warga {chr(65 + n // 26 % 26)}{chr(97 + n % 26)}",
            "date_of_birth": dt.date(1985, 1, 1),
            "sex": "F",
            "nik": "",
            "passport_number": f"Q{n:07d}",
            "phone": "+1 416 555 0100",
            "address_line": f"{n} Queen Street",
            "city": "Toronto",
            "province": "ON",
            "postal_code": "M5V 2B5",
        },
        verified_by="demo",
    )
    return user.citizen


def book(session: Session, hour_offset: int, count: int, start: int = 0) -> list:
    """``count`` bookings in the given hour of the session, one citizen each."""
    slots = list(
        Slot.objects.filter(
            session=session,
            starts_at__gte=session.starts_at + dt.timedelta(hours=hour_offset),
            starts_at__lt=session.starts_at + dt.timedelta(hours=hour_offset + 1),
        ).select_related("service")
    )
    made = []
    i = 0
    while len(made) < count:
        slot = slots[i % len(slots)]
        slot.refresh_from_db()
        i += 1
        if slot.booked >= slot.capacity:
            if i > 50 * len(slots):
                raise AssertionError("not enough seats in that hour")
            continue
        made.append(
            appointment_book(
                citizen=citizen(start + len(made)), slot=slot, service=slot.service, now=NOW
            )
        )
    return made


def test_plan_counts_bookings_per_hour_and_weights_service_minutes(saturday):
    first = book(saturday, 0, 6)
    book(saturday, 2, 3, start=100)
    plan = planner.staffing_plan(
        session=saturday, walkins_per_hour=2.0, target_wait_minutes=20, target_share=0.8, runs=5
    )
    assert [h.starts for h in plan.hours] == [dt.time(9), dt.time(10), dt.time(11), dt.time(12)]
    assert [h.booked for h in plan.hours] == [6, 0, 3, 0]
    assert all(h.walkins == 2.0 for h in plan.hours)
    # Hour one: six bookings at their services' minutes plus two walk-ins at the booked mix.
    booked_minutes = [a.service.counter_minutes for a in first]
    mix = plan.hours[1].service_minutes  # only walk-ins in hour two
    assert plan.hours[0].service_minutes == pytest.approx((sum(booked_minutes) + 2 * mix) / 8)
    for hour in plan.hours:
        expected = erlang.counters_needed(
            arrivals_per_hour=hour.arrivals,
            service_minutes=hour.service_minutes,
            target_wait_minutes=20,
            target_share=0.8,
        )
        assert hour.counters == expected.counters
        assert hour.service_level == pytest.approx(expected.service_level)
    assert plan.hours[0].counters >= plan.hours[1].counters
    assert plan.simulated["tickets"] > 0
    assert all(h.simulated_service_level is not None for h in plan.hours if h.booked)


def test_more_bookings_need_more_counters(saturday):
    quiet = planner.staffing_plan(
        session=saturday, walkins_per_hour=1.0, target_wait_minutes=10, target_share=0.9, runs=3
    )
    book(saturday, 1, 12)
    busy = planner.staffing_plan(
        session=saturday, walkins_per_hour=1.0, target_wait_minutes=10, target_share=0.9, runs=3
    )
    assert busy.hours[1].counters > quiet.hours[1].counters


def test_an_empty_hour_keeps_one_counter(saturday):
    plan = planner.staffing_plan(
        session=saturday, walkins_per_hour=0.0, target_wait_minutes=10, target_share=0.8, runs=2
    )
    assert [(h.booked, h.counters, h.p_wait) for h in plan.hours] == [(0, 1, 0.0)] * 4


def test_plan_refuses_bad_targets(saturday):
    for kwargs in ({"target_share": 1.0}, {"target_wait_minutes": -5}, {"walkins_per_hour": -1}):
        args = {"walkins_per_hour": 2.0, "target_wait_minutes": 10, "target_share": 0.8} | kwargs
        with pytest.raises(erlang.ErlangInputError):
            planner.staffing_plan(session=saturday, runs=2, **args)


def test_supervisor_gets_next_months_saturday_by_default(client, saturday):
    book(saturday, 0, 4)
    client.force_login(User.objects.get(email="supervisor@toronto.pandu.test"))
    page = client.get(URL)
    assert page.status_code == 200
    plan = page.context["plan"]
    assert plan.session == saturday
    assert [h.booked for h in plan.hours] == [4, 0, 0, 0]
    html = page.content.decode()
    assert "<caption>" in html and 'scope="row"' in html
    assert 'aria-current="page"' in html and "Perencanaan loket" in html
    assert client.get("/en/appointments/supervisor/staffing/?mission=toronto").status_code == 200
    # The other planning pages link here.
    assert URL in client.get("/id/appointments/supervisor/").content.decode()


def test_supervisor_picks_a_session_and_target(client, saturday):
    weekday = Session.objects.filter(mission=saturday.mission, kind="weekday").first()
    client.force_login(User.objects.get(email="supervisor@toronto.pandu.test"))
    page = client.get(
        URL,
        {
            "mission": "toronto",
            "session": str(weekday.public_id),
            "walkins": "6",
            "target_wait": "15",
            "target_percent": "90",
        },
    )
    assert page.status_code == 200
    plan = page.context["plan"]
    assert plan.session == weekday
    assert (plan.walkins_per_hour, plan.target_wait_minutes, plan.target_share) == (6.0, 15, 0.9)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"walkins": "-1"}, "walkins"),
        ({"walkins": "lots"}, "walkins"),
        ({"target_percent": "100"}, "target_percent"),
        ({"target_percent": "0"}, "target_percent"),
        ({"target_wait": "-5"}, "target_wait"),
        ({"target_wait": ""}, "target_wait"),
    ],
)
def test_bad_input_is_a_400_with_the_message_by_the_field(client, saturday, change, field):
    client.force_login(User.objects.get(email="supervisor@toronto.pandu.test"))
    data = {
        "session": str(saturday.public_id),
        "walkins": "4",
        "target_wait": "30",
        "target_percent": "80",
    } | change
    page = client.get(URL, data)
    assert page.status_code == 400
    assert page.context["plan"] is None
    assert page.context["form"].errors[field]
    assert 'aria-invalid="true"' in page.content.decode()


@pytest.mark.parametrize(
    "email", ["officer@toronto.pandu.test", "head@toronto.pandu.test", "siti.rahayu@example.org"]
)
def test_officers_head_and_citizens_are_refused(client, saturday, email):
    client.force_login(User.objects.get(email=email))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"session": str(saturday.public_id)}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, saturday):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_other_missions_supervisor_finds_nothing(client, saturday):
    client.force_login(User.objects.get(email="supervisor@ottawa.pandu.test"))
    assert client.get(URL, {"mission": "toronto"}).status_code == 404
    response = client.get(URL, {"session": str(saturday.public_id), "walkins": "4"})
    assert response.status_code == 404
    assert client.get(URL, {"session": "not-a-uuid"}).status_code == 404
    own = client.get(URL)
    assert own.status_code == 200
    assert str(saturday.public_id) not in own.content.decode()
