"""Admin pages that respect missions and record every change in the audit log.

The admin is a caller like any other: each save or delete is wrapped in a transaction that also
records an audit event, and staff see and choose only objects of the missions where their role
grants the permission.

Which missions those are is ``pandu.people``'s to say (``people.backends.missions_for``); core sits
below people, so people registers that function here in its ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.forms.models import model_to_dict

from pandu.core.audit_hook import audit_record
from pandu.core.models import Mission

_missions_for: Callable[..., list[int]] | None = None


def missions_for_register(function: Callable[..., list[int]]) -> None:
    """``function(user, perm)`` gives the ids of the missions where ``user`` holds ``perm``."""
    global _missions_for
    _missions_for = function


def missions_for(user, perm: str) -> list[int]:
    if _missions_for is None:
        raise ImproperlyConfigured("No missions_for registered (is pandu.people installed?).")
    return _missions_for(user, perm)


class AuditedAdminMixin:
    mission_path = "mission"

    def _event(self, obj, verb: str) -> str:
        return f"{obj._meta.model_name}_{verb}_in_admin"

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                event=self._event(obj, "changed" if change else "created"),
                actor=request.user,
                obj=obj,
                mission=self._mission_of(obj),
                data={"fields": sorted(form.changed_data)},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            snapshot = {k: str(v) for k, v in model_to_dict(obj).items()}
            mission = self._mission_of(obj)
            audit_record(
                event=self._event(obj, "deleted"),
                actor=request.user,
                obj=obj,
                mission=mission,
                data={"before": snapshot},
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def _mission_of(self, obj):
        target = obj
        for part in self.mission_path.split("__"):
            target = getattr(target, part, None)
        return target

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        opts = self.model._meta
        allowed = missions_for(request.user, f"{opts.app_label}.view_{opts.model_name}")
        allowed += missions_for(request.user, f"{opts.app_label}.change_{opts.model_name}")
        key = "pk__in" if self.mission_path == "" else f"{self.mission_path}__in"
        return qs.filter(**{key: set(allowed)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Mission and not request.user.is_superuser:
            opts = self.model._meta
            kwargs["queryset"] = Mission.objects.filter(
                pk__in=missions_for(request.user, f"{opts.app_label}.change_{opts.model_name}")
                + missions_for(request.user, f"{opts.app_label}.add_{opts.model_name}")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
