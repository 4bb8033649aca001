"""A citizen downloads everything Pandu holds about them: one ZIP with a JSON manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pandu.applications import services as application_services
from pandu.appointments.calendar import local_to_utc
from pandu.appointments.models import Session, Slot
from pandu.appointments.services import appointment_book, extra_session_create
from pandu.audit.models import AuditEvent
from pandu.catalog.models import Service
from pandu.feedback import services as feedback_services
from pandu.notify.models import OutboundMessage
from pandu.outreach import services as outreach_services
from pandu.outreach import visits
from pandu.people import export
from pandu.people.models import CitizenProfile, User
from tests.applications.conftest import png_bytes

URL = "/id/account/data/"
OTHER = "siti.rahayu@example.org"  # a demo citizen of KJRI Toronto
HAPPY = {f"u{i}": 3 for i in range(1, 10)}


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _book(citizen: CitizenProfile, day: dt.date):
    mission = citizen.mission
    service = Service.objects.get(mission=mission, code="paspor-ganti")
    session = Session.objects.filter(
        mission=mission, date=day, kind=Session.Kind.EXTRA
    ).first() or extra_session_create(
        mission=mission,
        day=day,
        opens=dt.time(9),
        closes=dt.time(12),
        counters=3,
        slots=[(service, 10)],
    )
    slot = Slot.objects.get(session=session, service=service)
    booked_at = local_to_utc(day - dt.timedelta(days=5), dt.time(10), mission.zone)
    return appointment_book(citizen=citizen, slot=slot, service=service, now=booked_at)


@pytest.fixture
def history(citizen):
    """Ayu (the ``citizen`` fixture) with an appointment and its survey answer, an application
    with an uploaded document, and an approved Pertiwi request with evidence and a home visit."""
    ayu = citizen.citizen
    mission = ayu.mission
    supervisor = User.objects.get(email="supervisor@toronto.pandu.test")
    today = timezone.localdate(timezone.now(), mission.zone)
    appointment = _book(ayu, today + dt.timedelta(days=20))
    served_at = local_to_utc(appointment.slot.session.date, dt.time(11), mission.zone)
    invitation, _token = feedback_services.survey_invite_after_appointment(
        appointment, now=served_at
    )
    response = feedback_services.survey_submit(
        invitation=invitation, answers=HAPPY, comment="Petugas ramah", now=served_at
    )

    renewal = Service.objects.get(mission=mission, code="paspor-ganti")
    application = application_services.application_start(citizen=ayu, service=renewal, by=citizen)
    requirement = renewal.requirements.filter(uploadable=True, kind="document").first()
    uploaded = png_bytes(colour=(12, 34, 56))
    document = application_services.document_upload(
        application=application,
        requirement=requirement,
        upload=SimpleUploadedFile("scan.png", uploaded, "image/png"),
        by=citizen,
    )

    evidence = png_bytes(colour=(90, 80, 70))
    eligibility = outreach_services.eligibility_request_submit(
        citizen=ayu,
        submitted_by=citizen,
        reason="disability",
        consent=True,
        details="Memakai kursi roda",
        files=[SimpleUploadedFile("kartu.png", evidence, "image/png")],
    )
    outreach_services.eligibility_decide(
        request=eligibility, by=supervisor, approve=True, reason_text="Bukti cukup"
    )
    visit = visits.visit_request_submit(
        citizen=ayu,
        submitted_by=citizen,
        services=[renewal],
        windows=[(today + dt.timedelta(days=3), dt.time(9), dt.time(12))],
        access_needs=["wheelchair"],
        access_notes="Pintu samping, tanpa tangga",
    )
    return {
        "appointment": appointment,
        "response": response,
        "application": application,
        "document": document,
        "uploaded": uploaded,
        "eligibility": eligibility,
        "evidence": evidence,
        "visit": visit,
    }


@pytest.fixture
def other_citizen(demo):
    user = User.objects.get(email=OTHER)
    appointment = _book(user.citizen, timezone.localdate() + dt.timedelta(days=21))
    return user, appointment


def _unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _load(files: dict[str, bytes], name: str):
    return json.loads(files[name])


def test_the_zip_holds_the_citizens_data_and_a_manifest_that_checks(
    client, citizen, history, other_citizen, password
):
    other_user, other_appointment = other_citizen
    client.force_login(citizen)
    response = client.post(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate(timezone.now(), citizen.citizen.mission.zone)
    assert response["Content-Disposition"] == (
        f'attachment; filename="pandu-data-{today:%Y%m%d}.zip"'
    )
    files = _unzip(response.content)

    manifest = _load(files, "manifest.json")
    assert manifest["format_version"] == export.FORMAT_VERSION
    assert manifest["generated_at"].endswith("Z")
    assert manifest["mission"]["slug"] == "toronto"
    listed = {entry["path"]: entry for entry in manifest["files"]}
    # Every file but the manifest is listed, with the right SHA-256 and size.
    assert set(listed) == set(files) - {"manifest.json"}
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(files[path]).hexdigest(), path
        assert entry["size"] == len(files[path])
        assert entry["description"]
    for name in (
        "profile.json",
        "appointments.json",
        "applications.json",
        "visit_requests.json",
        "eligibility.json",
        "tickets.json",
        "surveys.json",
        "audit_events.json",
    ):
        assert name in files

    profile = _load(files, "profile.json")
    assert profile["account"]["email"] == "ayu@example.org"
    assert profile["citizen"]["nik"] == "3171015708900001"
    assert profile["citizen"]["passport_number"] == "A1234567"
    assert profile["citizen"]["address"]["postal_code"] == "M5X 1A9"

    appointments = _load(files, "appointments.json")
    assert [a["reference"] for a in appointments] == [history["appointment"].reference]
    # The booking names its identity document, not the keyed hash the database keeps.
    assert appointments[0]["identity_document"] == {"kind": "passport", "number": "A1234567"}
    assert "identity_key" not in appointments[0]

    (application,) = _load(files, "applications.json")
    assert application["public_id"] == str(history["application"].public_id)
    assert application["state"] == "draft"
    (document,) = application["documents"]
    assert document["uploaded_by"] == "you"
    # Images are re-encoded when uploaded: the file is what the owner downloads, as stored.
    stored = history["document"]
    assert files[document["file"]] == application_services.document_read(
        document=stored, by=citizen
    )
    assert hashlib.sha256(files[document["file"]]).hexdigest() == stored.sha256
    assert document["file"].startswith(f"documents/{history['application'].public_id}/")

    (eligibility,) = _load(files, "eligibility.json")
    assert eligibility["details"] == "Memakai kursi roda"
    assert eligibility["status"] == "approved"
    (evidence,) = eligibility["evidence"]
    assert hashlib.sha256(files[evidence["file"]]).hexdigest() == evidence["sha256"]

    (visit,) = _load(files, "visit_requests.json")
    assert visit["public_id"] == str(history["visit"].public_id)
    assert visit["access_notes"] == "Pintu samping, tanpa tangga"

    (survey,) = _load(files, "surveys.json")
    assert survey["answers"] == HAPPY
    assert survey["comment"] == "Petugas ramah"
    assert survey["about"] == {"appointment": history["appointment"].reference}

    events = _load(files, "audit_events.json")
    names = {e["event"] for e in events}
    assert {"citizen_registered", "appointment_booked", "pertiwi_requested"} <= names
    decided = [e for e in events if e["actor"] not in {"you", "system"}]
    assert decided, "the supervisor's decision is listed"
    assert all("@" not in e["actor"] for e in events)

    everything = b"".join(files.values())
    # No internal staff address, no other citizen's data, no secret.
    assert b"supervisor@toronto.pandu.test" not in everything
    assert b"officer@" not in everything
    assert OTHER.encode() not in everything
    assert other_appointment.reference.encode() not in everything
    assert other_user.citizen.full_name.encode() not in everything
    assert citizen.password.encode() not in everything


def test_the_download_is_audited_and_mailed(
    client, citizen, history, password, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL)
    assert response.status_code == 200
    event = AuditEvent.objects.get(event="personal_data_exported")
    assert event.actor_id == citizen.pk
    assert event.object_ref == str(citizen.citizen.public_id)
    assert event.data["counts"]["appointments"] == 1
    assert event.data["counts"]["applications"] == 1
    assert event.data["counts"]["surveys"] == 1
    assert event.data["files"] == len(_unzip(response.content))
    # Counts only: nothing personal in the log.
    assert "ayu" not in json.dumps(event.data).lower()
    (message,) = [m for m in mail.outbox if m.to == ["ayu@example.org"]]
    assert "salinan data" in message.subject.lower()
    assert "Ayu Lestari" in message.body


def test_the_page_explains_and_get_writes_nothing(client, citizen, password):
    client.force_login(citizen)
    events, messages = AuditEvent.objects.count(), OutboundMessage.objects.count()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unduh data saya" in html
    assert "appointments.json" in html and "audit_events.json" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert (AuditEvent.objects.count(), OutboundMessage.objects.count()) == (events, messages)
    profile = client.get("/id/account/profile/").content.decode()
    assert 'href="/id/account/data/"' in profile


def test_each_citizen_gets_only_their_own(client, citizen, history, other_citizen, password):
    other_user, other_appointment = other_citizen
    client.force_login(other_user)
    files = _unzip(client.post(URL).content)
    assert [a["reference"] for a in _load(files, "appointments.json")] == [
        other_appointment.reference
    ]
    everything = b"".join(files.values())
    assert b'"ayu@example.org"' not in everything  # ("siti.rahayu@..." ends alike)
    assert history["appointment"].reference.encode() not in everything
    assert str(history["application"].public_id).encode() not in everything
    assert history["document"].sha256.encode() not in everything


def test_anonymous_people_are_sent_to_sign_in(client, demo):
    for method in (client.get, client.post):
        response = method(URL)
        assert response.status_code == 302
        assert "/account/login/" in response.url


def test_staff_are_refused_clearly(client, demo, password):
    client.force_login(User.objects.get(email="officer@toronto.pandu.test"))
    for method in (client.get, client.post):
        response = method(URL)
        assert response.status_code == 403
        assert "Hanya warga" in response.content.decode()
    assert not AuditEvent.objects.filter(event="personal_data_exported").exists()
    assert b'href="/id/account/data/"' not in client.get("/id/account/profile/").content


def test_the_service_refuses_anyone_but_a_citizen(demo):
    from django.contrib.auth.models import AnonymousUser

    from pandu.core.errors import PermissionDenied

    for user in (AnonymousUser(), User.objects.get(email="officer@toronto.pandu.test")):
        with pytest.raises(PermissionDenied):
            export.citizen_data_export(user=user)


def test_downloads_are_rate_limited(client, citizen, password, settings):
    settings.RATE_DATA_EXPORT = "2/h"
    client.force_login(citizen)
    assert [client.post(URL).status_code for _ in range(3)] == [200, 200, 429]


def test_the_service_returns_the_same_zip_as_the_page(citizen, history):
    files = _unzip(export.citizen_data_export(user=citizen))
    assert "manifest.json" in files
    assert json.loads(files["profile.json"])["citizen"]["full_name"] == "Ayu Lestari"


def test_the_mail_and_the_manifest_speak_the_citizens_language(
    client, citizen, django_capture_on_commit_callbacks
):
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    client.force_login(citizen)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        files = _unzip(client.post(URL).content)
    (message,) = mail.outbox
    assert message.subject == "Pandu: a copy of your data was downloaded"
    descriptions = {e["path"]: e["description"] for e in _load(files, "manifest.json")["files"]}
    assert descriptions["profile.json"] == "Your account and citizen profile."


def test_the_profile_holds_the_contact_preference_and_what_was_sent(client, citizen, history):
    from pandu.notify.preferences import preference_set

    preference_set(user=citizen, channel="email", phone="+1 416 555 0199", consents={"sms"})
    client.force_login(citizen)
    profile = _load(_unzip(client.post(URL).content), "profile.json")
    contact = profile["contact_preference"]
    assert contact["phone"] == "+14165550199" and contact["channel"] == "email"
    assert contact["sms_consent_at"] and contact["whatsapp_consent_at"] is None
    sent = {message["template"] for message in profile["messages"]}
    assert {"survey_invitation", "pertiwi_decided"} <= sent
    assert all("body" not in message for message in profile["messages"])
