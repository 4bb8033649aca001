"""Writes on Pertiwi teams, mobile kits and shifts: who travels, with which kit, on which day.

A team is some of the mission's staff; a shift is one team on one date with one kit, leaving the
mission no earlier than ``start`` and back by ``end``. The database refuses a second shift of a
team, or of a kit, on one date (unique constraints, so two supervisors saving at once cannot both
succeed); here that refusal becomes a message by the field. No shift may last longer than the
mission's ``max_day_trip_minutes``, the same limit the reach check of visit requests uses. A
shift that a published trip plan uses cannot be deleted: its visits were announced.

Every function checks the caller's model permission at the object's mission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.core import clock
from pandu.core.errors import PanduError, PermissionDenied, ValidationFailed
from pandu.outreach.models import Kit, PlannedRoute, Shift, Team, TripPlan
from pandu.outreach.selectors import travel_policy_for
from pandu.people.models import User

MAX_NAME = 60


def _require(user, perm: str, mission) -> None:
    if not user.has_perm(f"outreach.{perm}", mission):
        raise PermissionDenied(_("Anda tidak berwenang mengatur tim Pertiwi perwakilan ini."))


def _clean_name(value: str, field: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationFailed({field: [_("Isi nama.")]})
    if len(value) > MAX_NAME:
        raise ValidationFailed({field: [_("Paling panjang %(n)d karakter.") % {"n": MAX_NAME}]})
    return value


def mission_staff(mission):
    """Users who may be team members: anyone holding a role at the mission."""
    return (
        User.objects.filter(memberships__mission=mission, is_active=True)
        .distinct()
        .order_by("email")
    )


def _members(mission, members: Iterable[User]) -> list[User]:
    members = list(members)
    allowed = set(mission_staff(mission).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in members):
        raise ValidationFailed({"members": [_("Anggota tim harus staf perwakilan ini.")]})
    return members


@transaction.atomic
def team_create(*, mission, name: str, by, members: Iterable[User] = ()) -> Team:
    _require(by, "add_team", mission)
    name = _clean_name(name, "name")
    members = _members(mission, members)
    try:
        with transaction.atomic():
            team = Team.objects.create(mission=mission, name=name)
    except IntegrityError:
        raise ValidationFailed({"name": [_("Sudah ada tim dengan nama ini.")]}) from None
    team.members.set(members)
    audit_record(
        event="pertiwi_team_created",
        actor=by,
        obj=team,
        mission=mission,
        data={"name": name, "members": len(members)},
    )
    return team


@transaction.atomic
def team_update(
    *, team: Team, by, name: str, members: Iterable[User], is_active: bool = True
) -> Team:
    """Rename the team, set its members, or take it off duty (its past shifts stay)."""
    _require(by, "change_team", team.mission)
    name = _clean_name(name, "name")
    members = _members(team.mission, members)
    team = Team.objects.select_for_update().get(pk=team.pk)
    team.name, team.is_active = name, is_active
    try:
        with transaction.atomic():
            team.save(update_fields=["name", "is_active"])
    except IntegrityError:
        raise ValidationFailed({"name": [_("Sudah ada tim dengan nama ini.")]}) from None
    team.members.set(members)
    audit_record(
        event="pertiwi_team_changed",
        actor=by,
        obj=team,
        mission=team.mission,
        data={"name": name, "members": len(members), "active": is_active},
    )
    return team


@transaction.atomic
def kit_create(*, mission, label: str, by, serial_number: str = "") -> Kit:
    _require(by, "add_kit", mission)
    label = _clean_name(label, "label")
    serial_number = " ".join((serial_number or "").split())[:60]
    try:
        with transaction.atomic():
            kit = Kit.objects.create(mission=mission, label=label, serial_number=serial_number)
    except IntegrityError:
        raise ValidationFailed({"label": [_("Sudah ada perangkat dengan label ini.")]}) from None
    audit_record(
        event="pertiwi_kit_created", actor=by, obj=kit, mission=mission, data={"label": label}
    )
    return kit


@transaction.atomic
def kit_set_active(*, kit: Kit, active: bool, by) -> Kit:
    """Mark a kit out of service (broken, lent out) or back in service.

    Shifts already planned with it keep it: the supervisor sees them and swaps or deletes them.
    """
    _require(by, "change_kit", kit.mission)
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    if kit.is_active != active:
        kit.is_active = active
        kit.save(update_fields=["is_active"])
        audit_record(
            event="pertiwi_kit_in_service" if active else "pertiwi_kit_out_of_service",
            actor=by,
            obj=kit,
            mission=kit.mission,
        )
    return kit


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


@transaction.atomic
def shift_create(
    *,
    team: Team,
    kit: Kit,
    date: dt.date,
    start: dt.time,
    end: dt.time,
    by,
    now: dt.datetime | None = None,
) -> Shift:
    """Put a team with a kit on duty for a date, or say which rule refuses it."""
    mission = team.mission
    _require(by, "add_shift", mission)
    # The caller's objects may be stale (a kit marked out of service meanwhile).
    team, kit = Team.objects.get(pk=team.pk), Kit.objects.get(pk=kit.pk)
    today = clock.today(mission, now)
    errors: dict[str, list[str]] = {}
    if kit.mission_id != mission.pk:
        errors.setdefault("kit", []).append(_("Perangkat ini milik perwakilan lain."))
    elif not kit.is_active:
        errors.setdefault("kit", []).append(_("Perangkat ini sedang tidak dapat dipakai."))
    if not team.is_active:
        errors.setdefault("team", []).append(_("Tim ini tidak aktif."))
    if date < today:
        errors.setdefault("date", []).append(_("Tanggal ini sudah lewat."))
    limit = travel_policy_for(mission).max_day_trip_minutes
    if end <= start:
        errors.setdefault("end", []).append(_("Jam kembali harus sesudah jam berangkat."))
    elif _minutes(end) - _minutes(start) > limit:
        errors.setdefault("end", []).append(
            _("Giliran tugas paling lama %(hours)s jam.") % {"hours": f"{limit / 60:g}"}
        )
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            shift = Shift.objects.create(
                mission=mission, team=team, kit=kit, date=date, start=start, end=end
            )
    except IntegrityError:
        if Shift.objects.filter(team=team, date=date).exists():
            raise ValidationFailed(
                {"team": [_("Tim ini sudah bertugas pada tanggal itu.")]}
            ) from None
        raise ValidationFailed(
            {"kit": [_("Perangkat ini sudah dipakai tim lain pada tanggal itu.")]}
        ) from None
    audit_record(
        event="pertiwi_shift_created",
        actor=by,
        obj=shift,
        mission=mission,
        data={
            "team": team.name,
            "kit": kit.label,
            "date": date.isoformat(),
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
        },
    )
    return shift


@transaction.atomic
def shift_delete(*, shift: Shift, by) -> None:
    """Delete a shift unless a published plan uses it; draft plans lose its route."""
    _require(by, "delete_shift", shift.mission)
    shift = (
        Shift.objects.select_for_update(of=("self",)).select_related("team", "kit").get(pk=shift.pk)
    )
    routes = PlannedRoute.objects.filter(shift=shift)
    if routes.filter(plan__status=TripPlan.Status.PUBLISHED).exists():
        raise PanduError(
            _("Giliran ini dipakai rencana perjalanan yang sudah diterbitkan."),
            code="shift_in_published_plan",
        )
    dropped = routes.count()
    routes.delete()
    audit_record(
        event="pertiwi_shift_deleted",
        actor=by,
        obj=shift,
        mission=shift.mission,
        data={
            "team": shift.team.name,
            "kit": shift.kit.label,
            "date": shift.date.isoformat(),
            "draft_routes_dropped": dropped,
        },
    )
    shift.delete()
