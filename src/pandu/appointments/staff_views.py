"""The officers' day: the sessions of a date with their appointments, search, and no-shows."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandu.appointments import services
from pandu.appointments.models import Appointment, Session
from pandu.core.errors import PanduError
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.people.backends import missions_for


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
    today = timezone.localdate(timezone.now(), mission.zone)
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
    if not request.user.has_perm("appointments.change_appointment", appointment):
        raise PermissionDenied
    try:
        services.appointment_mark_no_show(appointment=appointment, by=request.user)
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
