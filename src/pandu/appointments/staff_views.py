"""The officers' day: the sessions of a date with their appointments, search, and no-shows."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.appointments import selectors, services
from pandu.appointments.models import Appointment, Channel, Session, Slot
from pandu.appointments.rules import rules_for
from pandu.catalog.models import Service
from pandu.core import clock
from pandu.core.errors import PanduError
from pandu.core.errors import PermissionDenied as Refused
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.people.backends import missions_for
from pandu.people.models import CitizenProfile
from pandu.people.selectors import identity_number_q


def _staff_mission(request) -> Mission:
    allowed = missions_for(request.user, "appointments.view_appointment")
    if not allowed:
        raise PermissionDenied
    slug = request.GET.get("mission") or request.POST.get("mission")
    missions = Mission.objects.filter(pk__in=allowed).order_by("pk")
    mission = missions.filter(slug=slug).first() if slug else None
    return use_mission(request, mission or missions.first())


@login_required
def day(request):
    mission = _staff_mission(request)
    today = clock.today(mission)
    try:
        date = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        date = today
    query = " ".join(request.GET.get("q", "").split())[:100]
    appointments = (
        Appointment.objects.filter(mission=mission)
        .select_related("slot__session", "service", "citizen")
        .order_by("slot__starts_at", "reference")
    )
    if query:
        appointments = appointments.filter(
            Q(reference__iexact=query) | Q(citizen__full_name__icontains=query)
        )
    else:
        appointments = appointments.filter(slot__session__date=date)
    sessions = Session.objects.filter(mission=mission, date=date).order_by("starts_at")
    return render(
        request,
        "appointments/staff_day.html",
        {
            "mission": mission,
            "date": date,
            "previous": date - dt.timedelta(days=1),
            "next": date + dt.timedelta(days=1),
            "query": query,
            "sessions": sessions,
            "appointments": appointments,
            "now": timezone.now(),
            "today": today,
            "can_change": request.user.has_perm("appointments.change_appointment", mission),
            "missions": Mission.objects.filter(
                pk__in=missions_for(request.user, "appointments.view_appointment")
            ),
        },
    )


@login_required
@require_POST
def no_show(request, reference: str):
    appointment = get_object_or_404(
        Appointment.objects.select_related("mission"), reference=reference.upper()
    )
    try:
        services.appointment_mark_no_show(appointment=appointment, by=request.user)
    except Refused as exc:  # the service checks who may change the appointment
        raise PermissionDenied from exc
    except PanduError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(reference)s ditandai tidak datang.") % {"reference": appointment.reference},
        )
    date = appointment.slot.session.date.isoformat()
    return redirect(
        f"{reverse('appointments:staff_day')}?mission={appointment.mission.slug}&date={date}"
    )


@login_required
@require_POST
def served(request, reference: str):
    appointment = get_object_or_404(
        Appointment.objects.select_related("mission"), reference=reference.upper()
    )
    try:
        services.appointment_mark_served(appointment=appointment, by=request.user)
    except Refused as exc:  # the service checks who may change the appointment
        raise PermissionDenied from exc
    except PanduError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(reference)s selesai dilayani; undangan survei kepuasan dikirim.")
            % {"reference": appointment.reference},
        )
    date = appointment.slot.session.date.isoformat()
    return redirect(
        f"{reverse('appointments:staff_day')}?mission={appointment.mission.slug}&date={date}"
    )


def _find_citizen(mission: Mission, who: str) -> CitizenProfile | None:
    """A registered citizen of the mission by e-mail, passport number or NIK (exact match)."""
    who = who.strip()
    if not who:
        return None
    match = Q(user__email__iexact=who)
    number = identity_number_q(who)
    if number is not None:
        match |= number
    return (
        CitizenProfile.objects.filter(mission=mission).filter(match).select_related("user").first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def book_for(request):
    """An officer books for a citizen who telephoned or came to the counter (the staff channel).

    Staff bookings count against the session's staff quotas, not the online ones, and are not
    paused by the no-show rule; every other rule holds.
    """
    mission = _staff_mission(request)
    if not request.user.has_perm("appointments.add_appointment", mission):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    who = " ".join(data.get("who", "").split())[:120]
    citizen = _find_citizen(mission, who)
    services_offered = Service.objects.filter(mission=mission, is_active=True).order_by("code")
    service = services_offered.filter(code=data.get("service", "")).first()
    try:
        from_date = dt.date.fromisoformat(data.get("from", ""))
    except ValueError:
        from_date = None
    if request.method == "POST" and citizen and service:
        slot = Slot.objects.filter(
            public_id=_uuid_or_none(data.get("slot")), service=service
        ).first()
        if slot is None:
            messages.error(request, _("Pilih salah satu waktu yang tersedia."))
        else:
            try:
                appointment = services.appointment_book(
                    citizen=citizen,
                    slot=slot,
                    service=service,
                    channel=Channel.STAFF,
                    by=request.user,
                )
            except PanduError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "Janji temu %(reference)s dipesan untuk %(name)s; konfirmasi dikirim lewat surel."
                    )
                    % {"reference": appointment.reference, "name": citizen.full_name},
                )
                date = appointment.slot.session.date.isoformat()
                return redirect(
                    f"{reverse('appointments:staff_day')}?mission={mission.slug}&date={date}"
                )
    slots = []
    if citizen and service:
        today = clock.today(mission)
        horizon = rules_for(service).horizon_days
        start = max(today, from_date or today)
        slots = selectors.free_slots_for(
            service=service,
            start=start,
            end=today + dt.timedelta(days=horizon),
            channel=None,
            citizen=citizen,
            booking_channel=Channel.STAFF,
        )[:40]
    return render(
        request,
        "appointments/staff_book.html",
        {
            "mission": mission,
            "who": who,
            "citizen": citizen,
            "services": services_offered,
            "service": service,
            "slots": slots,
            "from_date": from_date,
        },
    )


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
