"""Pertiwi week plans (supervisors), run sheets (team members) and the citizen's answer.

Thin: each view checks who may look, reads through ``runsheet`` and writes through ``planning``.
Plans of missions where the user holds no planning permission answer 403 for the lists and 404
for one plan; a route answers 404 to anyone but its team and the mission's supervisors.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pandu.core import clock
from pandu.core.errors import PanduError, ValidationFailed
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.outreach import maps, planning, runsheet
from pandu.outreach.models import PlannedRoute, TripPlan, VisitRequest
from pandu.outreach.plan_forms import ChangeRequestForm, OutcomeForm, ProposeForm, PublishForm
from pandu.people.backends import missions_for


def _error_text(exc: PanduError) -> str:
    if isinstance(exc, ValidationFailed):
        return " ".join(text for texts in exc.errors.values() for text in texts) or exc.message
    return exc.message


# --------------------------------------------------------------------------- supervisors


def _plan_missions(request) -> list[int]:
    missions = missions_for(request.user, planning.PLAN_VIEW)
    if not missions:
        raise PermissionDenied
    return missions


def _chosen_mission(request, missions: list[int]) -> Mission:
    site = getattr(request, "mission", None)
    if site is not None and site.pk in missions:
        return site
    return Mission.objects.filter(pk__in=missions).order_by("name_id").first()


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request):
    mission = use_mission(request, _chosen_mission(request, _plan_missions(request)))
    today = clock.today(mission)
    may_add = request.user.has_perm(planning.PLAN_ADD, mission)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        form = ProposeForm(request.POST)
        if form.is_valid():
            try:
                plan = planning.plan_propose(
                    mission=mission,
                    week_start=form.cleaned_data["week"],
                    seconds=form.cleaned_data["seconds"],
                    by=request.user,
                    background=True,
                )
            except ValidationFailed as exc:
                for key, texts in exc.errors.items():
                    for text in texts:
                        form.add_error(key if key in form.fields else "week", text)
            except PanduError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("outreach:plan_detail", public_id=plan.public_id)
    else:
        next_week = planning.week_of(today) + dt.timedelta(days=7)
        form = ProposeForm(initial={"week": next_week, "seconds": planning.DEFAULT_SECONDS})
    plans = TripPlan.objects.filter(mission=mission).select_related("created_by")
    return render(
        request,
        "outreach/plan_list.html",
        {"mission": mission, "plans": plans, "form": form, "may_add": may_add},
    )


def _plan(request, public_id) -> TripPlan:
    plan = get_object_or_404(
        TripPlan.objects.select_related("mission"),
        public_id=public_id,
        mission__in=_plan_missions(request),
    )
    use_mission(request, plan.mission)
    return plan


@login_required
@require_GET
def plan_detail(request, public_id):
    plan = _plan(request, public_id)
    context = runsheet.plan_context(plan) if plan.solved_at else {"plan": plan}
    context["may_change"] = (
        request.user.has_perm(planning.PLAN_CHANGE, plan.mission)
        and plan.status == TripPlan.Status.DRAFT
    )
    context["publish_form"] = PublishForm()
    context["week_end"] = planning.week_dates(plan.week_start)[1]
    return render(request, "outreach/plan_detail.html", context)


@login_required
@require_GET
def plan_status(request, public_id):
    """Polled by the plan page while the search runs."""
    plan = _plan(request, public_id)
    return JsonResponse({"solved": plan.solved_at is not None, "status": plan.status})


@login_required
@require_POST
def plan_adjust(request, public_id):
    plan = _plan(request, public_id)
    if not request.user.has_perm(planning.PLAN_CHANGE, plan.mission):
        raise PermissionDenied
    action = request.POST.get("action", "")
    try:
        visit_id = uuid.UUID(request.POST.get("request", ""))
    except ValueError:
        visit_id = None
    visit = VisitRequest.objects.filter(public_id=visit_id, mission=plan.mission).first()
    kwargs: dict = {}
    if action == "pin":
        try:
            kwargs["pin_date"] = dt.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            kwargs["pin_date"] = None
            action = "bad"
    elif action in ("unpin", "exclude", "include"):
        kwargs[action] = True
    if visit is None or action not in ("pin", "unpin", "exclude", "include"):
        messages.error(request, _("Perubahan ini tidak dapat dilakukan. Pilih lagi."))
        return redirect("outreach:plan_detail", public_id=plan.public_id)
    try:
        planning.plan_adjust(plan=plan, request=visit, by=request.user, background=True, **kwargs)
    except PanduError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Perubahan disimpan. Rencana dihitung ulang."))
    return redirect("outreach:plan_detail", public_id=plan.public_id)


@login_required
@require_POST
def plan_resolve(request, public_id):
    plan = _plan(request, public_id)
    if not request.user.has_perm(planning.PLAN_CHANGE, plan.mission):
        raise PermissionDenied
    try:
        planning.plan_resolve(plan=plan, by=request.user, background=True)
    except PanduError as exc:
        messages.error(request, _error_text(exc))
    return redirect("outreach:plan_detail", public_id=plan.public_id)


@login_required
@require_POST
def plan_publish(request, public_id):
    plan = _plan(request, public_id)
    if not request.user.has_perm(planning.PLAN_CHANGE, plan.mission):
        raise PermissionDenied
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Centang kotak konfirmasi untuk menerbitkan rencana."))
        return redirect("outreach:plan_detail", public_id=plan.public_id)
    try:
        plan = planning.plan_publish(plan=plan, by=request.user)
    except PanduError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("Rencana diterbitkan. %(n)d warga diberi tahu jadwal kunjungannya.")
            % {"n": plan.items.filter(route__isnull=False).count()},
        )
    return redirect("outreach:plan_detail", public_id=plan.public_id)


# --------------------------------------------------------------------------- run sheets


@login_required
@require_GET
def my_routes(request):
    """Today's and coming routes of the teams the user belongs to."""
    if not (
        missions_for(request.user, "outreach.view_plannedroute")
        or missions_for(request.user, planning.PLAN_VIEW)
    ):
        raise PermissionDenied
    earliest = timezone.now().date() - dt.timedelta(days=1)
    candidates = (
        PlannedRoute.objects.filter(
            plan__status=TripPlan.Status.PUBLISHED,
            shift__team__members=request.user,
            shift__date__gte=earliest,
        )
        .select_related("shift__team", "shift__kit", "plan__mission")
        .order_by("shift__date", "depart")
    )
    routes = [
        r
        for r in candidates
        if r.shift.date >= clock.today(r.plan.mission) and runsheet.may_view_route(request.user, r)
    ]
    for route in routes:
        route.stop_count = route.stops.count()
    return render(request, "outreach/runsheet_list.html", {"routes": routes})


def _route(request, public_id) -> PlannedRoute:
    route = (
        PlannedRoute.objects.select_related("plan__mission", "shift__team", "shift__kit")
        .filter(public_id=public_id)
        .first()
    )
    if route is None or not runsheet.may_view_route(request.user, route):
        raise Http404
    use_mission(request, route.plan.mission)
    return route


def _runsheet_context(request, route: PlannedRoute) -> dict:
    context = runsheet.route_context(route, with_notes=True)
    may_record = route.plan.status == TripPlan.Status.PUBLISHED and planning.may_record_outcome(
        request.user, route
    )
    for stop in context["stops"]:
        stop.form = (
            OutcomeForm(
                prefix_id=f"stop{stop.number}",
                initial={"outcome": stop.item.outcome, "notes": stop.item.outcome_notes},
            )
            if may_record
            else None
        )
    context["may_record"] = may_record
    return context


@login_required
@require_GET
def runsheet_page(request, public_id):
    route = _route(request, public_id)
    response = render(request, "outreach/runsheet.html", _runsheet_context(request, route))
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def runsheet_pdf(request, public_id):
    from weasyprint import HTML  # noqa: PLC0415

    route = _route(request, public_id)
    context = runsheet.route_context(route, with_notes=True)
    context["map_uri"] = maps.data_uri(context["map_svg"])
    html = render_to_string("outreach/runsheet_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"pertiwi-{route.shift.date.isoformat()}-{str(route.public_id)[:8]}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_POST
def runsheet_outcome(request, public_id, request_id):
    route = _route(request, public_id)
    item = route.stops.filter(request__public_id=request_id).first()
    if item is None:
        raise Http404
    form = OutcomeForm(request.POST)
    target = reverse("outreach:runsheet", kwargs={"public_id": route.public_id})
    if not form.is_valid():
        messages.error(request, _("Pilih hasil kunjungan."))
        return redirect(f"{target}#stop-{item.order}")
    try:
        planning.visit_outcome_record(
            item=item,
            outcome=form.cleaned_data["outcome"],
            notes=form.cleaned_data["notes"],
            by=request.user,
        )
    except PanduError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("Hasil kunjungan %(n)d tersimpan.") % {"n": item.order},
        )
    return redirect(f"{target}#stop-{item.order}")


# --------------------------------------------------------------------------- the citizen


@login_required
@require_http_methods(["GET", "POST"])
def visit_schedule(request, public_id):
    """The citizen (or whoever asked for them) confirms or asks for another date."""
    visit = (
        VisitRequest.objects.select_related("citizen__user", "mission")
        .filter(public_id=public_id)
        .first()
    )
    if visit is None or request.user.pk not in (visit.citizen.user_id, visit.submitted_by_id):
        raise Http404
    here = reverse("outreach:visit_schedule", kwargs={"public_id": visit.public_id})
    return _answer(request, visit, request.user, here)


@require_http_methods(["GET", "POST"])
def visit_answer(request, token):
    """The same, from the e-mail's signed link, without signing in."""
    visit = planning.visit_from_token(token)
    if visit is None:
        return render(
            request,
            "error.html",
            {"title": _("Tautan ini tidak sah atau sudah kedaluwarsa. Masuk ke akun Anda.")},
            status=400,
        )
    here = reverse("outreach:visit_answer", kwargs={"token": token})
    return _answer(request, visit, visit.citizen.user, here)


def _answer(request, visit: VisitRequest, actor, here: str):
    use_mission(request, visit.mission)
    form = ChangeRequestForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                planning.visit_confirm(request=visit, by=actor)
                messages.success(request, _("Terima kasih. Kunjungan sudah Anda konfirmasi."))
                return redirect(here)
            form = ChangeRequestForm(request.POST)
            if form.is_valid():
                planning.visit_change_request(
                    request=visit, reason=form.cleaned_data["reason"], by=actor
                )
                messages.success(
                    request,
                    _(
                        "Permintaan ganti jadwal sudah kami terima. Kami kirim jadwal baru lewat surel."
                    ),
                )
                return redirect(here)
        except ValidationFailed as exc:
            for texts in exc.errors.values():
                for text in texts:
                    form.add_error("reason", text)
        except PanduError as exc:
            messages.error(request, exc.message)
            return redirect(here)
    visit.refresh_from_db()
    return render(
        request,
        "outreach/visit_schedule.html",
        {
            "visit": visit,
            "form": form,
            "services": list(visit.services.all()),
            "documents": planning.visit_documents(visit),
            "action": here,
            "answerable": visit.status
            in (VisitRequest.Status.SCHEDULED, VisitRequest.Status.CONFIRMED),
        },
    )
