"""Writes on the service catalogue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pandu.audit.services import audit_record
from pandu.catalog.models import Channel, Fee, Requirement, Service
from pandu.core.errors import ValidationFailed
from pandu.core.models import Mission


def _check_channels(channels: list[str]) -> None:
    unknown = [c for c in channels if c not in Channel.values]
    if unknown or not channels:
        raise ValidationFailed(
            {"channels": [_("Pilih minimal satu saluran layanan yang dikenal.")]}
        )


@transaction.atomic
def service_create(
    *,
    mission: Mission,
    fields: dict[str, Any],
    requirements: list[dict[str, Any]],
    fees: list[dict[str, Any]],
    by=None,
) -> Service:
    """Create one service with its requirements and fees, all or nothing."""
    _check_channels(fields.get("channels", []))
    service = Service(mission=mission, **fields)
    try:
        service.full_clean()
        service.save()
        for order, data in enumerate(requirements, start=1):
            requirement = Requirement(service=service, order=order, **data)
            requirement.full_clean()
            requirement.save()
        for order, data in enumerate(fees, start=1):
            fee = Fee(
                service=service, order=order, **{**data, "amount": Decimal(str(data["amount"]))}
            )
            fee.full_clean()
            fee.save()
    except ValidationError as exc:
        raise ValidationFailed(exc.message_dict) from exc
    audit_record(
        event="catalog_service_created",
        actor=by,
        obj=service,
        mission=mission,
        data={"code": service.code, "requirements": len(requirements), "fees": len(fees)},
    )
    return service
