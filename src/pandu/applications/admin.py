"""Applications in the admin: only the upload rules per requirement. Applications themselves are
handled on the officers' pages, where every document opening and every move is checked and
recorded; the admin never shows documents."""

from django.contrib import admin

from pandu.applications.models import RequirementUpload, ServiceRule
from pandu.catalog.models import Requirement, Service
from pandu.core.admin_mixins import AuditedAdminMixin
from pandu.people.backends import missions_for


@admin.register(RequirementUpload)
class RequirementUploadAdmin(AuditedAdminMixin, admin.ModelAdmin):
    mission_path = "requirement__service__mission"
    list_display = ["requirement", "service_code", "kind", "max_megabytes"]
    list_filter = ["kind"]

    @admin.display(description="service")
    def service_code(self, obj):
        return obj.requirement.service.code

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "requirement" and not request.user.is_superuser:
            allowed = missions_for(request.user, "applications.change_requirementupload")
            allowed += missions_for(request.user, "applications.add_requirementupload")
            kwargs["queryset"] = Requirement.objects.filter(
                service__mission__in=set(allowed), uploadable=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ServiceRule)
class ServiceRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    mission_path = "service__mission"
    list_display = [
        "service",
        "asks_old_passport",
        "old_passport_required",
        "asks_replacement_reason",
        "issues_certificate_letter",
    ]
    list_filter = ["issues_certificate_letter"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "service" and not request.user.is_superuser:
            allowed = missions_for(request.user, "applications.change_servicerule")
            allowed += missions_for(request.user, "applications.add_servicerule")
            kwargs["queryset"] = Service.objects.filter(mission__in=set(allowed))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
