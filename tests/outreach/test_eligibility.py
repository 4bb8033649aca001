"""Pertiwi eligibility: the rules, the requests, the encrypted evidence and its deletion."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from pandu.appointments.rules import citizen_has_priority
from pandu.audit.models import AuditEvent
from pandu.core.errors import PermissionDenied, ValidationFailed
from pandu.outreach import eligibility, services
from pandu.outreach.models import EligibilityRequest, Evidence
from pandu.people.models import CitizenProfile, User

NOW = dt.datetime(2027, 2, 1, 15, 0, tzinfo=dt.UTC)
POLICY = eligibility.Policy()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "white")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # camera make
    exif[0x8825] = {1: "N", 2: (43.0, 39.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


def pdf(*, javascript: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(content: bytes, name="bukti.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def citizen(email: str) -> CitizenProfile:
    return User.objects.get(email=email).citizen


def supervisor(mission="toronto") -> User:
    return User.objects.get(email=f"supervisor@{mission}.pandu.test")


def submit(who: CitizenProfile, **kwargs):
    defaults = {"submitted_by": who.user, "consent": True, "now": NOW}
    return services.eligibility_request_submit(citizen=who, **{**defaults, **kwargs})


class TestRules:
    def test_age_counts_on_the_day_of_the_visit(self):
        born = dt.date(1967, 3, 10)
        before = eligibility.assess(
            reason="elderly", on=dt.date(2027, 3, 9), policy=POLICY, date_of_birth=born
        )
        on_birthday = eligibility.assess(
            reason="elderly", on=dt.date(2027, 3, 10), policy=POLICY, date_of_birth=born
        )
        assert (before.eligible, on_birthday.eligible) == (False, True)

    def test_pregnancy_window_around_the_due_date(self):
        due = dt.date(2027, 6, 1)
        first, last = eligibility.pregnancy_window(due, POLICY)
        assert (first, last) == (dt.date(2026, 12, 3), dt.date(2027, 7, 31))
        for day, expected in [
            (first - dt.timedelta(days=1), False),
            (first, True),
            (last, True),
            (last + dt.timedelta(days=1), False),
        ]:
            assert (
                eligibility.assess(reason="pregnancy", on=day, policy=POLICY, due_date=due).eligible
                is expected
            )

    def test_disability_is_for_the_supervisor_to_judge(self):
        assert eligibility.assess(reason="disability", on=dt.date(2027, 1, 1), policy=POLICY) == (
            eligibility.Assessment(None, "needs_review")
        )

    def test_a_pregnancy_approval_ends_with_its_window(self):
        until = eligibility.valid_until(
            reason="pregnancy",
            decided_on=dt.date(2027, 2, 1),
            policy=POLICY,
            due_date=dt.date(2027, 4, 1),
        )
        assert until == dt.date(2027, 5, 31)
        assert eligibility.valid_until(
            reason="elderly", decided_on=dt.date(2027, 2, 1), policy=POLICY
        ) == dt.date(2028, 2, 1)


class TestRequests:
    def test_elderly_citizen_asks_without_evidence(self, demo):
        soekarno = citizen("soekarno@example.org")
        request = submit(soekarno, reason="elderly")
        assert request.status == "submitted" and not request.evidence.exists()
        assert AuditEvent.objects.filter(event="pertiwi_requested").count() == 1

    def test_too_young_for_the_age_reason_is_refused_and_nothing_is_kept(self, demo):
        budi = citizen("budi.santoso@example.org")
        with pytest.raises(ValidationFailed) as refused:
            submit(budi, reason="elderly")
        assert "reason" in refused.value.errors
        assert not EligibilityRequest.objects.exists()

    def test_disability_needs_evidence_and_consent(self, demo):
        budi = citizen("budi.santoso@example.org")
        with pytest.raises(ValidationFailed) as refused:
            submit(budi, reason="disability", consent=False)
        assert {"files", "consent"} <= set(refused.value.errors)
        assert not EligibilityRequest.objects.exists()

    def test_a_relative_acting_for_the_citizen_is_recorded_and_must_say_who_they_are(self, demo):
        soekarno = citizen("soekarno@example.org")
        with pytest.raises(ValidationFailed) as refused:
            submit(soekarno, reason="elderly", acting_as="relative")
        assert {"acting_name", "acting_relation"} <= set(refused.value.errors)
        request = submit(
            soekarno,
            reason="elderly",
            acting_as="relative",
            acting_name="Guntur",
            acting_relation="anak",
        )
        assert (request.acting_as, request.acting_name) == ("relative", "Guntur")

    def test_evidence_is_stored_encrypted_and_images_lose_their_metadata(self, demo, private_media):
        budi = citizen("budi.santoso@example.org")
        original = png_with_gps()
        request = submit(
            budi,
            reason="disability",
            details="Pengguna kursi roda sejak 2019",
            files=[upload(original, "kartu.png", "image/png")],
        )
        evidence = request.evidence.get()
        stored = (private_media / evidence.storage_name).read_bytes()
        assert b"PNG" not in stored[:16] and b"SecretCam" not in stored
        opened = services.evidence_read(evidence=evidence, by=supervisor())
        assert opened.startswith(b"\x89PNG")
        with Image.open(io.BytesIO(opened)) as image:
            assert not image.getexif()
        assert b"SecretCam" not in opened
        # The explanation is encrypted in the database too.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT details_encrypted FROM outreach_eligibilityrequest WHERE id = %s",
                [request.pk],
            )
            raw = bytes(cursor.fetchone()[0])
        assert b"kursi roda" not in raw
        assert (
            EligibilityRequest.objects.get(pk=request.pk).details
            == "Pengguna kursi roda sejak 2019"
        )
        assert AuditEvent.objects.filter(event="pertiwi_evidence_opened").count() == 1

    @pytest.mark.parametrize(
        ("content", "name"),
        [
            (pdf(javascript=True), "surat.pdf"),
            (b"MZ\x90\x00 not a document", "surat.pdf"),
            (b"%PDF-1.7\n garbage that is no pdf", "surat.pdf"),
            (b"\x89PNG\r\n\x1a\n broken", "kartu.png"),
        ],
        ids=["pdf-with-javascript", "executable-named-pdf", "broken-pdf", "broken-png"],
    )
    def test_dangerous_or_broken_files_are_refused_with_a_reason(
        self, demo, private_media, content, name
    ):
        budi = citizen("budi.santoso@example.org")
        with pytest.raises(ValidationFailed) as refused:
            submit(budi, reason="disability", files=[upload(content, name)])
        assert refused.value.errors["files"][0].startswith(name)
        assert not EligibilityRequest.objects.exists()
        assert not (private_media / "evidence").exists() or not any(
            (private_media / "evidence").iterdir()
        )

    def test_a_clean_pdf_is_kept_as_it_is(self, demo):
        budi = citizen("budi.santoso@example.org")
        content = pdf()
        request = submit(budi, reason="disability", files=[upload(content)])
        assert services.evidence_read(evidence=request.evidence.get(), by=supervisor()) == content


class TestDecisions:
    def test_supervisor_approves_the_citizen_is_told_and_gets_priority(
        self, demo, django_capture_on_commit_callbacks
    ):
        siti = citizen("siti.rahayu@example.org")
        visit_day = dt.date(2027, 3, 1)
        assert not citizen_has_priority(siti, visit_day)
        request = submit(siti, reason="pregnancy", due_date=dt.date(2027, 5, 1))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.eligibility_decide(
                request=request,
                by=supervisor(),
                approve=True,
                reason_text="Surat bidan sesuai",
                now=NOW,
            )
        request.refresh_from_db()
        assert request.status == "approved"
        assert request.valid_until == dt.date(2027, 6, 30)  # due date + 60 days
        assert citizen_has_priority(siti, visit_day)
        assert not citizen_has_priority(siti, dt.date(2027, 7, 1))
        (message,) = mail.outbox
        assert message.to == ["siti.rahayu@example.org"]
        assert "Surat bidan sesuai" in message.body

    def test_english_speaking_citizen_is_told_in_english(
        self, demo, django_capture_on_commit_callbacks
    ):
        budi = citizen("budi.santoso@example.org")
        budi.user.preferred_language = "en"
        budi.user.save()
        request = submit(budi, reason="disability", files=[upload(pdf())])
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.eligibility_decide(
                request=request,
                by=supervisor(),
                approve=False,
                reason_text="Letter unreadable",
                now=NOW,
            )
        assert "Pertiwi" in mail.outbox[0].subject
        assert "Yth." not in mail.outbox[0].body

    def test_officers_and_other_missions_cannot_decide_or_open_evidence(self, demo):
        budi = citizen("budi.santoso@example.org")
        request = submit(budi, reason="disability", files=[upload(pdf())])
        for outsider in (
            User.objects.get(email="officer@toronto.pandu.test"),
            supervisor("ottawa"),
        ):
            with pytest.raises(PermissionDenied):
                services.eligibility_decide(
                    request=request, by=outsider, approve=True, reason_text="ok", now=NOW
                )
            with pytest.raises(PermissionDenied):
                services.evidence_read(evidence=request.evidence.get(), by=outsider)
        assert EligibilityRequest.objects.get(pk=request.pk).status == "submitted"

    def test_a_decision_needs_a_reason(self, demo):
        request = submit(citizen("soekarno@example.org"), reason="elderly")
        with pytest.raises(ValidationFailed):
            services.eligibility_decide(
                request=request, by=supervisor(), approve=True, reason_text="  ", now=NOW
            )
        assert EligibilityRequest.objects.get(pk=request.pk).status == "submitted"


class TestRetention:
    def test_evidence_is_deleted_when_its_retention_ends(self, demo, private_media):
        budi = citizen("budi.santoso@example.org")
        request = submit(budi, reason="disability", files=[upload(pdf())])
        services.eligibility_decide(
            request=request, by=supervisor(), approve=True, reason_text="Kartu sah", now=NOW
        )
        evidence = request.evidence.get()
        assert services.evidence_purge_due(NOW + dt.timedelta(days=29)) == 0
        assert default_storage.exists(evidence.storage_name)
        assert services.evidence_purge_due(NOW + dt.timedelta(days=30)) == 1
        assert not default_storage.exists(evidence.storage_name)
        assert Evidence.objects.get(pk=evidence.pk).purged_at is not None
        assert services.evidence_purge_due(NOW + dt.timedelta(days=31)) == 0

    def test_withdrawing_deletes_the_evidence_at_the_next_purge(self, demo):
        budi = citizen("budi.santoso@example.org")
        request = submit(budi, reason="disability", files=[upload(pdf())])
        services.eligibility_withdraw(request=request, by=budi.user, now=NOW)
        assert services.evidence_purge_due(NOW) == 1
