from django.contrib import admin

from pandu.people.backends import missions_for
from pandu.queue.models import Counter, QueueSettings, Ticket, TicketPeriod


class MissionScopedAdmin(admin.ModelAdmin):
    """Each member sees only their own missions' rows."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        perm = f"{self.opts.app_label}.view_{self.opts.model_name}"
        return qs.filter(mission__in=missions_for(request.user, perm))


@admin.register(Counter)
class CounterAdmin(MissionScopedAdmin):
    list_display = ("number", "mission", "is_open", "officer")
    list_filter = ("mission", "is_open")
    filter_horizontal = ("services",)
    readonly_fields = ("is_open", "officer")


@admin.register(QueueSettings)
class QueueSettingsAdmin(MissionScopedAdmin):
    list_display = ("mission", "notify_places_ahead", "service_time_days")


class PeriodInline(admin.TabularInline):
    model = TicketPeriod
    extra = 0
    can_delete = False
    readonly_fields = ("state", "service", "counter", "started_at", "ended_at", "by")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(MissionScopedAdmin):
    """Read-only: tickets change only through the counter pages."""

    list_display = ("number", "mission", "date", "service", "channel", "state")
    list_filter = ("mission", "date", "state", "channel")
    inlines = [PeriodInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
