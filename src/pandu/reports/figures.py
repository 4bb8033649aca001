"""Every figure of the dashboards, the monthly report and the public page: one selector each.

Each selector takes a mission, a ``Period`` (the mission's local dates, both ends included) and
optionally one service, runs the query its docstring names, and returns a small typed result. No
HTTP and no formatting here: the dashboard, the exports, the PDF and the public page all read these
same results (``tables.py`` turns them into rows), so every number shown can be traced back to one
function.

Reports sit above every domain they count (the layer contract in ``pyproject.toml``), so the
source apps are imported at the top like any lower layer. A figure whose source is switched off
(``installed()`` says no) returns ``None`` and the pages say "no data yet".

Statistics, chosen so that each can be checked by hand:

- the median is the middle value (the mean of the two middle values for an even count);
- the 90th percentile is the nearest-rank value: the smallest value with at least 90% of all
  values at or below it, so it is always a time somebody actually waited;
- shares are ``part / whole`` of the counted cases, ``None`` when nothing was counted.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.db.models import Count, Min, Q
from django.utils import timezone

from pandu.applications.models import Application
from pandu.applications.workflow import State
from pandu.appointments.models import Appointment, Session
from pandu.appointments.selectors import Fill, fill_by_kind
from pandu.catalog.models import Service
from pandu.core import clock
from pandu.core.models import Mission
from pandu.feedback import ikm as feedback_ikm
from pandu.feedback import selectors as feedback_selectors
from pandu.feedback.models import Channel as SurveyChannel
from pandu.feedback.models import FollowUp
from pandu.outreach.models import PlanItem, PlannedRoute, TripPlan, VisitRequest
from pandu.queue.models import FINAL_STATES, Ticket, TicketPeriod
from pandu.queue.selectors import times_from_periods

# The three channels of the issue, in the order the tables show them.
WEEKDAY, SATURDAY, PERTIWI = "weekday", "saturday", "pertiwi"
CHANNELS = (WEEKDAY, SATURDAY, PERTIWI)
COUNTER_CHANNELS = (WEEKDAY, SATURDAY)


# --------------------------------------------------------------------------- periods and maths


@dataclass(frozen=True)
class Period:
    """Local dates ``start`` to ``end`` of a mission, both included."""

    start: dt.date
    end: dt.date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return cls(first, following - dt.timedelta(days=1))

    @classmethod
    def month_of(cls, day: dt.date) -> Period:
        return cls.month(day.year, day.month)

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self == Period.month_of(self.start)

    def previous_month(self) -> Period:
        return Period.month_of(self.start.replace(day=1) - dt.timedelta(days=1))

    def bounds(self, mission: Mission) -> tuple[dt.datetime, dt.datetime]:
        """The UTC instants from the first local midnight to the one after the last day."""
        zone = mission.zone
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def months_back(period: Period, count: int) -> list[Period]:
    """The ``count`` calendar months ending with the month of ``period.end``, oldest first."""
    months = [Period.month_of(period.end)]
    while len(months) < count:
        months.insert(0, months[0].previous_month())
    return months


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile: the value at rank ceil(p/100 * n) of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(p / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def installed(app: str) -> bool:
    return apps.is_installed(f"pandu.{app}")


def _session_channel(kind: str | None, date: dt.date) -> str:
    """Saturday sessions are the Saturday channel; a walk-in (no session) goes by its date."""
    if kind:
        return SATURDAY if kind == Session.Kind.SATURDAY else WEEKDAY
    return SATURDAY if date.weekday() == 5 else WEEKDAY


def _services(mission: Mission, service: Service | None) -> list[Service]:
    if service is not None:
        return [service]
    return list(Service.objects.filter(mission=mission).order_by("order", "name_id"))


# --------------------------------------------------------------------------- volumes


@dataclass
class VolumeRow:
    service: Service | None  # None for the total row
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Volumes:
    rows: list[VolumeRow]
    total: VolumeRow
    counter_source: bool  # the waiting room's tickets were available
    pertiwi_source: bool


def volumes(mission: Mission, period: Period, service: Service | None = None) -> Volumes:
    """Services delivered per service and channel.

    Counter (weekday, Saturday): waiting-room tickets of the period that ended ``done``
    (``queue.Ticket.state``), one per visit; a ticket booked through an appointment takes its
    session's kind, a walk-in its date (Saturday or not). Added to them: appointments of the
    period marked ``served`` that have no ticket (served without passing the waiting room), by
    their session's kind. Pertiwi: visits recorded ``served`` at the door
    (``outreach.PlanItem.outcome``) in published plans, on the route's date, once for each service
    the visit request asked for.
    """
    rows = {s.pk: VolumeRow(s) for s in _services(mission, service)}
    counter_source = installed("queue")
    served = Appointment.objects.filter(
        mission=mission,
        status=Appointment.Status.SERVED,
        slot__session__date__range=(period.start, period.end),
    )
    if counter_source:
        served = served.filter(ticket__isnull=True)
    if service is not None:
        served = served.filter(service=service)
    for service_id, kind, date in served.values_list(
        "service_id", "slot__session__kind", "slot__session__date"
    ):
        if service_id in rows:
            rows[service_id].counts[_session_channel(kind, date)] += 1
    if counter_source:
        tickets = Ticket.objects.filter(
            mission=mission, date__range=(period.start, period.end), state=Ticket.State.DONE
        )
        if service is not None:
            tickets = tickets.filter(service=service)
        for service_id, kind, date in tickets.values_list(
            "service_id", "appointment__slot__session__kind", "date"
        ):
            if service_id in rows:
                rows[service_id].counts[_session_channel(kind, date)] += 1

    items = PlanItem.objects.filter(
        plan__mission=mission,
        plan__status=TripPlan.Status.PUBLISHED,
        outcome=PlanItem.Outcome.SERVED,
        route__shift__date__range=(period.start, period.end),
    )
    for service_id in items.values_list("request__services", flat=True):
        if service_id in rows:
            rows[service_id].counts[PERTIWI] += 1
    total = VolumeRow(None)
    for row in rows.values():
        for channel in CHANNELS:
            total.counts[channel] += row.counts[channel]
    return Volumes(list(rows.values()), total, counter_source, True)


# --------------------------------------------------------------------------- fill rate


# The appointments app defines the fill rate (``fill_by_kind``), so that the session planning
# page and the dashboard show one figure.
FillRow = Fill


def fill_rate(mission: Mission, period: Period, service: Service | None = None) -> list[FillRow]:
    """Booked seats against seats on offer, per session kind and in total (the last row).

    ``pandu.appointments.selectors.fill_by_kind``: ``Sum(Slot.booked) / Sum(Slot.capacity)``
    over the slots of the mission's sessions dated in the period that were not closed (a closed
    session's seats were never on offer); with a service, only that service's slots.
    """
    return fill_by_kind(mission=mission, start=period.start, end=period.end, service=service)


# --------------------------------------------------------------------------- no-shows


@dataclass
class NoShowRow:
    channel: str | None  # weekday, saturday, or None for the total
    due: int = 0
    no_show: int = 0

    @property
    def rate(self) -> float | None:
        return share(self.no_show, self.due)


def no_shows(
    mission: Mission,
    period: Period,
    service: Service | None = None,
    now: dt.datetime | None = None,
) -> list[NoShowRow]:
    """Missed appointments as a share of appointments that were due.

    Due: ``Appointment`` rows of the mission whose session is dated in the period, whose slot
    started before ``now``, and that were not cancelled. Missed: those with status ``no_show``.
    Per counter channel (session kind), then the total.
    """
    now = now or timezone.now()
    due = Appointment.objects.filter(
        mission=mission,
        slot__session__date__range=(period.start, period.end),
        slot__starts_at__lt=now,
    ).exclude(status=Appointment.Status.CANCELLED)
    if service is not None:
        due = due.filter(service=service)
    rows = {channel: NoShowRow(channel) for channel in COUNTER_CHANNELS}
    total = NoShowRow(None)
    for kind, date, status in due.values_list(
        "slot__session__kind", "slot__session__date", "status"
    ):
        row = rows[_session_channel(kind, date)]
        missed = status == Appointment.Status.NO_SHOW
        for target in (row, total):
            target.due += 1
            target.no_show += int(missed)
    return [*rows.values(), total]


# --------------------------------------------------------------------------- waiting room


@dataclass
class WaitRow:
    channel: str | None  # weekday, saturday, or None for all
    waits: list[float] = field(default_factory=list)  # minutes, one per ticket called
    services: list[float] = field(default_factory=list)  # minutes, one per ticket done

    @property
    def called(self) -> int:
        return len(self.waits)

    @property
    def served(self) -> int:
        return len(self.services)

    @property
    def wait_mean(self) -> float | None:
        return mean(self.waits)

    @property
    def wait_median(self) -> float | None:
        return median(self.waits)

    @property
    def wait_p90(self) -> float | None:
        return percentile(self.waits, 90)

    @property
    def service_mean(self) -> float | None:
        return mean(self.services)

    @property
    def service_median(self) -> float | None:
        return median(self.services)


def waiting_times(
    mission: Mission, period: Period, service: Service | None = None
) -> list[WaitRow] | None:
    """Waiting and service minutes from the waiting room's periods, per counter channel and all.

    Tickets (``queue.Ticket``) of the mission dated in the period that are finished (``done`` or
    ``no_show``, so the figures do not move while a ticket is open). Each ticket's minutes come
    from its ``TicketPeriod`` rows through ``queue.selectors.times_from_periods``: waiting counts
    the time in ``waiting`` and ``transferred``; service counts the time in ``serving`` and is
    taken for ``done`` tickets only. None when the waiting room is not installed.
    """
    if not installed("queue"):
        return None

    tickets = Ticket.objects.filter(
        mission=mission, date__range=(period.start, period.end), state__in=FINAL_STATES
    )
    if service is not None:
        tickets = tickets.filter(service=service)
    info = {
        pk: (_session_channel(kind, date), state)
        for pk, kind, date, state in tickets.values_list(
            "pk", "appointment__slot__session__kind", "date", "state"
        )
    }
    periods: dict[int, list[SimpleNamespace]] = defaultdict(list)
    for ticket_id, state, started, ended in (
        TicketPeriod.objects.filter(ticket__in=tickets)
        .order_by("started_at", "pk")
        .values_list("ticket_id", "state", "started_at", "ended_at")
    ):
        periods[ticket_id].append(SimpleNamespace(state=state, started_at=started, ended_at=ended))
    rows = {channel: WaitRow(channel) for channel in COUNTER_CHANNELS}
    total = WaitRow(None)
    for pk, (channel, state) in info.items():
        spans = periods.get(pk, [])
        times = times_from_periods(spans, spans[-1].ended_at if spans else timezone.now())
        if times.called_at is None:
            continue  # never called: nothing to say about its wait
        for row in (rows[channel], total):
            row.waits.append(times.wait_minutes)
            if state == Ticket.State.DONE:
                row.services.append(times.service_minutes)
    return [*rows.values(), total]


# --------------------------------------------------------------------------- applications


@dataclass
class DecisionRow:
    service: Service | None  # None for the total
    days: list[float] = field(default_factory=list)  # submission to decision, one per application
    within: int = 0  # decided on or before the due date
    rejected: int = 0

    @property
    def decided(self) -> int:
        return len(self.days)

    @property
    def median_days(self) -> float | None:
        return median(self.days)

    @property
    def p90_days(self) -> float | None:
        return percentile(self.days, 90)

    @property
    def within_share(self) -> float | None:
        return share(self.within, self.decided)


def decisions(
    mission: Mission, period: Period, service: Service | None = None
) -> list[DecisionRow] | None:
    """Time to decision and the share decided within the service-level time, per service.

    An application is decided when the workflow first takes it to ``issued`` or ``rejected``
    (the states that stop the service-level clock; ``applications.Transition.target``). Counted:
    the mission's applications with a submission time whose first decision falls in the period.
    Days are ``(decided_at - submitted_at)`` in days; within the service level means the decision's
    local date is on or before the application's ``due_date`` (an application without a due date
    counts as late). The last row is the total. None when applications are not installed.
    """
    if not installed("applications"):
        return None

    start, end = period.bounds(mission)
    decided = (
        Application.objects.filter(mission=mission, submitted_at__isnull=False)
        .annotate(
            decided_at=Min(
                "transitions__at",
                filter=Q(transitions__target__in=[State.ISSUED, State.REJECTED]),
            )
        )
        .filter(decided_at__gte=start, decided_at__lt=end)
    )
    if service is not None:
        decided = decided.filter(service=service)
    rows = {s.pk: DecisionRow(s) for s in _services(mission, service)}
    total = DecisionRow(None)
    rejected_ids = set(
        decided.filter(transitions__target=State.REJECTED).values_list("pk", flat=True)
    )
    for pk, service_id, submitted_at, decided_at, due in decided.values_list(
        "pk", "service_id", "submitted_at", "decided_at", "due_date"
    ):
        days = (decided_at - submitted_at).total_seconds() / 86400
        on_time = due is not None and timezone.localdate(decided_at, mission.zone) <= due
        for row in (rows.get(service_id), total):
            if row is None:
                continue
            row.days.append(days)
            row.within += int(on_time)
            row.rejected += int(pk in rejected_ids)
    return [*rows.values(), total]


# --------------------------------------------------------------------------- Pertiwi


@dataclass
class PertiwiFigures:
    requests: int  # visit requests made in the period
    outcomes: dict[str, int]  # served, not_home, rescheduled at the door
    routes: int
    travel_minutes: float
    unserved: dict[str, int]  # reason code -> visits left out of published plans

    @property
    def served(self) -> int:
        return self.outcomes.get("served", 0)

    @property
    def travel_per_visit(self) -> float | None:
        return self.travel_minutes / self.served if self.served else None


def pertiwi(mission: Mission, period: Period, service: Service | None = None) -> PertiwiFigures:
    """Home visits: requests, outcomes at the door, travel and why visits were left unserved.

    Requests: ``outreach.VisitRequest`` created in the period. Outcomes: ``PlanItem.outcome`` of
    published plans on routes dated in the period. Travel: the sum of ``PlannedRoute.
    travel_minutes`` of published plans' routes dated in the period (with a service: routes with
    at least one stop asking for it). Unserved: items of published plans whose week starts in the
    period that carry an ``unassigned_code``, counted per code.
    """

    start, end = period.bounds(mission)
    requests = VisitRequest.objects.filter(
        mission=mission, created_at__gte=start, created_at__lt=end
    )
    published = Q(plan__mission=mission, plan__status=TripPlan.Status.PUBLISHED)
    items = PlanItem.objects.filter(published, route__shift__date__range=(period.start, period.end))
    routes = PlannedRoute.objects.filter(published, shift__date__range=(period.start, period.end))
    unserved = PlanItem.objects.filter(
        published, plan__week_start__range=(period.start, period.end)
    ).exclude(unassigned_code="")
    if service is not None:
        requests = requests.filter(services=service)
        items = items.filter(request__services=service)
        routes = routes.filter(stops__request__services=service).distinct()
        unserved = unserved.filter(request__services=service)
    outcomes = dict.fromkeys(PlanItem.Outcome.values, 0)
    for outcome, count in (
        items.exclude(outcome="").values_list("outcome").annotate(n=Count("pk", distinct=True))
    ):
        outcomes[outcome] = count
    reasons: dict[str, int] = {}
    for code, count in unserved.values_list("unassigned_code").annotate(
        n=Count("pk", distinct=True)
    ):
        reasons[code] = count
    route_rows = list(routes.values_list("pk", "travel_minutes"))
    return PertiwiFigures(
        requests=requests.distinct().count(),
        outcomes=outcomes,
        routes=len(route_rows),
        travel_minutes=sum(minutes for _pk, minutes in route_rows),
        unserved=dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


# --------------------------------------------------------------------------- IKM


@dataclass
class IkmFigures:
    """The satisfaction index of a period as ``feedback.ikm.compute`` reports it."""

    respondents: int
    index: Decimal | None  # the reported two-decimal value, 25-100
    category: str  # A-D
    label: str  # Sangat Baik ... Tidak Baik (untranslated; translate when shown)
    per_element: dict[str, float]  # u1..u9 -> mean score (1-4)
    population: int | None = None  # services delivered in the period (``volumes``)
    sample_needed: int | None = None  # Krejcie and Morgan's sample for that population


def _feedback():
    """``(pandu.feedback.ikm, pandu.feedback.selectors)``, or None while not installed."""
    if not installed("feedback"):
        return None
    return feedback_ikm, feedback_selectors


def _respondents(mission: Mission, period: Period, service: Service | None, channel: str | None):
    found = _feedback()
    if found is None:
        return None, None
    ikm_module, selectors = found
    rows = selectors.respondents(mission=mission, start=period.start, end=period.end)
    if service is not None:
        rows = [r for r in rows if r.service == service.code]
    if channel is not None:
        rows = [r for r in rows if r.channel == channel]
    return ikm_module, rows


def _ikm_figures(result, population: int | None, ikm_module) -> IkmFigures:
    return IkmFigures(
        respondents=result.respondents,
        index=result.ikm,
        category=result.category.code,
        label=result.category.label,
        per_element={code: float(mean) for code, mean in result.per_element.items()},
        population=population,
        sample_needed=ikm_module.krejcie_morgan(population) if population else None,
    )


def ikm(
    mission: Mission,
    period: Period,
    service: Service | None = None,
    channel: str | None = None,
) -> IkmFigures | None:
    """The IKM of the survey responses submitted in the period (PermenPANRB 14/2017).

    Responses: ``feedback.selectors.respondents`` (``SurveyResponse`` rows of the mission whose
    local submission date is in the period), narrowed to one service's code and/or one channel.
    The index, category and element means are ``feedback.ikm.compute``'s; nothing is computed
    here. The population for the required sample is the period's services delivered
    (``volumes``' total, all channels). None while the feedback app is not installed, and an
    ``IkmFigures`` with no respondents when nobody answered.
    """
    ikm_module, rows = _respondents(mission, period, service, channel)
    if ikm_module is None:
        return None
    population = volumes(mission, period, service).total.total if channel is None else None
    if not rows:
        return IkmFigures(0, None, "", "", {}, population, None)
    return _ikm_figures(ikm_module.compute(r.scores for r in rows), population, ikm_module)


@dataclass
class IkmChannelRow:
    channel: str | None  # a feedback channel (weekday, saturday, pertiwi, collected); None: all
    figures: IkmFigures


def ikm_by_channel(
    mission: Mission, period: Period, service: Service | None = None
) -> list[IkmChannelRow] | None:
    """The IKM per channel and for all responses: ``feedback.ikm.by_channel`` over the same
    responses as ``ikm``. Channels nobody answered for are left out."""
    ikm_module, rows = _respondents(mission, period, service, None)
    if ikm_module is None:
        return None
    out = [
        IkmChannelRow(str(channel), _ikm_figures(result, None, ikm_module))
        for channel, result in ikm_module.by_channel(rows).items()
    ]
    if rows:
        out.append(
            IkmChannelRow(
                None, _ikm_figures(ikm_module.compute(r.scores for r in rows), None, ikm_module)
            )
        )
    return out


# --------------------------------------------------------------------------- complaint handling

# Days a supervisor has to close a follow-up. Neither the feedback app nor the mission settings
# define a deadline yet; this is the reports' own target (move it there when one is decided).
FOLLOW_UP_TARGET_DAYS = 14
# Why a follow-up was opened, from its response; each follow-up is counted under one reason.
LOW_SCORE, COMPLAINT, BOTH, OTHER = "low_score", "complaint", "both", "other"
COMPLAINT_REASONS = (LOW_SCORE, COMPLAINT, BOTH, OTHER)


def follow_up_reason(is_complaint: bool, scores: Sequence[int]) -> str:
    """``both`` for a flagged complaint with a 1 on some element, else ``complaint`` or
    ``low_score``; ``other`` for a follow-up whose answer is neither (opened by hand)."""
    low = any(score == 1 for score in scores)
    if is_complaint and low:
        return BOTH
    if is_complaint:
        return COMPLAINT
    return LOW_SCORE if low else OTHER


@dataclass
class ComplaintRow:
    """Follow-ups opened in the period, by their status now and against the target."""

    channel: str | None  # a feedback channel (weekday, saturday, pertiwi, collected); None: all
    opened: int = 0
    open: int = 0
    in_progress: int = 0
    closed: int = 0
    within: int = 0  # closed at most FOLLOW_UP_TARGET_DAYS after opening
    overdue: int = 0  # not closed, and opened more than FOLLOW_UP_TARGET_DAYS before now

    @property
    def closed_late(self) -> int:
        return self.closed - self.within

    @property
    def due(self) -> int:
        """Follow-ups whose timeliness is known: closed, or past the target and still not."""
        return self.closed + self.overdue

    @property
    def within_share(self) -> float | None:
        return share(self.within, self.due)


@dataclass
class ComplaintFigures:
    rows: list[ComplaintRow]  # one per feedback channel, in the channel's order
    total: ComplaintRow
    reasons: dict[str, int]  # COMPLAINT_REASONS -> follow-ups opened in the period
    closed_days: list[float]  # opened to closed, one per follow-up closed in the period
    target_days: int = FOLLOW_UP_TARGET_DAYS

    @property
    def closed_in_period(self) -> int:
        return len(self.closed_days)

    @property
    def median_days(self) -> float | None:
        return median(self.closed_days)

    @property
    def p90_days(self) -> float | None:
        return percentile(self.closed_days, 90)


def complaints(
    mission: Mission,
    period: Period,
    service: Service | None = None,
    now: dt.datetime | None = None,
) -> ComplaintFigures | None:
    """Complaint handling: the follow-ups that unhappy survey answers opened, and their outcome.

    Opened: ``feedback.FollowUp`` rows of the mission whose ``opened_at`` falls in the period (the
    mission's local dates, through ``Period.bounds``), with a service: those whose response
    (``FollowUp.response``) is about it. Each is counted once under its response's ``channel``
    and under one reason, read from the response because the follow-up does not store it:
    ``both`` (flagged ``is_complaint`` and a 1 on some element), ``complaint`` (flagged only),
    ``low_score`` (a 1 only), ``other`` (neither: opened by hand). Their ``status`` is the one
    they have now, so an earlier period's figures still move while its follow-ups are handled.

    Against the target of ``FOLLOW_UP_TARGET_DAYS``: *within* is closed with
    ``closed_at - opened_at`` of at most that many days; *overdue* is not closed and opened more
    than that many days before ``now``; the share within is ``within / (closed + overdue)``, so a
    follow-up still open inside its target is left out until it is decided either way.

    Closed in the period: follow-ups of the mission (and service) with status ``closed`` whose
    ``closed_at`` falls in the period, whenever they were opened; their days are
    ``(closed_at - opened_at)`` in days, for the median and the 90th percentile.

    None while the feedback app is not installed.
    """
    found = _feedback()
    if found is None:
        return None
    ikm_module, _selectors = found

    now = now or timezone.now()
    start, end = period.bounds(mission)
    target = dt.timedelta(days=FOLLOW_UP_TARGET_DAYS)
    follow_ups = FollowUp.objects.filter(mission=mission)
    if service is not None:
        follow_ups = follow_ups.filter(response__service=service)
    rows = {channel: ComplaintRow(channel) for channel in SurveyChannel.values}
    total = ComplaintRow(None)
    reasons = dict.fromkeys(COMPLAINT_REASONS, 0)
    opened = follow_ups.filter(opened_at__gte=start, opened_at__lt=end)
    score_fields = [f"response__{code}" for code in ikm_module.CODES]
    for status, opened_at, closed_at, channel, is_complaint, *scores in opened.values_list(
        "status",
        "opened_at",
        "closed_at",
        "response__channel",
        "response__is_complaint",
        *score_fields,
    ):
        reasons[follow_up_reason(is_complaint, scores)] += 1
        closed = status == FollowUp.Status.CLOSED
        for row in (rows.setdefault(channel, ComplaintRow(channel)), total):
            row.opened += 1
            row.open += int(status == FollowUp.Status.OPEN)
            row.in_progress += int(status == FollowUp.Status.IN_PROGRESS)
            row.closed += int(closed)
            row.within += int(closed and closed_at - opened_at <= target)
            row.overdue += int(not closed and now - opened_at > target)
    closed_days = [
        (closed_at - opened_at).total_seconds() / 86400
        for opened_at, closed_at in follow_ups.filter(
            status=FollowUp.Status.CLOSED, closed_at__gte=start, closed_at__lt=end
        )
        .order_by("closed_at", "pk")
        .values_list("opened_at", "closed_at")
    ]
    return ComplaintFigures(list(rows.values()), total, reasons, closed_days)


# --------------------------------------------------------------------------- trends


@dataclass
class TrendPoint:
    period: Period
    wait: WaitRow | None
    ikm: IkmFigures | None


def trend(
    mission: Mission, period: Period, service: Service | None = None, months: int = 6
) -> list[TrendPoint]:
    """Month by month up to the period's last month: ``waiting_times`` (all channels) and ``ikm``
    of each month, so the line charts draw exactly what those selectors return."""
    points = []
    for month in months_back(period, months):
        waits = waiting_times(mission, month, service)
        points.append(TrendPoint(month, waits[-1] if waits else None, ikm(mission, month, service)))
    return points


# --------------------------------------------------------------------------- public page

MIN_CASES = 5


@dataclass(frozen=True)
class Cell:
    """One figure of the public page with the number of cases behind it.

    ``value`` is None when there were no cases, and also when there were fewer than
    ``MIN_CASES``: then ``suppressed`` is set and only "fewer than 5" may be shown.
    """

    value: float | None
    cases: int
    suppressed: bool = False


def cell(value: float | None, cases: int) -> Cell:
    """Small-cell suppression: a figure drawn from 1 to 4 cases is withheld."""
    if 0 < cases < MIN_CASES:
        return Cell(None, cases, suppressed=True)
    return Cell(value if cases else None, cases)


def count_cell(count: int) -> Cell:
    return cell(float(count), count) if count else Cell(0.0, 0)


@dataclass
class PublicMonth:
    period: Period
    wait_mean: Cell
    wait_p90: Cell
    within_service_level: Cell
    ikm: Cell
    ikm_category: str  # shown only when the IKM cell is shown
    ikm_label: str
    saturday_sessions: int
    pertiwi_visits: Cell


@dataclass
class PublicPerformance:
    months: list[PublicMonth]
    next_saturday: Session | None


def saturday_sessions_held(mission: Mission, period: Period, now: dt.datetime) -> int:
    """Saturday sessions (``Session.kind == saturday``) of the period, not closed, begun by now."""
    return Session.objects.filter(
        mission=mission,
        kind=Session.Kind.SATURDAY,
        is_closed=False,
        date__range=(period.start, period.end),
        starts_at__lte=now,
    ).count()


def next_saturday_session(mission: Mission, now: dt.datetime) -> Session | None:
    """The first Saturday session that has not begun and is not closed."""
    return (
        Session.objects.filter(
            mission=mission, kind=Session.Kind.SATURDAY, is_closed=False, starts_at__gt=now
        )
        .order_by("starts_at")
        .first()
    )


def public_month(mission: Mission, period: Period, now: dt.datetime) -> PublicMonth:
    """One month of the public page from the selectors above, with small cells withheld."""
    waits = waiting_times(mission, period)
    wait = waits[-1] if waits else WaitRow(None)
    decided = decisions(mission, period)
    decision_total = decided[-1] if decided else DecisionRow(None)
    index = ikm(mission, period)
    respondents = index.respondents if index else 0
    ikm_cell = cell(index.index if index else None, respondents)
    visible = ikm_cell.value is not None
    return PublicMonth(
        period=period,
        wait_mean=cell(wait.wait_mean, wait.called),
        wait_p90=cell(wait.wait_p90, wait.called),
        within_service_level=cell(decision_total.within_share, decision_total.decided),
        ikm=ikm_cell,
        ikm_category=index.category if index and visible else "",
        ikm_label=index.label if index and visible else "",
        saturday_sessions=saturday_sessions_held(mission, period, now),
        pertiwi_visits=count_cell(pertiwi(mission, period).served),
    )


def public_performance(mission: Mission, now: dt.datetime | None = None) -> PublicPerformance:
    """This month and last month (in the mission's time zone), and the next Saturday session."""
    now = now or timezone.now()
    this_month = Period.month_of(clock.today(mission, now))
    return PublicPerformance(
        months=[
            public_month(mission, this_month, now),
            public_month(mission, this_month.previous_month(), now),
        ],
        next_saturday=next_saturday_session(mission, now),
    )
