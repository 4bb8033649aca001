"""Who is eligible for a Pertiwi home visit: plain rules on plain values, no database.

Age counts on the day of the visit (someone who turns 60 next month is eligible for a visit
after their birthday). Pregnancy counts inside a window around the expected due date. Disability
and "another reason" are judged by a supervisor on the evidence; ``assess`` says so rather than
guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ELDERLY, PREGNANCY, DISABILITY, OTHER = "elderly", "pregnancy", "disability", "other"


@dataclass(frozen=True)
class Policy:
    elderly_age: int = 60
    pregnancy_days_before_due: int = 180
    pregnancy_days_after_due: int = 60
    decision_valid_days: int = 365
    evidence_retention_days: int = 30


FIELDS = tuple(Policy.__dataclass_fields__)


@dataclass(frozen=True)
class Assessment:
    eligible: bool | None  # None: a supervisor decides on the evidence
    code: str


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def pregnancy_window(due_date: dt.date, policy: Policy) -> tuple[dt.date, dt.date]:
    return (
        due_date - dt.timedelta(days=policy.pregnancy_days_before_due),
        due_date + dt.timedelta(days=policy.pregnancy_days_after_due),
    )


def assess(
    *,
    reason: str,
    on: dt.date,
    policy: Policy,
    date_of_birth: dt.date | None = None,
    due_date: dt.date | None = None,
) -> Assessment:
    """Whether the reason holds on the day ``on`` (the visit's date, or today when asking)."""
    if reason == ELDERLY:
        if date_of_birth is None:
            return Assessment(False, "no_birth_date")
        old_enough = age_on(date_of_birth, on) >= policy.elderly_age
        return Assessment(old_enough, "age_ok" if old_enough else "too_young")
    if reason == PREGNANCY:
        if due_date is None:
            return Assessment(False, "no_due_date")
        first, last = pregnancy_window(due_date, policy)
        if on < first:
            return Assessment(False, "pregnancy_too_early")
        if on > last:
            return Assessment(False, "pregnancy_window_over")
        return Assessment(True, "pregnancy_ok")
    return Assessment(None, "needs_review")


def valid_until(
    *, reason: str, decided_on: dt.date, policy: Policy, due_date: dt.date | None = None
) -> dt.date:
    """An approval lasts ``decision_valid_days``; for a pregnancy no longer than its window."""
    until = decided_on + dt.timedelta(days=policy.decision_valid_days)
    if reason == PREGNANCY and due_date is not None:
        until = min(until, pregnancy_window(due_date, policy)[1])
    return until
