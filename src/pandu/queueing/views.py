"""The supervisor's staffing page: counters per hour of a session for a waiting-time target.

Same rights as the other planning pages: staff who may change sessions of a mission
(``appointments.change_session``); ``?mission=`` picks among several. A session of another
mission is not offered, and asking for it by its id is not found. The page only reads, so the
form is sent by GET and a plan can be linked.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pandu.appointments.models import Session
from pandu.core import clock
from pandu.core.models import Mission
from pandu.people.backends import missions_for
from pandu.people.missions import staff_mission
from pandu.queueing import erlang, planner
from pandu.queueing.forms import StaffingForm

AREA_PERM = "appointments.change_session"
#: Sessions offered in the list: from today to this many days ahead.
HORIZON_DAYS = 92


def default_session(sessions: list[Session], today: dt.date) -> Session | None:
    """Next month's first Saturday session, else the next Saturday session, else the next."""
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    saturdays = [s for s in sessions if s.kind == Session.Kind.SATURDAY]
    for s in saturdays:
        if (s.date.year, s.date.month) == (next_month.year, next_month.month):
            return s
    return (saturdays or sessions or [None])[0]


@login_required
@require_GET
def staffing(request):
    mission = staff_mission(request, perm=AREA_PERM)
    today = clock.today(mission)
    sessions = list(
        Session.objects.filter(
            mission=mission,
            is_closed=False,
            date__gte=today,
            date__lte=today + dt.timedelta(days=HORIZON_DAYS),
        ).order_by("starts_at")
    )
    wanted = request.GET.get("session")
    if wanted and wanted not in {str(s.public_id) for s in sessions}:
        # A past or closed session of this mission may still be reviewed; others are not found.
        try:
            public_id = uuid.UUID(wanted)
        except ValueError as exc:
            raise Http404 from exc
        extra = Session.objects.filter(mission=mission, public_id=public_id).first()
        if extra is None:
            raise Http404
        sessions.append(extra)
    chosen = default_session(sessions, today)
    context = {
        "mission": mission,
        "section": "staffing",
        "missions": Mission.objects.filter(pk__in=missions_for(request.user, AREA_PERM)),
        "plan": None,
    }
    if "session" in request.GET:
        form = StaffingForm(request.GET, sessions=sessions)
    else:
        # First visit: the plan for the default session with the form's initial figures.
        defaults = {name: field.initial for name, field in StaffingForm.base_fields.items()}
        defaults["session"] = str(chosen.public_id) if chosen else ""
        form = StaffingForm(defaults if chosen else None, sessions=sessions)
    context["form"] = form
    if not sessions or not form.is_valid():
        status = 400 if "session" in request.GET and sessions else 200
        return render(request, "queueing/staffing.html", context, status=status)
    data = form.cleaned_data
    try:
        context["plan"] = planner.staffing_plan(
            session=form.cleaned_session(),
            walkins_per_hour=float(data["walkins"]),
            target_wait_minutes=float(data["target_wait"]),
            target_share=data["target_percent"] / 100.0,
        )
    except erlang.ErlangInputError:
        form.add_error(
            None,
            _(
                "Dengan angka ini diperlukan lebih dari %(n)d loket dalam satu jam. "
                "Periksa perkiraan pengunjung."
            )
            % {"n": erlang.MAX_COUNTERS},
        )
        return render(request, "queueing/staffing.html", context, status=400)
    return render(request, "queueing/staffing.html", context)
