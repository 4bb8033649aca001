"""Reading Pertiwi eligibility."""

from __future__ import annotations

import datetime as dt

from django.db.models import Subquery

from pandu.outreach.eligibility import FIELDS, Policy
from pandu.outreach.models import EligibilityRequest, PertiwiPolicy
from pandu.outreach.reach import TravelPolicy


def policy_for(mission) -> Policy:
    row = PertiwiPolicy.objects.filter(mission=mission).first()
    if row is None:
        return Policy()
    return Policy(**{field: getattr(row, field) for field in FIELDS})


def approvals_valid_until(citizen) -> dt.date | None:
    """The last day any of the citizen's approvals is valid (None without one)."""
    return (
        EligibilityRequest.objects.filter(
            citizen=citizen, status=EligibilityRequest.Status.APPROVED, valid_until__isnull=False
        )
        .order_by("-valid_until")
        .values_list("valid_until", flat=True)
        .first()
    )


def approvals_valid_until_subquery(citizen_id: int) -> Subquery:
    """``approvals_valid_until`` as a subquery, for a query that reads more at once."""
    return Subquery(
        EligibilityRequest.objects.filter(
            citizen_id=citizen_id,
            status=EligibilityRequest.Status.APPROVED,
            valid_until__isnull=False,
        )
        .order_by("-valid_until")
        .values("valid_until")[:1]
    )


def approved_reasons(citizen, on: dt.date) -> set[str]:
    """The reasons of the citizen's approvals that are valid on ``on``."""
    return set(
        EligibilityRequest.objects.filter(
            citizen=citizen,
            status=EligibilityRequest.Status.APPROVED,
            valid_until__gte=on,
        ).values_list("reason", flat=True)
    )


def travel_policy_for(mission) -> TravelPolicy:
    """The mission's travel assumptions for reach checks and planning (defaults when unset)."""
    row = PertiwiPolicy.objects.filter(mission=mission).first()
    if row is None:
        return TravelPolicy()
    return TravelPolicy(
        speed_kmh=row.pertiwi_speed_kmh,
        detour_factor=row.pertiwi_detour_factor,
        max_day_trip_minutes=row.max_day_trip_minutes,
    )


def latest_approval(citizen, on: dt.date) -> EligibilityRequest | None:
    """The citizen's approval valid on ``on`` that lasts longest, or None."""
    return (
        EligibilityRequest.objects.filter(
            citizen=citizen, status=EligibilityRequest.Status.APPROVED, valid_until__gte=on
        )
        .order_by("-valid_until")
        .first()
    )
