import datetime as dt

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from pandu.appointments.models import (
    Appointment,
    BookingRules,
    CalendarOverride,
    SaturdayRule,
    Session,
    Slot,
)
from pandu.appointments.services import identity_document, sessions_generate
from pandu.core import clock
from pandu.core.admin import MissionAdmin
from pandu.core.admin_mixins import AuditedAdminMixin, ReadOnlyAdmin
from pandu.core.models import Mission


@admin.register(BookingRules)
class BookingRulesAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "mission",
        "service",
        "lead_time_hours",
        "horizon_days",
        "daily_limit",
        "max_reschedules",
    ]
    list_filter = ["mission"]


@admin.register(SaturdayRule)
class SaturdayRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["mission", "weeks", "opens", "closes", "counters", "valid_from", "valid_until"]
    list_filter = ["mission"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["mission", "date", "is_open", "reason_id"]
    list_filter = ["mission", "is_open"]
    date_hierarchy = "date"


class SlotInline(admin.TabularInline):
    model = Slot
    fields = ["service", "starts_at", "capacity", "priority_seats", "booked"]
    readonly_fields = ["service", "starts_at", "booked"]
    extra = 0
    can_delete = False


@admin.register(Session)
class SessionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "opens", "closes", "counters", "mission", "is_closed"]
    list_filter = ["mission", "kind", "is_closed"]
    date_hierarchy = "date"
    readonly_fields = ["starts_at", "ends_at"]
    inlines = [SlotInline]


@admin.register(Appointment)
class AppointmentAdmin(AuditedAdminMixin, ReadOnlyAdmin):
    """Officers look appointments up here; changes go through the booking services."""

    list_display = ["reference", "service", "slot_start", "citizen", "status", "priority"]
    list_filter = ["mission", "status", "service"]
    search_fields = ["reference", "citizen__full_name"]
    list_select_related = ["service", "slot__session", "citizen"]
    # The stored identity key is a keyed hash, meaningless to a person: show the document.
    exclude = ["identity_key"]
    readonly_fields = ["identity_document"]

    @admin.display(description=_("dokumen identitas"))
    def identity_document(self, obj):
        document = identity_document(obj.identity_key, obj.citizen)
        kind = _("Paspor") if document["kind"] == "passport" else "NIK"
        number = document["number"]
        if not number:
            return _("%(kind)s yang tidak lagi tercatat di profil") % {"kind": kind}
        return f"{kind} •••{number[-4:]}"

    @admin.display(description="start")
    def slot_start(self, obj):
        return obj.slot.starts_at


class MissionSessionsAdmin(MissionAdmin):
    """The mission's admin page with an action of this app: plan the coming sessions."""

    actions = ["plan_sessions"]

    @admin.action(description=_("Rencanakan sesi 60 hari ke depan"), permissions=["change"])
    def plan_sessions(self, request, queryset):
        for mission in queryset:
            today = clock.today(mission)
            created = sessions_generate(
                mission=mission, start=today, end=today + dt.timedelta(days=59), by=request.user
            )
            self.message_user(
                request,
                _("%(mission)s: %(count)d sesi baru.") % {"mission": mission, "count": created},
                messages.SUCCESS,
            )


admin.site.unregister(Mission)
admin.site.register(Mission, MissionSessionsAdmin)
