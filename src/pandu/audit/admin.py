from django.contrib import admin

from pandu.audit.models import AuditEvent, SensitiveAccess
from pandu.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = [
        "seq",
        "occurred_at",
        "event",
        "actor_label",
        "object_type",
        "object_ref",
        "mission",
    ]
    list_filter = ["event", "mission"]
    search_fields = ["event", "object_ref", "actor_label"]


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Append-only: nobody adds, changes or deletes an access here. Staff read the log on its
    own page (audit:access_log); this admin page is for the permission's holders."""

    list_display = [
        "occurred_at",
        "actor_label",
        "data_kind",
        "object_type",
        "object_ref",
        "subject_ref",
        "mission",
    ]
    list_filter = ["data_kind", "mission"]
    search_fields = ["object_ref", "subject_ref", "actor_label"]
