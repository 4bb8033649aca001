from django.contrib import admin

from pandu.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin, missions_for
from pandu.notify.models import ContactPreference, OutboundMessage, PendingStatusReport


@admin.register(OutboundMessage)
class OutboundMessageAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Delivery status only: bodies may carry sign-in links, so they are not shown here."""

    list_display = [
        "created_at",
        "template",
        "recipient",
        "channel",
        "status",
        "attempts",
        "sent_at",
        "mission",
    ]
    list_filter = ["channel", "status", "template", "mission"]
    search_fields = ["recipient", "subject", "public_id"]
    fields = [
        "public_id",
        "mission",
        "recipient",
        "channel",
        "subject",
        "template",
        "language",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "provider_id",
        "delivered_at",
        "fallback_of",
        "purged_at",
    ]
    readonly_fields = fields


@admin.register(ContactPreference)
class ContactPreferenceAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """The record of each citizen's consent; only the citizen changes it (their page, a stop).

    Staff see the preferences of their mission's citizens (the citizen profile's mission)."""

    mission_path = "user__citizen__mission"

    list_display = ["user", "channel", "sms_consent_at", "whatsapp_consent_at", "updated_at"]
    list_filter = ["channel"]
    search_fields = ["user__email", "public_id"]
    fields = [
        "public_id",
        "user",
        "channel",
        "phone",
        "sms_consent_at",
        "sms_consent_source",
        "sms_opted_out_at",
        "whatsapp_consent_at",
        "whatsapp_consent_source",
        "whatsapp_opted_out_at",
        "whatsapp_inbound_at",
        "updated_at",
    ]
    readonly_fields = fields


@admin.register(PendingStatusReport)
class PendingStatusReportAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Status reports that came before their message's provider id was saved (kept two days).

    A report belongs to no mission (a provider's message id and a status, no personal data): staff
    holding the view permission at any of their missions see them all.
    """

    list_display = ["received_at", "channel", "provider_id", "status", "error"]
    list_filter = ["channel", "status"]
    fields = list_display
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super(AuditedAdminMixin, self).get_queryset(request)
        if request.user.is_superuser or missions_for(
            request.user, "notify.view_pendingstatusreport"
        ):
            return qs
        return qs.none()
