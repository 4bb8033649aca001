"""The mission a staff page is about: one picker for every staff area.

A staff page manages one of the missions where the user holds a permission. It is named by a
``mission`` parameter (a slug), else it is the first of the user's missions. The areas differ on
purpose in three ways, kept here as parameters rather than as copies:

- which permission lists the missions (``perm``) and which one lets the user into the area at
  all (``gate``, by default the same): a supervisor with the area's permission at one mission and
  a narrower one at another sees only the missions of the narrower one;
- where the slug is read (``read``): the page's query string, or also a form's field (a POST of
  a supervisor's or a team planner's form names its mission);
- what an unknown or foreign slug means (``unknown``): "404" for pages that say "not here", or
  "first" for the waiting room's screens (kiosk, display, counter), which fall back to the
  user's first mission rather than leave a screen blank.

The citizen's own mission and the public pages' mission (by the URL's slug, else the site's
default) are decided in ``pandu.core.middleware`` and ``pandu.core.views``, not here.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pandu.core.middleware import use_mission
from pandu.core.models import Mission
from pandu.people.backends import missions_for


def staff_mission(
    request,
    *,
    perm: str,
    gate: str | None = None,
    read: tuple[Literal["GET", "POST"], ...] = ("GET",),
    unknown: Literal["404", "first"] = "404",
) -> Mission:
    """The mission the staff page manages, switched to for the request (``use_mission``).

    ``PermissionDenied`` when the user holds ``gate`` (default ``perm``) nowhere; ``Http404``
    when the slug names none of the missions where they hold ``perm`` (with ``unknown="404"``)
    or when there is none at all. ``read`` names where the slug is looked for, in order.
    """
    allowed_ids = missions_for(request.user, perm)
    if not (allowed_ids if gate is None or gate == perm else missions_for(request.user, gate)):
        raise PermissionDenied
    allowed = Mission.objects.filter(pk__in=allowed_ids).order_by("pk")
    slug = next((value for where in read if (value := getattr(request, where).get("mission"))), "")
    mission = allowed.filter(slug=slug).first() if slug else None
    if mission is None and (not slug or unknown == "first"):
        mission = allowed.first()
    if mission is None:
        raise Http404
    return use_mission(request, mission)
