"""Public pages of the catalogue: home (a mission's first services), the catalogue and one page
per service. Their URL names stay in the ``core`` namespace (``pandu/urls.py``)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from pandu.catalog.selectors import service_get, service_list
from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.core.views import _default_mission, _mission


def home(request):
    missions = Mission.objects.filter(is_active=True).order_by("pk")
    mission = use_mission(request, _default_mission(request))
    services = list(service_list(mission=mission)[:6])
    return render(
        request, "core/home.html", {"mission": mission, "missions": missions, "services": services}
    )


def services_default(request):
    return redirect("core:service_list", mission=_default_mission(request).slug)


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
            "bookable": any(c in (service.channels or []) for c in ("weekday", "saturday")),
        },
    )
