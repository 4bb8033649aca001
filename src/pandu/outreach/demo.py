"""Pertiwi demo data for KJRI Toronto: teams of officers, kits, two weeks of weekday shifts, and
approved elderly citizens across Ontario with visit requests on the coming days (one far north,
out of reach of a day trip, one in Sudbury, reachable only with an overnight trip).

Idempotent like the rest of the demo: each object is created only when missing, through the
services, so the audit trail and the mails are what real use would produce.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pandu.catalog.models import Service
from pandu.core import clock
from pandu.core.models import Mission
from pandu.outreach import services, teams, visits
from pandu.outreach.models import EligibilityRequest, Kit, Shift, Team, VisitRequest
from pandu.people.models import CitizenProfile, User
from pandu.people.services import citizen_register, staff_membership_add

MISSION = "toronto"
SUPERVISOR = "supervisor@toronto.pandu.test"
OFFICERS = [
    "officer@toronto.pandu.test",
    "officer2@toronto.pandu.test",
    "officer3@toronto.pandu.test",
    "officer4@toronto.pandu.test",
]
TEAMS = [
    ("Tim Melati", OFFICERS[:2]),
    ("Tim Kenanga", OFFICERS[2:]),
]
KITS = [("Koper biometrik 1", "MBK-2026-001"), ("Koper biometrik 2", "MBK-2026-002")]
SHIFT_HOURS = (dt.time(8, 0), dt.time(18, 0))
SHIFT_DAYS = 14

ELDERLY = [
    (
        "sumarni@example.org",
        {
            "full_name": "Sumarni",
            "date_of_birth": dt.date(1948, 4, 21),
            "sex": "F",
            "nik": "",
            "passport_number": "",
            "phone": "+1 905 555 0111",
            "address_line": "41 Aberdeen Avenue",
            "city": "Hamilton",
            "province": "ON",
            "postal_code": "L8P 2N6",
        },
    ),
    (
        "hartono@example.org",
        {
            "full_name": "Hartono Wibisono",
            "date_of_birth": dt.date(1955, 9, 9),
            "sex": "M",
            "nik": "",
            "passport_number": "",
            "phone": "+1 705 555 0112",
            "address_line": "620 Water Street",
            "city": "Peterborough",
            "province": "ON",
            "postal_code": "K9H 3M3",
        },
    ),
    (
        "kartini.s@example.org",
        {
            "full_name": "Kartini Simanjuntak",
            "date_of_birth": dt.date(1952, 12, 1),
            "sex": "F",
            "nik": "",
            "passport_number": "",
            "phone": "+1 705 555 0113",
            "address_line": "88 Lasalle Boulevard",
            "city": "Sudbury",
            "province": "ON",
            "postal_code": "P3A 1W8",
        },
    ),
    (
        "yohanes@example.org",
        {
            "full_name": "Yohanes Manurung",
            "date_of_birth": dt.date(1950, 2, 17),
            "sex": "M",
            "nik": "",
            "passport_number": "",
            "phone": "+1 705 555 0114",
            "address_line": "12 Revillon Road",
            "city": "Moosonee",
            "province": "ON",
            "postal_code": "P0L 1Y0",
        },
    ),
]

# (citizen e-mail, service codes, days from today of the windows, window hours, access needs)
VISITS = [
    ("soekarno@example.org", ["paspor-ganti"], [2, 3], (9, 12), ["stairs"]),
    ("sumarni@example.org", ["paspor-ganti"], [2, 4], (10, 15), ["wheelchair", "carer"]),
    ("hartono@example.org", ["paspor-baru", "splp"], [3], (9, 17), []),
    ("kartini.s@example.org", ["paspor-ganti"], [5, 6], (10, 16), ["interpreter"]),
    ("yohanes@example.org", ["paspor-hilang-rusak"], [4], (9, 17), ["carer"]),
]


def _weekdays(start: dt.date, days: int) -> list[dt.date]:
    return [
        start + dt.timedelta(days=n)
        for n in range(days)
        if (start + dt.timedelta(days=n)).weekday() < 5
    ]


def _next_weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def load_pertiwi_demo(*, today: dt.date | None = None, password: str) -> dict[str, int]:
    """Create whatever Pertiwi demo object is missing; return how many of each were created."""
    created = {"pertiwi_staff": 0, "teams": 0, "kits": 0, "shifts": 0, "approvals": 0}
    created["visit_requests"] = 0
    mission = Mission.objects.filter(slug=MISSION).first()
    if mission is None:
        return created
    today = today or clock.today(mission)
    now = timezone.now()
    supervisor = User.objects.get(email=SUPERVISOR)
    if not supervisor.has_perm("outreach.add_shift", mission):
        # A demo database whose roles predate Pertiwi teams: an administrator sets them up.
        supervisor = User.objects.filter(is_superuser=True).order_by("pk").first() or supervisor
    officer_role = Group.objects.get(name="Officer")
    with transaction.atomic():
        for email in OFFICERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email, password, email_verified_at=dt.datetime.now(dt.UTC)
                )
                created["pertiwi_staff"] += 1
            if not user.memberships.filter(mission=mission, role=officer_role).exists():
                staff_membership_add(user=user, mission=mission, role=officer_role)
        for name, members in TEAMS:
            if not Team.objects.filter(mission=mission, name=name).exists():
                teams.team_create(
                    mission=mission,
                    name=name,
                    members=User.objects.filter(email__in=members),
                    by=supervisor,
                )
                created["teams"] += 1
        for label, serial in KITS:
            if not Kit.objects.filter(mission=mission, label=label).exists():
                teams.kit_create(mission=mission, label=label, serial_number=serial, by=supervisor)
                created["kits"] += 1
        pairs = list(
            zip(
                Team.objects.filter(mission=mission, name__in=[t[0] for t in TEAMS]),
                Kit.objects.filter(mission=mission, label__in=[k[0] for k in KITS]),
                strict=True,
            )
        )
        days = _weekdays(today, SHIFT_DAYS)
        # The days each team or kit is already on duty, read once for the whole stretch.
        on_duty = set()
        for date, team_id, kit_id in Shift.objects.filter(
            Q(team__in=[t for t, _k in pairs]) | Q(kit__in=[k for _t, k in pairs]), date__in=days
        ).values_list("date", "team_id", "kit_id"):
            on_duty |= {(date, "team", team_id), (date, "kit", kit_id)}
        for day in days:
            for team, kit in pairs:
                if {(day, "team", team.pk), (day, "kit", kit.pk)} & on_duty:
                    continue
                teams.shift_create(
                    team=team,
                    kit=kit,
                    date=day,
                    start=SHIFT_HOURS[0],
                    end=SHIFT_HOURS[1],
                    by=supervisor,
                    now=now,
                )
                on_duty |= {(day, "team", team.pk), (day, "kit", kit.pk)}
                created["shifts"] += 1

        for email, profile in ELDERLY:
            if not User.objects.filter(email=email).exists():
                citizen_register(
                    email=email,
                    password=password,
                    profile=profile,
                    language="id",
                    verified_by="demo",
                )
        for email, codes, offsets, (opens, closes), needs in VISITS:
            citizen = CitizenProfile.objects.select_related("mission", "user").get(
                user__email=email
            )
            if citizen.mission_id != mission.pk:
                continue
            if _approve(citizen, supervisor, now):
                created["approvals"] += 1
            if VisitRequest.objects.filter(citizen=citizen).exists():
                continue
            days = sorted({_next_weekday(today + dt.timedelta(days=n)) for n in offsets})
            visits.visit_request_submit(
                citizen=citizen,
                submitted_by=citizen.user,
                services=list(Service.objects.filter(mission=mission, code__in=codes)),
                windows=[(d, dt.time(opens, 0), dt.time(closes, 0)) for d in days],
                access_needs=needs,
                access_notes="",
                now=now,
            )
            created["visit_requests"] += 1
    return created


def _approve(citizen: CitizenProfile, supervisor, now) -> bool:
    """An elderly approval for the citizen unless one holds; True when one was made."""
    approved = EligibilityRequest.objects.filter(
        citizen=citizen,
        status=EligibilityRequest.Status.APPROVED,
        valid_until__gte=now.date(),
    )
    if approved.exists():
        return False
    request = EligibilityRequest.objects.filter(
        citizen=citizen, status=EligibilityRequest.Status.SUBMITTED
    ).first() or services.eligibility_request_submit(
        citizen=citizen,
        submitted_by=citizen.user,
        reason=EligibilityRequest.Reason.ELDERLY,
        consent=True,
        now=now,
    )
    services.eligibility_decide(
        request=request,
        by=supervisor,
        approve=True,
        reason_text="Usia lanjut menurut tanggal lahir di profil.",
        now=now,
    )
    return True
