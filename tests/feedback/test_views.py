"""Survey pages without sign-in, the kiosk, and the supervisors' follow-up pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pandu.feedback import services
from pandu.feedback.models import FollowUp, SurveyResponse

from .conftest import HAPPY

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_invitation(toronto):
    return services.survey_invite(mission=toronto, channel="saturday", email="ayu@example.org")


def answers(**changes):
    return {**{k: str(v) for k, v in HAPPY.items()}, **changes}


def test_the_survey_page_shows_the_nine_questions_in_both_languages(client, open_invitation):
    _invitation, token = open_invitation
    page = client.get(f"/id/survei/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="usa-radio__input"') == 36
    assert "Sangat sesuai" in html and "Dikelola dengan baik" in html
    assert client.get(f"/en/survei/{token}/").status_code == 200


def test_submitting_records_once_then_the_link_says_it_was_used(client, open_invitation):
    _invitation, token = open_invitation
    sent = client.post(f"/id/survei/{token}/", answers(comment="Cepat sekali."))
    assert sent.status_code == 302 and sent.url == "/id/survei/terima-kasih/"
    assert client.get(sent.url).status_code == 200
    assert SurveyResponse.objects.get().comment == "Cepat sekali."
    again = client.post(f"/id/survei/{token}/", answers())
    assert again.status_code == 410 and "sudah diisi" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_missing_answers_show_messages_and_record_nothing(client, open_invitation):
    _invitation, token = open_invitation
    data = answers()
    del data["u5"]
    page = client.post(f"/id/survei/{token}/", {**data, "u2": "9"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="form-errors"' in html and "Pilih salah satu jawaban" in html
    assert not SurveyResponse.objects.exists()


def test_wrong_and_expired_tokens_get_clear_pages(client, open_invitation):
    invitation, token = open_invitation
    wrong = client.get("/id/survei/bukan-token/")
    assert wrong.status_code == 404 and "tidak dikenal" in wrong.content.decode()
    invitation.__class__.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40),
        expires_at=timezone.now() - dt.timedelta(days=10),
    )
    expired = client.post(f"/id/survei/{token}/", answers())
    assert expired.status_code == 410 and "kedaluwarsa" in expired.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_kiosk_needs_a_staff_session(client, officer, book, toronto):
    from pandu.appointments.services import appointment_mark_served

    assert client.get("/id/survei/kios/").status_code == 302  # to sign-in
    appointment = book(day=timezone.localdate(timezone.now(), toronto.zone))
    appointment_mark_served(appointment=appointment, by=officer)
    client.force_login(officer)
    page = client.post("/id/survei/kios/", {"code": "TOR-NOPE"})
    assert page.status_code == 200 and "Tidak ada survei terbuka" in page.content.decode()
    found = client.post("/id/survei/kios/", {"code": appointment.reference})
    assert found.status_code == 302
    sent = client.post(found.url, answers(u7="1"))
    assert sent.status_code == 302 and sent.url == "/id/survei/kios/terima-kasih/"
    response = SurveyResponse.objects.get()
    assert response.via_kiosk and response.invitation.appointment == appointment
    assert FollowUp.objects.filter(response=response).exists()


def test_follow_up_pages_for_supervisors_only(client, open_invitation, supervisor, officer):
    invitation, _token = open_invitation
    response = services.survey_submit(invitation=invitation, answers={**HAPPY, "u1": 1})
    follow_up = response.follow_up
    url = f"/id/survei/tindak-lanjut/{follow_up.public_id}/"
    client.force_login(officer)
    assert client.get("/id/survei/tindak-lanjut/").status_code == 403
    assert client.get(url).status_code == 403
    client.force_login(supervisor)
    listing = client.get("/id/survei/tindak-lanjut/")
    assert listing.status_code == 200 and str(follow_up.public_id) in listing.content.decode()
    assert client.get(url).status_code == 200
    assigned = client.post(url, {"action": "assign", "assignee": supervisor.pk})
    assert assigned.status_code == 302
    refused = client.post(url, {"action": "close", "outcome": ""})
    assert refused.status_code == 200 and "Tuliskan hasil" in refused.content.decode()
    closed = client.post(url, {"action": "close", "outcome": "Warga ditelepon."})
    assert closed.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.outcome) == ("closed", "Warga ditelepon.")
    assert client.get(url).status_code == 200


def test_another_missions_supervisor_cannot_reach_the_follow_up(client, open_invitation):
    from pandu.people.models import User

    invitation, _token = open_invitation
    follow_up = services.survey_submit(invitation=invitation, answers={**HAPPY, "u1": 1}).follow_up
    client.force_login(User.objects.get(email="supervisor@ottawa.pandu.test"))
    assert client.get(f"/id/survei/tindak-lanjut/{follow_up.public_id}/").status_code == 404
