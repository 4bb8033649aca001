"""Every page is shown in a mission's time zone: the signed-in citizen's, else the site's mission.

Views that show one mission's page call ``use_mission`` so that page uses that mission's zone.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.utils import timezone

from pandu.core.models import Mission


def use_mission(request, mission: Mission) -> Mission:
    request.mission = mission
    timezone.activate(mission.zone)
    return mission


class MissionTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(("/api/", "/static/")):
            # The API states every time with its UTC offset; static files have no times.
            return self.get_response(request)
        citizen = getattr(request.user, "citizen", None) if request.user.is_authenticated else None
        if citizen is not None:
            timezone.activate(citizen.mission.zone)
        else:
            zone = (
                Mission.objects.filter(slug=settings.DEFAULT_MISSION)
                .values_list("time_zone", flat=True)
                .first()
            )
            if zone:
                timezone.activate(zoneinfo.ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
