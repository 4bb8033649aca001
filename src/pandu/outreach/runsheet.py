"""What a route shows: its stops in order with everything a team needs at the door, and its map.

Reads only. The supervisor's plan page, the officers' phone page and the printed run sheet are
built from the same :func:`route_context`, so they never disagree. Access notes (which may
reveal health or disability) are decrypted only when the caller says the viewer may read them:
members of the route's team and the mission's supervisors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from pandu.outreach import maps, planning, routing
from pandu.outreach.models import AccessNeed, PlanItem, PlannedRoute, TripPlan, VisitRequest


def may_view_route(user, route: PlannedRoute) -> bool:
    """Members of the route's team (once the plan is published) and the mission's supervisors."""
    if not user.is_authenticated:
        return False
    mission = route.plan.mission
    if user.has_perm(planning.PLAN_VIEW, mission):
        return True
    return (
        route.plan.status == TripPlan.Status.PUBLISHED
        and user.has_perm("outreach.view_plannedroute", mission)
        and route.shift.team.members.filter(pk=user.pk).exists()
    )


@dataclass
class StopView:
    number: int
    item: PlanItem
    request: VisitRequest
    name: str
    address: str
    start: dt.time | None
    end: dt.time | None
    arrival_from: dt.time | None
    arrival_until: dt.time | None
    travel_minutes: float
    services: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    access_needs: list[str] = field(default_factory=list)
    access_notes: str = ""

    @property
    def phone_link(self) -> str:
        return "tel:" + "".join(c for c in self.request.contact_phone if c.isdigit() or c == "+")


def address_of(request: VisitRequest) -> str:
    return f"{request.address_line}, {request.city}, {request.province} {request.postal_code}"


def _window_on(request: VisitRequest, date: dt.date, start: dt.time):
    for w in request.windows.all():
        if w.date == date and w.start <= start <= w.end:
            return (w.start, w.end)
    return None


def route_items(route: PlannedRoute):
    return (
        route.stops.order_by("order")
        .select_related("request__citizen")
        .prefetch_related("request__windows", "request__services__requirements")
    )


def route_stops(route: PlannedRoute, *, with_notes: bool = False) -> list[StopView]:
    mission = route.plan.mission
    travel = planning.travel_for(mission)
    depot = planning.depot_for(mission)
    previous = depot.point if depot else None
    needs = dict(AccessNeed.choices)
    stops = []
    for item in route_items(route):
        request = item.request
        here = (
            routing.Point(request.lat, request.lon)
            if request.lat is not None and request.lon is not None
            else None
        )
        leg = travel.minutes(previous, here) if previous and here else 0.0
        previous = here or previous
        if request.scheduled_date == route.shift.date and request.arrival_from:
            arrival = (request.arrival_from, request.arrival_until)
        elif item.start:
            arrival = planning.arrival_window(
                item.start, _window_on(request, route.shift.date, item.start)
            )
        else:
            arrival = (None, None)
        stops.append(
            StopView(
                number=item.order or len(stops) + 1,
                item=item,
                request=request,
                name=request.citizen.full_name,
                address=address_of(request),
                start=item.start,
                end=item.end,
                arrival_from=arrival[0],
                arrival_until=arrival[1],
                travel_minutes=round(leg, 1),
                services=list(request.services.all()),
                documents=planning.visit_documents(request),
                access_needs=[str(needs.get(n, n)) for n in request.access_needs or []],
                access_notes=request.access_notes if with_notes else "",
            )
        )
    return stops


def route_map(route: PlannedRoute, stops: list[StopView]) -> str:
    """The route's SVG map (numbered like the table beside it)."""
    mission = route.plan.mission
    depot = planning.depot_for(mission)
    points = [
        maps.MapPoint(s.name, s.request.lat, s.request.lon)
        for s in stops
        if s.request.lat is not None and s.request.lon is not None
    ]
    title = _("Peta rute %(team)s, %(date)s") % {
        "team": route.shift.team.name,
        "date": route.shift.date.isoformat(),
    }
    desc = _(
        "Berangkat dari %(depot)s, mengunjungi %(n)d alamat sesuai nomor urut, lalu kembali. "
        "Rinciannya ada pada tabel."
    ) % {"depot": mission.name, "n": len(points)}
    return maps.route_svg(
        depot=maps.MapPoint(mission.name, depot.lat, depot.lon)
        if depot
        else maps.MapPoint(
            mission.name, points[0].lat if points else 0, points[0].lon if points else 0
        ),
        stops=points,
        title=title,
        desc=desc,
        id_prefix=f"map-{route.public_id.hex[:8]}",
    )


def route_context(route: PlannedRoute, *, with_notes: bool) -> dict:
    stops = route_stops(route, with_notes=with_notes)
    return {
        "route": route,
        "shift": route.shift,
        "team": route.shift.team,
        "mission": route.plan.mission,
        "stops": stops,
        "map_svg": route_map(route, stops),
        "service_minutes": sum(s.request.service_minutes for s in stops),
        "outcome_choices": PlanItem.Outcome.choices,
    }


def plan_context(plan: TripPlan) -> dict:
    """The supervisor's view of a plan: routes per day and team, and what stays unserved."""
    routes = list(
        plan.routes.select_related("shift__team", "shift__kit", "plan__mission").order_by(
            "shift__date", "shift__team__name"
        )
    )
    unserved = list(
        plan.items.filter(route__isnull=True)
        .select_related("request__citizen")
        .prefetch_related("request__windows")
        .order_by("request__created_at")
    )
    first, last = planning.week_dates(plan.week_start)
    for item in unserved:
        item.reason = planning.unserved_reason(item.unassigned_code) if item.unassigned_code else ""
        item.window_dates = sorted(
            {w.date for w in item.request.windows.all() if first <= w.date <= last}
        )
        item.address = address_of(item.request)
    views = []
    for route in routes:
        stops = route_stops(route)
        for stop in stops:
            stop.window_dates = sorted(
                {w.date for w in stop.request.windows.all() if first <= w.date <= last}
            )
        views.append({"route": route, "stops": stops, "map_svg": route_map(route, stops)})
    days: dict[dt.date, list] = {}
    for view in views:
        days.setdefault(view["route"].shift.date, []).append(view)
    reasons = planning.change_reasons(
        [i.request for i in plan.items.select_related("request") if i.request.status == "change"]
    )
    for item in unserved:
        item.change_reason = reasons.get(item.request_id, "")
    for view in views:
        for stop in view["stops"]:
            stop.change_reason = reasons.get(stop.request.pk, "")
    return {
        "plan": plan,
        "days": sorted(days.items()),
        "unserved": unserved,
        "summary": plan.summary,
    }
