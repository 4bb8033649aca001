"""The default staff roles, as data.

Each role is a Django permission group. Code never tests a role's name: it asks for a permission
(``user.has_perm("catalog.change_service", service)``), and the mission-aware backend answers from
the user's memberships in that object's mission. These defaults are created when missing after
each migration; an administrator may change their permissions freely afterwards, and those changes
are kept.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from pandu.people.models import DefaultGrant

DEFAULT_ROLES: dict[str, list[str]] = {
    "Officer": [
        "feedback.use_survey_kiosk",
        "appointments.add_appointment",
        "appointments.view_appointment",
        "appointments.change_appointment",
        "appointments.view_slot",
        "appointments.view_session",
        "core.view_mission",
        "catalog.view_service",
        "catalog.view_requirement",
        "catalog.view_fee",
        "people.view_citizenprofile",
        "outreach.view_plannedroute",
        "outreach.view_visitrequest",
        "queue.operate_counter",
        "queue.use_kiosk",
        "queue.view_display",
        "queue.view_ticket",
        "queue.view_counter",
        "applications.view_application",
        "applications.change_application",
        "applications.view_payment",
        "applications.add_payment",
        "broadcast.view_helpcase",
        "broadcast.change_helpcase",
        "registry.view_stayregistration",
    ],
    "Supervisor": [
        "feedback.view_surveyresponse",
        "feedback.view_followup",
        "feedback.change_followup",
        "feedback.use_survey_kiosk",
        "reports.view_dashboard",
        "outreach.view_eligibilityrequest",
        "outreach.change_eligibilityrequest",
        "outreach.review_eligibility",
        "outreach.view_evidence",
        "outreach.view_tripplan",
        "outreach.add_tripplan",
        "outreach.change_tripplan",
        "outreach.view_plannedroute",
        "outreach.view_planitem",
        "outreach.change_planitem",
        "outreach.view_visitrequest",
        "outreach.add_visitrequest",
        "outreach.change_visitrequest",
        "outreach.view_team",
        "outreach.add_team",
        "outreach.change_team",
        "outreach.view_kit",
        "outreach.add_kit",
        "outreach.change_kit",
        "outreach.view_shift",
        "outreach.add_shift",
        "outreach.delete_shift",
        "appointments.view_appointment",
        "appointments.change_appointment",
        "appointments.view_slot",
        "appointments.change_slot",
        "appointments.view_session",
        "appointments.add_session",
        "appointments.change_session",
        "appointments.view_saturdayrule",
        "appointments.add_saturdayrule",
        "appointments.change_saturdayrule",
        "appointments.view_calendaroverride",
        "appointments.add_calendaroverride",
        "appointments.change_calendaroverride",
        "appointments.view_sessionquota",
        "appointments.add_sessionquota",
        "appointments.change_sessionquota",
        "appointments.view_bookingrules",
        "appointments.change_bookingrules",
        "core.view_mission",
        "catalog.view_service",
        "catalog.change_service",
        "catalog.view_requirement",
        "catalog.add_requirement",
        "catalog.change_requirement",
        "catalog.view_fee",
        "catalog.change_fee",
        "people.view_citizenprofile",
        "people.view_staffmembership",
        "audit.view_auditevent",
        "queue.operate_counter",
        "queue.use_kiosk",
        "queue.view_display",
        "queue.view_ticket",
        "queue.view_counter",
        "queue.add_counter",
        "queue.change_counter",
        "queue.view_queuesettings",
        "queue.change_queuesettings",
        "applications.view_application",
        "applications.change_application",
        "applications.decide_application",
        "applications.view_payment",
        "applications.add_payment",
        "applications.view_requirementupload",
        "applications.change_requirementupload",
        "applications.view_servicerule",
        "applications.change_servicerule",
        "privacy.decide_deletion",
        "privacy.view_deletiondecision",
        "privacy.view_retentionrule",
        "broadcast.view_broadcast",
        "broadcast.send_broadcast",
        "broadcast.view_helpcase",
        "broadcast.change_helpcase",
        "registry.view_stayregistration",
    ],
    "Head of mission": [
        "feedback.view_surveyresponse",
        "feedback.view_followup",
        "feedback.change_followup",
        "reports.view_dashboard",
        "appointments.view_appointment",
        "appointments.view_slot",
        "appointments.view_session",
        "core.view_mission",
        "catalog.view_service",
        "catalog.view_requirement",
        "catalog.view_fee",
        "people.view_citizenprofile",
        "people.view_staffmembership",
        "people.view_accountdeletionrequest",
        "audit.view_auditevent",
        "applications.view_application",
        "applications.view_payment",
        "privacy.decide_deletion",
        "privacy.view_deletiondecision",
        "privacy.view_retentionrule",
    ],
    "System administrator": [
        "outreach.view_pertiwipolicy",
        "outreach.add_pertiwipolicy",
        "outreach.change_pertiwipolicy",
        "appointments.view_session",
        "appointments.view_bookingrules",
        "appointments.add_bookingrules",
        "appointments.change_bookingrules",
        "appointments.view_saturdayrule",
        "appointments.add_saturdayrule",
        "appointments.change_saturdayrule",
        "appointments.delete_saturdayrule",
        "appointments.view_calendaroverride",
        "appointments.add_calendaroverride",
        "appointments.change_calendaroverride",
        "appointments.delete_calendaroverride",
        "core.view_mission",
        "core.change_mission",
        "core.view_openinghours",
        "core.add_openinghours",
        "core.change_openinghours",
        "core.delete_openinghours",
        "catalog.view_service",
        "catalog.add_service",
        "catalog.change_service",
        "catalog.view_requirement",
        "catalog.add_requirement",
        "catalog.change_requirement",
        "catalog.delete_requirement",
        "catalog.view_fee",
        "catalog.add_fee",
        "catalog.change_fee",
        "catalog.delete_fee",
        "people.view_staffmembership",
        "people.add_staffmembership",
        "people.change_staffmembership",
        "people.delete_staffmembership",
        "people.view_accountdeletionrequest",
        "people.change_accountdeletionrequest",
        "audit.view_auditevent",
        "notify.view_outboundmessage",
        "notify.view_contactpreference",
        "notify.view_pendingstatusreport",
        "applications.view_requirementupload",
        "applications.add_requirementupload",
        "applications.change_requirementupload",
        "applications.delete_requirementupload",
        "applications.view_servicerule",
        "applications.add_servicerule",
        "applications.change_servicerule",
        "applications.delete_servicerule",
        "queue.view_counter",
        "queue.add_counter",
        "queue.change_counter",
        "queue.view_queuesettings",
        "queue.add_queuesettings",
        "queue.change_queuesettings",
        "privacy.view_retentionrule",
        "privacy.add_retentionrule",
        "privacy.change_retentionrule",
    ],
    # A tablet at the door and a screen in the waiting room: no citizen data beyond tickets.
    "Kiosk": [
        "feedback.use_survey_kiosk",
        "queue.use_kiosk",
        "queue.view_display",
    ],
}


def ensure_default_roles(*args, using: str = "default", **kwargs) -> None:
    """Give each default role the default permissions it has never been given (post_migrate).

    A role is created when missing. Each default permission is granted once and remembered
    (``DefaultGrant``): a permission added to the defaults by a new release reaches existing
    databases at their next migration, while a permission an administrator removed stays removed.
    """

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    # Every permission read once (not one query per default permission).
    known: dict[str, list[Permission]] = {}
    for permission in Permission.objects.using(using).select_related("content_type"):
        key = f"{permission.content_type.app_label}.{permission.codename}"
        known.setdefault(key, []).append(permission)
    for name, perms in DEFAULT_ROLES.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        wanted = [permission for perm in perms for permission in known.get(perm, [])]
        granted = set(
            DefaultGrant.objects.using(using)
            .filter(group=group)
            .values_list("permission_id", flat=True)
        )
        new = [perm for perm in wanted if perm.pk not in granted]
        if new:
            group.permissions.add(*new)
            DefaultGrant.objects.using(using).bulk_create(
                [DefaultGrant(group=group, permission=perm) for perm in new],
                ignore_conflicts=True,
            )
