"""Visit requests: who may ask, which windows and services, where the home is, and reach."""

import datetime as dt

import pytest

from pandu.audit.models import AuditEvent
from pandu.catalog.models import Service
from pandu.core.errors import PanduError, PermissionDenied, ValidationFailed
from pandu.notify.models import OutboundMessage
from pandu.outreach import visits
from pandu.outreach.models import VisitRequest, VisitWindow
from pandu.people.models import User

from .pertiwi_helpers import approve, citizen, submit

NOW = dt.datetime(2027, 2, 1, 15, 0, tzinfo=dt.UTC)  # 10:00 in Toronto, a Monday
TODAY = dt.date(2027, 2, 1)
ELDERLY = "soekarno@example.org"  # Mississauga, L5B
T = dt.time


@pytest.fixture
def approved(demo):
    return approve(ELDERLY, now=NOW)


def nothing_written():
    return (
        not VisitRequest.objects.exists()
        and not VisitWindow.objects.exists()
        and not AuditEvent.objects.filter(event="pertiwi_visit_requested").exists()
        and not OutboundMessage.objects.filter(template__startswith="pertiwi_visit").exists()
    )


def test_a_request_with_two_windows_is_recorded_placed_and_acknowledged(approved):
    request = submit(ELDERLY, now=NOW)
    assert request.status == "requested" and request.eligibility == approved
    assert [(w.date, w.start, w.end) for w in request.windows.all()] == [
        (TODAY + dt.timedelta(days=2), T(9), T(12)),
        (TODAY + dt.timedelta(days=3), T(13), T(17)),
    ]
    # The address comes from the profile and is placed by its postal-code area.
    assert (request.city, request.postal_code, request.location_source) == (
        "Mississauga",
        "L5B 1L9",
        "fsa",
    )
    assert request.lat == pytest.approx(43.57, abs=0.05)
    assert request.reach_code == "" and request.alternative == ""
    # paspor-ganti takes 15 minutes at the counter, plus the setup allowance.
    assert request.service_minutes == 15 + visits.SETUP_MINUTES
    assert request.contact_name == "Soekarno" and request.contact_phone == "+1 905 555 0101"
    event = AuditEvent.objects.get(event="pertiwi_visit_requested")
    assert event.data["windows"] == 2 and "access_notes" not in str(event.data)
    message = OutboundMessage.objects.get(template="pertiwi_visit_received")
    assert message.recipient == "soekarno@example.org" and message.language == "id"
    assert "paspor" in message.body and "lantai dua" not in message.body


def test_access_notes_are_encrypted_at_rest(approved):
    request = submit(ELDERLY, now=NOW)
    raw = VisitRequest.objects.values_list("access_notes_encrypted", flat=True).get()
    assert b"lantai" not in bytes(raw)
    assert VisitRequest.objects.get(pk=request.pk).access_notes.startswith("Rumah di lantai dua")


def test_without_an_approval_nothing_is_recorded(demo):
    with pytest.raises(PanduError) as caught:
        submit(ELDERLY, now=NOW)
    assert caught.value.code == "not_eligible"
    assert nothing_written()


def w(days, start, end):
    return (TODAY + dt.timedelta(days=days), T(*start), T(*end))


@pytest.mark.parametrize(
    ("windows", "field"),
    [
        ([], "windows"),
        ([w(n, (9, 0), (10, 0)) for n in range(1, 8)], "windows"),
        ([w(2, (12, 0), (9, 0))], "window_0_date"),  # ends before it starts
        ([w(2, (9, 0), (9, 15))], "window_0_date"),  # too short
        ([w(0, (9, 0), (10, 0))], "window_0_date"),  # earlier today: past
        ([w(-1, (9, 0), (12, 0))], "window_0_date"),
        ([w(61, (9, 0), (12, 0))], "window_0_date"),  # beyond the horizon
        ([w(2, (9, 0), (12, 0)), w(2, (11, 0), (14, 0))], "window_1_date"),  # overlap
    ],
)
def test_window_rules(approved, windows, field):
    with pytest.raises(ValidationFailed) as caught:
        submit(ELDERLY, now=NOW, windows=windows)
    assert field in caught.value.errors
    assert nothing_written()


def test_windows_that_touch_are_fine_and_today_later_is_fine(approved):
    request = submit(ELDERLY, now=NOW, windows=[w(0, (14, 0), (16, 0)), w(0, (16, 0), (18, 0))])
    assert request.windows.count() == 2


def test_windows_after_the_approval_ends_are_refused(approved):
    approved.valid_until = TODAY + dt.timedelta(days=10)
    approved.save()
    with pytest.raises(ValidationFailed) as caught:
        submit(ELDERLY, now=NOW, windows=[w(5, (9, 0), (12, 0)), w(11, (9, 0), (12, 0))])
    assert list(caught.value.errors) == ["window_1_date"]
    assert nothing_written()


def test_only_the_missions_pertiwi_services(approved, demo):
    legalisation = Service.objects.get(mission=demo["toronto"], code="legalisasi")
    ottawa_passport = Service.objects.get(mission=demo["ottawa"], code="paspor-ganti")
    for services in ([], [legalisation], [ottawa_passport]):
        with pytest.raises(ValidationFailed) as caught:
            submit(ELDERLY, now=NOW, services=services)
        assert "services" in caught.value.errors
    assert nothing_written()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {"postal_code": "12345", "address_line": "1 Main St", "city": "X", "province": "ON"},
            "postal_code",
        ),
        (
            {
                "postal_code": "H3A 0E5",
                "address_line": "1 Rue",
                "city": "Montreal",
                "province": "QC",
            },
            "province",
        ),
        (
            {
                "postal_code": "R3C 0S6",
                "address_line": "1 Main",
                "city": "Toronto",
                "province": "ON",
            },
            "postal_code",
        ),
        (
            {"postal_code": "M5V 3L9", "address_line": "", "city": "Toronto", "province": "ON"},
            "address_line",
        ),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"access_needs": ["jetpack"]}, "access_needs"),
        ({"access_notes": "x" * 1001}, "access_notes"),
    ],
)
def test_bad_input_changes_nothing(approved, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        submit(ELDERLY, now=NOW, **overrides)
    assert field in caught.value.errors
    assert nothing_written()


def test_someone_else_needs_the_permission(approved):
    officer = User.objects.get(email="officer@toronto.pandu.test")
    with pytest.raises(PermissionDenied):
        submit(ELDERLY, now=NOW, submitted_by=officer)
    ottawa = User.objects.get(email="supervisor@ottawa.pandu.test")
    with pytest.raises(PermissionDenied):
        submit(ELDERLY, now=NOW, submitted_by=ottawa)
    assert nothing_written()
    supervisor = User.objects.get(email="supervisor@toronto.pandu.test")
    assert submit(ELDERLY, now=NOW, submitted_by=supervisor).submitted_by == supervisor


# --- reach ----------------------------------------------------------------------------------


FAR_NORTH = {
    "address_line": "12 Revillon Road",
    "city": "Moosonee",
    "province": "ON",
    "postal_code": "P0L 1Y0",
}


def test_a_home_in_toronto_is_reachable(approved):
    request = submit(
        ELDERLY,
        now=NOW,
        address_line="480 Queen Street West",
        city="Toronto",
        province="ON",
        postal_code="M5V 2B5",
    )
    assert request.reach_code == "" and request.alternative == ""


def test_a_home_in_the_far_north_is_flagged_with_an_alternative(approved):
    request = submit(ELDERLY, now=NOW, **FAR_NORTH)
    assert request.reach_code == "out_of_reach"
    assert request.alternative == "outreach_session"  # a passport needs the person present
    message = OutboundMessage.objects.get(template="pertiwi_visit_received")
    assert "terlalu jauh" in message.body and "Sesi layanan keliling" in message.body


def test_without_a_mission_location_nothing_is_flagged(approved, demo):
    demo["toronto"].__class__.objects.filter(pk=demo["toronto"].pk).update(lat=None, lon=None)
    request = submit(ELDERLY, now=NOW, **FAR_NORTH)
    assert request.reach_code == ""


# --- location, cancel, alternative -----------------------------------------------------------


def user(email):
    return User.objects.get(email=email)


def test_the_citizen_corrects_the_point_and_reach_is_checked_again(approved):
    request = submit(ELDERLY, now=NOW, **FAR_NORTH)
    fixed = visits.visit_location_correct(
        request=request, lat=43.6532, lon=-79.3832, by=user(ELDERLY)
    )
    assert (fixed.lat, fixed.lon, fixed.location_source) == (43.6532, -79.3832, "manual")
    assert fixed.reach_code == "" and fixed.alternative == ""
    assert AuditEvent.objects.filter(event="pertiwi_visit_located").count() == 1


def test_staff_moving_a_point_out_of_reach_tells_the_citizen(approved):
    request = submit(ELDERLY, now=NOW)
    moved = visits.visit_location_correct(
        request=request, lat=52.9, lon=-82.4, by=user("supervisor@toronto.pandu.test")
    )
    assert moved.reach_code == "out_of_reach"
    message = OutboundMessage.objects.get(template="pertiwi_visit_out_of_reach")
    assert message.recipient == ELDERLY


@pytest.mark.parametrize(("lat", "lon"), [(-79.38, 43.65), (48.85, 2.35), ("x", 1), (None, 2)])
def test_points_outside_canada_are_refused(approved, lat, lon):
    request = submit(ELDERLY, now=NOW)
    with pytest.raises(ValidationFailed):
        visits.visit_location_correct(request=request, lat=lat, lon=lon, by=user(ELDERLY))
    request.refresh_from_db()
    assert request.location_source == "fsa"


@pytest.mark.parametrize(
    "email",
    ["siti.rahayu@example.org", "officer@toronto.pandu.test", "supervisor@ottawa.pandu.test"],
)
def test_others_may_not_move_or_cancel(approved, email):
    request = submit(ELDERLY, now=NOW)
    with pytest.raises(PermissionDenied):
        visits.visit_location_correct(request=request, lat=43.7, lon=-79.4, by=user(email))
    with pytest.raises(PermissionDenied):
        visits.visit_request_cancel(request=request, by=user(email))
    with pytest.raises(PermissionDenied):
        visits.visit_request_set_alternative(request=request, alternative="mail_in", by=user(email))


def test_cancel_once(approved):
    request = submit(ELDERLY, now=NOW)
    cancelled = visits.visit_request_cancel(request=request, by=user(ELDERLY))
    assert cancelled.status == "cancelled"
    with pytest.raises(PanduError) as caught:
        visits.visit_request_cancel(request=request, by=user(ELDERLY))
    assert caught.value.code == "visit_closed"
    with pytest.raises(PanduError):
        visits.visit_location_correct(request=request, lat=43.7, lon=-79.4, by=user(ELDERLY))


def test_supervisor_sets_an_alternative_and_the_citizen_is_told(approved):
    request = submit(ELDERLY, now=NOW)
    supervisor = user("supervisor@toronto.pandu.test")
    with pytest.raises(ValidationFailed):
        visits.visit_request_set_alternative(request=request, alternative="teleport", by=supervisor)
    changed = visits.visit_request_set_alternative(
        request=request, alternative="mail_in", by=supervisor
    )
    assert changed.alternative == "mail_in"
    assert OutboundMessage.objects.filter(template="pertiwi_visit_out_of_reach").count() == 1
    # Saving the same choice again changes and sends nothing.
    visits.visit_request_set_alternative(request=request, alternative="mail_in", by=supervisor)
    assert AuditEvent.objects.filter(event="pertiwi_visit_alternative").count() == 1


def test_mail_in_the_citizens_language(approved):
    profile = citizen(ELDERLY)
    profile.user.preferred_language = "en"
    profile.user.save()
    submit(ELDERLY, now=NOW)
    assert OutboundMessage.objects.get(template="pertiwi_visit_received").language == "en"
