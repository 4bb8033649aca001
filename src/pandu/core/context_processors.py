"""Values every page needs: the mission being shown and links to this page in each language."""

from __future__ import annotations

from django.urls import translate_url


def site(request):
    mission = getattr(request, "mission", None)  # set by MissionTimeZoneMiddleware or the view
    path = request.get_full_path()
    return {
        "site_mission": mission,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in (("id", "Bahasa Indonesia"), ("en", "English"))
        ],
    }
