"""Pertiwi visit request pages: the citizen asks for a visit, cancels, corrects the home's point;
staff of the mission list the requests and correct or offer an alternative."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pandu.core import clock
from pandu.core.errors import PanduError
from pandu.core.forms import apply_errors
from pandu.core.middleware import use_mission
from pandu.outreach import visits
from pandu.outreach.models import AccessNeed, VisitRequest
from pandu.outreach.selectors import latest_approval
from pandu.outreach.visit_forms import AlternativeForm, LocationForm, VisitRequestForm
from pandu.people.backends import missions_for
from pandu.registry.selectors import prefill_for

STAFF_STATUSES = ["open", "out_of_reach", *VisitRequest.Status.values]


def _citizen(request):
    citizen = getattr(request.user, "citizen", None)
    if citizen is None:
        raise Http404
    return citizen


def _own(request, public_id) -> VisitRequest:
    citizen = _citizen(request)
    return get_object_or_404(
        VisitRequest.objects.select_related("mission", "citizen"),
        public_id=public_id,
        citizen=citizen,
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request):
    citizen = _citizen(request)
    today = clock.today(citizen.mission)
    if latest_approval(citizen, today) is None:
        messages.info(
            request,
            _("Kunjungan rumah dapat diminta setelah permohonan Pertiwi Anda disetujui."),
        )
        return redirect("outreach:home")
    prefill = _prefill(citizen)
    form = VisitRequestForm(request.POST or None, citizen=citizen, initial=prefill)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visits.visit_request_submit(
                citizen=citizen,
                submitted_by=request.user,
                services=list(data["services"]),
                windows=data["windows"],
                access_needs=data["access_needs"],
                access_notes=data["access_notes"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                address_line=data["address_line"],
                city=data["city"],
                province=data["province"],
                postal_code=data["postal_code"],
            )
        except PanduError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Permintaan kunjungan Anda sudah diterima. Kami kirim kabarnya lewat surel."),
            )
            return redirect("outreach:home")
    return render(
        request,
        "outreach/visit_new.html",
        {
            "form": form,
            "citizen": citizen,
            "max_days": visits.HORIZON_DAYS,
            "from_registration": bool(prefill),
        },
    )


def _prefill(citizen) -> dict:
    """The address and phone of the citizen's lapor diri, where they registered one."""
    prefill = prefill_for(citizen)
    if prefill is None:
        return {}
    return {**prefill.address(), "contact_phone": prefill.phone}


@login_required
@require_POST
def visit_cancel(request, public_id):
    found = _own(request, public_id)
    try:
        visits.visit_request_cancel(request=found, by=request.user)
        messages.success(request, _("Permintaan kunjungan sudah dibatalkan."))
    except PanduError as exc:
        messages.error(request, exc.message)
    return redirect("outreach:home")


@login_required
@require_http_methods(["GET", "POST"])
def visit_location(request, public_id):
    found = _own(request, public_id)
    form = _location_form(request, found)
    if form.is_bound and not form.errors:
        messages.success(request, _("Lokasi rumah sudah diperbaiki."))
        return redirect("outreach:home")
    return render(request, "outreach/visit_location.html", {"item": found, "form": form})


def _location_form(request, found: VisitRequest) -> LocationForm:
    """The location form, bound and saved when the request posts it."""
    if request.method != "POST":
        return _location_form_unbound(found)
    form = LocationForm(request.POST)
    if form.is_valid():
        try:
            visits.visit_location_correct(
                request=found,
                lat=form.cleaned_data["lat"],
                lon=form.cleaned_data["lon"],
                by=request.user,
            )
        except PanduError as exc:
            apply_errors(form, exc)
    return form


# --- staff ----------------------------------------------------------------------------------


def _staff_requests(request):
    missions = missions_for(request.user, visits.VIEW_PERMISSION)
    if not missions:
        raise PermissionDenied
    return VisitRequest.objects.filter(mission__in=missions).select_related("citizen", "mission")


@login_required
def staff_list(request):
    requests = _staff_requests(request)
    status = request.GET.get("status", "open")
    if status not in STAFF_STATUSES:
        status = "open"
    if status == "open":
        requests = requests.filter(status__in=visits.OPEN_STATUSES)
    elif status == "out_of_reach":
        requests = requests.filter(status__in=visits.OPEN_STATUSES).exclude(reach_code="")
    else:
        requests = requests.filter(status=status)
    filters = [("open", _("Belum selesai")), ("out_of_reach", _("Tidak terjangkau"))]
    filters += list(VisitRequest.Status.choices)
    return render(
        request,
        "outreach/visit_staff_list.html",
        {
            "requests": requests.prefetch_related("windows", "services").order_by("created_at"),
            "status": status,
            "filters": filters,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request, public_id):
    found = get_object_or_404(_staff_requests(request), public_id=public_id)
    use_mission(request, found.mission)
    may_change = request.user.has_perm(visits.CHANGE_PERMISSION, found.mission)
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not may_change:
        raise PermissionDenied
    location_form = (
        _location_form(request, found) if action == "location" else _location_form_unbound(found)
    )
    alternative_form = AlternativeForm(
        request.POST if action == "alternative" else None,
        initial={"alternative": found.alternative},
    )
    here = reverse("outreach:visit_staff_detail", kwargs={"public_id": found.public_id})
    if action == "location" and not location_form.errors:
        messages.success(request, _("Lokasi rumah sudah diperbaiki."))
        return redirect(here)
    if action == "alternative" and alternative_form.is_valid():
        try:
            visits.visit_request_set_alternative(
                request=found,
                alternative=alternative_form.cleaned_data["alternative"],
                by=request.user,
            )
        except PanduError as exc:
            apply_errors(alternative_form, exc)
        else:
            messages.success(request, _("Alternatif tersimpan dan pemohon sudah diberi tahu."))
            return redirect(here)
    return render(
        request,
        "outreach/visit_staff_detail.html",
        {
            "item": found,
            "may_change": may_change,
            "location_form": location_form,
            "alternative_form": alternative_form,
            "access_needs": _access_need_labels(found),
        },
    )


def _location_form_unbound(found: VisitRequest) -> LocationForm:
    initial = {"lat": found.lat, "lon": found.lon} if found.lat is not None else {}
    return LocationForm(initial=initial)


def _access_need_labels(found: VisitRequest) -> list[str]:
    labels = dict(AccessNeed.choices)
    return [str(labels.get(code, code)) for code in found.access_needs]


def citizen_visits_context(citizen) -> dict:
    """The citizen's visit requests and whether they may ask for one, for the Pertiwi page."""
    if citizen is None:
        return {}
    today = clock.today(citizen.mission)
    return {
        "visits": VisitRequest.objects.filter(citizen=citizen)
        .prefetch_related("services", "windows")
        .order_by("-created_at"),
        "can_request_visit": latest_approval(citizen, today) is not None,
        "open_statuses": list(visits.OPEN_STATUSES),
    }
