"""Citizen pages: pick a slot, book, see, reschedule and cancel an appointment."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.appointments import documents, draw, selectors, services, waitlist
from pandu.appointments.models import Appointment, DrawEntry, Slot
from pandu.appointments.rules import rules_for
from pandu.catalog.selectors import service_get
from pandu.core import clock
from pandu.core.errors import PanduError
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.core.ratelimit import page_limit
from pandu.registry.selectors import prefill_for

CHANNELS = ("weekday", "saturday")


def _citizen_or_404(request):
    citizen = getattr(request.user, "citizen", None)
    if citizen is None:
        raise Http404
    return citizen


def _own_appointment(request, reference: str) -> Appointment:
    appointment = (
        Appointment.objects.select_related(
            "slot__session__mission", "service", "citizen__user", "mission"
        )
        .filter(reference=reference.upper(), citizen__user=request.user)
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def _posted_slot(request, service) -> Slot | None:
    """The slot of ``service`` chosen in the form, or None for a missing or malformed choice."""
    try:
        public_id = uuid.UUID(request.POST.get("slot", ""))
    except ValueError:
        return None
    return Slot.objects.filter(public_id=public_id, service=service).first()


@login_required
@require_http_methods(["GET", "POST"])
@page_limit("booking")
def book(request, mission: str, code: str):
    citizen = _citizen_or_404(request)
    m = get_object_or_404(Mission, slug=mission, is_active=True)
    use_mission(request, m)
    service = service_get(mission=m, code=code)
    if service is None or m.pk != citizen.mission_id:
        raise Http404
    offered = [c for c in CHANNELS if c in (service.channels or [])]
    if not offered:
        raise Http404
    # Due draws and lapsed waitlist holds are settled by the periodic jobs (``pandu run_due``; the
    # demo runs them in the background); a booking also settles them first, so what it is
    # checked against is never behind the clock. A GET only reads.
    if request.method == "POST":
        draw.draws_run_due(mission=m)
        waitlist.waitlist_expire_due(service=service)
    moving = None
    if request.GET.get("reschedule") or request.POST.get("reschedule"):
        moving = _own_appointment(
            request, request.GET.get("reschedule") or request.POST.get("reschedule")
        )

    if request.method == "POST":
        slot = _posted_slot(request, service)
        if slot is None:
            messages.error(request, _("Pilih salah satu waktu yang tersedia."))
        else:
            try:
                if moving is not None:
                    appointment = services.appointment_reschedule(
                        appointment=moving, to_slot=slot, by=request.user
                    )
                    messages.success(request, _("Jadwal janji temu Anda sudah diubah."))
                else:
                    appointment = draw.appointment_request(
                        citizen=citizen, slot=slot, service=service, by=request.user
                    )
                    if isinstance(appointment, DrawEntry):
                        _drawn_later(request, appointment)
                        return redirect(request.get_full_path())
                    messages.success(
                        request,
                        _("Janji temu Anda sudah tercatat. Konfirmasi dikirim ke surel Anda."),
                    )
                return redirect("appointments:detail", reference=appointment.reference)
            except PanduError as exc:
                messages.error(request, exc.message)

    channel = request.GET.get("channel")
    channel = channel if channel in offered else offered[0]
    rules = rules_for(service)
    today = clock.today(m)
    free = selectors.free_slots_for(
        service=service,
        start=today,
        end=today + dt.timedelta(days=min(rules.horizon_days, 92)),
        channel=channel,
        citizen=citizen,
    )
    by_date: dict[dt.date, list[tuple[Slot, int]]] = {}
    for slot, seats in free:
        by_date.setdefault(slot.session.date, []).append((slot, seats))
    dates = list(by_date)
    try:
        chosen = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        chosen = None
    if chosen not in by_date:
        chosen = dates[0] if dates else None
    now = timezone.now()
    last_day = today + dt.timedelta(days=min(rules.horizon_days, 92))
    in_draw = selectors.draw_slots_open(
        service=service, start=today, end=last_day, channel=channel, now=now
    )
    mine = {
        entry.session_id: entry
        for entry in DrawEntry.objects.filter(
            citizen=citizen, service=service, session__in=[s for s, _c, _l in in_draw]
        ).select_related("slot")
    }
    return render(
        request,
        "appointments/book.html",
        {
            "mission": m,
            "service": service,
            "offered": offered,
            "channel": channel,
            "dates": dates,
            "chosen": chosen,
            "slots": by_date.get(chosen, []),
            "moving": moving,
            "releases": selectors.releases_upcoming(
                service=service, start=today, end=last_day, channel=channel, now=now
            ),
            "draw_minutes": rules.draw_minutes,
            "waitlist_hold_hours": rules.waitlist_hold_hours,
            "in_draw": [
                (session, closes, slots, mine.get(session.pk)) for session, closes, slots in in_draw
            ],
            "waiting": selectors.citizen_waitlist(citizen).filter(service=service).first(),
            "prefill": prefill_for(citizen),
        },
    )


def _drawn_later(request, entry: DrawEntry) -> None:
    closes = draw.draw_closes_at(entry.session)
    messages.success(
        request,
        _(
            "Anda ikut undian untuk %(time)s. Hasilnya dikirim lewat surel segera sesudah undian "
            "ditutup pada %(closes)s."
        )
        % {
            "time": f"{timezone.localtime(entry.slot.starts_at):%Y-%m-%d %H:%M}",
            "closes": f"{timezone.localtime(closes):%H:%M}",
        },
    )


@login_required
def detail(request, reference: str):
    appointment = _own_appointment(request, reference)
    use_mission(request, appointment.mission)
    return render(
        request,
        "appointments/detail.html",
        {
            "appointment": appointment,
            "start": appointment.slot.starts_at,
            "end": appointment.slot.ends_at,
            "place": documents.place(appointment),
            "documents": appointment.service.requirements.filter(kind="document"),
            "qr": mark_safe(documents.qr_svg(appointment)),  # noqa: S308 (SVG made by segno from the reference)
        },
    )


@login_required
def calendar_file(request, reference: str):
    appointment = _own_appointment(request, reference)
    response = HttpResponse(
        documents.ics(appointment, request.LANGUAGE_CODE),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{appointment.reference}.ics"'
    return response


@login_required
@require_POST
@page_limit("booking")
def cancel(request, reference: str):
    appointment = _own_appointment(request, reference)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Centang kotak konfirmasi untuk membatalkan."))
        return redirect("appointments:detail", reference=appointment.reference)
    try:
        services.appointment_cancel(appointment=appointment, by=request.user)
    except PanduError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Janji temu Anda sudah dibatalkan."))
    return redirect("appointments:detail", reference=appointment.reference)


@require_http_methods(["GET", "POST"])
# GET too: each try of a guessed link costs one request.
@page_limit("manage-link", methods=("GET", "POST"))
def manage(request, token: str):
    """Reschedule or cancel from the e-mail's link, without an account session."""
    try:
        payload = signing.loads(token, salt=services.MANAGE_SALT, max_age=services.MANAGE_MAX_AGE)
    except signing.BadSignature:
        return render(
            request,
            "error.html",
            {
                "title": _(
                    "Tautan ini tidak sah atau sudah kedaluwarsa. Masuk ke akun Anda untuk melihat janji temu."
                )
            },
            status=400,
        )
    appointment = (
        Appointment.objects.select_related(
            "slot__session__mission", "service", "citizen__user", "mission"
        )
        .filter(public_id=payload.get("a"))
        .first()
    )
    if appointment is None:
        raise Http404
    use_mission(request, appointment.mission)
    if request.method == "POST":
        actor = appointment.citizen.user  # the link stands for its owner
        try:
            if request.POST.get("action") == "cancel":
                if request.POST.get("confirm") != "yes":
                    raise PanduError(
                        _("Centang kotak konfirmasi untuk membatalkan."), code="confirm"
                    )
                services.appointment_cancel(appointment=appointment, by=actor)
                messages.success(request, _("Janji temu Anda sudah dibatalkan."))
            else:
                slot = _posted_slot(request, appointment.service)
                if slot is None:
                    raise PanduError(_("Pilih salah satu waktu yang tersedia."), code="no_slot")
                services.appointment_reschedule(appointment=appointment, to_slot=slot, by=actor)
                messages.success(request, _("Jadwal janji temu Anda sudah diubah."))
        except PanduError as exc:
            messages.error(request, exc.message)
        return redirect("appointments:manage", token=token)

    appointment.refresh_from_db()
    today = clock.today(appointment.mission)
    offers = [
        slot
        for slot, _seats in selectors.free_slots_for(
            service=appointment.service,
            start=today,
            end=today + dt.timedelta(days=min(rules_for(appointment.service).horizon_days, 92)),
            channel=None,
            citizen=appointment.citizen,
        )
        if slot.pk != appointment.slot_id
    ][:12]
    return render(
        request,
        "appointments/manage.html",
        {
            "appointment": appointment,
            "place": documents.place(appointment),
            "documents": appointment.service.requirements.filter(kind="document"),
            "offers": offers,
        },
    )
