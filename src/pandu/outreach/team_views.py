"""Supervisor pages for Pertiwi teams, mobile kits and shifts of one mission."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core import clock
from pandu.core.errors import PanduError
from pandu.core.forms import apply_errors
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.outreach import teams
from pandu.outreach.models import Kit, Shift, Team
from pandu.outreach.visit_forms import KitForm, ShiftForm, TeamForm
from pandu.people.backends import missions_for
from pandu.people.missions import staff_mission

VIEW_PERM = "outreach.view_team"
#: How far ahead the shift page lists shifts.
SHIFT_DAYS = 28


def _url(name: str, mission: Mission) -> str:
    return f"{reverse(name)}?mission={mission.slug}"


def _own(request, model, public_id):
    """An object of one of the user's missions, or 404 (other missions' ids reveal nothing)."""
    missions = missions_for(request.user, VIEW_PERM)
    if not missions:
        raise PermissionDenied
    found = get_object_or_404(
        model.objects.select_related("mission"), public_id=public_id, mission_id__in=missions
    )
    use_mission(request, found.mission)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def team_list(request):
    mission = staff_mission(request, perm=VIEW_PERM, read=("POST", "GET"))
    staff = teams.mission_staff(mission)
    action = request.POST.get("action") if request.method == "POST" else None
    team_form = TeamForm(request.POST if action == "team" else None, staff=staff)
    kit_form = KitForm(request.POST if action == "kit" else None)
    try:
        if action == "team" and team_form.is_valid():
            teams.team_create(
                mission=mission,
                name=team_form.cleaned_data["name"],
                members=team_form.cleaned_data["members"],
                by=request.user,
            )
            messages.success(request, _("Tim sudah dibuat."))
            return redirect(_url("outreach:team_list", mission))
    except PanduError as exc:
        apply_errors(team_form, exc)
    try:
        if action == "kit" and kit_form.is_valid():
            teams.kit_create(
                mission=mission,
                label=kit_form.cleaned_data["label"],
                serial_number=kit_form.cleaned_data["serial_number"],
                by=request.user,
            )
            messages.success(request, _("Perangkat sudah dicatat."))
            return redirect(_url("outreach:team_list", mission))
    except PanduError as exc:
        apply_errors(kit_form, exc)
    return render(
        request,
        "outreach/team_list.html",
        {
            "mission": mission,
            "missions": Mission.objects.filter(pk__in=missions_for(request.user, VIEW_PERM)),
            "teams": Team.objects.filter(mission=mission).prefetch_related("members"),
            "kits": Kit.objects.filter(mission=mission),
            "team_form": team_form,
            "kit_form": kit_form,
            "may_add_team": request.user.has_perm("outreach.add_team", mission),
            "may_add_kit": request.user.has_perm("outreach.add_kit", mission),
            "may_change_kit": request.user.has_perm("outreach.change_kit", mission),
            "may_change_team": request.user.has_perm("outreach.change_team", mission),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, public_id):
    team = _own(request, Team, public_id)
    if not request.user.has_perm("outreach.change_team", team.mission):
        raise PermissionDenied
    staff = teams.mission_staff(team.mission)
    if request.method == "POST":
        form = TeamForm(request.POST, staff=staff)
        if form.is_valid():
            try:
                teams.team_update(
                    team=team,
                    name=form.cleaned_data["name"],
                    members=form.cleaned_data["members"],
                    is_active=form.cleaned_data["is_active"],
                    by=request.user,
                )
            except PanduError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Tim sudah diubah."))
                return redirect(_url("outreach:team_list", team.mission))
    else:
        form = TeamForm(
            staff=staff,
            initial={
                "name": team.name,
                "members": list(team.members.all()),
                "is_active": team.is_active,
            },
        )
    return render(request, "outreach/team_edit.html", {"team": team, "form": form})


@login_required
@require_POST
def kit_status(request, public_id):
    kit = _own(request, Kit, public_id)
    try:
        teams.kit_set_active(kit=kit, active=request.POST.get("active") == "1", by=request.user)
    except PanduError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Perangkat dapat dipakai lagi.")
            if kit.is_active
            else _("Perangkat ditandai tidak dapat dipakai."),
        )
    return redirect(_url("outreach:team_list", kit.mission))


@login_required
@require_http_methods(["GET", "POST"])
def shift_list(request):
    mission = staff_mission(request, perm=VIEW_PERM, read=("POST", "GET"))
    today = clock.today(mission)
    form = ShiftForm(request.POST or None, mission=mission)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            teams.shift_create(
                team=data["team"],
                kit=data["kit"],
                date=data["date"],
                start=data["start"],
                end=data["end"],
                by=request.user,
            )
        except PanduError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Giliran tugas sudah dibuat."))
            return redirect(_url("outreach:shift_list", mission))
    shifts = Shift.objects.filter(
        mission=mission, date__gte=today, date__lte=today + dt.timedelta(days=SHIFT_DAYS)
    ).select_related("team", "kit")
    return render(
        request,
        "outreach/shift_list.html",
        {
            "mission": mission,
            "missions": Mission.objects.filter(pk__in=missions_for(request.user, VIEW_PERM)),
            "shifts": shifts,
            "form": form,
            "days": SHIFT_DAYS,
            "may_add": request.user.has_perm("outreach.add_shift", mission),
            "may_delete": request.user.has_perm("outreach.delete_shift", mission),
        },
    )


@login_required
@require_POST
def shift_delete(request, public_id):
    shift = _own(request, Shift, public_id)
    mission = shift.mission
    try:
        teams.shift_delete(shift=shift, by=request.user)
    except PanduError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Giliran tugas sudah dihapus."))
    return redirect(_url("outreach:shift_list", mission))
