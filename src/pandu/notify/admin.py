from django.contrib import admin

from pandu.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin
from pandu.notify.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Delivery status only: bodies may carry sign-in links, so they are not shown here."""

    list_display = [
        "created_at",
        "template",
        "recipient",
        "status",
        "attempts",
        "sent_at",
        "mission",
    ]
    list_filter = ["status", "template", "mission"]
    search_fields = ["recipient", "subject", "public_id"]
    fields = [
        "public_id",
        "mission",
        "recipient",
        "subject",
        "template",
        "language",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "purged_at",
    ]
    readonly_fields = fields
