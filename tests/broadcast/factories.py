"""Registered citizens made fast (bulk ORM rows), for tests, the restart test and the benchmark.

Lapor diri has its own services (another part of Pandu); here only the rows a broadcast reads
are needed: a user, a citizen profile, optionally an SMS preference with consent, and an active
stay registration at a point.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from pandu.notify.models import ContactPreference
from pandu.people.models import CitizenProfile, User
from pandu.registry.models import StayRegistration


def make_citizens(
    mission,
    n: int = 1,
    *,
    lat: float | None = 43.6532,
    lon: float | None = -79.3832,
    province: str = "ON",
    city: str = "Toronto",
    purpose: str = StayRegistration.Purpose.WORK,
    born: dt.date = dt.date(1990, 1, 1),
    language: str = "id",
    sms: bool = False,
    status: str = StayRegistration.Status.ACTIVE,
    batch: int = 2000,
) -> list[StayRegistration]:
    """``n`` citizens of ``mission`` with a stay registration at (``lat``, ``lon``); with ``sms``
    each chose SMS and consented, so messages go through the (fake) Twilio."""
    tag = uuid.uuid4().hex[:8]
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(email=f"wni-{tag}-{i}@example.org", password="!", preferred_language=language)
            for i in range(n)
        ],
        batch_size=batch,
    )
    users = list(User.objects.filter(email__startswith=f"wni-{tag}-").order_by("pk"))
    CitizenProfile.objects.bulk_create(
        [
            CitizenProfile(
                user=user,
                mission=mission,
                full_name=f"Warga {tag} {i}",
                date_of_birth=born,
                sex="F" if i % 2 else "M",
                phone="+1 416 555 0100",
                address_line=f"{i} Queen Street",
                city=city,
                province=province if len(province) == 2 else "ON",
                postal_code="M5V 2B5",
            )
            for i, user in enumerate(users)
        ],
        batch_size=batch,
    )
    profiles = list(CitizenProfile.objects.filter(user__in=users).order_by("user_id"))
    if sms:
        ContactPreference.objects.bulk_create(
            [
                ContactPreference(
                    user_id=profile.user_id,
                    channel="sms",
                    phone=f"+1416{7000000 + profile.pk:07d}"[:12],
                    sms_consent_at=now,
                    sms_consent_source="page",
                )
                for profile in profiles
            ],
            batch_size=batch,
        )
    StayRegistration.objects.bulk_create(
        [
            StayRegistration(
                mission=mission,
                citizen=profile,
                status=status,
                address_line=profile.address_line,
                city=city,
                province=province,
                postal_code="M5V 2B5",
                lat=lat,
                lon=lon,
                location_source="test",
                purpose=purpose,
                emergency_id_name="Ibu",
                emergency_id_phone="+62 21 555 0100",
                language=language,
            )
            for profile in profiles
        ],
        batch_size=batch,
    )
    return list(
        StayRegistration.objects.filter(citizen__in=profiles)
        .select_related("citizen__user")
        .order_by("pk")
    )
