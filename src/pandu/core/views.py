"""Public pages: contact, privacy and the error pages (the catalogue's: catalog/views.py)."""

from __future__ import annotations

import sys

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

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


def contact_default(request):
    return redirect("core:contact", mission=_default_mission(request).slug)


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
