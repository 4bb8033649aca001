"""Writes on missions and their opening hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BinaryField

from pandu.core import crypto
from pandu.core.audit_hook import audit_record
from pandu.core.errors import ValidationFailed
from pandu.core.fields import EncryptedCharField, LookupHashField
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


ROTATE_BATCH = 500


def _encrypted_fields(model) -> tuple[list, list, list]:
    fields = model._meta.concrete_fields
    texts = [f for f in fields if isinstance(f, EncryptedCharField)]
    # Encrypted blobs (health details, access notes) follow one naming rule: "<name>_encrypted".
    blobs = [f for f in fields if isinstance(f, BinaryField) and f.name.endswith("_encrypted")]
    hashes = [f for f in fields if isinstance(f, LookupHashField)]
    return texts, blobs, hashes


def encryption_rotate(*, by=None) -> dict[str, int]:
    """Encrypt every encrypted value kept in the database again with the first key of
    ``PANDU_DATA_KEYS`` and recompute every lookup hash with the current ``PANDU_LOOKUP_KEY``.

    Run after putting a new data key first (the old ones still listed, to read what they
    encrypted); once it has finished, the old keys may be removed. Stops with
    ``crypto.DecryptionFailed`` at the first value no listed key can read, leaving that batch
    unchanged. Encrypted upload files (documents, evidence) are not rewritten: keep the old keys
    listed while they are kept. Returns the rows written per model ("app_label.model").
    """

    counts: dict[str, int] = {}
    for model in apps.get_models():
        texts, blobs, hashes = _encrypted_fields(model)
        if not (texts or blobs or hashes):
            continue
        manager = model._base_manager
        pks = list(manager.order_by("pk").values_list("pk", flat=True))
        written = 0
        for start in range(0, len(pks), ROTATE_BATCH):
            with transaction.atomic():
                batch = manager.select_for_update().filter(pk__in=pks[start : start + ROTATE_BATCH])
                names = [f.attname for f in (*texts, *blobs)] + [f.source for f in hashes]
                for obj in batch.only("pk", *names):
                    values: dict[str, Any] = {f.attname: getattr(obj, f.attname) for f in texts}
                    for f in blobs:
                        token = getattr(obj, f.attname)
                        values[f.attname] = crypto.rotate(token) if token else token
                    for f in hashes:
                        values[f.attname] = f.hash_of(obj)
                    manager.filter(pk=obj.pk).update(**values)
                    written += 1
        counts[model._meta.label_lower] = written
    with transaction.atomic():
        audit_record(event="encryption_rotated", actor=by, data={"rows": counts})
    return counts
