from django.contrib import admin

from pandu.audit.models import AuditEvent
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
