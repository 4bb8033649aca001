"""Demo history for the dashboards, part three: last month's decided applications and Pertiwi
trips at KJRI Toronto (called by ``reports.demo_month.load_month_demo``).

- **Applications**: about thirty, across the passport, legalisation, civil-registry and affidavit
  services, submitted in the month or the one before and decided in the month, each along the
  workflow table's own path (``applications.workflow.TABLE``): submitted, documents accepted,
  biometrics captured (in-person services), paid, sent for issuance, issued, then ready and
  collected (or mailed) when that day has passed; three are rejected by a supervisor with a reason.
  Most are decided within the service level (the due date the SLA clock gives,
  ``applications.sla.due_date_for`` over the mission's closed days), a few some days late.
- **Pertiwi**: two published trip plans for the second and third weeks of the month, with the
  teams and kits of ``outreach.demo``: shifts, routes whose travel minutes come from the
  planner's own travel model (``outreach.planning.travel_for``), visits served, not at home and
  rescheduled (then served the week after), and two visits left out with the planner's reason
  codes (out of reach, no capacity). The elderly citizens visited are approved for Pertiwi.

Both are written as rows, consistently, not through ``application_transition`` or the trip
planner: the workflow mails the citizen at every move and sends a survey on collection, issuing
passes through the issuing authority, and the planner refuses weeks that are over and mails each
person when a plan is published; none of these has a switch to stay quiet for history. So no
message is queued, no audit event is written, no documents are uploaded (an application's page
shows its history and payment, not scans) and the surat keterangan, whose issue makes a signed
letter, is left out. Every timestamp is set as the real flow would have set it.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from pandu.applications.models import Application, Payment, ReplacementReason, Transition
from pandu.applications.selectors import closed_days
from pandu.applications.sla import due_date_for, is_working_day
from pandu.applications.workflow import CITIZEN, OFFICER, SUPERVISOR, SYSTEM, Event, State
from pandu.catalog.models import Service
from pandu.core import clock
from pandu.core.models import Mission
from pandu.outreach import routing
from pandu.outreach.models import (
    EligibilityRequest,
    Kit,
    PlanItem,
    PlannedRoute,
    Shift,
    Team,
    TripPlan,
    VisitRequest,
    VisitWindow,
)
from pandu.outreach.planning import arrival_window, depot_for, travel_for
from pandu.people.models import CitizenProfile, User
from pandu.reports.demo_people import history_citizen_make

SEED = 1998
OFFICER_EMAIL = "officer@toronto.pandu.test"
SUPERVISOR_EMAIL = "supervisor@toronto.pandu.test"
HISTORY_EMAILS = "warga.riwayat"

# (service code, how many, how many of them rejected, how many decided late)
APPLICATIONS = [
    ("paspor-ganti", 10, 0, 2),
    ("paspor-baru", 5, 1, 1),
    ("paspor-hilang-rusak", 3, 1, 0),
    ("splp", 2, 0, 0),
    ("legalisasi", 6, 1, 1),
    ("lapor-kelahiran", 3, 0, 0),
    ("lapor-perkawinan", 2, 0, 0),
    ("affidavit", 1, 0, 0),
]
BIRTH_PLACES = ["Jakarta", "Surabaya", "Medan", "Bandung", "Yogyakarta", "Semarang", "Makassar"]
REJECTIONS = [
    "Paspor lama tercatat hilang atas nama lain; datang dengan dokumen asli untuk pemeriksaan.",
    "Dokumen yang dilegalisasi bukan terbitan instansi Indonesia; ajukan ke perwakilan negara "
    "penerbit.",
    "Akta kelahiran tidak cocok dengan data kependudukan; perbaiki di Dukcapil lebih dulu.",
]


def _local(day: dt.date, hour: int, minute: int, mission: Mission) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=mission.zone).astimezone(dt.UTC)


def _working_days_back(day: dt.date, count: int, closed: set[dt.date]) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        if is_working_day(day, closed):
            count -= 1
    return day


# --------------------------------------------------------------------------- applications


def load_applications_history(
    mission: Mission,
    first: dt.date,
    last: dt.date,
    citizens: list[CitizenProfile],
    *,
    today: dt.date | None = None,
) -> int:
    """About thirty applications decided between ``first`` and ``last``; once."""
    officer = User.objects.filter(email=OFFICER_EMAIL).first()
    supervisor = User.objects.filter(email=SUPERVISOR_EMAIL).first()
    services = {s.code: s for s in Service.objects.filter(mission=mission, is_active=True)}
    start = _local((first - dt.timedelta(days=1)).replace(day=1), 0, 0, mission)
    done = Application.objects.filter(
        mission=mission,
        citizen__user__email__startswith=HISTORY_EMAILS,
        submitted_at__gte=start,
        submitted_at__lt=_local(last + dt.timedelta(days=1), 0, 0, mission),
    )
    if officer is None or supervisor is None or not citizens or done.exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    closed = closed_days(mission, first - dt.timedelta(days=90), last + dt.timedelta(days=400))
    working = [d for d in _dates(first, last) if is_working_day(d, closed)]
    now = timezone.now()
    today = today or clock.today(mission, now)
    people = rng.sample(citizens, min(len(citizens), sum(n for _c, n, _r, _l in APPLICATIONS)))
    made = 0
    for code, count, rejected, late in APPLICATIONS:
        service = services.get(code)
        if service is None:
            continue
        for index in range(count):
            citizen = people[made % len(people)]
            made += 1
            _application(
                rng,
                mission,
                service,
                citizen,
                decided_on=rng.choice(working),
                reject=index < rejected,
                late=rejected <= index < rejected + late,
                closed=closed,
                staff=(officer, supervisor),
                until=min(now, _local(today, 0, 0, mission)),
                receipt=f"{mission.reference_prefix}-RWY-{first:%y%m}-{made:03d}",
            )
    return made


def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _application(
    rng: random.Random,
    mission: Mission,
    service: Service,
    citizen: CitizenProfile,
    *,
    decided_on: dt.date,
    reject: bool,
    late: bool,
    closed: set[dt.date],
    staff: tuple[User, User],
    until: dt.datetime,
    receipt: str,
) -> Application:
    officer, supervisor = staff
    level = service.service_level_days
    back = level + rng.randint(1, 3) if late else rng.randint(level // 2, level)
    submitted_on = _working_days_back(decided_on, back, closed)
    submitted_at = _local(submitted_on, rng.randint(7, 8), rng.randint(0, 59), mission)
    decided_at = _local(decided_on, rng.randint(13, 15), rng.randint(0, 59), mission)
    fee = service.fees.order_by("order", "pk").first()
    given, _space, family = citizen.full_name.partition(" ")
    passport = service.category == Service.Category.PASSPORT
    application = Application.objects.create(
        mission=mission,
        citizen=citizen,
        service=service,
        state=State.DRAFT,
        fee=fee,
        surname=family if passport else "",
        given_names=given if passport else "",
        birth_date=citizen.date_of_birth if passport else None,
        birth_place=rng.choice(BIRTH_PLACES) if passport else "",
        sex=citizen.sex if passport else "",
        old_passport_number=citizen.passport_number if service.code == "paspor-ganti" else "",
        old_passport_expiry=(
            decided_on + dt.timedelta(days=rng.randint(20, 160))
            if service.code == "paspor-ganti"
            else None
        ),
        replacement_reason=(
            rng.choice(ReplacementReason.values) if service.code == "paspor-hilang-rusak" else ""
        ),
        submitted_at=submitted_at,
        due_date=due_date_for(submitted_on, level, lambda a, b: {d for d in closed if a <= d <= b}),
    )
    # The moves before the decision, on the working days from submission to decision.
    steps = [(Event.ACCEPT_DOCUMENTS, State.DOCUMENTS_ACCEPTED)]
    if not reject:
        if service.in_person:
            steps.append((Event.CAPTURE_BIOMETRICS, State.BIOMETRICS_CAPTURED))
        steps.append((Event.SEND_FOR_ISSUANCE, State.SENT_FOR_ISSUANCE))
    days = [
        d
        for d in _dates(submitted_on + dt.timedelta(days=1), decided_on)
        if is_working_day(d, closed)
    ] or [decided_on]
    on_days = sorted(rng.choice(days) for _ in steps)
    moves = [(Event.SUBMIT, State.SUBMITTED, citizen.user, CITIZEN, "", submitted_at)]
    for number, ((event, target), day) in enumerate(zip(steps, on_days, strict=True)):
        at = _local(day, 9, 0, mission) + dt.timedelta(minutes=25 * number + rng.randint(0, 20))
        moves.append((event, target, officer, OFFICER, "", at))
    if reject:
        note = rng.choice(REJECTIONS)
        moves.append((Event.REJECT, State.REJECTED, supervisor, SUPERVISOR, note, decided_at))
    else:
        issuer = (None, SYSTEM) if passport else (officer, OFFICER)
        moves.append((Event.ISSUE, State.ISSUED, *issuer, "", decided_at))
        mail = not passport and rng.random() < 0.25
        handed = decided_at + dt.timedelta(minutes=rng.randint(30, 90))
        if mail:
            moves.append((Event.MAIL, State.MAILED, officer, OFFICER, "", handed))
        else:
            moves.append(
                (Event.MAKE_READY, State.READY_FOR_COLLECTION, officer, OFFICER, "", handed)
            )
            collected_on = decided_on + dt.timedelta(days=rng.randint(1, 8))
            collected_at = _local(collected_on, rng.randint(9, 14), rng.randint(0, 59), mission)
            if collected_at < until:
                moves.append((Event.COLLECT, State.COLLECTED, officer, OFFICER, "", collected_at))
    source = State.DRAFT
    rows = []
    for event, target, by, actor, note, at in moves:
        rows.append(
            Transition(
                application=application,
                event=event,
                source=source,
                target=target,
                by=by,
                actor=actor,
                note=note,
                at=at,
            )
        )
        source = target
    Transition.objects.bulk_create(rows)
    if fee is not None and fee.amount > Decimal("0") and not reject:
        paid_at = next(r.at for r in rows if r.event == Event.SEND_FOR_ISSUANCE)
        payment = Payment.objects.create(
            application=application,
            mission=mission,
            method=rng.choice(Payment.Method.values),
            amount=fee.amount,
            currency=mission.currency,
            receipt_number=receipt,
            recorded_by=officer,
        )
        Payment.objects.filter(pk=payment.pk).update(recorded_at=paid_at - dt.timedelta(minutes=5))
    Application.objects.filter(pk=application.pk).update(
        state=source, created_at=submitted_at - dt.timedelta(days=1), updated_at=rows[-1].at
    )
    return application


# --------------------------------------------------------------------------- Pertiwi

# (e-mail, name, born, sex, address, city, postal code, phone, lat, lon, access needs)
ELDERLY = [
    ("pertiwi.riwayat01@example.org", "Suparmi Hadiwijoyo", dt.date(1947, 5, 2), "F",
     "35 Milner Avenue", "Scarborough", "M1S 3P6", "+1 416 555 0161", 43.7845, -79.2343, []),
    ("pertiwi.riwayat02@example.org", "Sutrisno Wirawan", dt.date(1951, 8, 19), "M",
     "120 Steeles Avenue West", "Brampton", "L6Y 4R2", "+1 905 555 0162", 43.6469, -79.7388,
     ["wheelchair"]),
    ("pertiwi.riwayat03@example.org", "Ngatini Purwanto", dt.date(1949, 1, 30), "F",
     "210 Lakeshore Road East", "Oakville", "L6J 1H8", "+1 905 555 0163", 43.4444, -79.6656,
     ["stairs"]),
    ("pertiwi.riwayat04@example.org", "Slamet Riyadi", dt.date(1953, 11, 11), "M",
     "25 Main Street North", "Markham", "L3P 1X3", "+1 905 555 0164", 43.8836, -79.2586, []),
    ("pertiwi.riwayat05@example.org", "Tuminah Sastro", dt.date(1946, 3, 8), "F",
     "90 Simcoe Street North", "Oshawa", "L1G 4S2", "+1 905 555 0165", 43.9005, -78.8637,
     ["carer"]),
    ("pertiwi.riwayat06@example.org", "Darmono Siswanto", dt.date(1950, 6, 24), "M",
     "300 King Street East", "Kitchener", "N2G 2L3", "+1 519 555 0166", 43.4472, -80.4839,
     ["interpreter"]),
    ("pertiwi.riwayat07@example.org", "Mariam Lubis", dt.date(1944, 12, 5), "F",
     "48 Collier Street", "Barrie", "L4M 1G8", "+1 705 555 0167", 44.3894, -79.6858,
     ["wheelchair", "carer"]),
    ("pertiwi.riwayat08@example.org", "Wagiman Prawiro", dt.date(1952, 2, 14), "M",
     "15 Church Street", "St. Catharines", "L2R 3B5", "+1 905 555 0168", 43.1594, -79.2469, []),
    ("pertiwi.riwayat09@example.org", "Rusmini Tambunan", dt.date(1948, 9, 17), "F",
     "210 Red River Road", "Thunder Bay", "P7B 1A6", "+1 807 555 0169", 48.4306, -89.2265, []),
    ("pertiwi.riwayat10@example.org", "Poniman Hartanto", dt.date(1955, 4, 3), "M",
     "55 Wyndham Street North", "Guelph", "N1H 4E6", "+1 519 555 0170", 43.5460, -80.2482, []),
]  # fmt: skip

# Per week: routes as (weekday, team index, [(person index, outcome)]), then the visits left
# out with the planner's code. Person 2 is rescheduled in the first week, served in the second.
WEEKS = [
    (
        [
            (1, 0, [(0, "served"), (3, "served"), (4, "not_home")]),
            (3, 1, [(1, "served"), (2, "rescheduled")]),
        ],
        [(8, routing.OUT_OF_REACH)],
    ),
    (
        [
            (1, 1, [(2, "served"), (5, "served")]),
            (3, 0, [(6, "served"), (7, "served")]),
        ],
        [(9, routing.NO_CAPACITY)],
    ),
]
OUTCOME_STATUS = {
    "served": VisitRequest.Status.SERVED,
    "not_home": VisitRequest.Status.NOT_HOME,
    "rescheduled": VisitRequest.Status.CHANGE_REQUESTED,
}
SHIFT = (dt.time(8, 0), dt.time(18, 0))


def _elderly(mission: Mission) -> list[CitizenProfile]:
    people = []
    for email, name, born, sex, address, city, postal, phone, _lat, _lon, _needs in ELDERLY:
        user = User.objects.filter(email=email).first() or history_citizen_make(
            mission=mission,
            email=email,
            language="id",
            profile={
                "full_name": name,
                "date_of_birth": born,
                "sex": sex,
                "nik": "",
                "passport_number": "",
                "phone": phone,
                "address_line": address,
                "city": city,
                "province": "ON",
                "postal_code": postal,
            },
        )
        people.append(user.citizen)
    return people


def load_pertiwi_history(mission: Mission, first: dt.date, last: dt.date) -> int:
    """Two published weeks of home visits in the month; once. Returns the visits planned."""
    mondays = [d for d in _dates(first, last) if d.weekday() == 0][1:3]
    published = TripPlan.objects.filter(
        mission=mission, status=TripPlan.Status.PUBLISHED, week_start__in=mondays
    )
    teams = list(Team.objects.filter(mission=mission, is_active=True).order_by("name"))
    kits = list(Kit.objects.filter(mission=mission, is_active=True).order_by("label"))
    supervisor = User.objects.filter(email=SUPERVISOR_EMAIL).first()
    depot = depot_for(mission)
    if len(teams) < 2 or len(kits) < 2 or supervisor is None or depot is None:
        return 0
    if len(mondays) < 2 or published.exists():
        return 0
    closed = closed_days(mission, first, last)
    travel = travel_for(mission)
    people = _elderly(mission)
    services = list(Service.objects.filter(mission=mission, code="paspor-ganti"))
    requests: dict[int, VisitRequest] = {}
    planned = 0
    for monday, (routes, left_out) in zip(mondays, WEEKS, strict=True):
        plan = TripPlan.objects.create(
            mission=mission,
            week_start=monday,
            status=TripPlan.Status.PUBLISHED,
            created_by=supervisor,
            published_by=supervisor,
            summary={"revision": 1},
        )
        friday_before = monday - dt.timedelta(days=3)
        travel_total = 0.0
        served = 0
        for weekday, team_index, stops in routes:
            day = monday + dt.timedelta(days=weekday)
            while not is_working_day(day, closed):
                day += dt.timedelta(days=1)
            team, kit = teams[team_index], kits[team_index]
            shift = Shift.objects.filter(team=team, date=day).first() or Shift.objects.create(
                mission=mission, team=team, kit=kit, date=day, start=SHIFT[0], end=SHIFT[1]
            )
            member = team.members.order_by("email").first()
            clock = 8 * 60 + 30.0  # leaves at 8:30
            depart = clock
            here = depot.point
            minutes = 0.0
            route = PlannedRoute.objects.create(
                plan=plan,
                shift=shift,
                depart=dt.time(8, 30),
                return_time=SHIFT[1],
                travel_minutes=0,
            )
            for order, (person, outcome) in enumerate(stops, start=1):
                request = requests.get(person) or _visit_request(
                    mission, people[person], ELDERLY[person], services, supervisor, monday
                )
                requests[person] = request
                VisitWindow.objects.get_or_create(
                    request=request, date=day, start=dt.time(9), end=dt.time(16)
                )
                there = routing.Point(ELDERLY[person][8], ELDERLY[person][9])
                leg = travel.minutes(here, there)
                minutes += leg
                start = max(clock + leg, 9 * 60.0)
                end = start + request.service_minutes
                begin_t, end_t = _clock(start), _clock(end)
                PlanItem.objects.create(
                    plan=plan,
                    request=request,
                    route=route,
                    order=order,
                    start=begin_t,
                    end=end_t,
                    outcome=outcome,
                    outcome_by=member,
                    outcome_at=_local(day, end_t.hour, end_t.minute, mission),
                    outcome_notes="Keluarga meminta datang minggu depan."
                    if outcome == "rescheduled"
                    else "",
                )
                frm, until = arrival_window(begin_t, (dt.time(9), dt.time(16)))
                request.status = OUTCOME_STATUS[outcome]
                request.scheduled_date = None if outcome == "rescheduled" else day
                request.arrival_from = None if outcome == "rescheduled" else frm
                request.arrival_until = None if outcome == "rescheduled" else until
                request.save(
                    update_fields=["status", "scheduled_date", "arrival_from", "arrival_until"]
                )
                served += outcome == "served"
                planned += 1
                clock, here = end, there
            back = travel.minutes(here, depot.point)
            minutes += back
            route.depart, route.return_time = _clock(depart), _clock(clock + back)
            route.travel_minutes = round(minutes, 1)
            route.save(update_fields=["depart", "return_time", "travel_minutes"])
            travel_total += minutes
        for person, code in left_out:
            request = _visit_request(
                mission, people[person], ELDERLY[person], services, supervisor, monday
            )
            VisitWindow.objects.create(
                request=request,
                date=monday + dt.timedelta(days=2),
                start=dt.time(10),
                end=dt.time(15),
            )
            if code == routing.OUT_OF_REACH:
                request.reach_code = code
                request.alternative = VisitRequest.Alternative.MAIL_IN
                request.save(update_fields=["reach_code", "alternative"])
            PlanItem.objects.create(plan=plan, request=request, unassigned_code=code)
            planned += 1
        plan.summary = {
            "revision": 1,
            "served": sum(len(stops) for _w, _t, stops in routes),
            "unserved": len(left_out),
            "shifts": len(routes),
            "shifts_used": len(routes),
            "travel_minutes": round(travel_total, 1),
        }
        plan.save(update_fields=["summary"])
        TripPlan.objects.filter(pk=plan.pk).update(
            created_at=_local(friday_before, 10, 0, mission),
            solved_at=_local(friday_before, 10, 1, mission),
            published_at=_local(friday_before, 15, 0, mission),
        )
    return planned


def _clock(minutes: float) -> dt.time:
    whole = min(int(round(minutes)), 24 * 60 - 1)
    return dt.time(whole // 60, whole % 60)


def _visit_request(
    mission: Mission,
    citizen: CitizenProfile,
    person: tuple,
    services: list[Service],
    supervisor: User,
    monday: dt.date,
) -> VisitRequest:
    """An approved elderly citizen asks for a visit the week before the plan."""
    asked = _local(monday - dt.timedelta(days=4), 11, 0, mission)  # the Thursday before
    approval = EligibilityRequest.objects.filter(
        citizen=citizen, status=EligibilityRequest.Status.APPROVED, valid_until__gte=monday
    ).first()
    if approval is None:
        approval = EligibilityRequest.objects.create(
            mission=mission,
            citizen=citizen,
            submitted_by=citizen.user,
            reason=EligibilityRequest.Reason.ELDERLY,
            status=EligibilityRequest.Status.APPROVED,
            decided_by=supervisor,
            decided_at=asked - dt.timedelta(days=5),
            decision_reason="Usia lanjut menurut tanggal lahir di profil.",
            valid_until=monday + dt.timedelta(days=365),
        )
        EligibilityRequest.objects.filter(pk=approval.pk).update(
            created_at=asked - dt.timedelta(days=8)
        )
    request = VisitRequest.objects.create(
        mission=mission,
        citizen=citizen,
        eligibility=approval,
        submitted_by=citizen.user,
        address_line=citizen.address_line,
        city=citizen.city,
        province=citizen.province,
        postal_code=citizen.postal_code,
        lat=person[8],
        lon=person[9],
        location_source=VisitRequest.LocationSource.FSA,
        access_needs=person[10],
        contact_name=citizen.full_name,
        contact_phone=citizen.phone,
    )
    request.services.set(services)
    VisitRequest.objects.filter(pk=request.pk).update(created_at=asked)
    request.refresh_from_db()
    return request
