"""The staff pages: who sees a deletion request, and confirming or refusing it by POST."""

from __future__ import annotations

import pytest
from django.core import mail

from pandu.people.models import AccountDeletionRequest, User
from pandu.people.services import account_deletion_request

from .conftest import ago, application, appointment


@pytest.fixture
def asked(citizen):
    profile = citizen.citizen
    application(profile, state="collected", decided_at=ago(400))
    appointment(profile, at=ago(420))
    return account_deletion_request(user=citizen, reason="Pindah ke Indonesia")


def _staff(email):
    return User.objects.get(email=email)


def _detail(request):
    return f"/id/privasi/penghapusan-akun/{request.public_id}/"


def test_the_supervisor_sees_the_request_and_its_preview(client, asked, supervisor):
    client.force_login(supervisor)
    listing = client.get("/id/privasi/penghapusan-akun/")
    assert listing.status_code == 200
    assert "Ayu Lestari" in listing.content.decode()
    assert _detail(asked) in listing.content.decode()
    page = client.get(_detail(asked)).content.decode()
    assert "Permohonan yang dokumennya sudah terbit" in page
    assert "UU 6/2011" in page and "Pindah ke Indonesia" in page


def test_the_supervisor_navigation_links_the_page(client, asked, supervisor):
    client.force_login(supervisor)
    assert 'href="/id/privasi/penghapusan-akun/"' in client.get("/id/").content.decode()
    client.force_login(_staff("officer@toronto.pandu.test"))
    assert 'href="/id/privasi/penghapusan-akun/"' not in client.get("/id/").content.decode()


def test_confirming_by_post(client, asked, supervisor, django_capture_on_commit_callbacks):
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_detail(asked) + "konfirmasi/", {"confirm-checked": "on"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "completed"
    (message,) = mail.outbox
    assert message.to == ["ayu@example.org"] and "dihapus" in message.subject
    page = client.get(_detail(asked)).content.decode()
    assert "Dikonfirmasi" in page and "sampai" in page


def test_confirming_needs_the_box_ticked(client, asked, supervisor):
    client.force_login(supervisor)
    response = client.post(_detail(asked) + "konfirmasi/", {})
    assert response.status_code == 200
    assert "Centang ini untuk mengonfirmasi penghapusan." in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == "requested"


def test_a_blocked_confirmation_says_why(client, asked, supervisor):
    import datetime as dt

    from pandu.core import clock

    appointment(asked.user.citizen, at=clock.now() + dt.timedelta(days=3), status="booked")
    client.force_login(supervisor)
    response = client.post(_detail(asked) + "konfirmasi/", {"confirm-checked": "on"})
    assert response.status_code == 200
    assert "Selesaikan atau batalkan dahulu" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == "requested"


def test_refusing_by_post_and_the_citizen_sees_why(client, asked, supervisor, citizen):
    client.force_login(supervisor)
    empty = client.post(_detail(asked) + "tolak/", {"refuse-reason": " "})
    assert empty.status_code == 200 and "Tulis alasan penolakan" in empty.content.decode()
    response = client.post(_detail(asked) + "tolak/", {"refuse-reason": "Paspor belum diambil."})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "refused"
    client.force_login(citizen)
    profile = client.get("/id/account/profile/").content.decode()
    assert "ditolak" in profile and "Paspor belum diambil." in profile
    assert 'href="/id/account/delete/"' in profile  # they may ask again


def test_head_of_mission_may_decide(client, asked):
    client.force_login(_staff("head@toronto.pandu.test"))
    response = client.post(_detail(asked) + "tolak/", {"refuse-reason": "Belum bisa."})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "email", ["officer@toronto.pandu.test", "sysadmin@toronto.pandu.test", "ayu@example.org"]
)
def test_others_are_refused(client, asked, email):
    client.force_login(_staff(email))
    assert client.get("/id/privasi/penghapusan-akun/").status_code == 403
    assert client.get(_detail(asked)).status_code == 403
    assert client.post(_detail(asked) + "konfirmasi/", {"confirm-checked": "on"}).status_code == 403
    assert AccountDeletionRequest.objects.get(pk=asked.pk).status == "requested"


def test_another_missions_supervisor_gets_not_found(client, asked):
    client.force_login(_staff("supervisor@ottawa.pandu.test"))
    assert client.get("/id/privasi/penghapusan-akun/").status_code == 200
    assert "Ayu Lestari" not in client.get("/id/privasi/penghapusan-akun/").content.decode()
    assert client.get(_detail(asked)).status_code == 404
    assert client.post(_detail(asked) + "konfirmasi/", {"confirm-checked": "on"}).status_code == 404
    assert client.post(_detail(asked) + "tolak/", {"refuse-reason": "x"}).status_code == 404
    assert AccountDeletionRequest.objects.get(pk=asked.pk).status == "requested"


def test_signed_out_visitors_are_sent_to_sign_in(client, asked):
    response = client.get(_detail(asked))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_deciding_needs_a_post_and_an_existing_request(client, asked, supervisor):
    client.force_login(supervisor)
    assert client.get(_detail(asked) + "konfirmasi/").status_code == 405
    assert (
        client.get("/id/privasi/penghapusan-akun/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


def test_the_decision_needs_the_csrf_token(asked, supervisor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)
    response = client.post(_detail(asked) + "konfirmasi/", {"confirm-checked": "on"})
    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.status == "requested"
