"""Rows of every kind the retention rules treat, made directly with the ORM at chosen dates.

The services would stamp every row with the current time; retention is about old rows, so these
helpers write the dates the rules' clocks read.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from pandu.applications.models import Application, Document, Letter, Transition
from pandu.appointments.models import Appointment, Session, Slot
from pandu.feedback.models import SurveyInvitation, SurveyResponse
from pandu.notify.models import OutboundMessage
from pandu.outreach.models import EligibilityRequest, VisitRequest
from pandu.people.models import User
from pandu.queue.models import Ticket

NOW = dt.datetime(2031, 3, 10, 14, 0, tzinfo=dt.UTC)
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def toronto(demo):
    return demo["toronto"]


@pytest.fixture
def supervisor(demo):
    return User.objects.get(email="supervisor@toronto.pandu.test")


@pytest.fixture
def frozen():
    """The clock stands at ``NOW``."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def appointment(citizen, *, at: dt.datetime, status: str = "served", code: str = "paspor-ganti"):
    mission = citizen.mission
    service = mission.services.get(code=code)
    n = next(_seq)
    session = Session.objects.create(
        mission=mission,
        kind="weekday",
        date=at.date(),
        opens=dt.time(9),
        closes=dt.time(15),
        starts_at=at,
        ends_at=at + dt.timedelta(hours=6),
        counters=1,
    )
    slot = Slot.objects.create(
        session=session,
        service=service,
        starts_at=at,
        ends_at=at + dt.timedelta(minutes=20),
        capacity=1,
        booked=1,
    )
    return Appointment.objects.create(
        reference=f"TOR-T{n:03d}-{n:04d}",
        mission=mission,
        slot=slot,
        service=service,
        citizen=citizen,
        identity_key=f"P:X{n:07d}",
        status=status,
    )


def ticket(appt, *, email="ayu@example.org"):
    return Ticket.objects.create(
        mission=appt.mission,
        date=appt.slot.starts_at.date(),
        prefix="A",
        sequence=next(_seq),
        service=appt.service,
        channel="appointment",
        appointment=appt,
        arrived_at=appt.slot.starts_at,
        state="done",
        notify_email=email,
    )


def application(citizen, *, state: str, decided_at: dt.datetime, code: str = "paspor-ganti"):
    mission = citizen.mission
    app = Application.objects.create(
        mission=mission,
        citizen=citizen,
        service=mission.services.get(code=code),
        state=state,
        surname="Lestari",
        given_names="Ayu",
        birth_date=dt.date(1990, 8, 17),
        birth_place="Jakarta",
        sex="F",
        old_passport_number="B1234567",
    )
    target = (
        "issued" if state in ("issued", "ready_for_collection", "mailed", "collected") else state
    )
    Transition.objects.create(
        application=app,
        event="issue" if target == "issued" else "reject",
        source="sent_for_issuance" if target == "issued" else "submitted",
        target=target,
        actor="officer",
        note="Catatan petugas tentang Ayu",
        at=decided_at,
    )
    return app


def document(app):
    name = default_storage.save(f"docs/{next(_seq)}.bin", ContentFile(b"secret"))
    requirement = app.service.requirements.first()
    return Document.objects.create(
        application=app,
        requirement=requirement,
        storage_name=name,
        content_type="image/png",
        size=6,
        sha256="0" * 64,
        uploaded_by=app.citizen.user,
    )


def letter(app, *, issued_at):
    name = default_storage.save(f"letters/{next(_seq)}.pdf", ContentFile(b"%PDF"))
    return Letter.objects.create(
        application=app,
        kind="certificate_letter",
        reference=str(app.public_id),
        storage_name=name,
        issued_at=issued_at,
    )


def survey(appt, *, at: dt.datetime, comment="Petugas ramah, terima kasih Bu Sari"):
    invitation = SurveyInvitation.objects.create(
        token_hash=f"{next(_seq):064d}",
        mission=appt.mission,
        service=appt.service,
        channel="weekday",
        email="ayu@example.org",
        appointment=appt,
        created_at=at - dt.timedelta(hours=1),
        expires_at=at + dt.timedelta(days=14),
        used_at=at,
    )
    scores = {f"u{i}": 4 for i in range(1, 10)}
    return SurveyResponse.objects.create(
        invitation=invitation,
        mission=appt.mission,
        service=appt.service,
        channel="weekday",
        language="id",
        comment=comment,
        submitted_at=at,
        submitted_on=at.date(),
        period=at.strftime("%Y-%m"),
        **scores,
    )


def eligibility(citizen, *, at: dt.datetime, status="approved"):
    request = EligibilityRequest.objects.create(
        mission=citizen.mission,
        citizen=citizen,
        submitted_by=citizen.user,
        acting_as="relative",
        acting_name="Budi",
        acting_relation="anak",
        reason="elderly",
        details_encrypted=b"ciphertext",
        status=status,
        decision_reason="Usia 70",
    )
    EligibilityRequest.objects.filter(pk=request.pk).update(created_at=at)
    return request


def visit(citizen, request, *, at: dt.datetime, status="served"):
    found = VisitRequest.objects.create(
        mission=citizen.mission,
        citizen=citizen,
        eligibility=request,
        submitted_by=citizen.user,
        address_line="100 King Street West",
        city="Toronto",
        province="ON",
        postal_code="M5X 1A9",
        lat=43.6,
        lon=-79.4,
        contact_name="Ayu Lestari",
        contact_phone="+1 416 555 0199",
        access_notes_encrypted=b"ciphertext",
        status=status,
    )
    VisitRequest.objects.filter(pk=found.pk).update(created_at=at)
    return found


def message(mission, *, at: dt.datetime, to="ayu@example.org"):
    found = OutboundMessage.objects.create(
        mission=mission,
        recipient=to,
        subject="Pengingat",
        body="Yth. Ayu, janji temu Anda besok.",
        status="sent",
    )
    OutboundMessage.objects.filter(pk=found.pk).update(created_at=at)
    return found
