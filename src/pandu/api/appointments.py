"""Slots and appointments in the API (a stable contract: tools outside Pandu use these paths).

Appointments are addressed by their reference. Anyone but the owner and the staff of the
appointment's mission gets 404, as if it did not exist, so references cannot be probed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict, Field

from pandu.api.auth import AUTH, OPTIONAL_AUTH
from pandu.api.schemas import Error, ValidationError
from pandu.appointments import draw, selectors, services, waitlist
from pandu.appointments.models import Appointment, Channel, DrawEntry, Slot, WaitlistEntry
from pandu.appointments.rules import rules_for_code
from pandu.catalog.models import Service
from pandu.core import ratelimit
from pandu.core.errors import NotFound, PanduError
from pandu.core.models import Mission

router = Router(tags=["appointments"])

CONFLICTS = {401: Error, 403: Error, 404: Error, 409: Error, 422: ValidationError}
# Booking writes count against the person's limit (PANDU_RATE_BOOKING): 429 `rate_limited`.
LIMITED = {429: Error}


class SlotOut(Schema):
    id: uuid.UUID
    start: dt.datetime = Field(description="Start, with the mission's UTC offset.")
    end: dt.datetime
    channel: Literal["weekday", "saturday"]
    seats_left: int


class SlotDetailOut(SlotOut):
    service: str
    capacity: int
    booked: int


class AppointmentOut(Schema):
    reference: str
    service: str
    status: str
    slot: SlotOut


class DrawOut(Schema):
    status: Literal["draw"] = "draw"
    draw_at: dt.datetime = Field(
        description="When the draw is held; the result is sent by e-mail then."
    )
    slot: uuid.UUID = Field(description="The slot asked for (the draw may give the nearest one).")


class BookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slot: uuid.UUID
    # A catalogue code is a slug; anything else (a NUL byte, which PostgreSQL refuses) is a 422.
    service: str = Field(min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")


class RescheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slot: uuid.UUID


class SlotQuery(Schema):
    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    channel: Literal["weekday", "saturday"] | None = None
    mission: str | None = Field(
        None, description="Mission slug; default: the citizen's, else the site's."
    )


def _citizen(request):
    user = getattr(request, "user", None)
    return getattr(user, "citizen", None) if user is not None and user.is_authenticated else None


def _slot_out(slot: Slot, *, seats_left: int | None = None) -> dict:
    zone = slot.session.mission.zone
    return {
        "id": slot.public_id,
        "start": slot.starts_at.astimezone(zone),
        "end": slot.ends_at.astimezone(zone),
        "channel": slot.session.channel,
        "seats_left": slot.capacity - slot.booked if seats_left is None else seats_left,
    }


def _appointment_out(appointment: Appointment) -> dict:
    return {
        "reference": appointment.reference,
        "service": appointment.service.code,
        "status": appointment.status,
        "slot": _slot_out(appointment.slot),
    }


@router.get(
    "/services/{code}/slots",
    response={200: list[SlotOut], 404: Error, 422: ValidationError},
    auth=OPTIONAL_AUTH,
    summary="Free slots of a service",
)
def slots(request, code: str, filters: Query[SlotQuery]):
    citizen = _citizen(request)
    slug = filters.mission or (citizen.mission.slug if citizen else settings.DEFAULT_MISSION)
    mission = Mission.objects.filter(slug=slug, is_active=True).first()
    service = (
        Service.objects.filter(mission=mission, code=code, is_active=True).first()
        if mission
        else None
    )
    if service is None:
        raise Http404
    today = dt.datetime.now(mission.zone).date()
    start = filters.from_ or today
    end = filters.to or start + dt.timedelta(days=31)
    if end < start or (end - start).days > 92:
        raise PanduError(
            _("Rentang tanggal paling panjang 92 hari dan tidak boleh terbalik."), code="bad_range"
        )
    result = []
    for slot, seats in selectors.free_slots_for(
        service=service, start=start, end=end, channel=filters.channel, citizen=citizen
    ):
        result.append(_slot_out(slot, seats_left=seats))
    return result


def _own_or_staff(request, reference: str) -> Appointment:
    appointment = (
        Appointment.objects.select_related("slot__session__mission", "service", "citizen__user")
        .filter(reference=reference.upper())
        .first()
    )
    user = request.user
    if appointment is None or not (
        appointment.citizen.user_id == user.pk
        or user.has_perm("appointments.view_appointment", appointment)
    ):
        raise NotFound(_("Janji temu tidak ditemukan."))
    return appointment


@router.post(
    "/appointments",
    response={201: AppointmentOut, 202: DrawOut, 400: Error, **CONFLICTS, **LIMITED},
    auth=AUTH,
    summary="Book",
    description=(
        "201 with the appointment; 202 when the slot's session is in its draw window "
        "(the request joins the draw, result by e-mail at `draw_at`); 409 `slot_full` or "
        "`already_booked`; 422 when a booking rule refuses (e.g. `not_released`)."
    ),
)
def book(request, payload: BookIn):
    ratelimit.check(request, group="booking")
    citizen = _citizen(request)
    if citizen is None:
        raise NotFound(_("Akun ini tidak memiliki profil WNI."))
    # One read finds the slot of the citizen's mission for that service and everything the
    # booking rules look at; the rules themselves are kept by each process (rules_for_code).
    now = timezone.now()
    facts = services.booking_facts(
        citizen_id=citizen.pk,
        rules=rules_for_code(mission_id=citizen.mission_id, code=payload.service),
        now=now,
        channel=Channel.ONLINE,
        public_id=payload.slot,
        code=payload.service,
        mission_id=citizen.mission_id,
    )
    if facts is None:
        raise NotFound(_("Slot atau layanan tidak ditemukan."))
    slot = facts.slot
    appointment = draw.appointment_request(
        citizen=citizen, slot=slot, service=slot.service, now=now, facts=facts
    )
    if isinstance(appointment, DrawEntry):
        return Status(
            202,
            {
                "status": "draw",
                "draw_at": draw.draw_closes_at(appointment.session).astimezone(
                    slot.session.mission.zone
                ),
                "slot": slot.public_id,
            },
        )
    return Status(201, _appointment_out(appointment))


@router.get(
    "/appointments/{reference}",
    response={200: AppointmentOut, 401: Error, 404: Error},
    auth=AUTH,
    summary="One appointment",
)
def appointment(request, reference: str):
    return _appointment_out(_own_or_staff(request, reference))


@router.post(
    "/appointments/{reference}/cancel",
    response={200: AppointmentOut, **CONFLICTS, **LIMITED},
    auth=AUTH,
    summary="Cancel",
)
def cancel(request, reference: str):
    ratelimit.check(request, group="booking")
    found = _own_or_staff(request, reference)
    services.appointment_cancel(appointment=found, by=request.user)
    found.refresh_from_db()
    return _appointment_out(found)


@router.post(
    "/appointments/{reference}/reschedule",
    response={200: AppointmentOut, 400: Error, **CONFLICTS, **LIMITED},
    auth=AUTH,
    summary="Move to another slot",
)
def reschedule(request, reference: str, payload: RescheduleIn):
    ratelimit.check(request, group="booking")
    found = _own_or_staff(request, reference)
    to_slot = Slot.objects.filter(public_id=payload.slot, service=found.service).first()
    if to_slot is None:
        raise NotFound(_("Slot tidak ditemukan."))
    services.appointment_reschedule(appointment=found, to_slot=to_slot, by=request.user)
    return _appointment_out(
        Appointment.objects.select_related("slot__session__mission", "service").get(pk=found.pk)
    )


@router.get(
    "/slots/{slot_id}",
    response={200: SlotDetailOut, 401: Error, 404: Error, 422: ValidationError},
    auth=AUTH,
    summary="A slot's seats (staff)",
)
def slot_detail(request, slot_id: uuid.UUID):
    slot = (
        Slot.objects.select_related("session__mission", "service").filter(public_id=slot_id).first()
    )
    if slot is None or not request.user.has_perm("appointments.view_slot", slot):
        raise NotFound(_("Slot tidak ditemukan."))
    return {
        **_slot_out(slot),
        "service": slot.service.code,
        "capacity": slot.capacity,
        "booked": slot.booked,
    }


# Waitlist -------------------------------------------------------------------------------------


class WaitlistIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: Literal["weekday", "saturday"] | None = Field(
        None, description="The days that suit the citizen; none for any day."
    )


class OfferOut(Schema):
    slot: SlotOut
    hold_until: dt.datetime = Field(description="The seat is held until then; accept before.")


class WaitlistOut(Schema):
    service: str
    channel: Literal["weekday", "saturday"] | None
    status: Literal["waiting", "offered"]
    joined: dt.datetime
    offer: OfferOut | None


def _own_service(request, code: str) -> tuple:
    citizen = _citizen(request)
    if citizen is None:
        raise NotFound(_("Akun ini tidak memiliki profil WNI."))
    service = Service.objects.filter(mission=citizen.mission, code=code, is_active=True).first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    return citizen, service


def _waiting(citizen, service) -> WaitlistEntry:
    entry = (
        selectors.citizen_waitlist(citizen)
        .filter(service=service)
        .select_related("offered_slot__session__mission")
        .first()
    )
    if entry is None:
        raise NotFound(_("Anda tidak ada dalam daftar tunggu layanan ini."))
    return entry


def _waitlist_out(entry: WaitlistEntry) -> dict:
    zone = entry.mission.zone
    offer = None
    if entry.status == WaitlistEntry.Status.OFFERED and entry.offered_slot is not None:
        offer = {
            "slot": _slot_out(entry.offered_slot),
            "hold_until": entry.hold_until.astimezone(zone),
        }
    return {
        "service": entry.service.code,
        "channel": entry.channel or None,
        "status": entry.status,
        "joined": entry.created_at.astimezone(zone),
        "offer": offer,
    }


@router.post(
    "/services/{code}/waitlist",
    response={201: WaitlistOut, 400: Error, **CONFLICTS, **LIMITED},
    auth=AUTH,
    summary="Join a service's waitlist",
    description=(
        "Only when the booking horizon has no free seat (else 422 `slots_free`); "
        "409 `already_waiting` or `already_booked`."
    ),
)
def waitlist_join(request, code: str, payload: WaitlistIn):
    ratelimit.check(request, group="booking")
    citizen, service = _own_service(request, code)
    entry = waitlist.waitlist_join(citizen=citizen, service=service, channel=payload.channel or "")
    return Status(201, _waitlist_out(entry))


@router.get(
    "/services/{code}/waitlist",
    response={200: WaitlistOut, 401: Error, 403: Error, 404: Error},
    auth=AUTH,
    summary="My place on a service's waitlist, with any seat offered",
)
def waitlist_show(request, code: str):
    citizen, service = _own_service(request, code)
    waitlist.waitlist_expire_due(service=service)
    return _waitlist_out(_waiting(citizen, service))


@router.delete(
    "/services/{code}/waitlist",
    response={204: None, 401: Error, 403: Error, 404: Error, 422: ValidationError},
    auth=AUTH,
    summary="Leave a service's waitlist (a held seat goes to the next person)",
)
def waitlist_leave(request, code: str):
    citizen, service = _own_service(request, code)
    waitlist.waitlist_leave(entry=_waiting(citizen, service), by=request.user)
    return Status(204, None)


@router.post(
    "/services/{code}/waitlist/accept",
    response={201: AppointmentOut, 400: Error, **CONFLICTS, **LIMITED},
    auth=AUTH,
    summary="Book the seat offered from the waitlist",
)
def waitlist_accept(request, code: str):
    ratelimit.check(request, group="booking")
    citizen, service = _own_service(request, code)
    appointment = waitlist.waitlist_accept(entry=_waiting(citizen, service), by=request.user)
    return Status(201, _appointment_out(appointment))
