"""Writes on missions and their opening hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from pandu.audit.services import audit_record
from pandu.core.errors import ValidationFailed
from pandu.core.models import Mission, OpeningHours


@transaction.atomic
def mission_create(
    *, fields: dict[str, Any], hours: list[tuple[int, dt.time, dt.time]], by=None
) -> Mission:
    """Create a mission with its weekday opening hours ``(weekday, opens, closes)``."""
    mission = Mission(**fields)
    try:
        mission.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(exc.message_dict) from exc
    mission.save()
    for weekday, opens, closes in hours:
        OpeningHours.objects.create(mission=mission, weekday=weekday, opens=opens, closes=closes)
    audit_record(
        event="mission_created", actor=by, obj=mission, mission=mission, data={"slug": mission.slug}
    )
    return mission
