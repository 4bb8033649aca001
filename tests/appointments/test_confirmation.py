"""The confirmation e-mail, its calendar file and its QR code, read back as a citizen's tools would."""

import datetime as dt
import io

import zxingcpp
from django.core import mail
from icalendar import Calendar
from PIL import Image

from pandu.appointments import documents, services

from .conftest import NOW


def test_confirmation_mail_with_calendar_file_and_qr(
    make_citizen, passport_slot, django_capture_on_commit_callbacks
):
    citizen = make_citizen()
    citizen.user.preferred_language = "en"
    citizen.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.appointment_book(
            citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
        )
    message = mail.outbox[-1]
    assert message.to == [citizen.user.email]
    assert appointment.reference in message.subject
    assert "Tuesday, 12 January 2027, 09:30" in message.body
    assert "Current passport" in message.body  # what to bring, in English
    assert "/en/appointments/manage/" in message.body  # a link that works without signing in

    (ics_name, ics_bytes, ics_type), (qr_name, qr_bytes, qr_type) = message.attachments
    assert ics_type == "text/calendar" and qr_type == "image/png"
    event = Calendar.from_ical(ics_bytes).walk("VEVENT")[0]
    assert event.decoded("dtstart") == dt.datetime(2027, 1, 12, 14, 30, tzinfo=dt.UTC)  # 09:30 EST
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=15)
    assert "129 Jarvis Street" in str(event["location"])
    assert appointment.reference in str(event["description"])
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_bytes)))
    assert [code.text for code in decoded] == [f"PANDU:{appointment.reference}"]


def test_qr_code_holds_the_reference(make_citizen, passport_slot):
    appointment = services.appointment_book(
        citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
    )
    assert documents.checkin_payload(appointment) == f"PANDU:{appointment.reference}"
    svg = documents.qr_svg(appointment)
    assert svg.startswith("<svg") and "path" in svg


def test_mail_link_lets_the_owner_reschedule_and_cancel_without_signing_in(
    client, make_citizen, passport_slot, django_capture_on_commit_callbacks, monkeypatch
):
    import re

    from django.utils import timezone

    from pandu.appointments.models import Appointment, Slot

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    citizen = make_citizen()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = services.appointment_book(
            citizen=citizen, slot=passport_slot, service=passport_slot.service, now=NOW
        )
    path = re.search(
        r"http://127\.0\.0\.1:8000(/id/appointments/manage/\S+/)", mail.outbox[-1].body
    ).group(1)
    page = client.get(path)
    assert page.status_code == 200
    offers = page.context["offers"]
    assert offers and passport_slot not in offers
    response = client.post(path, {"action": "reschedule", "slot": str(offers[0].public_id)})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.slot_id == offers[0].pk and appointment.reschedules == 1
    assert Slot.objects.get(pk=passport_slot.pk).booked == 0

    client.post(path, {"action": "cancel"})  # no confirmation ticked: nothing happens
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"
    client.post(path, {"action": "cancel", "confirm": "yes"})
    assert Appointment.objects.get(pk=appointment.pk).status == "cancelled"


def test_tampered_mail_link_is_refused(client, make_citizen, passport_slot):
    appointment = services.appointment_book(
        citizen=make_citizen(), slot=passport_slot, service=passport_slot.service, now=NOW
    )
    token = services.manage_token(appointment)
    response = client.get(f"/en/appointments/manage/{token[:-3]}abc/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode() or "tidak sah" in response.content.decode()
