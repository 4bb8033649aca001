"""Visit request and team pages: the citizen's own requests, the mission's staff, nobody else."""

import datetime as dt

import pytest
from django.urls import reverse

from pandu.outreach.models import Kit, Shift, Team, VisitRequest
from pandu.people.models import User

from .pertiwi_helpers import approve, local_today, submit

ELDERLY = "soekarno@example.org"
SUPERVISOR = "supervisor@toronto.pandu.test"


def sign_in(client, email):
    client.force_login(User.objects.get(email=email))


def form_data(**overrides):
    today = local_today()
    data = {
        "services": [],
        "window_0_date": (today + dt.timedelta(days=2)).isoformat(),
        "window_0_start": "09:00",
        "window_0_end": "12:00",
        "window_1_date": (today + dt.timedelta(days=4)).isoformat(),
        "window_1_start": "13:00",
        "window_1_end": "16:30",
        "address_line": "22 Elm Drive",
        "city": "Mississauga",
        "province": "ON",
        "postal_code": "L5B 1L9",
        "access_needs": ["wheelchair", "carer"],
        "access_notes": "Bel rusak, ketuk pintu",
        "contact_name": "Guntur",
        "contact_phone": "+1 905 555 0199",
    }
    data.update(overrides)
    return data


def passport_id(demo):
    return demo["toronto"].services.get(code="paspor-ganti").pk


def test_the_visit_button_needs_an_approval(client, demo):
    sign_in(client, ELDERLY)
    page = client.get(reverse("outreach:home"))
    assert reverse("outreach:visit_new") not in page.text
    assert client.get(reverse("outreach:visit_new")).status_code == 302
    approve(ELDERLY)
    page = client.get(reverse("outreach:home"))
    assert reverse("outreach:visit_new") in page.text


def test_citizen_requests_a_visit_with_two_windows(client, demo):
    approve(ELDERLY)
    sign_in(client, ELDERLY)
    form = client.get(reverse("outreach:visit_new"))
    assert form.status_code == 200
    assert 'value="22 Elm Drive"' in form.text  # from the profile
    assert "Legalisasi" not in form.text  # not offered by home visit
    response = client.post(reverse("outreach:visit_new"), form_data(services=[passport_id(demo)]))
    assert response.status_code == 302, response.text
    request = VisitRequest.objects.get()
    assert request.windows.count() == 2 and request.contact_name == "Guntur"
    assert request.access_needs == ["wheelchair", "carer"]
    page = client.get(reverse("outreach:home"))
    assert "Menunggu penjadwalan" in page.text
    assert reverse("outreach:visit_location", kwargs={"public_id": request.public_id}) in page.text


def test_bad_form_shows_errors_by_the_fields_and_keeps_nothing(client, demo):
    approve(ELDERLY)
    sign_in(client, ELDERLY)
    # The form's own checks first: a row half filled.
    response = client.post(
        reverse("outreach:visit_new"), form_data(services=[passport_id(demo)], window_1_start="")
    )
    assert response.status_code == 200 and 'id="form-errors"' in response.text
    assert "Isi tanggal, jam mulai dan jam selesai." in response.text
    # Then the service's rules, by the fields they name.
    response = client.post(
        reverse("outreach:visit_new"),
        form_data(services=[passport_id(demo)], window_0_end="08:00", postal_code="nonsense"),
    )
    assert response.status_code == 200
    assert "Waktu 1: Jam selesai harus sesudah jam mulai." in response.text
    assert "Tulis kode pos Kanada" in response.text
    assert not VisitRequest.objects.exists()
    response = client.post(reverse("outreach:visit_new"), form_data(services=["x"]))
    assert response.status_code == 200 and not VisitRequest.objects.exists()


def test_citizen_corrects_the_location_and_cancels(client, demo):
    approve(ELDERLY)
    request = submit(ELDERLY)
    sign_in(client, ELDERLY)
    url = reverse("outreach:visit_location", kwargs={"public_id": request.public_id})
    assert client.get(url).status_code == 200
    bad = client.post(url, {"lat": "48.85", "lon": "2.35"})
    assert bad.status_code == 200 and "di luar Kanada" in bad.text
    assert client.post(url, {"lat": "43.59", "lon": "-79.64"}).status_code == 302
    request.refresh_from_db()
    assert request.location_source == "manual"
    cancel = reverse("outreach:visit_cancel", kwargs={"public_id": request.public_id})
    assert client.post(cancel).status_code == 302
    request.refresh_from_db()
    assert request.status == "cancelled"


@pytest.mark.parametrize("email", ["siti.rahayu@example.org", SUPERVISOR])
def test_other_citizens_pages_are_not_found(client, demo, email):
    approve(ELDERLY)
    request = submit(ELDERLY)
    sign_in(client, email)
    for name in ("visit_location", "visit_cancel"):
        url = reverse(f"outreach:{name}", kwargs={"public_id": request.public_id})
        assert client.post(url, {"lat": "43.7", "lon": "-79.4"}).status_code == 404
    request.refresh_from_db()
    assert request.status == "requested" and request.location_source == "fsa"


def test_staff_list_and_detail(client, demo):
    approve(ELDERLY)
    request = submit(
        ELDERLY, address_line="1 Road", city="Moosonee", province="ON", postal_code="P0L 1Y0"
    )
    sign_in(client, SUPERVISOR)
    home = client.get(reverse("outreach:review_list"))
    assert reverse("outreach:visit_staff_list") in home.text
    listing = client.get(reverse("outreach:visit_staff_list") + "?status=out_of_reach")
    assert "Soekarno" in listing.text and "Sesi layanan keliling terdekat" in listing.text
    detail_url = reverse("outreach:visit_staff_detail", kwargs={"public_id": request.public_id})
    detail = client.get(detail_url)
    assert "Rumah di lantai dua" in detail.text  # access notes, decrypted for staff
    moved = client.post(detail_url, {"action": "location", "lat": "43.65", "lon": "-79.38"})
    assert moved.status_code == 302
    chosen = client.post(detail_url, {"action": "alternative", "alternative": "mail_in"})
    assert chosen.status_code == 302
    request.refresh_from_db()
    assert (request.reach_code, request.alternative) == ("", "mail_in")
    bad = client.post(detail_url, {"action": "alternative", "alternative": "teleport"})
    assert bad.status_code == 200


def test_officer_sees_but_does_not_change(client, demo):
    approve(ELDERLY)
    request = submit(ELDERLY)
    sign_in(client, "officer@toronto.pandu.test")
    detail_url = reverse("outreach:visit_staff_detail", kwargs={"public_id": request.public_id})
    assert client.get(reverse("outreach:visit_staff_list")).status_code == 200
    page = client.get(detail_url)
    assert page.status_code == 200 and 'name="action"' not in page.text
    response = client.post(detail_url, {"action": "alternative", "alternative": "mail_in"})
    assert response.status_code == 403


def test_other_missions_and_citizens_see_nothing(client, demo):
    approve(ELDERLY)
    request = submit(ELDERLY)
    detail_url = reverse("outreach:visit_staff_detail", kwargs={"public_id": request.public_id})
    sign_in(client, "supervisor@ottawa.pandu.test")
    assert client.get(detail_url).status_code == 404
    assert "Soekarno" not in client.get(reverse("outreach:visit_staff_list")).text
    sign_in(client, "siti.rahayu@example.org")
    assert client.get(reverse("outreach:visit_staff_list")).status_code == 403
    assert client.get(detail_url).status_code == 403


def test_supervisor_manages_teams_kits_and_shifts(client, demo):
    sign_in(client, SUPERVISOR)
    url = reverse("outreach:team_list")
    assert client.get(url).status_code == 200
    officer = User.objects.get(email="officer@toronto.pandu.test")
    response = client.post(
        url, {"action": "team", "name": "Tim Melati", "members": [str(officer.public_id)]}
    )
    assert response.status_code == 302
    team = Team.objects.get()
    assert list(team.members.all()) == [officer]
    again = client.post(url, {"action": "team", "name": "Tim Melati"})
    assert again.status_code == 200 and "Sudah ada tim dengan nama ini." in again.text
    assert client.post(url, {"action": "kit", "label": "Koper 1"}).status_code == 302
    kit = Kit.objects.get()
    edit = reverse("outreach:team_edit", kwargs={"public_id": team.public_id})
    assert client.post(edit, {"name": "Tim Mawar", "is_active": "on"}).status_code == 302
    team.refresh_from_db()
    assert team.name == "Tim Mawar" and not team.members.exists()

    shifts = reverse("outreach:shift_list")
    day = (local_today() + dt.timedelta(days=3)).isoformat()
    data = {
        "team": str(team.public_id),
        "kit": str(kit.public_id),
        "date": day,
        "start": "08:00",
        "end": "18:00",
    }
    assert client.post(shifts, data).status_code == 302
    twice = client.post(shifts, data)
    assert twice.status_code == 200 and "Tim ini sudah bertugas pada tanggal itu." in twice.text
    shift = Shift.objects.get()
    assert "Tim Mawar" in client.get(shifts).text
    status = reverse("outreach:kit_status", kwargs={"public_id": kit.public_id})
    assert client.post(status, {"active": "0"}).status_code == 302
    kit.refresh_from_db()
    assert not kit.is_active
    delete = reverse("outreach:shift_delete", kwargs={"public_id": shift.public_id})
    assert client.post(delete).status_code == 302
    assert not Shift.objects.exists()


def test_team_pages_refuse_officers_and_hide_other_missions(client, demo):
    sign_in(client, SUPERVISOR)
    client.post(reverse("outreach:team_list"), {"action": "team", "name": "Tim Melati"})
    team = Team.objects.get()
    edit = reverse("outreach:team_edit", kwargs={"public_id": team.public_id})
    sign_in(client, "officer@toronto.pandu.test")
    assert client.get(reverse("outreach:team_list")).status_code == 403
    assert client.get(reverse("outreach:shift_list")).status_code == 403
    assert client.get(edit).status_code == 403
    sign_in(client, "supervisor@ottawa.pandu.test")
    assert client.get(edit).status_code == 404
    assert "Tim Melati" not in client.get(reverse("outreach:team_list")).text
    assert client.post(edit, {"name": "Diambil"}).status_code == 404
    team.refresh_from_db()
    assert team.name == "Tim Melati"
