import datetime as dt

import pytest
from django.core import mail, signing
from django.utils import translation

from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError, ValidationFailed
from pandu.people import services
from pandu.people.models import AccountDeletionRequest, CitizenProfile, User


def register(profile, **kw):
    args = {
        "email": "ayu@example.org",
        "password": "Kuat-sekali-2026",
        "profile": profile,
        "language": "id",
    }
    args.update(kw)
    return services.citizen_register(**args)


class TestRegister:
    def test_creates_account_profile_and_sends_verification(
        self, demo, profile_data, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            user = register(profile_data, email="Ayu@Example.org ")
        assert user.email == "ayu@example.org"
        assert not user.email_verified
        assert user.citizen.mission.slug == "toronto"
        event = AuditEvent.objects.filter(event="citizen_registered").last()
        assert event.object_ref == str(user.citizen.public_id)
        assert "NIK" not in str(event.data) and profile_data["nik"] not in str(event.data)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["ayu@example.org"]
        assert "/id/account/verify/" in mail.outbox[0].body

    def test_english_speaker_gets_english_link(
        self, demo, profile_data, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            register(profile_data, language="en")
        assert "/en/account/verify/" in mail.outbox[0].body
        assert "Consulate General of the Republic of Indonesia in Toronto" in mail.outbox[0].body
        assert mail.outbox[0].subject == "Pandu: confirm your e-mail address"

    def test_province_decides_the_mission(self, demo, profile_data):
        winnipeg = {**profile_data, "city": "Winnipeg", "province": "MB", "postal_code": "R3C 0S6"}
        assert register(winnipeg).citizen.mission.slug == "toronto"
        montreal = {**profile_data, "city": "Montreal", "province": "QC", "postal_code": "H3A 0E5"}
        assert register(montreal, email="b@example.org").citizen.mission.slug == "ottawa"

    def test_province_without_a_mission_is_refused(self, demo, profile_data):
        vancouver = {**profile_data, "province": "BC", "postal_code": "V6B 1A1"}
        with pytest.raises(ValidationFailed) as exc:
            register(vancouver)
        assert "province" in exc.value.errors

    def test_single_name_citizen(self, demo, profile_data):
        user = register({**profile_data, "full_name": "Soekarno", "sex": "M", "nik": ""})
        assert user.citizen.full_name == "Soekarno"

    def test_duplicate_email_in_any_case_is_refused(self, demo, profile_data):
        register(profile_data)
        with pytest.raises(ValidationFailed) as exc:
            register(profile_data, email="AYU@example.org")
        assert "email" in exc.value.errors
        assert User.objects.filter(email__iexact="ayu@example.org").count() == 1

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"nik": "3171011708900001"}, "nik"),  # male day in the NIK, female applicant
            ({"nik": "3171015709900001"}, "nik"),  # NIK birth month differs
            ({"postal_code": "R3C 0S6"}, "postal_code"),  # Manitoba code, Ontario address
            ({"postal_code": "12345"}, "postal_code"),
            ({"date_of_birth": dt.date(2999, 1, 1)}, "date_of_birth"),
            ({"date_of_birth": None}, "date_of_birth"),
            ({"full_name": "Ayu 123"}, "full_name"),
            ({"sex": "X"}, "sex"),
            ({"phone": "none"}, "phone"),
            ({"city": ""}, "city"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_written(self, demo, profile_data, change, field):
        before = (User.objects.count(), AuditEvent.objects.count())
        with pytest.raises(ValidationFailed) as exc:
            register({**profile_data, **change})
        assert field in exc.value.errors
        assert exc.value.errors[field][0]
        assert (User.objects.count(), AuditEvent.objects.count()) == before

    def test_weak_password_is_refused(self, demo, profile_data):
        with pytest.raises(ValidationFailed) as exc:
            register(profile_data, password="12345678")
        assert "password" in exc.value.errors

    def test_messages_follow_the_language(self, demo, profile_data):
        with translation.override("en"), pytest.raises(ValidationFailed) as exc:
            register({**profile_data, "postal_code": "12345"})
        assert "M5V 3L9" in exc.value.errors["postal_code"][0]


class TestVerification:
    def _token(self, user):
        return signing.dumps({"u": str(user.public_id), "e": user.email}, salt=services.VERIFY_SALT)

    def test_link_verifies_once_and_records_it(self, demo, profile_data):
        user = register(profile_data)
        services.email_verify(token=self._token(user))
        services.email_verify(token=self._token(user))
        user.refresh_from_db()
        assert user.email_verified
        assert AuditEvent.objects.filter(event="email_verified").count() == 1

    def test_tampered_link_is_refused(self, demo, profile_data):
        user = register(profile_data)
        with pytest.raises(PanduError) as exc:
            services.email_verify(token=self._token(user)[:-2] + "xx")
        assert exc.value.code == "link_invalid"
        user.refresh_from_db()
        assert not user.email_verified

    def test_old_link_is_refused(self, demo, profile_data, settings):
        user = register(profile_data)
        token = self._token(user)
        settings.EMAIL_VERIFICATION_MAX_AGE = -1
        with pytest.raises(PanduError) as exc:
            services.email_verify(token=token)
        assert exc.value.code == "link_expired"

    def test_link_for_a_changed_address_is_refused(self, demo, profile_data):
        user = register(profile_data)
        token = self._token(user)
        User.objects.filter(pk=user.pk).update(email="other@example.org")
        with pytest.raises(PanduError):
            services.email_verify(token=token)


class TestProfileUpdate:
    def test_changes_are_saved_and_audited_without_values(self, citizen):
        services.citizen_profile_update(
            user=citizen, changes={"phone": "+1 647 555 0000", "city": "Etobicoke"}
        )
        profile = CitizenProfile.objects.get(user=citizen)
        assert (profile.phone, profile.city) == ("+1 647 555 0000", "Etobicoke")
        event = AuditEvent.objects.filter(event="citizen_profile_updated").get()
        assert event.data == {"fields": ["city", "phone"]}

    def test_moving_province_moves_the_citizen_to_that_mission(self, citizen):
        services.citizen_profile_update(
            user=citizen, changes={"province": "QC", "postal_code": "H3A 0E5", "city": "Montreal"}
        )
        assert CitizenProfile.objects.get(user=citizen).mission.slug == "ottawa"

    def test_bad_change_changes_nothing(self, citizen):
        before = AuditEvent.objects.count()
        with pytest.raises(ValidationFailed):
            services.citizen_profile_update(
                user=citizen, changes={"phone": "+1 647 555 0000", "nik": "123"}
            )
        assert CitizenProfile.objects.get(user=citizen).phone == "+1 416 555 0199"
        assert AuditEvent.objects.count() == before

    def test_no_change_records_nothing(self, citizen):
        before = AuditEvent.objects.count()
        services.citizen_profile_update(user=citizen, changes={"city": "Toronto"})
        assert AuditEvent.objects.count() == before

    def test_language_change(self, citizen):
        services.citizen_profile_update(user=citizen, changes={}, language="en")
        citizen.refresh_from_db()
        assert citizen.preferred_language == "en"
        with pytest.raises(ValidationFailed):
            services.citizen_profile_update(user=citizen, changes={}, language="fr")


def test_deletion_request_is_recorded_once(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.account_deletion_request(user=citizen, reason="Pindah ke Indonesia")
        second = services.account_deletion_request(user=citizen)
    assert first.pk == second.pk
    assert AccountDeletionRequest.objects.count() == 1
    assert AuditEvent.objects.filter(event="account_deletion_requested").count() == 1
    assert len(mail.outbox) == 1


def test_deletion_reason_too_long(citizen):
    with pytest.raises(ValidationFailed):
        services.account_deletion_request(user=citizen, reason="x" * 1001)
    assert AccountDeletionRequest.objects.count() == 0


class TestTokens:
    def test_issued_token_authenticates_and_only_its_hash_is_stored(self, citizen):
        issued = services.token_issue(user=citizen)
        assert services.token_authenticate(issued.token) == citizen
        assert issued.token not in issued.record.token_hash
        assert issued.record.token_hash == services.token_hash(issued.token)

    def test_unknown_revoked_or_inactive(self, citizen):
        issued = services.token_issue(user=citizen)
        assert services.token_authenticate("pandu_nope") is None
        assert services.token_authenticate("") is None
        issued.record.revoked_at = dt.datetime.now(dt.UTC)
        issued.record.save()
        assert services.token_authenticate(issued.token) is None
        other = services.token_issue(user=citizen)
        User.objects.filter(pk=citizen.pk).update(is_active=False)
        assert services.token_authenticate(other.token) is None


def test_completed_deletion_erases_the_person_but_keeps_the_audit_chain(citizen, demo):
    from django.core.management import call_command

    staff = User.objects.get(email="sysadmin@toronto.pandu.test")
    token = services.token_issue(user=citizen).token
    request = services.account_deletion_request(user=citizen, reason="Pulang ke Indonesia")
    services.account_deletion_complete(request=request, by=staff)
    citizen.refresh_from_db()
    assert not CitizenProfile.objects.filter(user=citizen).exists()
    assert not citizen.is_active and citizen.email.endswith("@invalid")
    assert services.token_authenticate(token) is None
    request.refresh_from_db()
    assert request.status == "completed" and request.email == "" and request.reason == ""
    with pytest.raises(PanduError):
        services.account_deletion_complete(request=request, by=staff)
    call_command("audit_verify")
