"""The mission a page is about, and its time zone, decided once per request.

A visitor's mission is the signed-in citizen's, else the site's default mission (else the first
active one). Views that show one mission's page call ``use_mission`` to switch to that mission;
templates read it as ``site_mission`` and show times in its zone.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models.signals import post_delete, post_save
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext

from pandu.core.models import Mission


def use_mission(request, mission: Mission) -> Mission:
    request.mission = mission
    timezone.activate(mission.zone)
    return mission


def visitor_mission(request) -> Mission | None:
    citizen = getattr(request.user, "citizen", None) if request.user.is_authenticated else None
    if citizen is not None:
        return citizen.mission
    return default_mission()


DEFAULT_MISSION_TTL_SECONDS = 60.0
_default: list[tuple[float, Mission | None]] = []


def default_mission() -> Mission | None:
    """The site's default mission (else the first active one), kept by each process for a
    minute: every anonymous page asks for it, and missions change a few times a year. A change
    is seen at once by the process that saved it and by every other within that minute."""
    now = time.monotonic()
    if _default and _default[0][0] > now:
        return _default[0][1]
    active = Mission.objects.filter(is_active=True)
    mission = active.filter(slug=settings.DEFAULT_MISSION).first() or active.order_by("pk").first()
    _default[:] = [(now + DEFAULT_MISSION_TTL_SECONDS, mission)]
    return mission


def default_mission_forget(**kwargs) -> None:
    """Drop the kept default mission (after a mission changed, and between tests)."""
    _default.clear()


post_save.connect(default_mission_forget, sender=Mission, dispatch_uid="default_mission_saved")
post_delete.connect(default_mission_forget, sender=Mission, dispatch_uid="default_mission_gone")


class MissionTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(("/api/", "/static/")):
            # The API states every time with its UTC offset; static files have no times.
            return self.get_response(request)
        mission = visitor_mission(request)
        request.mission = mission
        if mission is not None:
            timezone.activate(mission.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class NulCharacterMiddleware:
    """Refuse a NUL character in the address or the query string before any view reads it.

    No page or endpoint has a use for one, and PostgreSQL refuses it in text, so a lookup by a
    path or query value holding one would fail inside the database. A path answers "not found"
    (JSON under ``/api/``), a query string "bad request" on the site's error page; the API's
    parser (``pandu.api.api.PanduParser``) answers its query strings and bodies itself, naming
    the field.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith("/api/")
        if "\x00" in request.path_info:
            if api:
                return JsonResponse(
                    {"code": "not_found", "message": gettext("Tidak ditemukan.")}, status=404
                )
            raise Http404
        if not api and "\x00" in "".join(
            key + "".join(values) for key, values in request.GET.lists()
        ):
            raise SuspiciousOperation("NUL character in the query string")
        return self.get_response(request)
