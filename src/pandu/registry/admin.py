from django.contrib import admin

from .models import StayMember, StayRegistration


class StayMemberInline(admin.TabularInline):
    model = StayMember
    extra = 0


@admin.register(StayRegistration)
class StayRegistrationAdmin(admin.ModelAdmin):
    list_display = ["citizen", "mission", "status", "province", "purpose", "confirmed_at"]
    list_filter = ["mission", "status", "province", "purpose"]
    raw_id_fields = ["citizen", "registered_by", "previous"]
    inlines = [StayMemberInline]
