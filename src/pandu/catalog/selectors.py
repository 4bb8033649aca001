"""Reading the catalogue."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from pandu.catalog.models import Fee, Requirement, Service
from pandu.core.models import Mission


def service_list(*, mission: Mission) -> QuerySet[Service]:
    return (
        Service.objects.filter(mission=mission, is_active=True)
        .prefetch_related(Prefetch("fees", queryset=Fee.objects.order_by("order", "pk")))
        .order_by("order", "name_id")
    )


def service_get(*, mission: Mission, code: str) -> Service | None:
    return (
        Service.objects.filter(mission=mission, code=code, is_active=True)
        .select_related("mission")
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.order_by("order", "pk")),
            Prefetch("fees", queryset=Fee.objects.order_by("order", "pk")),
        )
        .first()
    )
