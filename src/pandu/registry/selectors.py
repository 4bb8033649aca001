"""Reads of lapor diri: a citizen's active registration, what it prefills in other forms, and
the registrations a staff member's missions may see.

Other apps (appointments, applications, outreach, broadcast) read registrations only through
these functions; registry imports none of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from pandu.people.backends import missions_for
from pandu.people.models import CitizenProfile
from pandu.registry.models import StayRegistration

VIEW_PERMISSION = "registry.view_stayregistration"


def active_registration(citizen: CitizenProfile | None) -> StayRegistration | None:
    """The citizen's active registration, or None."""
    if citizen is None:
        return None
    return (
        StayRegistration.objects.select_related("mission")
        .filter(citizen=citizen, status=StayRegistration.Status.ACTIVE)
        .first()
    )


@dataclass(frozen=True)
class Prefill:
    """What a later form may start from: the registered address and contact details, with the
    registered citizen's name, birth date and sex (from their profile)."""

    full_name: str
    date_of_birth: dt.date
    sex: str
    address_line: str
    city: str
    province: str
    postal_code: str
    phone: str
    emergency_name: str
    emergency_phone: str
    language: str

    def address(self) -> dict[str, str]:
        return {
            "address_line": self.address_line,
            "city": self.city,
            "province": self.province,
            "postal_code": self.postal_code,
        }


def prefill_for(citizen: CitizenProfile | None) -> Prefill | None:
    """The active registration's data for prefilling a booking, an application or a Pertiwi
    request; None when the citizen has no active registration. The phone falls back to the
    profile's when the registration names none; the local emergency contact comes first (they
    can be reached quickly), else the contact in Indonesia."""
    registration = active_registration(citizen)
    if citizen is None or registration is None:  # (None for no citizen too)
        return None
    local = bool(registration.emergency_local_name)
    return Prefill(
        full_name=citizen.full_name,
        date_of_birth=citizen.date_of_birth,
        sex=citizen.sex,
        address_line=registration.address_line,
        city=registration.city,
        province=registration.province,
        postal_code=registration.postal_code,
        phone=registration.phone or citizen.phone,
        emergency_name=registration.emergency_local_name
        if local
        else registration.emergency_id_name,
        emergency_phone=(
            registration.emergency_local_phone if local else registration.emergency_id_phone
        ),
        language=registration.language,
    )


def citizen_registrations(citizen: CitizenProfile) -> QuerySet[StayRegistration]:
    """All of the citizen's registrations, newest first (moved and ended ones too)."""
    return (
        StayRegistration.objects.filter(citizen=citizen)
        .select_related("mission")
        .prefetch_related("members")
        .order_by("-created_at", "-pk")
    )


def staff_registrations(
    user, *, query: str = "", status: str = "", purpose: str = "", province: str = ""
) -> QuerySet[StayRegistration]:
    """The registrations of the missions where ``user`` may view them, filtered: ``query``
    matches the citizen's name, the city or the postal code."""
    missions = missions_for(user, VIEW_PERMISSION)
    rows = StayRegistration.objects.filter(mission__in=missions).select_related(
        "mission", "citizen"
    )
    if status in StayRegistration.Status.values:
        rows = rows.filter(status=status)
    if purpose in StayRegistration.Purpose.values:
        rows = rows.filter(purpose=purpose)
    if province:
        rows = rows.filter(province=province)
    words = query.split()
    for word in words[:5]:
        rows = rows.filter(
            Q(citizen__full_name__icontains=word)
            | Q(city__icontains=word)
            | Q(postal_code__icontains=word.replace(" ", ""))
        )
    return rows.order_by("citizen__full_name", "pk")


def registration_for_staff(user, public_id) -> StayRegistration | None:
    """One registration, if it belongs to a mission where ``user`` may view registrations."""
    missions = missions_for(user, VIEW_PERMISSION)
    return (
        StayRegistration.objects.filter(mission__in=missions, public_id=public_id)
        .select_related("mission", "citizen__user", "registered_by", "previous__mission")
        .prefetch_related("members")
        .first()
    )


def active_in(*, mission, provinces: list[str] | None = None) -> QuerySet[StayRegistration]:
    """Active registrations of a mission, optionally in some provinces (crisis messages)."""
    rows = StayRegistration.objects.filter(mission=mission, status=StayRegistration.Status.ACTIVE)
    if provinces:
        rows = rows.filter(province__in=provinces)
    return rows
