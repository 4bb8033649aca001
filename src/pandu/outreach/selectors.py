"""Reading Pertiwi eligibility."""

from __future__ import annotations

import datetime as dt

from pandu.outreach.eligibility import FIELDS, Policy
from pandu.outreach.models import EligibilityRequest, PertiwiPolicy


def policy_for(mission) -> Policy:
    row = PertiwiPolicy.objects.filter(mission=mission).first()
    if row is None:
        return Policy()
    return Policy(**{field: getattr(row, field) for field in FIELDS})


def approved_reasons(citizen, on: dt.date) -> set[str]:
    """The reasons of the citizen's approvals that are valid on ``on``."""
    return set(
        EligibilityRequest.objects.filter(
            citizen=citizen,
            status=EligibilityRequest.Status.APPROVED,
            valid_until__gte=on,
        ).values_list("reason", flat=True)
    )
