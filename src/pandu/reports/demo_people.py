"""The people of the demo month's history: citizens of KJRI Toronto who booked, applied or were
visited last month, and nothing else.

They are made directly (a user with an unusable password and a profile checked by
``people.services.citizen_profile_check``), not through ``citizen_register``: nobody signs in as
them, so they need no password, and registering them would write an audit event each. Their
addresses are ``warga.riwayat<NNN>@example.org`` (a reserved domain) and nothing is ever mailed to
them: the history loaders queue no message. Seeded, so the same names come back on every machine.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from pandu.core.models import Mission
from pandu.people.models import CitizenProfile, User
from pandu.people.services import citizen_profile_check

SEED = 1945
EMAIL = "warga.riwayat{:03d}@example.org"
COUNT = 240

GIVEN = {
    "F": [
        "Ayu", "Dewi", "Sri", "Ratna", "Putri", "Rina", "Wulan", "Indah", "Fitri", "Nur",
        "Lestari", "Anisa", "Maya", "Yuni", "Kartika", "Intan", "Sekar", "Ningsih", "Ratih",
        "Melati", "Citra", "Dian", "Nadia", "Ika",
    ],
    "M": [
        "Agus", "Budi", "Joko", "Eko", "Hendra", "Rizky", "Dedi", "Wahyu", "Arief", "Bayu",
        "Fajar", "Gilang", "Hadi", "Iwan", "Rudi", "Yusuf", "Andi", "Teguh", "Bambang",
        "Dimas", "Ilham", "Reza", "Taufik", "Made",
    ],
}  # fmt: skip
FAMILY = [
    "Saputra", "Wijaya", "Hidayat", "Kusuma", "Pratama", "Siregar", "Nasution", "Simanjuntak",
    "Harahap", "Hutapea", "Sitompul", "Purba", "Setiawan", "Gunawan", "Santoso", "Wibowo",
    "Susanto", "Nugroho", "Rahman", "Lubis", "Tanjung", "Halim", "Suryadi", "Kurniawan",
    "Permana", "Situmorang", "Manurung", "Ginting", "Tarigan", "Effendi",
]  # fmt: skip
# City, province, postal code, phone prefix: where Indonesians in the jurisdiction live.
PLACES = [
    ("Toronto", "ON", "M5V 2T6", "+1 416 555"),
    ("Toronto", "ON", "M4Y 1R5", "+1 647 555"),
    ("Toronto", "ON", "M6P 2A1", "+1 416 555"),
    ("Scarborough", "ON", "M1P 4P5", "+1 416 555"),
    ("North York", "ON", "M2N 6K1", "+1 647 555"),
    ("Mississauga", "ON", "L5B 3C2", "+1 905 555"),
    ("Brampton", "ON", "L6T 4E2", "+1 905 555"),
    ("Markham", "ON", "L3R 5G2", "+1 905 555"),
    ("Hamilton", "ON", "L8P 4R5", "+1 905 555"),
    ("Waterloo", "ON", "N2L 3G1", "+1 519 555"),
    ("London", "ON", "N6A 3K7", "+1 519 555"),
    ("Kitchener", "ON", "N2G 4G7", "+1 519 555"),
    ("Winnipeg", "MB", "R3C 4T3", "+1 204 555"),
    ("Saskatoon", "SK", "S7K 1J5", "+1 306 555"),
    ("Regina", "SK", "S4P 3Y2", "+1 306 555"),
]
STREETS = [
    "King Street West", "Queen Street East", "Bloor Street West", "Yonge Street",
    "Dundas Street", "College Street", "Main Street", "Lakeshore Road", "Bay Street",
    "Portage Avenue", "Albert Street", "Elm Drive",
]  # fmt: skip


def _profile(rng: random.Random, number: int, taken: set[str]) -> dict:
    sex = rng.choice("FM")
    city, province, postal, phone = rng.choice(PLACES)
    passport = ""
    while not passport or passport in taken:
        passport = f"{rng.choice('ABCEX')}{rng.randint(1_000_000, 9_999_999)}"
    taken.add(passport)
    return {
        "full_name": f"{rng.choice(GIVEN[sex])} {rng.choice(FAMILY)}",
        "date_of_birth": dt.date(rng.randint(1958, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        "sex": sex,
        "nik": "",
        "passport_number": passport,
        "phone": f"{phone} {number % 10000:04d}",
        "address_line": f"{rng.randint(10, 990)} {rng.choice(STREETS)}",
        "city": city,
        "province": province,
        "postal_code": postal,
    }


def history_citizen_make(*, mission: Mission, email: str, profile: dict, language: str) -> User:
    """One history citizen: a verified address, no usable password, a checked profile."""
    user, citizen = _unsaved(mission=mission, email=email, profile=profile, language=language)
    user.save()
    citizen.user = user
    citizen.save()
    return user


def _unsaved(
    *, mission: Mission, email: str, profile: dict, language: str
) -> tuple[User, CitizenProfile]:
    """The user and profile ``history_citizen_make`` saves (``User.objects.create_user``'s
    user: the address normalised, no usable password)."""
    clean, errors = citizen_profile_check(profile)
    if errors:  # a mistake in this module's data, not a user's: fail loudly
        raise ValueError(f"{email}: {errors}")
    user = User(
        email=User.objects.normalize_email(email).lower(),
        preferred_language=language,
        email_verified_at=timezone.now(),
    )
    user.set_password(None)
    return user, CitizenProfile(user=user, mission=mission, **clean)


def history_citizens(mission: Mission) -> tuple[list[CitizenProfile], int]:
    """The ``COUNT`` history citizens of ``mission`` (made when missing) and how many were made."""
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    emails = [EMAIL.format(n) for n in range(1, COUNT + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    taken = set(CitizenProfile.objects.values_list("passport_number", flat=True))
    users, profiles = [], []
    for number, email in enumerate(emails, start=1):
        profile = _profile(rng, number, taken)  # drawn for every one, so the seed stays in step
        language = "id" if rng.random() < 0.7 else "en"
        if email in existing:
            continue
        user, citizen = _unsaved(mission=mission, email=email, profile=profile, language=language)
        users.append(user)
        profiles.append(citizen)
    # As ``history_citizen_make`` makes each, in two INSERTs for them all.
    User.objects.bulk_create(users, batch_size=500)
    for citizen, user in zip(profiles, users, strict=True):
        citizen.user = user
    CitizenProfile.objects.bulk_create(profiles, batch_size=500)
    made = len(users)
    citizens = list(
        CitizenProfile.objects.filter(user__email__in=emails, mission=mission)
        .select_related("user")
        .order_by("user__email")
    )
    return citizens, made
