"""Lapor diri pages: the citizen's form (with family rows), their page, and staff access."""

from __future__ import annotations

from django.urls import reverse

from pandu.people.models import User
from pandu.registry.models import StayRegistration


def form_post(**changes):
    data = {
        "registered_as": "self",
        "address_line": "1 Portage Avenue",
        "city": "Winnipeg",
        "province": "MB",
        "postal_code": "R3C 0S6",
        "phone": "+1 204 555 0111",
        "purpose": "work",
        "arrived_on": "2026-02-01",
        "expected_until": "",
        "emergency_id_name": "Agus Saputra",
        "emergency_id_phone": "+62 811 000 111",
        "emergency_local_name": "",
        "emergency_local_phone": "",
        "language": "en",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "12",
        "members-0-full_name": "Sari Saputra",
        "members-0-relation": "spouse",
        "members-0-date_of_birth": "1991-05-01",
        "members-0-is_citizen": "on",
        "members-1-full_name": "",
        "members-1-relation": "",
    }
    data.update(changes)
    return data


def test_the_citizen_registers_through_the_form(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("registry:register")).status_code == 200
    response = client.post(reverse("registry:register"), form_post())
    assert response.status_code == 302 and response["Location"] == reverse("registry:mine")
    registration = StayRegistration.objects.get(citizen=citizen.citizen)
    assert (registration.city, registration.purpose, registration.language) == (
        "Winnipeg",
        "work",
        "en",
    )
    assert [m.full_name for m in registration.members.all()] == ["Sari Saputra"]
    page = client.get(reverse("registry:mine"))
    assert "1 Portage Avenue, Winnipeg MB R3C 0S6" in page.text
    assert reverse("registry:letter") in page.text
    # A second visit to the form goes to the change form.
    assert client.get(reverse("registry:register"))["Location"] == reverse("registry:edit")


def test_bad_input_shows_the_errors_and_writes_nothing(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("registry:register"),
        form_post(postal_code="M5V 3L9", **{"members-0-relation": "cousin"}),
    )
    assert response.status_code == 422
    assert 'id="form-errors"' in response.text
    assert "Anggota keluarga 1" in response.text
    assert not StayRegistration.objects.filter(citizen=citizen.citizen).exists()


def test_a_move_asks_for_consent_then_hands_over(client, citizen, registered, demo):
    client.force_login(citizen)
    montreal = form_post(
        address_line="3450 McTavish Street",
        city="Montreal",
        province="QC",
        postal_code="H3A 0E5",
        **{"members-INITIAL_FORMS": "0"},
    )
    response = client.post(reverse("registry:edit"), montreal)
    assert response.status_code == 422
    assert demo["ottawa"].name in response.text and 'name="handover_consent"' in response.text
    assert StayRegistration.objects.get(pk=registered.pk).status == "active"
    response = client.post(
        reverse("registry:edit"), {**montreal, "handover_consent": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("registry:mine")
    assert "Ubah juga alamat di profil akun Anda" in response.text
    assert StayRegistration.objects.get(pk=registered.pk).status == "moved"
    assert (
        StayRegistration.objects.get(citizen=citizen.citizen, status="active").mission
        == (demo["ottawa"])
    )


def test_renew_and_end_are_posts(client, citizen, registered):
    client.force_login(citizen)
    assert client.get(reverse("registry:renew")).status_code == 405
    assert client.post(reverse("registry:renew")).status_code == 302
    registered.refresh_from_db()
    assert registered.renewed_at is not None
    client.post(reverse("registry:end"))  # without the confirmation: nothing ends
    assert StayRegistration.objects.get(pk=registered.pk).status == "active"
    client.post(reverse("registry:end"), {"confirm": "yes"})
    assert StayRegistration.objects.get(pk=registered.pk).status == "ended"


def test_pages_need_a_citizen(client, demo):
    client.force_login(User.objects.get(email="officer@toronto.pandu.test"))
    assert client.get(reverse("registry:mine")).status_code == 404
    client.logout()
    assert client.get(reverse("registry:mine")).status_code == 302  # to the sign-in page


def test_staff_of_the_mission_list_search_and_read(client, registered, demo):
    client.force_login(User.objects.get(email="officer@toronto.pandu.test"))
    page = client.get(reverse("registry:staff_list"))
    assert page.status_code == 200 and "Ayu Lestari" in page.text
    assert "Ayu Lestari" in client.get(reverse("registry:staff_list"), {"q": "waterloo"}).text
    assert "Ayu Lestari" not in client.get(reverse("registry:staff_list"), {"q": "brandon"}).text
    assert (
        "Ayu Lestari"
        not in client.get(reverse("registry:staff_list"), {"purpose": "work", "status": ""}).text
    )
    detail = client.get(
        reverse("registry:staff_detail", kwargs={"public_id": registered.public_id})
    )
    assert detail.status_code == 200 and "+62 812 3456 7890" in detail.text
    assert "Bima Lestari" in detail.text


def test_other_missions_staff_and_citizens_are_kept_out(client, citizen, registered):
    url = reverse("registry:staff_detail", kwargs={"public_id": registered.public_id})
    client.force_login(User.objects.get(email="officer@ottawa.pandu.test"))
    assert "Ayu Lestari" not in client.get(reverse("registry:staff_list")).text
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(reverse("registry:staff_list")).status_code == 403
    assert client.get(url).status_code == 403
    client.force_login(User.objects.get(email="sysadmin@toronto.pandu.test"))
    assert client.get(reverse("registry:staff_list")).status_code == 403


def test_the_catalogue_and_the_profile_link_to_lapor_diri(client, citizen):
    page = client.get(
        reverse("core:service_detail", kwargs={"mission": "toronto", "code": "lapor-diri"})
    )
    assert reverse("registry:mine") in page.text
    client.force_login(citizen)
    assert reverse("registry:mine") in client.get(reverse("people:profile")).text
