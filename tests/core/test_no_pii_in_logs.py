"""No personal data in the logs: the main journeys, with every logger at DEBUG and SQL logging on,
leave no NIK, passport number, e-mail address or full name of the citizen in any log record.

Logs are copied to places the personal data rules do not reach (terminals, log collectors,
support tickets), so they must not carry what identifies a citizen (docs/privacy.md "Logs").
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image

from pandu.applications import services as application_services
from pandu.applications.models import Document
from pandu.applications.workflow import Event
from pandu.appointments.calendar import local_to_utc
from pandu.appointments.models import Session, Slot
from pandu.appointments.services import appointment_book, extra_session_create
from pandu.catalog.models import Service
from pandu.feedback import services as feedback_services
from pandu.people.models import CitizenProfile, User
from pandu.queue import services as queue_services

EMAIL = "ayu.lestari@example.org"
PASSWORD = "Kuat-sekali-2026"
NIK = "3171015708900001"
PASSPORT = "B7654321"
OLD_PASSPORT = "A1234567"
FULL_NAME = "Ayu Lestari"
SECRETS = [NIK, PASSPORT, OLD_PASSPORT, EMAIL, FULL_NAME, "ayu.lestari"]
DAY = dt.date(2027, 1, 12)  # a Tuesday; the journeys pass their own clock to the services

LOGGERS = ["", "django", "django.db.backends", "django.request", "pandu", "axes"]


@pytest.fixture
def every_log(caplog):
    """Every logger at DEBUG, and SQL statements logged as with DEBUG=True."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    forced = connection.force_debug_cursor
    connection.force_debug_cursor = True
    yield caplog
    connection.force_debug_cursor = forced


def _rendered(record: logging.LogRecord) -> str:
    parts = [record.getMessage()]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    if record.exc_text:
        parts.append(record.exc_text)
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts)


def _leaks(records) -> list[str]:
    found = []
    for record in records:
        text = _rendered(record)
        for secret in SECRETS:
            if secret.lower() in text.lower():
                found.append(f"{record.name} {record.levelname}: {secret!r} in {text[:300]!r}")
    return found


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 180, 160)).save(out, "PNG")
    return out.getvalue()


def pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _signup(client, django_capture_on_commit_callbacks):
    data = {
        "email": EMAIL,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "preferred_language": "id",
        "consent": "on",
        "full_name": FULL_NAME,
        "date_of_birth_day": 17,
        "date_of_birth_month": 8,
        "date_of_birth_year": 1990,
        "sex": "F",
        "nik": NIK,
        "passport_number": PASSPORT,
        "phone": "+1 416 555 0199",
        "address_line": "100 King Street West",
        "city": "Toronto",
        "province": "ON",
        "postal_code": "M5X 1A9",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/id/account/signup/", data).status_code == 302
    link = re.search(r"http://127\.0\.0\.1:8000(/id/account/verify/\S+/)", mail.outbox[-1].body)
    assert client.get(link.group(1)).status_code == 302
    signed_in = client.post("/id/account/login/", {"username": EMAIL, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert FULL_NAME in client.get("/id/account/profile/").text
    data.pop("password1"), data.pop("password2"), data.pop("email"), data.pop("consent")
    data["phone"] = "+1 647 555 0123"
    assert client.post("/id/account/profile/edit/", data).status_code == 302
    return CitizenProfile.objects.get(user__email=EMAIL)


def _book_check_in_and_call(citizen, toronto, officer):
    service = Service.objects.get(mission=toronto, code="paspor-ganti")
    session = extra_session_create(
        mission=toronto,
        day=DAY,
        opens=dt.time(9),
        closes=dt.time(12),
        counters=2,
        slots=[(service, 10)],
    )
    slot = Slot.objects.get(session=session, service=service)
    at = lambda hour, minute=0, day=DAY: local_to_utc(day, dt.time(hour, minute), toronto.zone)  # noqa: E731
    appointment = appointment_book(
        citizen=citizen, slot=slot, service=service, now=at(10, day=DAY - dt.timedelta(days=5))
    )
    assert Session.objects.filter(pk=session.pk).exists()
    ticket = queue_services.ticket_check_in(
        mission=toronto, code=appointment.reference, now=at(8, 50)
    )
    counter = queue_services.counter_create(mission=toronto, by=None)
    queue_services.counter_open(counter=counter, services=[service], by=officer)
    called = queue_services.ticket_call_next(counter=counter, by=officer, now=at(9))
    assert called == ticket
    queue_services.ticket_start(ticket=called, by=officer, now=at(9, 2))
    queue_services.ticket_finish(ticket=called, by=officer, now=at(9, 20))
    return service, at


def _e_passport(client, citizen, user, service, officer):
    application = application_services.application_start(citizen=citizen, service=service, by=user)
    uploads = {
        r: SimpleUploadedFile(f"{r.pk}.png", png(), "image/png")
        for r in service.requirements.filter(uploadable=True, kind="document")
        if not r.optional
    }
    application_services.application_save(
        application=application,
        by=user,
        answers={
            "surname": "Lestari",
            "given_names": "Ayu",
            "birth_place": "Jakarta",
            "sex": "F",
            "birth_date": dt.date(1990, 8, 17),
            "old_passport_number": OLD_PASSPORT,
            "old_passport_expiry": dt.date(2027, 1, 31),
        },
        uploads=uploads,
    )
    application_services.application_transition(
        application=application, event=Event.SUBMIT, by=user
    )
    client.force_login(officer)
    page = reverse("applications:staff_detail", kwargs={"public_id": application.public_id})
    assert client.get(page).status_code == 200
    document = Document.objects.filter(application=application).first()
    opened = client.post(
        reverse(
            "applications:staff_document",
            kwargs={"public_id": application.public_id, "document_id": document.public_id},
        )
    )
    assert opened.status_code == 200
    revealed = client.post(
        reverse("applications:reveal_identity", kwargs={"public_id": application.public_id})
    )
    assert OLD_PASSPORT in revealed.text


def _pertiwi(client, user):
    client.force_login(user)
    upload = io.BytesIO(pdf())
    upload.name = "surat-dokter.pdf"
    response = client.post(
        reverse("outreach:apply"),
        {
            "acting_as": "self",
            "reason": "disability",
            "details": f"{FULL_NAME} tuna netra",
            "files": [upload],
            "consent": "on",
        },
    )
    assert response.status_code == 302, response.text


def test_main_journeys_leave_no_personal_data_in_the_logs(
    client, demo, every_log, django_capture_on_commit_callbacks
):
    toronto = demo["toronto"]
    officer = User.objects.get(email="officer@toronto.pandu.test")
    citizen = _signup(client, django_capture_on_commit_callbacks)
    service, at = _book_check_in_and_call(citizen, toronto, officer)
    _e_passport(client, citizen, citizen.user, service, officer)
    _pertiwi(client, citizen.user)

    invitation, _token = feedback_services.survey_invite(
        mission=toronto, channel="weekday", service=service, email=EMAIL, now=at(10)
    )
    feedback_services.survey_submit(
        invitation=invitation, answers={f"u{i}": 2 for i in range(1, 10)}, now=at(12)
    )

    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        reset = client.post("/id/account/password-reset/", {"email": EMAIL})
    assert reset.status_code == 302
    failed = client.post("/id/account/login/", {"username": EMAIL, "password": "salah-sekali"})
    assert failed.status_code == 200 and "_auth_user_id" not in client.session

    records = every_log.records
    # The journeys did log (SQL included, once asked for): this test would see a leak.
    failures = [r.getMessage() for r in records if "New login failure" in r.getMessage()]
    assert failures and all('username: "****' in text for text in failures), failures
    leaks = _leaks(records)
    assert not leaks, "\n".join(leaks)


def test_sql_logging_is_off_unless_asked_for_on_a_developer_s_machine(every_log, db):
    """Asked for (DEBUG level and a debug cursor), the SQL logger still writes no statement with
    its values: statements carry every personal datum Pandu stores."""
    User.objects.filter(email=EMAIL).exists()
    assert not [r for r in every_log.records if r.name == "django.db.backends"]


def test_sql_logging_can_be_turned_on_by_a_developer(every_log, db, settings):
    settings.LOG_SQL = True
    User.objects.filter(email=EMAIL).exists()
    assert any(EMAIL in r.getMessage() for r in every_log.records if r.name == "django.db.backends")


class RefusingBackend:
    """An SMTP server that refuses the recipient, naming it (as real servers do)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPRecipientsRefused(
            {EMAIL: (550, f"5.1.1 <{EMAIL}>: Recipient address rejected".encode())}
        )


def test_a_refused_recipient_is_not_named_in_the_log(
    demo, every_log, settings, django_capture_on_commit_callbacks
):
    from pandu.notify import services as notify_services
    from pandu.notify.models import OutboundMessage

    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_services.email_send(
            to=EMAIL,
            template="deletion_requested",
            context={"name": FULL_NAME, "mission": demo["toronto"]},
            language="en",
            mission=demo["toronto"],
        )
    message = OutboundMessage.objects.get(pk=message.pk)
    assert message.status == "queued" and message.last_error.startswith("SMTPRecipientsRefused")
    assert any("attempt 1 failed" in r.getMessage() for r in every_log.records)
    leaks = _leaks(every_log.records)
    assert not leaks, "\n".join(leaks)
