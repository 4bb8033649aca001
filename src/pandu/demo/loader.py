"""Demo data: two missions, their catalogues, staff of every role and a few citizens.

Loading is idempotent: each object is created only when missing, so a second run writes nothing
(not even audit events). The passwords below exist only in demo data and are listed in the README.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pandu.applications.demo import load_applications_demo
from pandu.applications.letters import received_letters_issue_missing
from pandu.applications.services import standard_rules
from pandu.appointments import calendar
from pandu.appointments.draw import session_release_set
from pandu.appointments.errors import BookingRefused, SlotFull
from pandu.appointments.models import Appointment, SaturdayRule, Session, Slot
from pandu.appointments.rules import rules_for
from pandu.appointments.selectors import closed_days
from pandu.appointments.services import (
    appointment_book,
    extra_session_create,
    saturday_rule_create,
    sessions_generate,
)
from pandu.audit.services import audit_batched
from pandu.catalog.models import Service
from pandu.catalog.seed import CATALOGUE
from pandu.catalog.services import service_create
from pandu.core import clock
from pandu.core.db import savepoints_kept, savepoints_skipped
from pandu.core.models import Mission
from pandu.core.services import mission_create
from pandu.feedback.demo import load_feedback_demo
from pandu.issuance.services import issuing_deferred
from pandu.notify.services import held as notify_held
from pandu.outreach.demo import load_pertiwi_demo
from pandu.people.models import CitizenProfile, User
from pandu.people.roles import DEFAULT_ROLES, ensure_default_roles
from pandu.people.services import citizen_register, staff_membership_add
from pandu.privacy.rules import retention_rules_seed
from pandu.queue.demo import load_queue_demo
from pandu.registry.demo import load_registry_demo
from pandu.registry.services import stay_letters_issue_missing
from pandu.reports.demo import load_reports_demo
from pandu.reports.demo_month import load_month_demo

DEMO_PASSWORD = "Pandu-demo-2026"

WEEKDAYS = [(d, dt.time(9, 0), dt.time(15, 0)) for d in range(5)]

MISSIONS = [
    {
        "slug": "toronto",
        "name_id": "Konsulat Jenderal Republik Indonesia di Toronto",
        "name_en": "Consulate General of the Republic of Indonesia in Toronto",
        "kind": Mission.Kind.CONSULATE_GENERAL,
        "reference_prefix": "TOR",
        "address": "129 Jarvis Street, Toronto, ON M5C 2H6, Canada",
        "city": "Toronto",
        "country": "CA",
        "holiday_subdivision": "ON",
        "time_zone": "America/Toronto",
        "jurisdiction": ["ON", "MB", "SK"],
        "currency": "CAD",
        "phone": "+1 416 591 6461",
        "emergency_phone": "+1 416 000 0000",
        "email": "konsuler@toronto.pandu.test",
        "website": "https://kemlu.go.id/toronto",
        "primary_colour": "#9b1b1b",
        "lat": 43.6527,  # 129 Jarvis Street, approximately
        "lon": -79.3722,
    },
    {
        "slug": "ottawa",
        "name_id": "Kedutaan Besar Republik Indonesia di Ottawa",
        "name_en": "Embassy of the Republic of Indonesia in Ottawa",
        "kind": Mission.Kind.EMBASSY,
        "reference_prefix": "OTT",
        "address": "55 Parkdale Avenue, Ottawa, ON K1Y 1E5, Canada",
        "city": "Ottawa",
        "country": "CA",
        "holiday_subdivision": "ON",
        "time_zone": "America/Toronto",
        "jurisdiction": ["QC", "NB", "NS", "PE", "NL", "NU"],
        "currency": "CAD",
        "phone": "+1 613 724 1100",
        "email": "konsuler@ottawa.pandu.test",
        "website": "https://kemlu.go.id/ottawa",
        "primary_colour": "#7a1a1a",
        "lat": 45.4036,  # 55 Parkdale Avenue, approximately
        "lon": -75.7334,
    },
]

STAFF = [
    ("admin@pandu.test", None, None),  # superuser
    ("officer@toronto.pandu.test", "toronto", "Officer"),
    ("supervisor@toronto.pandu.test", "toronto", "Supervisor"),
    ("head@toronto.pandu.test", "toronto", "Head of mission"),
    ("sysadmin@toronto.pandu.test", "toronto", "System administrator"),
    ("officer@ottawa.pandu.test", "ottawa", "Officer"),
    ("supervisor@ottawa.pandu.test", "ottawa", "Supervisor"),
]

CITIZENS = [
    (
        "soekarno@example.org",
        "id",
        {  # elderly, one name only
            "full_name": "Soekarno",
            "date_of_birth": dt.date(1951, 6, 6),
            "sex": "M",
            "nik": "3173010606510003",
            "passport_number": "",
            "phone": "+1 905 555 0101",
            "address_line": "22 Elm Drive",
            "city": "Mississauga",
            "province": "ON",
            "postal_code": "L5B 1L9",
        },
    ),
    (
        "siti.rahayu@example.org",
        "id",
        {  # pregnant
            "full_name": "Siti Rahayu",
            "date_of_birth": dt.date(1994, 3, 14),
            "sex": "F",
            "nik": "3273015403940002",
            "passport_number": "C1234567",
            "phone": "+1 416 555 0102",
            "address_line": "480 Queen Street West, Apt 12",
            "city": "Toronto",
            "province": "ON",
            "postal_code": "M5V 2B5",
        },
    ),
    (
        "budi.santoso@example.org",
        "en",
        {  # uses a wheelchair
            "full_name": "Budi Santoso",
            "date_of_birth": dt.date(1980, 11, 2),
            "sex": "M",
            "nik": "",
            "passport_number": "X7654321",
            "phone": "+1 204 555 0103",
            "address_line": "310 Broadway",
            "city": "Winnipeg",
            "province": "MB",
            "postal_code": "R3C 0S6",
        },
    ),
    (
        "dewi.lestari@example.org",
        "en",
        {  # a student in Montreal: served by the embassy in Ottawa
            "full_name": "Dewi Lestari",
            "date_of_birth": dt.date(2001, 8, 17),
            "sex": "F",
            "nik": "",
            "passport_number": "B2345678",
            "phone": "+1 514 555 0104",
            "address_line": "3450 McTavish Street",
            "city": "Montreal",
            "province": "QC",
            "postal_code": "H3A 0E5",
        },
    ),
]


def load_demo_data(*, with_calendar: bool = False, today: dt.date | None = None) -> dict[str, int]:
    """Create whatever demo object is missing; return how many of each kind were created.

    Notifications are held back (``notify.services.held``): the services that write the demo's
    bookings, visits and surveys mail nobody, not even the demo's own citizens and supervisors.

    ``with_calendar`` also plans the next two months of weekday and first-Saturday sessions from
    ``today`` and books a few appointments, and sets up Pertiwi teams, shifts and visit requests
    (the ``pandu demo`` command does; tests that only need people and the catalogue don't pay for
    thousands of slots).
    """
    # One writer, no error caught halfway (but where a booking may be refused, see
    # ``_demo_bookings``): no savepoint per nested service call, and one transaction for the
    # whole load (a failure leaves the database as it was; SQLite flushes to disk once, not at
    # each of some eight hundred service calls).
    # Letters are not signed during the load (``issuing_deferred``): ``pandu demo`` issues them
    # afterwards in the background (``demo_letters_issue``). The audit events of its two
    # thousand writes are chained as each is recorded and written a few hundred at a time
    # (``audit_batched``).
    with (
        notify_held(),
        issuing_deferred(),
        savepoints_skipped(),
        transaction.atomic(),
        audit_batched(),
    ):
        return _load(with_calendar=with_calendar, today=today)


def demo_letters_issue(*, batch: int = 10) -> int:
    """Issue the letters the demo's load deferred (received letters of submitted applications,
    lapor diri letters of active registrations), a batch at a time until none is missing or
    none could be issued (e.g. no signing key). Returns how many were issued."""
    total = 0
    while True:
        done = received_letters_issue_missing(batch=batch) + stay_letters_issue_missing(batch=batch)
        total += done
        if done == 0:
            return total


def _load(*, with_calendar: bool, today: dt.date | None) -> dict[str, int]:
    created = {"missions": 0, "services": 0, "staff": 0, "citizens": 0}
    ensure_default_roles()
    with transaction.atomic():
        for fields in MISSIONS:
            mission = Mission.objects.filter(slug=fields["slug"]).first()
            if mission is None:
                mission = mission_create(fields=fields, hours=WEEKDAYS)
                created["missions"] += 1
            elif mission.lat is None:
                Mission.objects.filter(pk=mission.pk).update(lat=fields["lat"], lon=fields["lon"])
            existing = set(mission.services.values_list("code", flat=True))
            for entry in CATALOGUE:
                if entry["fields"]["code"] in existing:
                    continue
                service_create(
                    mission=mission,
                    fields=entry["fields"],
                    requirements=entry["requirements"],
                    fees=entry["fees"],
                )
                created["services"] += 1
            # How applications treat the standard services (passport data asked, letters).
            standard_rules(mission)
            # How long each kind of personal data is kept (editable in the admin).
            retention_rules_seed(mission=mission)
        for email, mission_slug, role_name in STAFF:
            user = User.objects.filter(email=email).first()
            if user is None:
                if mission_slug is None:
                    user = User.objects.create_superuser(email, DEMO_PASSWORD)
                else:
                    user = User.objects.create_user(
                        email, DEMO_PASSWORD, email_verified_at=dt.datetime.now(dt.UTC)
                    )
                created["staff"] += 1
            if mission_slug and role_name in DEFAULT_ROLES:
                mission = Mission.objects.get(slug=mission_slug)
                role = Group.objects.get(name=role_name)
                if not user.memberships.filter(mission=mission, role=role).exists():
                    staff_membership_add(user=user, mission=mission, role=role)
        for email, language, profile in CITIZENS:
            if not User.objects.filter(email=email).exists():
                citizen_register(
                    email=email,
                    password=DEMO_PASSWORD,
                    profile=profile,
                    language=language,
                    verified_by="demo",
                )
                created["citizens"] += 1
    if with_calendar:
        toronto = Mission.objects.get(slug=MISSIONS[0]["slug"])
        today = today or clock.today(toronto)
        created.update(_load_calendar(today))
        created.update(load_pertiwi_demo(today=today, password=DEMO_PASSWORD))
        created.update(load_feedback_demo(today=today))
        created.update(load_applications_demo(today=today))
    created.update(load_queue_demo(password=DEMO_PASSWORD, with_calendar=with_calendar))
    if with_calendar:
        created.update(load_reports_demo(today=today))
        created.update(load_month_demo(today=today))
        created.update(load_registry_demo(today=today))
    return created


DEMO_BOOKINGS = [
    ("siti.rahayu@example.org", "paspor-ganti", "saturday"),
    ("budi.santoso@example.org", "legalisasi", "weekday"),
    ("soekarno@example.org", "paspor-ganti", "weekday"),
]


def _load_calendar(today: dt.date) -> dict[str, int]:
    counts = {"sessions": 0, "appointments": 0}
    with transaction.atomic():
        for mission in Mission.objects.filter(slug__in=[m["slug"] for m in MISSIONS]):
            if not SaturdayRule.objects.filter(mission=mission).exists():
                saturday_rule_create(
                    mission=mission,
                    weeks=[1],
                    opens=dt.time(9, 0),
                    closes=dt.time(13, 0),
                    counters=3,
                    # From the start of last year: the demo's past months have Saturdays too.
                    valid_from=dt.date(today.year - 1, 1, 1),
                    quotas={"paspor-ganti": 24, "paspor-baru": 12},
                )
            counts["sessions"] += sessions_generate(
                mission=mission, start=today, end=today + dt.timedelta(days=62)
            )
        now = timezone.now()
        counts["appointments"] = _demo_bookings(now)
        for mission in Mission.objects.filter(slug__in=[m["slug"] for m in MISSIONS]):
            _demo_release(mission, today)
    return counts


def _demo_bookings(now: dt.datetime) -> int:
    """Book ``DEMO_BOOKINGS`` through the booking service, each in the earliest slot it allows.

    Candidates are the slots past the service's lead time in sessions open for booking (no
    release or draw still ahead); a slot the service refuses for a rule of the mission (its quota,
    the booking horizon, priority seats) is passed over for the next one. When no Saturday session
    is in reach (the only one a holiday), the Saturday booking is not made.
    """
    made = 0
    for email, code, channel in DEMO_BOOKINGS:
        citizen = CitizenProfile.objects.select_related("mission").get(user__email=email)
        service = Service.objects.get(mission=citizen.mission, code=code)
        if Appointment.objects.filter(citizen=citizen, service=service).exists():
            continue
        slots = (
            Slot.objects.filter(
                service=service,
                starts_at__gte=now + dt.timedelta(hours=rules_for(service).lead_time_hours),
                booked=0,
                session__is_closed=False,
            )
            .filter(
                Q(session__releases_at__isnull=True)
                | Q(session__releases_at__lte=now, session__draw_done_at__isnull=False)
            )
            .order_by("starts_at")
        )
        slots = (
            slots.filter(session__kind="saturday")
            if channel == "saturday"
            else slots.exclude(session__kind="saturday")
        )
        for slot in slots[:40]:
            try:
                with savepoints_kept(), transaction.atomic():
                    appointment_book(citizen=citizen, slot=slot, service=service, now=now)
            except (BookingRefused, SlotFull):
                continue
            made += 1
            break
    return made


#: The demo's outreach day: an extra session away from the office, opened with a fair release.
OUTREACH_DAY = {
    "mission": "toronto",
    "location_name": "Millennium Library, Winnipeg",
    "address": "251 Donald Street, Winnipeg, MB R3B 3P5, Canada",
    "slots": [("paspor-ganti", 30), ("legalisasi", 15)],
}


def _demo_release(mission: Mission, today: dt.date) -> None:
    """An outreach day about four weeks ahead whose seats open in three days with a fair draw.

    Missions hold such extra sessions in other cities of their area; demand for them is high,
    which is what the release and its draw are for. The day is the first Saturday from four weeks
    ahead that is neither a holiday nor a Saturday session, so it lies within the booking horizon
    on the release day and never competes with the demo's Saturday booking.
    """
    if mission.slug != OUTREACH_DAY["mission"]:
        return
    if Session.objects.filter(mission=mission, releases_at__isnull=False).exists():
        return
    start = today + dt.timedelta(days=28)
    closed = closed_days(mission, start, start + dt.timedelta(days=28))
    taken = set(
        Session.objects.filter(mission=mission, date__gte=start).values_list("date", flat=True)
    )
    day = start + dt.timedelta(days=(5 - start.weekday()) % 7)
    while day in closed or day in taken:
        day += dt.timedelta(days=7)
    services = {s.code: s for s in mission.services.filter(is_active=True)}
    session = extra_session_create(
        mission=mission,
        day=day,
        opens=dt.time(10),
        closes=dt.time(15),
        counters=2,
        location_name=OUTREACH_DAY["location_name"],
        address=OUTREACH_DAY["address"],
        slots=[
            (services[code], seats) for code, seats in OUTREACH_DAY["slots"] if code in services
        ],
    )
    opens = calendar.local_to_utc(today + dt.timedelta(days=3), dt.time(9), mission.zone)
    session_release_set(session=session, releases_at=opens, by=None)
