"""The citizen's "I am safe / I need help" link, and the help list staff work through."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pandu.audit.models import AuditEvent
from pandu.broadcast import services, tokens
from pandu.broadcast.models import Delivery, HelpCase

from .factories import make_citizens
from .helpers import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliveries(toronto, supervisor, providers, django_capture_on_commit_callbacks):
    make_citizens(toronto, 3, lat=43.66, lon=-79.39)
    broadcast = draft(toronto, supervisor, km=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_send(broadcast=broadcast, by=supervisor)
    return list(Delivery.objects.filter(broadcast=broadcast).select_related("citizen"))


def link(delivery, language="id"):
    return f"/{language}/pesan-krisis/balas/{tokens.reply_token(delivery.public_id)}/"


def test_the_reply_page_shows_the_message_and_both_buttons_without_sign_in(client, deliveries):
    html = client.get(link(deliveries[0], "en")).content.decode()
    assert "Flood warning" in html and "Flooding in Toronto" in html
    assert 'value="safe"' in html and 'value="help"' in html


def test_i_am_safe_is_counted_and_opens_no_case(client, deliveries):
    page = client.post(link(deliveries[0]), {"answer": "safe"})
    assert page.status_code == 200 and "Terima kasih" in page.content.decode()
    deliveries[0].refresh_from_db()
    assert deliveries[0].answer == "safe" and not HelpCase.objects.exists()


def test_i_need_help_opens_a_case_with_the_note_and_phone(client, deliveries):
    client.post(
        link(deliveries[1]),
        {"answer": "help", "note": "Air masuk rumah", "phone": "+1 416 555 0177"},
    )
    case = HelpCase.objects.get(delivery=deliveries[1])
    assert case.status == "open" and case.mission == deliveries[1].broadcast.mission
    reply = deliveries[1].replies.get()
    assert reply.note == "Air masuk rumah" and reply.phone == "+1 416 555 0177"
    assert AuditEvent.objects.filter(event="broadcast_replied", object_ref=deliveries[1].public_id)


def test_bad_replies_change_nothing(client, deliveries):
    page = client.post(link(deliveries[0]), {"answer": "help", "phone": "call me maybe"})
    assert 'id="form-errors"' in page.content.decode()
    assert client.post(link(deliveries[0]), {"answer": "maybe"}).status_code == 200
    forged = tokens.reply_token(deliveries[0].public_id)[:-2] + "xx"
    assert client.get(f"/id/pesan-krisis/balas/{forged}/").status_code == 404
    assert client.get("/id/pesan-krisis/balas/short/").status_code == 404
    assert not HelpCase.objects.exists()
    deliveries[0].refresh_from_db()
    assert deliveries[0].answer == ""


def test_the_link_closes_after_the_reply_period(client, deliveries, settings, time_machine):
    time_machine.move_to(timezone.now() + dt.timedelta(days=settings.BROADCAST_REPLY_DAYS + 1))
    assert client.post(link(deliveries[0]), {"answer": "help"}).status_code == 410
    assert not HelpCase.objects.exists()


def test_staff_claim_note_and_resolve_and_each_step_is_audited(
    client, deliveries, officer, supervisor
):
    client.post(link(deliveries[0]), {"answer": "help"})
    case = HelpCase.objects.get()
    page = f"/id/pesan-krisis/bantuan/{case.public_id}/"
    client.force_login(officer)
    assert (
        deliveries[0].citizen.full_name in client.get("/id/pesan-krisis/bantuan/").content.decode()
    )
    client.post(page, {"action": "claim"})
    refused = client.post(page, {"action": "resolve", "text": ""})
    assert 'id="form-errors"' in refused.content.decode()
    client.post(page, {"action": "note", "text": "Ditelepon, keluarga dijemput."})
    client.post(page, {"action": "resolve", "text": "Sudah di tempat penampungan."})
    case.refresh_from_db()
    assert case.status == "resolved" and case.claimed_by == officer
    assert [n.text for n in case.notes.all()] == [
        "Ditelepon, keluarga dijemput.",
        "Sudah di tempat penampungan.",
    ]
    events = set(
        AuditEvent.objects.filter(object_ref=case.public_id).values_list("event", flat=True)
    )
    assert events == {"help_claimed", "help_noted", "help_resolved"}
    again = client.post(page, {"action": "claim"}, follow=True)  # resolved: refused
    assert "sudah selesai" in again.content.decode()
    case.refresh_from_db()
    assert case.status == "resolved"


def test_the_list_shows_unresolved_first_and_newest_first(
    client, deliveries, officer, time_machine
):
    start = timezone.now()
    for minutes, delivery in enumerate(deliveries):
        time_machine.move_to(start + dt.timedelta(minutes=minutes))
        client.post(link(delivery), {"answer": "help"})
    first = HelpCase.objects.get(delivery=deliveries[2])  # the newest
    services.help_resolve(case=first, text="Selesai.", by=officer)
    client.force_login(officer)
    html = client.get("/id/pesan-krisis/bantuan/?status=all").content.decode()
    names = [d.citizen.full_name for d in deliveries]
    positions = [html.index(name) for name in (names[1], names[0], names[2])]
    assert positions == sorted(positions)
    active = client.get("/id/pesan-krisis/bantuan/").content.decode()
    assert names[2] not in active


def test_other_missions_staff_and_citizens_cannot_open_a_case(
    client, deliveries, other_supervisor, citizen
):
    client.post(link(deliveries[0]), {"answer": "help"})
    case = HelpCase.objects.get()
    page = f"/id/pesan-krisis/bantuan/{case.public_id}/"
    client.force_login(other_supervisor)
    assert client.get(page).status_code == 404
    assert client.post(page, {"action": "claim"}).status_code == 404
    client.force_login(citizen)
    assert client.get(page).status_code == 403
    case.refresh_from_db()
    assert case.status == "open"


def test_the_reply_page_speaks_english_on_the_english_link(client, deliveries):
    html = client.get(link(deliveries[0], "en")).content.decode()
    assert "I am safe" in html and "I need help" in html and "Saya aman" not in html
    thanks = client.post(link(deliveries[0], "en"), {"answer": "help"}).content.decode()
    assert "Mission staff will contact you" in thanks
