"""Citizen pages of the waitlist: join, answer an offer from the account or from the mail's link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.appointments import services, waitlist
from pandu.appointments.models import WaitlistEntry
from pandu.catalog.selectors import service_get
from pandu.core.errors import PanduError
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.core.ratelimit import page_limit


@login_required
@require_POST
@page_limit("booking")
def join(request, mission: str, code: str):
    citizen = getattr(request.user, "citizen", None)
    m = get_object_or_404(Mission, slug=mission, is_active=True)
    service = service_get(mission=m, code=code)
    if citizen is None or service is None or m.pk != citizen.mission_id:
        raise Http404
    channel = request.POST.get("channel", "")
    channel = channel if channel in waitlist.DAY_CHOICES else ""
    try:
        waitlist.waitlist_join(citizen=citizen, service=service, channel=channel, by=request.user)
    except PanduError as exc:
        messages.error(request, exc.message)
        return redirect("appointments:book", mission=m.slug, code=service.code)
    messages.success(
        request,
        _(
            "Anda masuk daftar tunggu. Jika ada kursi yang dilepas, kami menahannya untuk Anda "
            "dan mengirim surel."
        ),
    )
    return redirect("people:profile")


ANSWERS = ("accept", "decline", "leave")


def _answer(entry: WaitlistEntry, action: str, user):
    """Run the citizen's answer; returns the new appointment when they accepted."""
    if action == "accept":
        return waitlist.waitlist_accept(entry=entry, by=user)
    if action == "decline":
        waitlist.waitlist_decline(entry=entry, by=user)
    else:
        waitlist.waitlist_leave(entry=entry, by=user)
    return None


def _answered(request, action: str) -> None:
    if action == "decline":
        messages.success(
            request, _("Tawaran ditolak. Anda tetap dalam daftar tunggu untuk kursi berikutnya.")
        )
    elif action == "leave":
        messages.success(request, _("Anda sudah keluar dari daftar tunggu."))


@login_required
@require_POST
@page_limit("booking")
def answer(request, public_id, action: str):
    entry = WaitlistEntry.objects.filter(public_id=public_id, citizen__user=request.user).first()
    if entry is None or action not in ANSWERS:
        raise Http404
    try:
        appointment = _answer(entry, action, request.user)
    except PanduError as exc:
        messages.error(request, exc.message)
        return redirect("people:profile")
    if appointment is not None:
        messages.success(
            request, _("Janji temu Anda sudah tercatat. Konfirmasi dikirim ke surel Anda.")
        )
        return redirect("appointments:detail", reference=appointment.reference)
    _answered(request, action)
    return redirect("people:profile")


@require_http_methods(["GET", "POST"])
@page_limit("manage-link", methods=("GET", "POST"))
def offer(request, token: str):
    """Answer a waitlist offer from the e-mail's link, without an account session."""
    entry = waitlist.entry_from_token(token)
    if entry is None:
        return render(
            request,
            "error.html",
            {
                "title": _(
                    "Tautan ini tidak sah atau sudah kedaluwarsa. Masuk ke akun Anda untuk melihat daftar tunggu."
                )
            },
            status=400,
        )
    use_mission(request, entry.mission)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ANSWERS:
            messages.error(request, _("Pilih terima atau tolak."))
            return redirect("appointments:waitlist_offer", token=token)
        try:
            appointment = _answer(
                entry, action, entry.citizen.user
            )  # the link stands for its owner
        except PanduError as exc:
            messages.error(request, exc.message)
            return redirect("appointments:waitlist_offer", token=token)
        if appointment is not None:
            messages.success(
                request, _("Janji temu Anda sudah tercatat. Konfirmasi dikirim ke surel Anda.")
            )
            return redirect("appointments:manage", token=services.manage_token(appointment))
        _answered(request, action)
        return redirect("appointments:waitlist_offer", token=token)
    offered = entry.status == WaitlistEntry.Status.OFFERED and entry.offered_slot is not None
    return render(
        request,
        "appointments/waitlist_offer.html",
        {
            "entry": entry,
            "offered": offered,
            "slot": entry.offered_slot if offered else None,
            "place": (entry.offered_slot.session.address or entry.mission.address)
            if offered
            else "",
        },
    )
