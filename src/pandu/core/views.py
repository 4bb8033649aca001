"""Public pages: home, the catalogue, one page per service, contact and privacy."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from pandu.catalog.selectors import service_get, service_list
from pandu.core.models import Mission


def _default_mission(request) -> Mission:
    citizen = getattr(request.user, "citizen", None) if request.user.is_authenticated else None
    if citizen is not None:
        return citizen.mission
    mission = Mission.objects.filter(slug=settings.DEFAULT_MISSION, is_active=True).first()
    mission = mission or Mission.objects.filter(is_active=True).order_by("pk").first()
    if mission is None:
        raise Http404
    return mission


def _mission(request, slug: str) -> Mission:
    mission = get_object_or_404(Mission, slug=slug, is_active=True)
    request.mission = mission
    return mission


def home(request):
    missions = Mission.objects.filter(is_active=True).order_by("pk")
    mission = missions.filter(slug=settings.DEFAULT_MISSION).first() or missions.first()
    request.mission = mission
    services = list(service_list(mission=mission)[:6]) if mission else []
    return render(
        request, "core/home.html", {"mission": mission, "missions": missions, "services": services}
    )


def services_default(request):
    return redirect("core:service_list", mission=_default_mission(request).slug)


def contact_default(request):
    return redirect("core:contact", mission=_default_mission(request).slug)


def service_list_view(request, mission: str):
    m = _mission(request, mission)
    services = service_list(mission=m)
    groups: dict[str, list] = {}
    for service in services:
        groups.setdefault(service.get_category_display(), []).append(service)
    return render(request, "core/service_list.html", {"mission": m, "groups": groups})


def service_detail(request, mission: str, code: str):
    m = _mission(request, mission)
    service = service_get(mission=m, code=code)
    if service is None:
        raise Http404
    requirements = list(service.requirements.all())
    return render(
        request,
        "core/service_detail.html",
        {
            "mission": m,
            "service": service,
            "documents": [r for r in requirements if r.kind == r.Kind.DOCUMENT],
            "conditions": [r for r in requirements if r.kind == r.Kind.CONDITION],
            "fees": list(service.fees.all()),
        },
    )


def contact(request, mission: str):
    m = _mission(request, mission)
    hours = m.opening_hours.all()
    return render(request, "core/contact.html", {"mission": m, "hours": hours})


def privacy(request):
    request.mission = _default_mission(request)
    return render(request, "core/privacy.html", {"mission": request.mission})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_400(request, exception=None):
    return render(request, "400.html", status=400)
