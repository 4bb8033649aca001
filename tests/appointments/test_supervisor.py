"""The supervisor's planning pages: their mission only, clear errors by the fields, no 500."""

import datetime as dt

import pytest
from django.utils import timezone

from pandu.appointments import services
from pandu.appointments.models import (
    Appointment,
    CalendarOverride,
    SaturdayRule,
    Session,
    SessionQuota,
    Slot,
)
from pandu.appointments.supervisor_views import rule_token
from pandu.people.models import User

from .conftest import NOW

BASE = "/id/appointments/supervisor/"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def supervisor(client, toronto):
    user = User.objects.get(email="supervisor@toronto.pandu.test")
    client.force_login(user)
    return user


@pytest.fixture
def booked(make_citizen, passport_slot):
    return services.appointment_book(
        citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
    )


def session_url(session, suffix=""):
    return f"{BASE}sessions/{session.public_id}/{suffix}"


def test_month_page_shows_fill_rates_in_both_languages(client, supervisor, booked):
    page = client.get(f"{BASE}?month=2027-01")
    assert page.status_code == 200
    html = page.content.decode()
    assert session_url(booked.slot.session) in html
    assert "Sabtu" in html and "Sesi tambahan" in html
    weekday = next(k for k in page.context["report"].kinds if k.kind == "weekday")
    assert weekday.booked == 1
    assert client.get("/en/appointments/supervisor/?month=2027-01").status_code == 200
    assert client.get(f"{BASE}?month=nonsense").status_code == 200
    assert f'href="{BASE}"' in client.get("/id/appointments/staff/").content.decode()


@pytest.mark.parametrize(
    "email", ["officer@toronto.pandu.test", "head@toronto.pandu.test", "siti.rahayu@example.org"]
)
def test_officers_head_and_citizens_are_refused(client, toronto, passport_slot, email):
    client.force_login(User.objects.get(email=email))
    for url in (BASE, f"{BASE}saturday/", f"{BASE}days/", session_url(passport_slot.session)):
        assert client.get(url).status_code in (403, 404)
    response = client.post(
        f"{BASE}days/close/",
        {"date": "2027-01-12", "reason_id": "x", "reason_en": "x", "confirm": "on"},
    )
    assert response.status_code in (403, 404)
    assert not CalendarOverride.objects.exists()


def test_other_missions_supervisor_finds_nothing(client, toronto, passport_slot):
    client.force_login(User.objects.get(email="supervisor@ottawa.pandu.test"))
    session = passport_slot.session
    assert client.get(session_url(session)).status_code == 404
    assert client.post(session_url(session, "capacity/"), {}).status_code == 404
    assert client.post(session_url(session, "hours/"), {}).status_code == 404
    assert client.get(f"{BASE}?mission=toronto").status_code == 404
    rule = SaturdayRule.objects.get(mission=toronto)
    response = client.post(f"{BASE}saturday/{rule_token(rule)}/end/", {"valid_until": "2027-01-31"})
    assert response.status_code == 404
    response = client.post(
        f"{BASE}days/close/",
        {
            "mission": "toronto",
            "date": "2027-01-12",
            "reason_id": "x",
            "reason_en": "x",
            "confirm": "on",
        },
    )
    assert response.status_code == 404
    assert not CalendarOverride.objects.exists()
    page = client.get(BASE).content.decode()
    assert str(session.public_id) not in page


def test_capacity_form(client, supervisor, booked):
    slot = booked.slot
    session = slot.session
    page = client.get(session_url(session))
    assert page.status_code == 200 and f"cap-{slot.public_id}" in page.content.decode()
    other = Slot.objects.filter(session=session).exclude(pk=slot.pk).first()
    response = client.post(
        session_url(session, "capacity/"),
        {f"cap-{slot.public_id}": "0", f"cap-{other.public_id}": "abc"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_cap-{other.public_id}-error"' in html
    assert f'aria-describedby="id_cap-{other.public_id}-error"' in html
    assert Slot.objects.get(pk=slot.pk).capacity == slot.capacity

    data = {f"cap-{s.public_id}": str(s.capacity) for s in session.slots.all()}
    data[f"cap-{slot.public_id}"] = "0"  # below the one booked seat
    data[f"cap-{other.public_id}"] = "7"
    response = client.post(session_url(session, "capacity/"), data)
    assert response.status_code == 400
    assert f'id="id_cap-{slot.public_id}-error"' in response.content.decode()
    # All slots or none: the valid change to the other slot is not kept either.
    assert Slot.objects.get(pk=other.pk).capacity == other.capacity != 7
    assert Slot.objects.get(pk=slot.pk).capacity == slot.capacity
    data[f"cap-{slot.public_id}"] = "5"
    response = client.post(session_url(session, "capacity/"), data)
    assert response.status_code == 302
    assert Slot.objects.get(pk=slot.pk).capacity == 5


def test_quota_form(client, supervisor, booked):
    session = booked.slot.session
    response = client.post(
        session_url(session, "quota/"), {"service": "paspor-ganti", "channel": "", "limit": "0"}
    )
    assert response.status_code == 400 and 'id="id_limit-error"' in response.content.decode()
    response = client.post(
        session_url(session, "quota/"), {"service": "nope", "channel": "fax", "limit": "x"}
    )
    assert response.status_code == 400
    assert not SessionQuota.objects.exists()
    response = client.post(
        session_url(session, "quota/"), {"service": "paspor-ganti", "channel": "", "limit": "4"}
    )
    assert response.status_code == 302
    quota = SessionQuota.objects.get()
    assert (quota.used, quota.limit, quota.service.code) == (1, 4, "paspor-ganti")
    assert "1 / 4" in client.get(session_url(session)).content.decode()


def test_hours_form(client, supervisor, toronto, booked):
    response = client.post(
        session_url(booked.slot.session, "hours/"),
        {"opens": "10:00", "closes": "12:00", "counters": "2"},
    )
    assert response.status_code == 400 and "sudah ada pemesanan" in response.content.decode()
    free = Session.objects.get(mission=toronto, date=dt.date(2027, 1, 14), kind="weekday")
    response = client.post(
        session_url(free, "hours/"), {"opens": "12:00", "closes": "10:00", "counters": "0"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_closes-error"' in html and 'id="id_counters-error"' in html
    response = client.post(
        session_url(free, "hours/"), {"opens": "10:00", "closes": "12:00", "counters": "3"}
    )
    assert response.status_code == 302
    free.refresh_from_db()
    assert (free.opens, free.closes, free.counters) == (dt.time(10), dt.time(12), 3)


def test_extra_session_form(client, supervisor, toronto):
    page = client.get(f"{BASE}sessions/new/")
    assert page.status_code == 200 and 'name="seats_paspor-ganti"' in page.content.decode()
    response = client.post(
        f"{BASE}sessions/new/",
        {"date": "2026-12-01", "opens": "14:00", "closes": "10:00", "counters": "x"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("date", "closes", "counters"):
        assert f'id="id_{field}-error"' in html
    assert "minimal satu layanan" in html
    response = client.post(
        f"{BASE}sessions/new/",
        {
            "mission": "toronto",
            "date": "2027-01-24",
            "opens": "10:00",
            "closes": "14:00",
            "counters": "2",
            "location_name": "Hamilton",
            "address": "1 Main St",
            "seats_paspor-ganti": "20",
            "seats_lapor-diri": "",
        },
    )
    session = Session.objects.get(kind="extra")
    assert response.status_code == 302 and response.url.endswith(f"{session.public_id}/")
    assert session.address == "1 Main St" and session.slots.get().capacity == 20


def test_saturday_rules_create_end_and_generate(client, supervisor, toronto):
    page = client.get(f"{BASE}saturday/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="-1"' in html and "Sabtu terakhir" in html
    response = client.post(
        f"{BASE}saturday/", {"opens": "13:00", "closes": "09:00", "counters": "1"}
    )
    assert response.status_code == 400
    assert 'id="id_weeks-error"' in response.content.decode()
    response = client.post(
        f"{BASE}saturday/",
        {
            "mission": "toronto",
            "weeks": ["2", "-1"],
            "opens": "09:00",
            "closes": "12:00",
            "counters": "2",
            "valid_from": "2027-01-01",
            "valid_until": "",
            "quota_paspor-ganti": "10",
        },
    )
    assert response.status_code == 302
    rule = SaturdayRule.objects.get(weeks=[-1, 2])
    assert rule.quotas == {"paspor-ganti": 10}

    response = client.post(f"{BASE}saturday/{rule_token(rule)}/end/", {"valid_until": "2020-01-01"})
    assert response.status_code == 400 and "usa-error-message" in response.content.decode()
    assert client.post(f"{BASE}saturday/forged/end/", {}).status_code == 404
    response = client.post(f"{BASE}saturday/{rule_token(rule)}/end/", {"valid_until": "2027-01-31"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.valid_until == dt.date(2027, 1, 31)

    assert client.post(f"{BASE}saturday/generate/", {"weeks": "99"}).status_code == 400
    response = client.post(f"{BASE}saturday/generate/", {"mission": "toronto", "weeks": "8"})
    assert response.status_code == 302
    # The new rule's Saturdays of January (the 9th and the 30th) have sessions with the quota.
    for day in (dt.date(2027, 1, 9), dt.date(2027, 1, 30)):
        session = Session.objects.get(mission=toronto, date=day, kind="saturday")
        assert session.quotas.get().limit == 10
    assert Session.objects.filter(
        date__gt=dt.date(2026, 12, 20), date__lt=dt.date(2027, 1, 1)
    ).exists()


def test_days_page_lists_overrides_and_holidays(client, supervisor, toronto):
    CalendarOverride.objects.create(
        mission=toronto, date=dt.date(2027, 1, 15), reason_id="Rapat", reason_en="Meeting"
    )
    html = client.get(f"{BASE}days/").content.decode()
    assert "Rapat" in html and "Christmas Day" in html
    assert "Meeting" in client.get("/en/appointments/supervisor/days/").content.decode()


def test_close_a_day_shows_the_impact_then_asks_for_confirmation(
    client, supervisor, booked, django_capture_on_commit_callbacks
):
    from django.core import mail

    page = client.get(f"{BASE}days/close/?date=2027-01-12")
    assert page.status_code == 200 and page.context["impact"].appointments == 1
    assert "1 janji temu dibatalkan" in page.content.decode()
    response = client.post(
        f"{BASE}days/close/", {"date": "2027-01-12", "reason_id": "", "reason_en": "Repairs"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_reason_id-error"' in html and 'id="id_confirm-error"' in html
    assert Appointment.objects.get(pk=booked.pk).status == "booked"
    assert client.get(f"{BASE}days/close/?date=garbage").status_code == 302
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{BASE}days/close/",
            {
                "mission": "toronto",
                "date": "2027-01-12",
                "reason_id": "Perbaikan",
                "reason_en": "Repairs",
                "confirm": "on",
            },
        )
    assert response.status_code == 302
    assert Appointment.objects.get(pk=booked.pk).cancel_reason == "closure"
    assert len(mail.outbox) == 1
    response = client.post(
        f"{BASE}days/close/",
        {"date": "2026-12-01", "reason_id": "x", "reason_en": "x", "confirm": "on"},
    )
    assert response.status_code == 400
    assert not CalendarOverride.objects.filter(date=dt.date(2026, 12, 1)).exists()


def test_open_a_holiday(client, supervisor, toronto):
    page = client.get(f"{BASE}days/open/?date=2027-01-01")
    assert page.status_code == 200 and page.context["holidays"]
    response = client.post(
        f"{BASE}days/open/", {"date": "2027-01-01", "reason_id": "Buka", "reason_en": ""}
    )
    assert response.status_code == 400 and 'id="id_reason_en-error"' in response.content.decode()
    response = client.post(
        f"{BASE}days/open/",
        {"date": "2027-01-01", "reason_id": "Buka", "reason_en": "Open"},
    )
    assert response.status_code == 302
    assert Session.objects.filter(mission=toronto, date=dt.date(2027, 1, 1)).exists()


def test_edit_a_saturday_rule(client, supervisor, toronto):
    rule = SaturdayRule.objects.get(mission=toronto)
    url = f"{BASE}saturday/{rule_token(rule)}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="1" id="id_weeks_0" checked' in page.content.decode()
    response = client.post(url, {"weeks": ["9"], "opens": "09:00", "closes": "13:00"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_weeks-error"' in html and 'id="id_counters-error"' in html
    response = client.post(
        url,
        {
            "weeks": ["1", "3"],
            "opens": "10:00",
            "closes": "14:00",
            "counters": "4",
            "valid_from": "2026-01-01",
            "quota_paspor-ganti": "12",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.weeks, rule.opens, rule.counters) == ([1, 3], dt.time(10), 4)
    assert rule.quotas == {"paspor-ganti": 12}
    # Sessions already planned keep their hours; new ones follow the rule.
    assert Session.objects.get(date=dt.date(2027, 1, 2), kind="saturday").opens == dt.time(9)
    services.sessions_generate(
        mission=toronto, start=dt.date(2027, 1, 16), end=dt.date(2027, 1, 16)
    )
    third = Session.objects.get(date=dt.date(2027, 1, 16), kind="saturday")
    assert third.opens == dt.time(10) and third.quotas.get().limit == 12
    client.force_login(User.objects.get(email="supervisor@ottawa.pandu.test"))
    assert client.get(url).status_code == 404


def test_release_form_sets_and_clears_the_release_time(client, supervisor, toronto, booked):
    free = Session.objects.get(mission=toronto, date=dt.date(2027, 1, 14), kind="weekday")
    page = client.get(session_url(free))
    assert "Pembukaan slot dan undian" in page.content.decode()
    response = client.post(
        session_url(free, "release/"), {"release_date": "2026-12-21", "release_time": "09:00"}
    )
    assert response.status_code == 302
    free.refresh_from_db()
    # 09:00 in Toronto (EST, UTC-5) is 14:00 UTC.
    assert free.releases_at == dt.datetime(2026, 12, 21, 14, 0, tzinfo=dt.UTC)
    # Half a date, a time in the past, or a session that already has bookings: refused.
    for session, data in [
        (free, {"release_date": "2026-12-21", "release_time": ""}),
        (free, {"release_date": "2026-12-01", "release_time": "09:00"}),
        (booked.slot.session, {"release_date": "2026-12-21", "release_time": "09:00"}),
    ]:
        response = client.post(session_url(session, "release/"), data)
        assert response.status_code == 400
    free.refresh_from_db()
    assert free.releases_at == dt.datetime(2026, 12, 21, 14, 0, tzinfo=dt.UTC)
    booked.slot.session.refresh_from_db()
    assert booked.slot.session.releases_at is None
    response = client.post(session_url(free, "release/"), {"release_date": "", "release_time": ""})
    assert response.status_code == 302
    free.refresh_from_db()
    assert free.releases_at is None
