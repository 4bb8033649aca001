"""A registration prefills the booking page, the application form and the Pertiwi request."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from pandu.people.models import User
from pandu.registry.selectors import prefill_for
from pandu.registry.services import stay_end, stay_register
from tests.outreach.pertiwi_helpers import approve

ELDERLY = "soekarno@example.org"


def register(email, stay_fields, **changes):
    user = User.objects.get(email=email)
    return stay_register(citizen=user.citizen, by=user, fields={**stay_fields, **changes})


def test_prefill_is_the_active_registrations_data(registered, citizen):
    prefill = prefill_for(citizen.citizen)
    assert prefill.address() == {
        "address_line": "200 University Avenue West",
        "city": "Waterloo",
        "province": "ON",
        "postal_code": "N2L 3G1",
    }
    assert prefill.phone == "+1 519 555 0142"
    assert (prefill.emergency_name, prefill.emergency_phone) == ("Rina Halim", "+1 519 555 0199")
    stay_end(registration=registered, by=citizen)
    assert prefill_for(citizen.citizen) is None


def test_the_booking_page_shows_the_registered_address(client, citizen, registered):
    client.force_login(citizen)
    page = client.get(
        reverse("appointments:book", kwargs={"mission": "toronto", "code": "legalisasi"})
    )
    assert page.status_code == 200
    assert "200 University Avenue West, Waterloo ON N2L 3G1" in page.text
    assert reverse("registry:edit") in page.text


def test_without_a_registration_the_booking_page_shows_no_prefill(client, citizen):
    client.force_login(citizen)
    page = client.get(
        reverse("appointments:book", kwargs={"mission": "toronto", "code": "legalisasi"})
    )
    assert page.status_code == 200 and 'id="prefill"' not in page.text


def test_the_application_form_starts_from_the_registered_birth_date_and_sex(
    client, citizen, registered
):
    from pandu.applications.services import application_start

    service = citizen.citizen.mission.services.get(code="paspor-ganti")
    application = application_start(citizen=citizen.citizen, service=service, by=citizen)
    client.force_login(citizen)
    page = client.get(reverse("applications:edit", kwargs={"public_id": application.public_id}))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["birth_date"] == dt.date(1990, 8, 17)
    assert form.initial["sex"] == "F"
    assert "200 University Avenue West" in page.text


def test_the_pertiwi_request_starts_from_the_registered_address(client, demo, stay_fields):
    register(
        ELDERLY,
        stay_fields,
        address_line="55 King Street",
        city="Thunder Bay",
        postal_code="P7B 6S8",
        phone="+1 807 555 0160",
    )
    approve(ELDERLY)
    client.force_login(User.objects.get(email=ELDERLY))
    page = client.get(reverse("outreach:visit_new"))
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert (initial["address_line"], initial["city"]) == ("55 King Street", "Thunder Bay")
    assert initial["postal_code"] == "P7B 6S8" and initial["contact_phone"] == "+1 807 555 0160"
    assert 'value="55 King Street"' in page.text
    assert "Dari lapor diri Anda" in page.text
