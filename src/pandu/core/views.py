"""Public pages: home, the catalogue, one page per service, contact and privacy."""

from __future__ import annotations

import sys

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from pandu.catalog.selectors import service_get, service_list
from pandu.core import crypto
from pandu.core.middleware import use_mission, visitor_mission
from pandu.core.models import Mission


def _default_mission(request) -> Mission:
    mission = getattr(request, "mission", None) or visitor_mission(request)
    if mission is None:
        raise Http404
    return mission


def _mission(request, slug: str) -> Mission:
    return use_mission(request, get_object_or_404(Mission, slug=slug, is_active=True))


def home(request):
    missions = Mission.objects.filter(is_active=True).order_by("pk")
    mission = use_mission(request, _default_mission(request))
    services = list(service_list(mission=mission)[:6])
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
            "bookable": any(c in (service.channels or []) for c in ("weekday", "saturday")),
        },
    )


def contact(request, mission: str):
    m = _mission(request, mission)
    hours = m.opening_hours.all()
    return render(request, "core/contact.html", {"mission": m, "hours": hours})


def privacy(request):
    mission = use_mission(request, _default_mission(request))
    return render(request, "core/privacy.html", {"mission": mission})


ERRORS = {
    400: _("Permintaan tidak dapat diproses"),
    403: _("Akses ditolak"),
    404: _("Halaman tidak ditemukan"),
    500: _("Terjadi kesalahan pada sistem"),
}


def _error_page(request, status: int):
    return render(request, "error.html", {"title": ERRORS[status]}, status=status)


def error_400(request, exception=None):
    return _error_page(request, 400)


def error_403(request, exception=None):
    return _error_page(request, 403)


def error_404(request, exception=None):
    return _error_page(request, 404)


def error_500(request):
    # Django calls this while handling the exception. Keys that cannot decrypt the data (or no
    # keys at all) are the operator's to fix: the log carries the exception with the setting to
    # change, and the visitor is told the service is briefly unavailable, not that they broke it.
    if isinstance(sys.exc_info()[1], crypto.KEY_ERRORS):
        # Loading the signed-in citizen decrypts their profile, which is what failed: the page
        # is drawn as for a visitor.
        request.user = AnonymousUser()
        return render(
            request,
            "error.html",
            {
                "title": _(
                    "Layanan sedang tidak tersedia untuk sementara. Data Anda aman; "
                    "silakan coba lagi nanti."
                )
            },
            status=503,
        )
    return _error_page(request, 500)


def csrf_failure(request, reason=""):
    """A form sent without a valid security token, typically after a long pause: say what to do."""
    return render(
        request,
        "error.html",
        {"title": _("Halaman ini sudah terlalu lama dibuka. Muat ulang halaman, lalu kirim lagi.")},
        status=403,
    )
