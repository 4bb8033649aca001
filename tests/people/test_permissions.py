"""Least privilege: roles come from data; an officer sees only their own mission."""

import pytest
from django.contrib.auth.models import Group

from pandu.audit.models import AuditEvent
from pandu.catalog.models import Service
from pandu.people.models import CitizenProfile, User


def user(email):
    return User.objects.get(email=email)


def test_officer_permissions_stop_at_the_mission_border(demo):
    officer = user("officer@toronto.pandu.test")
    toronto_citizen = CitizenProfile.objects.get(user__email="siti.rahayu@example.org")
    ottawa_citizen = CitizenProfile.objects.get(user__email="dewi.lestari@example.org")
    assert officer.has_perm("people.view_citizenprofile", toronto_citizen)
    assert not officer.has_perm("people.view_citizenprofile", ottawa_citizen)
    assert not officer.has_perm(
        "catalog.change_service", Service.objects.filter(mission__slug="toronto").first()
    )


def test_supervisor_may_change_own_catalogue_only(demo):
    supervisor = user("supervisor@toronto.pandu.test")
    assert supervisor.has_perm(
        "catalog.change_service", Service.objects.filter(mission__slug="toronto").first()
    )
    assert not supervisor.has_perm(
        "catalog.change_service", Service.objects.filter(mission__slug="ottawa").first()
    )


def test_citizen_has_no_staff_permissions(demo):
    citizen = user("siti.rahayu@example.org")
    assert citizen.get_all_permissions() == set()
    assert not citizen.is_staff


def test_roles_are_data_an_administrator_can_change(demo):
    officer = user("officer@toronto.pandu.test")
    service = Service.objects.filter(mission__slug="toronto").first()
    role = Group.objects.get(name="Officer")
    from django.contrib.auth.models import Permission

    role.permissions.add(Permission.objects.get(codename="change_service"))
    officer = user("officer@toronto.pandu.test")  # fresh object, fresh permission cache
    assert officer.has_perm("catalog.change_service", service)


@pytest.mark.parametrize(
    ("email", "sees", "hidden"),
    [
        ("officer@toronto.pandu.test", "Siti Rahayu", "Dewi Lestari"),
        ("officer@ottawa.pandu.test", "Dewi Lestari", "Siti Rahayu"),
    ],
)
def test_admin_lists_only_the_officer_s_mission(client, demo, email, sees, hidden):
    client.force_login(user(email))
    response = client.get("/admin/people/citizenprofile/")
    assert response.status_code == 200
    html = response.content.decode()
    assert sees in html and hidden not in html


def test_guessing_another_mission_s_object_id_in_admin_fails(client, demo):
    client.force_login(user("officer@toronto.pandu.test"))
    ottawa = CitizenProfile.objects.get(user__email="dewi.lestari@example.org")
    response = client.get(f"/admin/people/citizenprofile/{ottawa.pk}/change/")
    assert response.status_code in (302, 404)
    assert "Dewi Lestari" not in response.content.decode()


def test_officer_cannot_open_user_accounts_or_audit_log(client, demo):
    client.force_login(user("officer@toronto.pandu.test"))
    assert client.get("/admin/people/user/").status_code == 403
    assert client.get("/admin/audit/auditevent/").status_code == 403


def test_admin_change_is_audited(client, demo):
    client.force_login(user("supervisor@toronto.pandu.test"))
    service = Service.objects.get(mission__slug="toronto", code="splp")
    page = client.get(f"/admin/catalog/service/{service.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["channels"] = '["weekday", "saturday", "pertiwi"]'
    data["counter_minutes"] = 25
    data["mission"] = service.mission_id
    for inline in page.context["inline_admin_formsets"]:
        fs = inline.formset
        data[f"{fs.prefix}-TOTAL_FORMS"] = len(fs.forms) - len(fs.extra_forms)
        data[f"{fs.prefix}-INITIAL_FORMS"] = len(fs.initial_forms)
        for i, f in enumerate(fs.initial_forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if name == "id":
                    value = f.instance.pk
                if name == "service":
                    value = service.pk
                if value is not None and value is not False:
                    data[f"{fs.prefix}-{i}-{name}"] = value
    response = client.post(f"/admin/catalog/service/{service.pk}/change/", data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    assert Service.objects.get(pk=service.pk).counter_minutes == 25
    event = AuditEvent.objects.filter(event="service_changed_in_admin").get()
    assert event.actor.email == "supervisor@toronto.pandu.test"
    assert "counter_minutes" in event.data["fields"]
