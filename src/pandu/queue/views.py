"""Waiting-room pages: kiosk, counters, the room's display and the citizen's phone page.

Thin: each view checks the permission at the mission, calls one service or selector, and
renders. The kiosk and display need a staff session of their mission (a "Kiosk" account on the
tablet and on the screen); the phone page needs only its signed link.
"""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from pandu.appointments.models import Appointment
from pandu.core import clock
from pandu.core.errors import PanduError
from pandu.core.errors import PermissionDenied as Refused
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.people.backends import missions_for
from pandu.people.missions import staff_mission
from pandu.queue import policy, selectors, services
from pandu.queue.forms import CheckInForm, CounterOpenForm, NotifyForm, TransferForm, WalkInForm
from pandu.queue.models import CURRENT_STATES, WAITING_STATES, Counter, Ticket
from pandu.queue.tokens import ticket_from_token, ticket_token


def _form_error(form, exc: PanduError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# Kiosk ----------------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request):
    mission = staff_mission(request, perm="queue.use_kiosk", read=("GET", "POST"), unknown="first")
    check_in = CheckInForm(prefix="checkin")
    walk_in = WalkInForm(mission=mission, prefix="walkin", initial={"priority_reason": ""})
    if request.method == "POST":
        try:
            if request.POST.get("form") == "walkin":
                walk_in = WalkInForm(request.POST, mission=mission, prefix="walkin")
                if walk_in.is_valid():
                    ticket = services.ticket_take(
                        mission=mission,
                        service=walk_in.cleaned_data["service"],
                        priority_reason=walk_in.cleaned_data["priority_reason"],
                        language=translation.get_language(),
                        by=request.user,
                    )
                    return redirect("queue:kiosk_ticket", token=ticket_token(ticket))
            else:
                check_in = CheckInForm(request.POST, prefix="checkin")
                if check_in.is_valid():
                    ticket = services.ticket_check_in(
                        mission=mission, code=check_in.cleaned_data["code"], by=request.user
                    )
                    return redirect("queue:kiosk_ticket", token=ticket_token(ticket))
        except PanduError as exc:
            _form_error(walk_in if request.POST.get("form") == "walkin" else check_in, exc)
    return render(
        request,
        "queue/kiosk.html",
        {"mission": mission, "check_in": check_in, "walk_in": walk_in},
    )


@login_required
@never_cache
def kiosk_ticket(request, token: str):
    ticket = ticket_from_token(token)
    if ticket is None or not request.user.has_perm("queue.use_kiosk", ticket):
        raise Http404
    use_mission(request, ticket.mission)
    phone_url = request.build_absolute_uri(reverse("queue:phone", kwargs={"token": token}))
    return render(
        request,
        "queue/kiosk_ticket.html",
        {
            "ticket": ticket,
            "mission": ticket.mission,
            "phone_url": phone_url,
            "qr": _qr_svg(phone_url),
        },
    )


def _qr_svg(text: str) -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, nl=False
    )
    return buffer.getvalue().decode()


# Officers -------------------------------------------------------------------------------------


@login_required
@require_POST
def officer_check_in(request, public_id):
    """The check-in button on the officers' day page."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("mission", "slot__session"), public_id=public_id
    )
    try:
        ticket = services.ticket_check_in(
            mission=appointment.mission, code=appointment.reference, by=request.user
        )
    except Refused as exc:  # the service checks who may check in
        raise PermissionDenied from exc
    except PanduError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(reference)s sudah lapor hadir: nomor antrean %(number)s.")
            % {"reference": appointment.reference, "number": ticket.number},
        )
    date = appointment.slot.session.date.isoformat()
    return redirect(
        f"{reverse('appointments:staff_day')}?mission={appointment.mission.slug}&date={date}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def counter_list(request):
    mission = staff_mission(
        request, perm="queue.operate_counter", read=("GET", "POST"), unknown="first"
    )
    if request.method == "POST":
        try:
            counter = services.counter_create(mission=mission, by=request.user)
        except Refused as exc:  # the service checks who may add counters
            raise PermissionDenied from exc
        except PanduError as exc:
            messages.error(request, exc.message)
            return redirect(f"{reverse('queue:counters')}?mission={mission.slug}")
        messages.success(request, _("%(counter)s ditambahkan.") % {"counter": counter})
        return redirect(f"{reverse('queue:counters')}?mission={mission.slug}")
    counters = Counter.objects.filter(mission=mission).prefetch_related("services")
    current = {
        t.counter_id: t
        for t in Ticket.objects.filter(counter__in=counters, state__in=CURRENT_STATES)
    }
    waiting = Ticket.objects.filter(
        mission=mission, date=clock.today(mission), state__in=WAITING_STATES
    ).count()
    return render(
        request,
        "queue/counter_list.html",
        {
            "mission": mission,
            "rows": [(c, current.get(c.pk)) for c in counters],
            "waiting": waiting,
            "can_add": request.user.has_perm("queue.add_counter", mission),
            "missions": Mission.objects.filter(
                pk__in=missions_for(request.user, "queue.operate_counter")
            ),
        },
    )


def _counter_for(request, public_id) -> Counter:
    counter = get_object_or_404(Counter.objects.select_related("mission"), public_id=public_id)
    if not request.user.has_perm("queue.operate_counter", counter):
        raise PermissionDenied
    use_mission(request, counter.mission)
    return counter


@login_required
@never_cache
def counter_page(request, public_id):
    counter = _counter_for(request, public_id)
    return render(request, "queue/counter.html", _counter_context(counter))


def _counter_context(counter: Counter, **overrides) -> dict:
    mission = counter.mission
    now = timezone.now()
    today = clock.today(mission)
    current = (
        Ticket.objects.filter(counter=counter, state__in=CURRENT_STATES)
        .select_related("service", "appointment")
        .first()
    )
    held = Ticket.objects.filter(counter=counter, state=Ticket.State.ON_HOLD).select_related(
        "service"
    )

    waiting = selectors.waiting_for_counter(counter, today)
    served = set(counter.services.values_list("code", flat=True))
    by_pk = {t.pk: t for t in waiting}
    upcoming = [
        by_pk[w.key] for w in policy.order([selectors.as_waiting(t) for t in waiting], now, served)
    ]
    return {
        "mission": mission,
        "counter": counter,
        "current": current,
        "held": held,
        "upcoming": upcoming[:8],
        "waiting_count": len(upcoming),
        "open_form": overrides.get("open_form")
        or CounterOpenForm(mission=mission, initial={"services": list(counter.services.all())}),
        "transfer_form": overrides.get("transfer_form") or TransferForm(counter=counter),
        "times": selectors.ticket_times(current, now) if current else None,
    }


COUNTER_ACTIONS = {
    "recall": services.ticket_recall,
    "start": services.ticket_start,
    "finish": services.ticket_finish,
    "no_show": services.ticket_no_show,
    "hold": services.ticket_hold,
}


@login_required
@require_POST
def counter_action(request, public_id, action: str):
    if action == "call":
        return _call_next(request, public_id)
    counter = _counter_for(request, public_id)
    open_form = transfer_form = None
    try:
        if action == "open":
            open_form = CounterOpenForm(request.POST, mission=counter.mission)
            if open_form.is_valid():
                services.counter_open(
                    counter=counter, services=open_form.cleaned_data["services"], by=request.user
                )
                messages.success(request, _("%(counter)s dibuka.") % {"counter": counter})
                return redirect("queue:counter", public_id=counter.public_id)
        elif action == "close":
            services.counter_close(counter=counter, by=request.user)
            messages.success(request, _("%(counter)s ditutup.") % {"counter": counter})
            return redirect("queue:counter", public_id=counter.public_id)
        elif action in COUNTER_ACTIONS or action in ("resume", "transfer"):
            ticket = get_object_or_404(
                Ticket, public_id=request.POST.get("ticket"), mission=counter.mission
            )
            if action == "resume":
                services.ticket_resume(ticket=ticket, counter=counter, by=request.user)
            elif action == "transfer":
                transfer_form = TransferForm(request.POST, counter=counter)
                if transfer_form.is_valid():
                    services.ticket_transfer(
                        ticket=ticket,
                        by=request.user,
                        service=transfer_form.cleaned_data["service"],
                        to_counter=transfer_form.cleaned_data["to_counter"],
                    )
                    messages.success(
                        request, _("%(number)s dialihkan.") % {"number": ticket.number}
                    )
                    return redirect("queue:counter", public_id=counter.public_id)
            else:
                if ticket.counter_id != counter.pk:
                    raise Http404
                COUNTER_ACTIONS[action](ticket=ticket, by=request.user)
            if transfer_form is None:
                return redirect("queue:counter", public_id=counter.public_id)
        else:
            raise Http404
    except PanduError as exc:
        form = transfer_form if action == "transfer" else open_form
        if form is not None and form.is_bound:
            _form_error(form, exc)
        else:
            messages.error(request, exc.message)
            return redirect("queue:counter", public_id=counter.public_id)
    context = _counter_context(counter, open_form=open_form, transfer_form=transfer_form)
    return render(request, "queue/counter.html", context, status=200)


def _call_next(request, public_id):
    """The officer's busiest button: the counter is read (and its operator checked) once, by the
    call itself; the counter page it returns to sets the mission as any visit does."""
    try:
        ticket = services.ticket_call_next(counter_public_id=public_id, by=request.user)
    except Counter.DoesNotExist as exc:
        raise Http404 from exc
    except Refused as exc:  # the service checks the operator
        raise PermissionDenied from exc
    except PanduError as exc:
        messages.error(request, exc.message)
    else:
        if ticket is None:
            messages.info(request, _("Tidak ada yang menunggu untuk layanan loket ini."))
    return redirect("queue:counter", public_id=public_id)


# The room's display --------------------------------------------------------------------------


@login_required
@never_cache
def display(request):
    mission = staff_mission(
        request, perm="queue.view_display", read=("GET", "POST"), unknown="first"
    )
    return render(request, "queue/display.html", _display_context(mission))


@login_required
@never_cache
def display_calls(request):
    mission = staff_mission(
        request, perm="queue.view_display", read=("GET", "POST"), unknown="first"
    )
    return render(request, "queue/_display_calls.html", _display_context(mission))


def _display_context(mission: Mission) -> dict:
    calls = selectors.recent_calls(mission, clock.today(mission))
    latest = calls[0] if calls else None
    return {
        "mission": mission,
        "calls": calls,
        "latest_key": f"{latest.ticket.number}@{latest.started_at.timestamp():.0f}"
        if latest
        else "",
        "waiting": Ticket.objects.filter(
            mission=mission, date=clock.today(mission), state__in=WAITING_STATES
        ).count(),
    }


# The citizen's phone page ---------------------------------------------------------------------


def _ticket_or_404(token: str) -> Ticket:
    ticket = ticket_from_token(token)
    if ticket is None:
        raise Http404
    return ticket


def _phone_context(request, ticket: Ticket, token: str, **extra) -> dict:
    use_mission(request, ticket.mission)
    now = timezone.now()
    estimate = None
    queue_settings = selectors.settings_for(ticket.mission)
    if ticket.state in WAITING_STATES:
        line = selectors.Line(ticket.mission, ticket.date, now, queue_settings=queue_settings)
        estimate = line.estimate(ticket)
    return {
        "ticket": ticket,
        "token": token,
        "estimate": estimate,
        "mission": ticket.mission,
        "notify_form": extra.get("notify_form") or NotifyForm(),
        "notify_places": queue_settings.notify_places_ahead,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def phone(request, token: str):
    ticket = _ticket_or_404(token)
    form = None
    if request.method == "POST":
        form = NotifyForm(request.POST)
        if form.is_valid():
            services.ticket_notify_set(
                ticket=ticket,
                email=form.cleaned_data["email"],
                language=translation.get_language(),
            )
            messages.success(request, _("Kami akan mengirim surel saat giliran Anda dekat."))
            return redirect("queue:phone", token=token)
    return render(
        request, "queue/phone.html", _phone_context(request, ticket, token, notify_form=form)
    )


@never_cache
def phone_status(request, token: str):
    ticket = _ticket_or_404(token)
    return render(request, "queue/_phone_status.html", _phone_context(request, ticket, token))
