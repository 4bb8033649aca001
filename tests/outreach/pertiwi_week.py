"""A small Pertiwi week, made with the ORM: two teams with one shift each (Monday and Tuesday),
and visit requests around Toronto, one of them in Thunder Bay (no day trip reaches it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from pandu.outreach.models import (
    EligibilityRequest,
    Kit,
    Shift,
    Team,
    VisitRequest,
    VisitWindow,
)
from pandu.people.models import CitizenProfile, User


@dataclass
class Week:
    monday: dt.date  # the first shift's date (the Monday unless ``first_day`` is given)
    team_a: Team
    team_b: Team
    shift_a: Shift
    shift_b: Shift
    requests: dict[str, VisitRequest]


def t(hhmm: str) -> dt.time:
    return dt.time.fromisoformat(hhmm)


def visit_request(
    mission,
    email: str,
    *,
    lat: float | None,
    lon: float | None,
    windows: list[tuple[dt.date, str, str]],
    address: str,
    city: str = "Toronto",
    services: tuple[str, ...] = ("paspor-ganti",),
    access_notes: str = "",
    service_minutes: int = 45,
) -> VisitRequest:
    citizen = CitizenProfile.objects.select_related("user").get(user__email=email)
    today = timezone.localdate(timezone.now(), mission.zone)
    eligibility = EligibilityRequest.objects.create(
        mission=mission,
        citizen=citizen,
        submitted_by=citizen.user,
        reason=EligibilityRequest.Reason.ELDERLY,
        status=EligibilityRequest.Status.APPROVED,
        valid_until=today + dt.timedelta(days=365),
    )
    request = VisitRequest(
        mission=mission,
        citizen=citizen,
        eligibility=eligibility,
        submitted_by=citizen.user,
        address_line=address,
        city=city,
        province="ON",
        postal_code="M5V 2B5",
        lat=lat,
        lon=lon,
        location_source=VisitRequest.LocationSource.MANUAL,
        access_needs=["wheelchair"],
        contact_name=citizen.full_name,
        contact_phone="+1 416 555 0199",
        service_minutes=service_minutes,
    )
    request.access_notes = access_notes
    request.save()
    request.services.set(mission.services.filter(code__in=services))
    for date, start, end in windows:
        VisitWindow.objects.create(request=request, date=date, start=t(start), end=t(end))
    return request


def build_week(
    mission,
    monday: dt.date,
    *,
    member_email: str,
    far_email: str | None = "ayu@example.org",
    first_day: dt.date | None = None,
) -> Week:
    """Team A (with ``member_email``) works on ``first_day`` (Monday unless given), team B the
    day after, 09:00-13:00 each; the citizen ``far_email`` (if any) asks for a visit in Thunder
    Bay."""
    team_a = Team.objects.create(mission=mission, name="Tim Utara")
    team_a.members.add(User.objects.get(email=member_email))
    team_b = Team.objects.create(mission=mission, name="Tim Barat")
    kit_a = Kit.objects.create(mission=mission, label="Kit 1")
    kit_b = Kit.objects.create(mission=mission, label="Kit 2")
    first = first_day or monday
    second = first + dt.timedelta(days=1)
    shift_a = Shift.objects.create(
        mission=mission, team=team_a, kit=kit_a, date=first, start=t("09:00"), end=t("13:00")
    )
    shift_b = Shift.objects.create(
        mission=mission, team=team_b, kit=kit_b, date=second, start=t("09:00"), end=t("13:00")
    )
    requests = {
        "soekarno": visit_request(
            mission,
            "soekarno@example.org",
            lat=43.7000,
            lon=-79.4000,
            windows=[(first, "09:00", "12:00"), (second, "09:00", "12:00")],
            address="22 Elm Drive",
            access_notes="Bel rusak, ketuk pintu samping",
        ),
        "siti": visit_request(
            mission,
            "siti.rahayu@example.org",
            lat=43.6480,
            lon=-79.3960,
            windows=[(first, "10:00", "12:30")],
            address="480 Queen Street West, Apt 12",
            access_notes="Pakai lift barang di belakang",
        ),
        "budi": visit_request(
            mission,
            "budi.santoso@example.org",
            lat=43.7800,
            lon=-79.3000,
            windows=[(second, "09:00", "11:00")],
            address="310 Broadway Avenue",
            services=("legalisasi",),
        ),
    }
    if far_email:
        requests["far"] = visit_request(
            mission,
            far_email,
            lat=48.3809,
            lon=-89.2477,
            windows=[(first, "09:00", "13:00")],
            address="1 Red River Road",
            city="Thunder Bay",
        )
    return Week(first, team_a, team_b, shift_a, shift_b, requests)
