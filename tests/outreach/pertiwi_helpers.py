"""Shared steps for Pertiwi visit tests: approvals and valid visit requests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pandu.catalog.models import Service
from pandu.outreach import services, visits
from pandu.outreach.models import EligibilityRequest
from pandu.people.models import CitizenProfile, User

SUPERVISOR = "supervisor@toronto.pandu.test"


def citizen(email: str) -> CitizenProfile:
    return CitizenProfile.objects.select_related("mission", "user").get(user__email=email)


def approve(email: str, now: dt.datetime | None = None) -> EligibilityRequest:
    """An approved elderly eligibility for a demo citizen (aged 60 or more)."""
    now = now or timezone.now()
    profile = citizen(email)
    request = services.eligibility_request_submit(
        citizen=profile, submitted_by=profile.user, reason="elderly", consent=True, now=now
    )
    return services.eligibility_decide(
        request=request,
        by=User.objects.get(email=SUPERVISOR),
        approve=True,
        reason_text="Usia lanjut",
        now=now,
    )


def local_today(now: dt.datetime | None = None, mission_zone="America/Toronto") -> dt.date:
    import zoneinfo

    return timezone.localdate(now or timezone.now(), zoneinfo.ZoneInfo(mission_zone))


def submit(email: str, *, now: dt.datetime | None = None, **overrides):
    """A valid request with two windows on the coming days; ``overrides`` change any argument."""
    now = now or timezone.now()
    profile = citizen(email)
    today = local_today(now)
    arguments = {
        "citizen": profile,
        "submitted_by": profile.user,
        "services": list(Service.objects.filter(mission=profile.mission, code="paspor-ganti")),
        "windows": [
            (today + dt.timedelta(days=2), dt.time(9, 0), dt.time(12, 0)),
            (today + dt.timedelta(days=3), dt.time(13, 0), dt.time(17, 0)),
        ],
        "access_needs": ["stairs"],
        "access_notes": "Rumah di lantai dua, tanpa lift",
        "now": now,
    }
    arguments.update(overrides)
    return visits.visit_request_submit(**arguments)
