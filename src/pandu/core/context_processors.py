"""Values every page needs: the mission being shown and links to this page in each language."""

from __future__ import annotations

from django.conf import settings
from django.urls import translate_url

from pandu.core.models import Mission


def site(request):
    mission = getattr(request, "mission", None)
    if mission is None:
        mission = Mission.objects.filter(slug=settings.DEFAULT_MISSION).first()
    path = request.get_full_path()
    return {
        "site_mission": mission,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in (("id", "Bahasa Indonesia"), ("en", "English"))
        ],
    }
