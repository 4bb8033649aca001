"""Read-only admin pages: broadcasts, deliveries and help cases change only through the services."""

from django.contrib import admin

from pandu.broadcast.models import Broadcast, Delivery, HelpCase
from pandu.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin


@admin.register(Broadcast)
class BroadcastAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["subject_id", "mission", "status", "recipients", "created_at", "finished_at"]
    list_filter = ["status", "mission"]


@admin.register(Delivery)
class DeliveryAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    mission_path = "broadcast__mission"
    list_display = ["public_id", "broadcast", "status", "channel", "attempts", "sent_at", "answer"]
    list_filter = ["status", "channel", "answer"]
    list_select_related = ["broadcast"]


@admin.register(HelpCase)
class HelpCaseAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    list_display = ["public_id", "mission", "status", "claimed_by", "opened_at", "resolved_at"]
    list_filter = ["status", "mission"]
