"""Week plans of Pertiwi home visits: propose, adjust, publish; the citizen's answer; the outcome.

A supervisor proposes a plan for one week (Monday to Sunday, the mission's wall-clock dates).
The week's shifts are the vehicles; the open visit requests (waiting for a date, or asking for
another one) that are not flagged out of reach and have a window that week are the visits. The
search is :mod:`pandu.outreach.routing`'s; it takes seconds, so pages run it as a task
(:func:`pandu.outreach.tasks.plan_solve_task`) and poll the plan until ``solved_at`` is set.

Adjustments live on the plan's items (pinned to a date, left out) and survive every re-solve;
"moving" a visit is pinning it to another date. A plan carries a revision number: each
adjustment raises it, and a solve whose revision is no longer current stores nothing, so a slow
solve can never overwrite the answer to a later adjustment.

Publishing schedules each served visit with a date and an arrival window of
``ARRIVAL_WINDOW_MINUTES`` and mails the citizen, in their language, with links to confirm or ask
for a change (from their account, or through a signed link without signing in). Unserved
requests are told nothing new: they stay waiting for the next plan.

A served visit emits ``visit_served`` (:mod:`pandu.core.events`): after the commit the apps above
react in their own receivers (the citizen's waiting applications record their biometrics as
captured; the citizen is invited to the satisfaction survey).
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pandu.audit.models import AuditEvent
from pandu.audit.services import audit_record
from pandu.core import clock, events
from pandu.core.errors import NotFound, PanduError, PermissionDenied, ValidationFailed
from pandu.notify.services import email_send
from pandu.outreach import routing, tasks
from pandu.outreach.models import (
    PertiwiPolicy,
    PlanItem,
    PlannedRoute,
    Shift,
    TripPlan,
    VisitRequest,
)
from pandu.outreach.transitions import VISIT
from pandu.outreach.transitions import Event as VisitEvent

#: How long the arrival window told to citizens is.
ARRIVAL_WINDOW_MINUTES = 120
#: The window opens at the planned start rounded down to this many minutes.
ARRIVAL_ROUNDING_MINUTES = 30
#: The longest search a supervisor may ask for (the page waits for it).
MAX_SECONDS = 60
DEFAULT_SECONDS = 10

#: Where teams leave from when the mission has no coordinates of its own yet.
MISSION_DEPOTS = {
    "toronto": (43.6536, -79.3733),  # 129 Jarvis Street
    "ottawa": (45.3986, -75.7361),  # 55 Parkdale Avenue
}
DEFAULT_SPEED_KMH = 60.0
DEFAULT_DETOUR_FACTOR = 1.3

# Requests waiting for a plan: those a published plan may schedule.
OPEN_STATUSES = VISIT.sources(VisitEvent.SCHEDULE)
#: Unserved codes of this module, beside the planner's (``routing.CODES``).
EXCLUDED = "excluded"
NO_LOCATION = "no_location"
NO_SHIFTS = "no_shifts"

VISIT_SALT = "pandu.outreach.visit"
VISIT_TOKEN_MAX_AGE = 90 * 24 * 3600

PLAN_VIEW = "outreach.view_tripplan"
PLAN_ADD = "outreach.add_tripplan"
PLAN_CHANGE = "outreach.change_tripplan"
OUTCOME_CHANGE = "outreach.change_planitem"


def unserved_reason(code: str) -> str:
    """Why a visit is not in the plan, in the active language."""
    reasons = {
        routing.OUT_OF_REACH: _(
            "Tidak ada giliran tim yang dapat mencapai alamat ini, melayani, lalu kembali dalam "
            "satu giliran. Pertimbangkan layanan jemput bola, layanan pos, atau perjalanan "
            "menginap yang direncanakan."
        ),
        routing.NO_WINDOW_REACHABLE: _(
            "Tim dapat mencapai alamat ini, tetapi tidak pada jam-jam orang tersebut ada di "
            "rumah. Minta waktu lain."
        ),
        routing.NO_CAPACITY: _(
            "Kunjungan ini mungkin dilakukan, tetapi giliran tim sudah penuh. Tambah giliran "
            "atau pindahkan kunjungan ke minggu lain."
        ),
        EXCLUDED: _("Dikeluarkan dari rencana oleh penyelia."),
        NO_LOCATION: _("Lokasi alamat belum diketahui. Periksa alamatnya lebih dulu."),
        NO_SHIFTS: _("Belum ada giliran tugas tim pada minggu ini. Tambahkan giliran lebih dulu."),
    }
    return reasons.get(code, code)


# --------------------------------------------------------------------------- small helpers


def week_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def week_dates(week_start: dt.date) -> tuple[dt.date, dt.date]:
    return week_start, week_start + dt.timedelta(days=6)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _time(minutes: float) -> dt.time:
    """Minutes after midnight as a time, rounded up to the minute like routing's ``clock``."""
    m = min(max(math.ceil(minutes - 1e-6), 0), 24 * 60 - 1)
    return dt.time(m // 60, m % 60)


def arrival_window(
    start: dt.time, window: tuple[dt.time, dt.time] | None
) -> tuple[dt.time, dt.time]:
    """The window told to the citizen: the planned start rounded down to the half hour, for
    ``ARRIVAL_WINDOW_MINUTES``, clipped to the time the person said they are at home."""
    begin = _minutes(start) // ARRIVAL_ROUNDING_MINUTES * ARRIVAL_ROUNDING_MINUTES
    end = begin + ARRIVAL_WINDOW_MINUTES
    if window is not None:
        begin = max(begin, _minutes(window[0]))
        end = min(end, _minutes(window[1]))
    end = max(end, _minutes(start))
    return _time(begin), _time(end)


def travel_for(mission) -> routing.GreatCircleTravel:
    """The mission's travel model (its Pertiwi rules where set, else the planner's defaults)."""
    row = PertiwiPolicy.objects.filter(mission=mission).first()
    speed = getattr(row, "pertiwi_speed_kmh", None) or DEFAULT_SPEED_KMH
    detour = getattr(row, "pertiwi_detour_factor", None) or DEFAULT_DETOUR_FACTOR
    return routing.GreatCircleTravel(float(speed), float(detour))


def depot_for(mission) -> routing.Depot | None:
    lat, lon = getattr(mission, "lat", None), getattr(mission, "lon", None)
    if lat is None or lon is None:
        lat, lon = MISSION_DEPOTS.get(mission.slug, (None, None))
    if lat is None or lon is None:
        return None
    return routing.Depot(mission.name, float(lat), float(lon))


def _require(user, perm: str, mission, message: str | None = None) -> None:
    if not user.has_perm(perm, mission):
        raise PermissionDenied(message or _("Anda tidak berwenang mengatur rencana Pertiwi."))


def open_requests(mission, week_start: dt.date):
    """Requests a plan for the week considers: open, not flagged out of reach, with a window
    that week (a request without a location is listed, to be reported, not planned)."""
    first, last = week_dates(week_start)
    return (
        VisitRequest.objects.filter(
            mission=mission,
            status__in=OPEN_STATUSES,
            windows__date__range=(first, last),
        )
        .filter(Q(reach_code="") | Q(reach_code__isnull=True))
        .distinct()
    )


# --------------------------------------------------------------------------- propose and solve


def plan_propose(
    *,
    mission,
    week_start: dt.date,
    by,
    seconds: int = DEFAULT_SECONDS,
    seed: int = 1,
    background: bool = False,
    now: dt.datetime | None = None,
) -> TripPlan:
    """Create a draft plan for the week of ``week_start`` and solve it.

    With ``background`` the solve is queued as a task once this transaction commits and the
    plan is returned unsolved (``solved_at`` empty); otherwise it is solved before returning.
    Stops when the user may not plan, the search time is out of bounds, the week is over, or
    the mission's location is unknown.
    """
    _require(by, PLAN_ADD, mission)
    if not isinstance(seconds, int) or not 1 <= seconds <= MAX_SECONDS:
        raise ValidationFailed(
            {"seconds": [_("Waktu pencarian 1 sampai %(max)d detik.") % {"max": MAX_SECONDS}]}
        )
    week_start = week_of(week_start)
    if week_dates(week_start)[1] < clock.today(mission, now):
        raise ValidationFailed({"week": [_("Minggu ini sudah lewat.")]})
    if depot_for(mission) is None:
        raise PanduError(
            _("Lokasi kantor perwakilan belum diisi, jadi rute belum dapat dihitung."),
            code="no_depot",
        )
    with transaction.atomic():
        plan = TripPlan.objects.create(
            mission=mission,
            week_start=week_start,
            seed=seed,
            seconds=seconds,
            created_by=by,
            summary={"revision": 1},
        )
        _sync_items(plan)
        audit_record(
            event="pertiwi_plan_proposed",
            actor=by,
            obj=plan,
            mission=mission,
            data={"week_start": str(week_start), "seconds": seconds, "seed": seed},
        )
        _solve_after_commit(plan, background)
    if not background:
        plan_solve(plan_id=plan.pk)
    plan.refresh_from_db()
    return plan


def _solve_after_commit(plan: TripPlan, background: bool) -> None:
    revision = plan.summary.get("revision", 1)
    if background:
        transaction.on_commit(
            lambda: tasks.plan_solve_task.enqueue(plan_id=plan.pk, revision=revision)
        )


def _sync_items(plan: TripPlan) -> None:
    """One item per request the week considers; items of requests no longer open go."""
    wanted = set(open_requests(plan.mission, plan.week_start).values_list("pk", flat=True))
    have = set(plan.items.values_list("request_id", flat=True))
    plan.items.filter(request_id__in=have - wanted).delete()
    PlanItem.objects.bulk_create(
        [PlanItem(plan=plan, request_id=pk) for pk in sorted(wanted - have)]
    )


def plan_solve(*, plan_id: int, revision: int | None = None) -> str:
    """Solve the plan as it stands and store its routes; the task's body.

    Returns ``"solved"``, or ``"stale"`` when the plan changed (or was published or discarded)
    meanwhile, in which case nothing is stored. The search runs outside any transaction, so it
    never holds a database lock for its seconds.
    """
    plan = TripPlan.objects.select_related("mission").filter(pk=plan_id).first()
    if plan is None or plan.status != TripPlan.Status.DRAFT:
        return "stale"
    revision = plan.summary.get("revision", 1) if revision is None else revision
    if plan.summary.get("revision", 1) != revision:
        return "stale"
    with transaction.atomic():
        _sync_items(plan)
    problem, shifts, codes = _problem(plan)
    result = routing.plan(problem, seconds=plan.seconds, seed=plan.seed)
    with transaction.atomic():
        plan = TripPlan.objects.select_for_update().get(pk=plan_id)
        if plan.status != TripPlan.Status.DRAFT or plan.summary.get("revision", 1) != revision:
            return "stale"
        _store(plan, result, shifts, codes)
        audit_record(
            event="pertiwi_plan_solved",
            obj=plan,
            mission=plan.mission,
            data={k: v for k, v in plan.summary.items() if k != "revision"},
        )
    return "solved"


def _problem(plan: TripPlan):
    first, last = week_dates(plan.week_start)
    shifts = list(
        Shift.objects.filter(
            mission=plan.mission,
            date__range=(first, last),
            team__is_active=True,
            kit__is_active=True,
        ).select_related("team")
    )
    codes: dict[int, str] = {}
    visits = []
    items = plan.items.select_related("request").prefetch_related("request__windows")
    for item in items:
        request = item.request
        if item.excluded:
            codes[item.pk] = EXCLUDED
            continue
        if request.lat is None or request.lon is None:
            codes[item.pk] = NO_LOCATION
            continue
        if not shifts:
            codes[item.pk] = NO_SHIFTS
            continue
        windows = tuple(
            routing.Window(w.date, _minutes(w.start), _minutes(w.end))
            for w in request.windows.all()
            if first <= w.date <= last and item.pinned_date in (None, w.date)
        )
        visits.append(
            routing.Visit(
                str(item.pk), request.lat, request.lon, float(request.service_minutes), windows
            )
        )
    travel = travel_for(plan.mission)
    problem = routing.Problem(
        depot=depot_for(plan.mission),
        shifts=tuple(
            routing.Shift(str(s.pk), s.date, _minutes(s.start), _minutes(s.end)) for s in shifts
        ),
        visits=tuple(visits),
        speed_kmh=travel.speed_kmh,
        detour_factor=travel.detour_factor,
    )
    return problem, {str(s.pk): s for s in shifts}, codes


def _store(plan: TripPlan, result: routing.Plan, shifts: dict, codes: dict[int, str]) -> None:
    plan.routes.all().delete()
    plan.items.update(route=None, order=None, start=None, end=None, unassigned_code="")
    travel = 0.0
    for r in result.routes:
        route = PlannedRoute.objects.create(
            plan=plan,
            shift=shifts[r.team],
            depart=_time(r.depart),
            return_time=_time(r.return_),
            travel_minutes=round(r.travel_minutes, 1),
        )
        travel += r.travel_minutes
        for order, stop in enumerate(r.stops, start=1):
            PlanItem.objects.filter(pk=int(stop.id), plan=plan).update(
                route=route, order=order, start=_time(stop.start), end=_time(stop.end)
            )
    for unassigned in result.unassigned:
        codes[int(unassigned.id)] = unassigned.code
    for pk, code in codes.items():
        PlanItem.objects.filter(pk=pk, plan=plan).update(unassigned_code=code)
    plan.summary = {
        "revision": plan.summary.get("revision", 1),
        "served": result.served,
        "unserved": len(codes),
        "shifts": len(shifts),
        "shifts_used": len(result.routes),
        "travel_minutes": round(travel, 1),
    }
    plan.solved_at = timezone.now()
    plan.save(update_fields=["summary", "solved_at"])


# --------------------------------------------------------------------------- adjust


def plan_adjust(
    *,
    plan: TripPlan,
    request: VisitRequest,
    by,
    pin_date: dt.date | None = None,
    unpin: bool = False,
    exclude: bool = False,
    include: bool = False,
    background: bool = False,
) -> TripPlan:
    """Lock a visit to one of its dates (``pin_date``; "move" is pinning to another date),
    release the lock (``unpin``), leave it out (``exclude``) or put it back (``include``),
    then solve again (queued with ``background``). Only drafts change; one adjustment a call."""
    _require(by, PLAN_CHANGE, plan.mission)
    with transaction.atomic():
        plan = _adjust(plan, request, by, pin_date, unpin, exclude, include)
        _solve_after_commit(plan, background)
    if not background:
        plan_solve(plan_id=plan.pk, revision=plan.summary["revision"])
        plan.refresh_from_db()
    return plan


def _adjust(plan, request, by, pin_date, unpin, exclude, include) -> TripPlan:
    plan = (
        TripPlan.objects.select_for_update(of=("self",)).select_related("mission").get(pk=plan.pk)
    )
    if plan.status != TripPlan.Status.DRAFT:
        raise PanduError(_("Rencana yang sudah diterbitkan tidak dapat diubah."), code="published")
    if sum([pin_date is not None, unpin, exclude, include]) != 1:
        raise ValidationFailed({"action": [_("Pilih satu perubahan.")]})
    item = plan.items.select_related("request").filter(request=request).first()
    if item is None:
        raise NotFound(_("Permintaan kunjungan ini tidak ada dalam rencana."))
    if pin_date is not None:
        first, last = week_dates(plan.week_start)
        dates = {w.date for w in request.windows.all() if first <= w.date <= last}
        if pin_date not in dates:
            raise ValidationFailed(
                {"date": [_("Pilih tanggal ketika orang tersebut ada di rumah minggu ini.")]}
            )
        item.pinned_date, item.excluded, action = pin_date, False, "pin"
    elif unpin:
        item.pinned_date, action = None, "unpin"
    elif exclude:
        item.excluded, action = True, "exclude"
    else:
        item.excluded, action = False, "include"
    item.save(update_fields=["pinned_date", "excluded"])
    plan.summary = {**plan.summary, "revision": plan.summary.get("revision", 1) + 1}
    plan.solved_at = None
    plan.save(update_fields=["summary", "solved_at"])
    audit_record(
        event="pertiwi_plan_adjusted",
        actor=by,
        obj=plan,
        mission=plan.mission,
        data={"request": str(request.public_id), "action": action, "date": str(pin_date or "")},
    )
    return plan


def plan_resolve(*, plan: TripPlan, by, background: bool = False) -> TripPlan:
    """Solve a draft again as it stands: requests that changed since (new, cancelled,
    rescheduled) are taken in or dropped, the adjustments are kept."""
    _require(by, PLAN_CHANGE, plan.mission)
    with transaction.atomic():
        plan = (
            TripPlan.objects.select_for_update(of=("self",))
            .select_related("mission")
            .get(pk=plan.pk)
        )
        if plan.status != TripPlan.Status.DRAFT:
            raise PanduError(
                _("Rencana yang sudah diterbitkan tidak dapat diubah."), code="published"
            )
        plan.summary = {**plan.summary, "revision": plan.summary.get("revision", 1) + 1}
        plan.solved_at = None
        plan.save(update_fields=["summary", "solved_at"])
        audit_record(event="pertiwi_plan_resolve", actor=by, obj=plan, mission=plan.mission)
        _solve_after_commit(plan, background)
    if not background:
        plan_solve(plan_id=plan.pk, revision=plan.summary["revision"])
        plan.refresh_from_db()
    return plan


# --------------------------------------------------------------------------- publish


def plan_publish(*, plan: TripPlan, by, now: dt.datetime | None = None) -> TripPlan:
    """Schedule every served visit and tell each citizen; the week's other drafts are dropped.

    Stops unless the plan is a solved draft, no plan of that week is published yet, and every
    served request is still waiting for a date (otherwise the plan must be solved again).
    """
    now = now or timezone.now()
    _require(by, PLAN_CHANGE, plan.mission)
    try:
        with transaction.atomic():
            return _publish(plan, by, now)
    except IntegrityError:
        raise _already_published() from None


def _already_published() -> PanduError:
    return PanduError(
        _(
            "Rencana minggu ini sudah diterbitkan. Minggu yang sama tidak dapat diterbitkan dua kali."
        ),
        code="already_published",
    )


def _publish(plan: TripPlan, by, now: dt.datetime) -> TripPlan:
    plan = (
        TripPlan.objects.select_for_update(of=("self",)).select_related("mission").get(pk=plan.pk)
    )
    if plan.status != TripPlan.Status.DRAFT:
        raise PanduError(_("Hanya draf yang dapat diterbitkan."), code="not_draft")
    if plan.solved_at is None:
        raise PanduError(
            _("Rencana masih dihitung. Tunggu sampai selesai, lalu terbitkan."), code="solving"
        )
    published = TripPlan.objects.filter(
        mission=plan.mission, week_start=plan.week_start, status=TripPlan.Status.PUBLISHED
    )
    if published.exists():
        raise _already_published()
    items = list(
        plan.items.filter(route__isnull=False)
        .select_related("route__shift", "request__citizen__user", "request__mission")
        .prefetch_related("request__windows", "request__services__requirements")
    )
    requests = {
        r.pk: r
        for r in VisitRequest.objects.select_for_update().filter(
            pk__in=[i.request_id for i in items]
        )
    }
    stale = [i for i in items if requests[i.request_id].status not in OPEN_STATUSES]
    if stale:
        raise PanduError(
            _(
                "%(n)d permintaan kunjungan sudah berubah sejak rencana dihitung. "
                "Hitung ulang rencana ini lebih dulu."
            )
            % {"n": len(stale)},
            code="stale",
        )
    plan.status = TripPlan.Status.PUBLISHED
    plan.published_at = now
    plan.published_by = by
    plan.save(update_fields=["status", "published_at", "published_by"])
    TripPlan.objects.filter(
        mission=plan.mission, week_start=plan.week_start, status=TripPlan.Status.DRAFT
    ).update(status=TripPlan.Status.DISCARDED)
    for item in items:
        request = item.request
        date = item.route.shift.date
        window = next(
            (
                (w.start, w.end)
                for w in request.windows.all()
                if w.date == date and w.start <= item.start <= w.end
            ),
            None,
        )
        request.status = VISIT.move(request.status, VisitEvent.SCHEDULE)
        request.scheduled_date = date
        request.arrival_from, request.arrival_until = arrival_window(item.start, window)
        request.save(update_fields=["status", "scheduled_date", "arrival_from", "arrival_until"])
        audit_record(
            event="pertiwi_visit_scheduled",
            actor=by,
            obj=request,
            mission=plan.mission,
            data={
                "plan": str(plan.public_id),
                "date": str(date),
                "from": request.arrival_from.strftime("%H:%M"),
                "until": request.arrival_until.strftime("%H:%M"),
            },
        )
        _mail_scheduled(request)
    audit_record(
        event="pertiwi_plan_published",
        actor=by,
        obj=plan,
        mission=plan.mission,
        data={"week_start": str(plan.week_start), "scheduled": len(items)},
    )
    return plan


def visit_token(request: VisitRequest) -> str:
    """A signed token for the e-mail's link: it answers for this one visit without signing in."""
    return signing.dumps({"v": str(request.public_id)}, salt=VISIT_SALT)


def visit_from_token(token: str) -> VisitRequest | None:
    try:
        payload = signing.loads(token, salt=VISIT_SALT, max_age=VISIT_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        VisitRequest.objects.select_related("citizen__user", "mission")
        .filter(public_id=payload.get("v"))
        .first()
    )


def visit_documents(request: VisitRequest) -> list:
    """Documents to have ready: the catalogue's document requirements of the visit's services."""
    seen, out = set(), []
    for service in request.services.all():
        for requirement in service.requirements.all():
            if requirement.kind == "document" and requirement.pk not in seen:
                seen.add(requirement.pk)
                out.append(requirement)
    return out


def _mail_scheduled(request: VisitRequest) -> None:
    user = request.citizen.user
    language = user.preferred_language
    with translation.override(language):
        account_link = settings.SITE_URL + reverse(
            "outreach:visit_schedule", kwargs={"public_id": request.public_id}
        )
        token_link = settings.SITE_URL + reverse(
            "outreach:visit_answer", kwargs={"token": visit_token(request)}
        )
    with timezone.override(request.mission.zone):
        email_send(
            to=user.email,
            template="pertiwi_visit_scheduled",
            language=language,
            mission=request.mission,
            context={
                "request": request,
                "mission": request.mission,
                "services": list(request.services.all()),
                "documents": visit_documents(request),
                "account_link": account_link,
                "link": token_link,
            },
        )


# --------------------------------------------------------------------------- the citizen's answer


def _check_citizen_side(request: VisitRequest, by) -> None:
    if by is not None and by.pk in (request.citizen.user_id, request.submitted_by_id):
        return
    if by is not None and by.has_perm(PLAN_CHANGE, request.mission):
        return
    raise PermissionDenied(_("Anda tidak berwenang mengubah kunjungan ini."))


@transaction.atomic
def visit_confirm(*, request: VisitRequest, by, now: dt.datetime | None = None) -> VisitRequest:
    """The citizen confirms the date and arrival window they were told."""
    _check_citizen_side(request, by)
    request = (
        VisitRequest.objects.select_for_update(of=("self",))
        .select_related("mission")
        .get(pk=request.pk)
    )
    if request.status == VisitRequest.Status.CONFIRMED:
        return request
    if request.status not in VISIT.sources(VisitEvent.CONFIRM):
        raise PanduError(_("Kunjungan ini tidak menunggu konfirmasi."), code="not_scheduled")
    if request.scheduled_date < clock.today(request.mission, now):
        raise PanduError(_("Tanggal kunjungan ini sudah lewat."), code="past")
    request.status = VISIT.move(request.status, VisitEvent.CONFIRM)
    request.save(update_fields=["status"])
    audit_record(event="pertiwi_visit_confirmed", actor=by, obj=request, mission=request.mission)
    return request


@transaction.atomic
def visit_change_request(
    *, request: VisitRequest, reason: str, by, now: dt.datetime | None = None
) -> VisitRequest:
    """The citizen asks for another date; the request goes back to the supervisor's next plan
    (its date and window are cleared). The reason is kept with the event, for the supervisor."""
    _check_citizen_side(request, by)
    request = (
        VisitRequest.objects.select_for_update(of=("self",))
        .select_related("mission")
        .get(pk=request.pk)
    )
    if request.status not in VISIT.sources(VisitEvent.ASK_CHANGE):
        raise PanduError(_("Jadwal kunjungan ini tidak dapat diubah lagi."), code="not_scheduled")
    if request.scheduled_date < clock.today(request.mission, now):
        raise PanduError(_("Tanggal kunjungan ini sudah lewat."), code="past")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed({"reason": [_("Tulis alasan atau waktu yang lebih cocok.")]})
    if len(reason) > 500:
        raise ValidationFailed({"reason": [_("Paling panjang 500 karakter.")]})
    was = str(request.scheduled_date)
    request.status = VISIT.move(request.status, VisitEvent.ASK_CHANGE)
    request.scheduled_date = request.arrival_from = request.arrival_until = None
    request.save(update_fields=["status", "scheduled_date", "arrival_from", "arrival_until"])
    audit_record(
        event="pertiwi_visit_change_requested",
        actor=by,
        obj=request,
        mission=request.mission,
        data={"was": was, "reason": reason},
    )
    return request


def change_reasons(requests) -> dict[int, str]:
    """The latest reason each request's citizen gave when asking for another date."""

    by_ref = {str(r.public_id): r.pk for r in requests}
    out: dict[int, str] = {}
    events = AuditEvent.objects.filter(
        event="pertiwi_visit_change_requested", object_ref__in=list(by_ref)
    ).order_by("seq")
    for event in events:
        out[by_ref[event.object_ref]] = (event.data or {}).get("reason", "")
    return out


# --------------------------------------------------------------------------- at the door

# The event of the visit request's table each recorded outcome makes.
OUTCOME_EVENT = {
    PlanItem.Outcome.SERVED: VisitEvent.RECORD_SERVED,
    PlanItem.Outcome.NOT_HOME: VisitEvent.RECORD_NOT_HOME,
    PlanItem.Outcome.RESCHEDULED: VisitEvent.RECORD_RESCHEDULED,
}


def may_record_outcome(user, route: PlannedRoute) -> bool:
    """Members of the route's team, and the mission's supervisors."""
    if not user.is_authenticated:
        return False
    if user.has_perm(OUTCOME_CHANGE, route.plan.mission):
        return True
    return route.shift.team.members.filter(pk=user.pk).exists()


@transaction.atomic
def visit_outcome_record(
    *, item: PlanItem, outcome: str, notes: str = "", by, now: dt.datetime | None = None
) -> PlanItem:
    """The officer at the door records what happened; the request follows (served, not at home,
    or back to planning when a new date was agreed). A later record corrects an earlier one."""
    now = now or timezone.now()
    item = (
        PlanItem.objects.select_for_update(of=("self",))
        .select_related("plan__mission", "route__shift__team", "request")
        .get(pk=item.pk)
    )
    if item.route is None or item.plan.status != TripPlan.Status.PUBLISHED:
        raise PanduError(
            _("Kunjungan ini tidak ada dalam rencana yang diterbitkan."), code="not_planned"
        )
    if not may_record_outcome(by, item.route):
        raise PermissionDenied(_("Hanya anggota tim rute ini yang dapat mencatat hasilnya."))
    if outcome not in PlanItem.Outcome.values:
        raise ValidationFailed({"outcome": [_("Pilih hasil kunjungan.")]})
    notes = (notes or "").strip()
    if len(notes) > 2000:
        raise ValidationFailed({"notes": [_("Catatan paling panjang 2000 karakter.")]})
    if item.route.shift.date > clock.today(item.plan.mission, now):
        raise PanduError(
            _("Hasil kunjungan dicatat pada hari kunjungan atau sesudahnya."), code="future"
        )
    request = VisitRequest.objects.select_for_update().get(pk=item.request_id)
    if request.status not in VISIT.sources(OUTCOME_EVENT[outcome]):
        raise PanduError(_("Permintaan kunjungan ini sudah dibatalkan."), code="cancelled")
    item.outcome, item.outcome_notes, item.outcome_by, item.outcome_at = outcome, notes, by, now
    item.save(update_fields=["outcome", "outcome_notes", "outcome_by", "outcome_at"])
    request.status = VISIT.move(request.status, OUTCOME_EVENT[outcome])
    fields = ["status"]
    if outcome == PlanItem.Outcome.RESCHEDULED:
        request.scheduled_date = request.arrival_from = request.arrival_until = None
        fields += ["scheduled_date", "arrival_from", "arrival_until"]
    request.save(update_fields=fields)
    audit_record(
        event="pertiwi_visit_outcome",
        actor=by,
        obj=request,
        mission=item.plan.mission,
        data={"outcome": outcome, "plan": str(item.plan.public_id)},
    )
    if outcome == PlanItem.Outcome.SERVED:
        # After the commit: the linked applications record their biometrics as captured at the
        # door (pandu.applications.receivers), and the citizen is invited to the survey
        # (pandu.feedback.receivers).
        events.emit(events.visit_served, visit_request=request, by=by, now=now)
    return item
