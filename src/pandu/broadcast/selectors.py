"""Who a broadcast reaches, and how far it has got.

The area is a radius around a point or a set of the mission's provinces; the groups are joined
by "or" (elderly or students means each citizen in either). A radius is first narrowed to a
latitude/longitude box in SQL (an index-friendly range on both columns), then measured exactly
(haversine) in Python; registrations without a geocoded point are outside every radius but
inside their province.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from pandu.broadcast.models import Area, Broadcast, Delivery, Group, HelpCase
from pandu.core.clock import today
from pandu.notify.models import OutboundMessage
from pandu.outreach.models import EligibilityRequest
from pandu.people.selectors import staff_with_perm
from pandu.registry.models import StayRegistration

EARTH_KM = 6371.0088
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Selection:
    area: str
    groups: tuple[str, ...]
    center_lat: float | None = None
    center_lon: float | None = None
    radius_km: float | None = None
    provinces: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, broadcast: Broadcast) -> Selection:
        return cls(
            area=broadcast.area,
            groups=tuple(broadcast.groups),
            center_lat=broadcast.center_lat,
            center_lon=broadcast.center_lon,
            radius_km=broadcast.radius_km,
            provinces=tuple(broadcast.provinces),
        )

    def circle(self) -> tuple[float, float, float]:
        """Centre (lat, lon) and radius of a radius selection, which has all three."""
        if self.center_lat is None or self.center_lon is None or self.radius_km is None:
            raise ValueError("a radius selection needs a centre and a radius")
        return self.center_lat, self.center_lon, self.radius_km


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box holding every point within ``km`` of the centre."""
    dlat = km / KM_PER_DEGREE
    cos = math.cos(math.radians(lat))
    dlon = 180.0 if cos < 1e-6 else min(180.0, km / (KM_PER_DEGREE * cos))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def sixty_years_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 60)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 60, day=28)


def _group_filter(groups: tuple[str, ...], on: dt.date) -> Q | None:
    if not groups or Group.ALL in groups:
        return None
    approved = EligibilityRequest.objects.filter(
        status=EligibilityRequest.Status.APPROVED, valid_until__gte=on
    )
    q = Q()
    if Group.ELDERLY in groups:
        q |= Q(citizen__date_of_birth__lte=sixty_years_before(on))
    if Group.STUDENTS in groups:
        q |= Q(purpose=StayRegistration.Purpose.STUDY)
    if Group.PREGNANT in groups:
        q |= Q(
            citizen_id__in=approved.filter(reason=EligibilityRequest.Reason.PREGNANCY).values(
                "citizen_id"
            )
        )
    if Group.DISABILITY in groups:
        q |= Q(
            citizen_id__in=approved.filter(reason=EligibilityRequest.Reason.DISABILITY).values(
                "citizen_id"
            )
        )
    return q


def registrations_in(mission, selection: Selection) -> QuerySet[StayRegistration]:
    """The active registrations of ``mission`` in the selection's area and groups, before the
    exact distance check of a radius (``recipients``)."""
    on = today(mission)
    qs = StayRegistration.objects.filter(mission=mission, status=StayRegistration.Status.ACTIVE)
    if selection.area == Area.PROVINCES:
        qs = qs.filter(province__in=list(selection.provinces))
    else:
        south, north, west, east = bounding_box(*selection.circle())
        qs = qs.filter(lat__gte=south, lat__lte=north, lon__isnull=False)
        if west >= -180 and east <= 180:  # across the antimeridian, Python alone decides
            qs = qs.filter(lon__gte=west, lon__lte=east)
    group_q = _group_filter(selection.groups, on)
    if group_q is not None:
        qs = qs.filter(group_q)
    return qs


def recipients(mission, selection: Selection) -> list[tuple[int, int, str]]:
    """``(registration id, citizen id, language)`` of each citizen the selection reaches."""
    rows = registrations_in(mission, selection).values_list(
        "pk", "citizen_id", "language", "lat", "lon"
    )
    if selection.area == Area.PROVINCES:
        return [(pk, citizen, language) for pk, citizen, language, _lat, _lon in rows]
    lat0, lon0, km = selection.circle()
    return [
        (pk, citizen, language)
        for pk, citizen, language, lat, lon in rows
        # registrations_in leaves only placed rows here (lat in the box, lon not null)
        if haversine_km(lat0, lon0, cast(float, lat), cast(float, lon)) <= km
    ]


def recipient_count(mission, selection: Selection) -> int:
    return len(recipients(mission, selection))


def places(mission) -> list[tuple[str, float, float]]:
    """Points a supervisor may pick as a centre: the mission's office and the cities its
    registered citizens live in (the mean of their geocoded points), by name."""
    points: list[tuple[str, float, float]] = []
    if mission.lat is not None and mission.lon is not None:
        points.append((str(mission.name), mission.lat, mission.lon))
    rows: dict[str, list[tuple[float, float]]] = {}
    for city, lat, lon in (
        StayRegistration.objects.filter(
            mission=mission, status=StayRegistration.Status.ACTIVE, lat__isnull=False
        )
        .values_list("city", "lat", "lon")
        .order_by("city")
    ):
        if lat is None or lon is None:  # half a point (the admin can leave one empty)
            continue
        rows.setdefault(city.strip().title(), []).append((lat, lon))
    for city, pts in sorted(rows.items()):
        points.append((city, sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)))
    return points


@dataclass(frozen=True)
class Progress:
    total: int
    queued: int
    sent: int
    failed: int
    unconfirmed: int
    delivered: int
    read: int
    safe: int
    help: int

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.unconfirmed

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


def progress(broadcast: Broadcast) -> Progress:
    """Counts of the broadcast's deliveries by fate, in one query (a read, for the poll)."""
    s, m = Delivery.Status, OutboundMessage.Status
    counts = Delivery.objects.filter(broadcast=broadcast).aggregate(
        total=Count("pk"),
        queued=Count("pk", filter=Q(status__in=[s.QUEUED, s.SENDING])),
        sent=Count("pk", filter=Q(status=s.SENT)),
        failed=Count("pk", filter=Q(status=s.FAILED)),
        unconfirmed=Count("pk", filter=Q(status=s.UNCONFIRMED)),
        delivered=Count("pk", filter=Q(status=s.SENT, message__status__in=[m.DELIVERED, m.READ])),
        read=Count("pk", filter=Q(status=s.SENT, message__status=m.READ)),
        safe=Count("pk", filter=Q(answer=Delivery.Answer.SAFE)),
        help=Count("pk", filter=Q(answer=Delivery.Answer.HELP)),
    )
    return Progress(**counts)


def help_cases(missions) -> QuerySet[HelpCase]:
    """Help cases of ``missions``: unresolved first, then newest first."""

    return (
        HelpCase.objects.filter(mission__in=missions)
        .select_related("mission", "claimed_by", "delivery__citizen", "delivery__broadcast")
        .annotate(
            resolved=Case(
                When(status=HelpCase.Status.RESOLVED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("resolved", "-opened_at")
    )


def crisis_supervisors(mission) -> list:
    """Active staff of ``mission`` who send its crisis messages and may work its help cases:
    they are told when a citizen asks for help. Asked by permission, never by a role's name."""

    staff = staff_with_perm(mission, "broadcast.send_broadcast")
    return [user for user in staff if user.has_perm("broadcast.view_helpcase", mission)]
