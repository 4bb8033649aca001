"""The default staff roles, as data.

Each role is a Django permission group. Code never tests a role's name: it asks for a permission
(``user.has_perm("catalog.change_service", service)``), and the mission-aware backend answers from
the user's memberships in that object's mission. These defaults are created when missing after
each migration; an administrator may change their permissions freely afterwards, and those changes
are kept.
"""

from __future__ import annotations

DEFAULT_ROLES: dict[str, list[str]] = {
    "Officer": [
        "core.view_mission",
        "catalog.view_service",
        "catalog.view_requirement",
        "catalog.view_fee",
        "people.view_citizenprofile",
    ],
    "Supervisor": [
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
    ],
    "Head of mission": [
        "core.view_mission",
        "catalog.view_service",
        "catalog.view_requirement",
        "catalog.view_fee",
        "people.view_citizenprofile",
        "people.view_staffmembership",
        "people.view_accountdeletionrequest",
        "audit.view_auditevent",
    ],
    "System administrator": [
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
    ],
}


def ensure_default_roles(*args, using: str = "default", **kwargs) -> None:
    """Create each default role that does not exist yet (post_migrate receiver)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    for name, perms in DEFAULT_ROLES.items():
        group, created = Group.objects.using(using).get_or_create(name=name)
        if not created:
            continue
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(
                Permission.objects.using(using).filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)
