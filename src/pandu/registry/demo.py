"""The demo's lapor diri: registrations of KJRI Toronto's citizens across Ontario and Manitoba.

Written through ``stay_register`` and ``stay_renew`` (notifications are held back by the demo
loader), with confirmation times spread over the past months, so the staff list, its search and
the crisis-message areas have something to show. The citizens are the demo month's history
citizens (made in bulk by ``reports.demo_people``, found here by their reserved addresses), plus
two of the demo's own accounts: Budi Santoso (Winnipeg) and Soekarno (aged 60+, Mississauga).
Siti Rahayu stays unregistered so a visitor can try the form.

Every confirmation lies within the last 320 days, so no yearly reminder falls due right after
loading (the history citizens' reserved addresses are never mailed). Seeded: the same data on
every machine.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from pandu.core import clock
from pandu.core.models import Mission
from pandu.people.models import CitizenProfile
from pandu.registry.models import StayRegistration
from pandu.registry.services import stay_register, stay_renew

SEED = 1928
COUNT = 64
HISTORY_EMAIL_PREFIX = "warga.riwayat"

# City, province, real postal codes (their FSA places the point), phone prefix.
PLACES = [
    ("Toronto", "ON", ["M5V 2T6", "M4Y 1R5", "M6P 2A1", "M5S 1A1"], "+1 416 555"),
    ("Ottawa", "ON", ["K1N 5T5", "K1S 5B6", "K2P 1L4"], "+1 613 555"),
    ("Hamilton", "ON", ["L8P 4R5", "L8S 4L8"], "+1 905 555"),
    ("London", "ON", ["N6A 3K7", "N6G 2V4"], "+1 519 555"),
    ("Waterloo", "ON", ["N2L 3G1", "N2J 4A8"], "+1 519 555"),
    ("Kingston", "ON", ["K7L 3N6"], "+1 613 555"),
    ("Thunder Bay", "ON", ["P7B 5E1", "P7A 4K9"], "+1 807 555"),
    ("Mississauga", "ON", ["L5B 3C2"], "+1 905 555"),
    ("Winnipeg", "MB", ["R3C 4T3", "R3T 2N2", "R3B 1B9"], "+1 204 555"),
    ("Brandon", "MB", ["R7A 6A9", "R7B 1A1"], "+1 204 555"),
]
STREETS = [
    "King Street", "Queen Street", "Main Street", "University Avenue", "Portage Avenue",
    "Princess Street", "Rosser Avenue", "Bank Street", "Richmond Street", "Red River Road",
]  # fmt: skip
# Purposes, weighted: many students and workers, some families.
PURPOSES = ["study"] * 4 + ["work"] * 4 + ["family"] * 2 + ["other"]
CONTACTS = ["Sri Wahyuni", "Bambang Susilo", "Dewi Kartika", "Hadi Purnomo", "Ratna Sari"]
CHILDREN = ["Bima", "Sekar", "Aditya", "Putri", "Raka", "Nadia"]

OWN = [
    (
        "budi.santoso@example.org",
        {
            "address_line": "310 Broadway",
            "city": "Winnipeg",
            "province": "MB",
            "postal_code": "R3C 0S6",
            "purpose": "work",
            "language": "en",
        },
        [{"full_name": "Ani Santoso", "relation": "spouse"}],
        40,
    ),
    (
        "soekarno@example.org",
        {
            "address_line": "22 Elm Drive",
            "city": "Mississauga",
            "province": "ON",
            "postal_code": "L5B 1L9",
            "purpose": "family",
            "language": "id",
        },
        [],
        200,
    ),
]


def _fields(rng: random.Random, citizen: CitizenProfile, today: dt.date, days_ago: int) -> dict:
    city, province, codes, phone = rng.choice(PLACES)
    purpose = rng.choice(PURPOSES)
    arrived = today - dt.timedelta(days=days_ago + rng.randint(10, 900))
    stays = purpose in {"study", "work"}
    until = today + dt.timedelta(days=rng.randint(120, 1400)) if stays else None
    return {
        "address_line": f"{rng.randint(10, 990)} {rng.choice(STREETS)}",
        "city": city,
        "province": province,
        "postal_code": rng.choice(codes),
        "phone": f"{phone} {rng.randint(1000, 9999)}",
        "purpose": purpose,
        "arrived_on": arrived,
        "expected_until": until,
        "emergency_id_name": rng.choice(CONTACTS),
        "emergency_id_phone": f"+62 81{rng.randint(1, 9)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
        "emergency_id_relation": rng.choice(["Ibu", "Ayah", "Kakak", "Adik"]),
        "emergency_local_name": rng.choice(["", "Rina Halim", "Yusuf Effendi"]),
        "emergency_local_phone": f"{phone} {rng.randint(1000, 9999)}",
        "emergency_local_relation": "Teman",
        "language": citizen.user.preferred_language,
    }


def _members(rng: random.Random, citizen: CitizenProfile, purpose: str, today: dt.date) -> list:
    if purpose != "family" and rng.random() < 0.7:
        return []
    family = citizen.full_name.split()[-1]
    members = [{"full_name": f"{rng.choice(CHILDREN)} {family}", "relation": "spouse"}]
    for _index in range(rng.randint(0, 2)):
        born = today - dt.timedelta(days=rng.randint(365, 17 * 365))
        members.append(
            {
                "full_name": f"{rng.choice(CHILDREN)} {family}",
                "relation": "child",
                "date_of_birth": born,
            }
        )
    return members


def load_registry_demo(*, today: dt.date | None = None) -> dict[str, int]:
    """Register the demo's stays when missing; return how many were made."""
    toronto = Mission.objects.filter(slug="toronto").first()
    if toronto is None:
        return {"stay_registrations": 0}
    now = clock.now()
    today = today or clock.today(toronto)
    already = set(StayRegistration.objects.values_list("citizen_id", flat=True))
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    made = 0
    with transaction.atomic():
        for email, fields, members, days_ago in OWN:
            citizen = (
                CitizenProfile.objects.select_related("user").filter(user__email=email).first()
            )
            if citizen is None:
                continue
            base = _fields(rng, citizen, today, days_ago)  # drawn first: the seed stays in step
            if citizen.pk in already:
                continue
            stay_register(
                citizen=citizen,
                by=citizen.user,
                fields={**base, **fields},
                members=members,
                now=now - dt.timedelta(days=days_ago),
            )
            made += 1
        history = list(
            CitizenProfile.objects.select_related("user")
            .filter(user__email__startswith=HISTORY_EMAIL_PREFIX, mission=toronto)
            .order_by("user__email")[:COUNT]
        )
        for citizen in history:
            # Drawn for every citizen, so the seed stays in step when some already exist.
            days_ago = rng.randint(1, 320)
            fields = _fields(rng, citizen, today, days_ago)
            members = _members(rng, citizen, fields["purpose"], today)
            renew_after = rng.randint(1, days_ago) if rng.random() < 0.2 else None
            if citizen.pk in already:
                continue
            registration = stay_register(
                citizen=citizen,
                by=citizen.user,
                fields=fields,
                members=members,
                now=now - dt.timedelta(days=days_ago),
            )
            if renew_after is not None:
                stay_renew(
                    registration=registration,
                    by=citizen.user,
                    now=now - dt.timedelta(days=days_ago - renew_after),
                )
            made += 1
    return {"stay_registrations": made}
