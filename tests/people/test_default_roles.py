"""New default permissions reach existing roles once; an administrator's removal stays."""

from django.contrib.auth.models import Group, Permission

from pandu.people import roles


def perm(label):
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_a_new_default_reaches_an_existing_role_and_a_removed_one_stays_removed(db, monkeypatch):
    roles.ensure_default_roles()
    supervisor = Group.objects.get(name="Supervisor")
    added = "notify.view_outboundmessage"
    removed = "appointments.change_slot"
    assert removed in roles.DEFAULT_ROLES["Supervisor"]
    assert added not in roles.DEFAULT_ROLES["Supervisor"]
    supervisor.permissions.remove(perm(removed))  # an administrator's choice

    monkeypatch.setitem(
        roles.DEFAULT_ROLES, "Supervisor", [*roles.DEFAULT_ROLES["Supervisor"], added]
    )
    roles.ensure_default_roles()  # the next migration of a newer release

    granted = set(supervisor.permissions.values_list("content_type__app_label", "codename"))
    assert tuple(added.split(".")) in granted
    assert tuple(removed.split(".")) not in granted
