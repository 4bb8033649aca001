"""Identity numbers at rest: NIK and passport numbers are ciphertext in the database, found by
their keyed lookup hashes, readable through a key rotation, and a wrong key is the operator's
error, never a crash in the citizen's face."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core import checks
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from pandu.applications import services as application_services
from pandu.applications.models import Application
from pandu.appointments import services as appointment_services
from pandu.appointments.models import Appointment
from pandu.catalog.models import Service
from pandu.core import crypto
from pandu.outreach.models import EligibilityRequest
from pandu.people.models import CitizenProfile, User
from pandu.people.selectors import identity_number_q
from pandu.people.services import citizen_register, token_issue
from tests.appointments.conftest import NOW, make_citizen, passport_slot, toronto  # noqa: F401

# Numbers no other test uses, so finding them anywhere in the database file means a leak here.
NIK = "3171015708907351"  # a woman born 17 August 1990 in Jakarta
PASSPORT = "C7310420"
OLD_PASSPORT = "B7310421"

people_migration = importlib.import_module(
    "pandu.people.migrations.0004_identity_numbers_encrypted"
)
applications_migration = importlib.import_module(
    "pandu.applications.migrations.0003_identity_numbers_encrypted"
)
appointments_migration = importlib.import_module(
    "pandu.appointments.migrations.0003_identity_keys_hashed"
)
SCHEMA_EDITOR = SimpleNamespace(connection=connection)


@pytest.fixture
def fixed_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _profile(**extra):
    return {
        "full_name": "Sari Wulandari",
        "date_of_birth": dt.date(1990, 8, 17),
        "sex": "F",
        "nik": NIK,
        "passport_number": PASSPORT,
        "phone": "+1 416 555 0142",
        "address_line": "20 Queen Street West",
        "city": "Toronto",
        "province": "ON",
        "postal_code": "M5H 2N2",
        **extra,
    }


def _register(**extra) -> CitizenProfile:
    user = citizen_register(
        email="sari@example.org",
        password="Kuat-sekali-2026",
        profile=_profile(**extra),
        verified_by="demo",
    )
    return user.citizen


def _rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchall()


def _raw(table: str, column: str, pk: int):
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q(column)} FROM {q(table)} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _set_raw(table: str, pk: int, **values) -> None:
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(c)} = %s" for c in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(table)} SET {sets} WHERE id = %s",  # noqa: S608
            [*values.values(), pk],
        )


TABLES = (
    "people_citizenprofile",
    "applications_application",
    "appointments_appointment",
    "appointments_drawentry",
)


def _book(citizen, slot) -> Appointment:
    return appointment_services.appointment_book(
        citizen=citizen, slot=slot, service=slot.service, now=NOW
    )


@pytest.mark.django_db(transaction=True)
def test_no_clear_identity_number_reaches_the_tables_or_the_database_file(
    toronto,  # noqa: F811
    passport_slot,  # noqa: F811
    fixed_now,
):
    citizen = _register()
    renewal = Service.objects.get(mission=toronto, code="paspor-ganti")
    application = application_services.application_start(
        citizen=citizen, service=renewal, by=citizen.user
    )
    application_services.application_update(
        application=application, by=citizen.user, answers={"old_passport_number": OLD_PASSPORT}
    )
    appointment = _book(citizen, passport_slot)

    # The code reads clear values, as forms, templates, exports and the MRZ need them.
    citizen = CitizenProfile.objects.get(pk=citizen.pk)
    assert (citizen.nik, citizen.passport_number) == (NIK, PASSPORT)
    assert Application.objects.get(pk=application.pk).old_passport_number == OLD_PASSPORT

    secrets = (NIK, PASSPORT, OLD_PASSPORT)
    for table in TABLES:
        cells = [str(cell) for row in _rows(table) for cell in row]
        assert cells or table == "appointments_drawentry"
        for secret in secrets:
            assert not [cell for cell in cells if secret in cell], (table, secret)
    stored = _raw("people_citizenprofile", "nik", citizen.pk)
    assert stored.startswith("gAAAAA") and crypto.decrypt(stored.encode()).decode() == NIK
    assert _raw("appointments_appointment", "identity_key", appointment.pk).startswith("P:")

    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        if path.is_file():
            data = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.is_file())
            assert b"sari@example.org" in data  # the committed rows are in what is read
            assert all(secret.encode() not in data for secret in secrets)


def test_staff_find_a_citizen_by_number_as_typed(demo):
    sari = _register()
    found = CitizenProfile.objects.filter(identity_number_q("c 7310420"))
    assert list(found) == [sari]
    assert list(CitizenProfile.objects.filter(identity_number_q("3171.0157.0890.7351"))) == [sari]
    assert not CitizenProfile.objects.filter(identity_number_q("C7310429")).exists()
    assert identity_number_q("not a number") is None
    # A changed number is found under the new one only.
    sari.passport_number = "C7310422"
    sari.save()
    assert not CitizenProfile.objects.filter(identity_number_q(PASSPORT)).exists()
    assert CitizenProfile.objects.get(identity_number_q("C7310422")) == sari


def test_the_encrypted_column_refuses_a_lookup_that_could_never_match(db):
    with pytest.raises(Exception, match="Unsupported lookup"):
        list(CitizenProfile.objects.filter(nik=NIK))


def test_a_new_key_reads_old_data_and_rotation_moves_it_to_the_new_key(citizen, settings):
    sari = _register()
    old_key = crypto.data_keys()[0]
    new_key = Fernet.generate_key().decode()
    hashes = (sari.nik_hash, sari.passport_hash)
    identity = appointment_services.identity_key(sari)
    request = EligibilityRequest(
        citizen=sari, mission=sari.mission, submitted_by=sari.user, reason="elderly"
    )
    request.details = "Memakai kursi roda"  # encrypted blob columns are rotated too
    request.save()

    settings.DATA_KEYS = [new_key, old_key]
    assert CitizenProfile.objects.get(pk=sari.pk).nik == NIK  # still readable
    out = StringIO()
    call_command("encryption_rotate", stdout=out)
    report = json.loads(out.getvalue())
    assert report["rows"]["people.citizenprofile"] >= 1 and report["total"] >= 1

    settings.DATA_KEYS = [new_key]  # the old key can go now
    reloaded = CitizenProfile.objects.get(pk=sari.pk)
    assert (reloaded.nik, reloaded.passport_number) == (NIK, PASSPORT)
    token = _raw("people_citizenprofile", "passport_number", sari.pk).encode()
    assert Fernet(new_key.encode()).decrypt(token).decode() == PASSPORT
    # The lookup hashes and the booking key do not move with the data keys.
    assert (reloaded.nik_hash, reloaded.passport_hash) == hashes
    assert appointment_services.identity_key(reloaded) == identity
    assert CitizenProfile.objects.get(identity_number_q(PASSPORT)) == reloaded
    assert EligibilityRequest.objects.get(pk=request.pk).details == "Memakai kursi roda"


def test_migrations_encrypt_plain_rows_and_hash_identity_keys(
    toronto,  # noqa: F811
    passport_slot,  # noqa: F811
    fixed_now,
):
    sari = _register()
    appointment = _book(sari, passport_slot)
    renewal = Service.objects.get(mission=toronto, code="paspor-ganti")
    application = application_services.application_start(
        citizen=sari, service=renewal, by=sari.user
    )
    # The rows as they were before the migrations: clear numbers, no hashes.
    _set_raw(
        "people_citizenprofile",
        sari.pk,
        nik=NIK,
        passport_number=PASSPORT,
        nik_hash="",
        passport_hash="",
    )
    _set_raw("applications_application", application.pk, old_passport_number=OLD_PASSPORT)
    _set_raw("appointments_appointment", appointment.pk, identity_key=f"P:{PASSPORT}")

    people_migration.encrypt_identity_numbers(None, SCHEMA_EDITOR)
    applications_migration.encrypt_old_passport_numbers(None, SCHEMA_EDITOR)
    appointments_migration.hash_identity_keys(None, SCHEMA_EDITOR)

    assert _raw("people_citizenprofile", "nik", sari.pk).startswith("gAAAAA")
    assert _raw("applications_application", "old_passport_number", application.pk) != OLD_PASSPORT
    reloaded = CitizenProfile.objects.get(pk=sari.pk)
    assert (reloaded.nik, reloaded.passport_number) == (NIK, PASSPORT)
    assert Application.objects.get(pk=application.pk).old_passport_number == OLD_PASSPORT
    assert CitizenProfile.objects.get(identity_number_q(NIK)) == reloaded
    key = Appointment.objects.get(pk=appointment.pk).identity_key
    assert key == appointment_services.identity_key(reloaded)

    # Running them again changes nothing; going back restores the clear values.
    token = _raw("people_citizenprofile", "nik", sari.pk)
    people_migration.encrypt_identity_numbers(None, SCHEMA_EDITOR)
    appointments_migration.hash_identity_keys(None, SCHEMA_EDITOR)
    assert _raw("people_citizenprofile", "nik", sari.pk) == token
    assert Appointment.objects.get(pk=appointment.pk).identity_key == key
    appointments_migration.restore_identity_numbers(None, SCHEMA_EDITOR)
    people_migration.decrypt_identity_numbers(None, SCHEMA_EDITOR)
    assert _raw("people_citizenprofile", "nik", sari.pk) == NIK
    assert _raw("appointments_appointment", "identity_key", appointment.pk) == f"P:{PASSPORT}"


def test_a_wrong_key_is_told_to_the_operator_and_not_a_crash_for_the_citizen(
    citizen, settings, caplog
):
    sari = _register()
    api_token = token_issue(user=sari.user).token
    settings.DATA_KEYS = [Fernet.generate_key().decode()]  # the key that encrypted is gone
    browser = Client(raise_request_exception=False)
    browser.force_login(sari.user)

    page = browser.get("/en/account/profile/")
    assert page.status_code == 503
    assert "temporarily unavailable" in page.text and "Traceback" not in page.text
    assert "PANDU_DATA_KEYS" in caplog.text  # the log names what to fix

    api = browser.get("/api/v1/me/profile", HTTP_AUTHORIZATION=f"Bearer {api_token}")
    assert api.status_code == 503 and api.json()["code"] == "unavailable"

    with pytest.raises(CommandError, match="PANDU_DATA_KEYS"):
        call_command("encryption_rotate", stdout=StringIO())


def test_missing_keys_in_production_are_reported_by_the_deploy_check(citizen, settings):
    settings.DEBUG = settings.DEMO = False
    settings.DATA_KEYS = []
    settings.LOOKUP_KEY = ""
    found = {message.id for message in checks.run_checks(include_deployment_checks=True)}
    assert {"pandu.E001", "pandu.W001"} <= found
    with pytest.raises(crypto.KeysMissing, match="PANDU_DATA_KEYS is not set"):
        CitizenProfile.objects.get(pk=citizen.citizen.pk)
    settings.DATA_KEYS = ["not-a-fernet-key"]
    with pytest.raises(crypto.KeysMissing, match="must hold Fernet keys"):
        CitizenProfile.objects.get(pk=citizen.citizen.pk)

    settings.LOOKUP_KEY = "a-long-random-lookup-key-for-this-test"
    found = {message.id for message in checks.run_checks(include_deployment_checks=True)}
    assert "pandu.W001" not in found


def test_officers_see_the_booking_s_document_masked_never_the_hash(
    client,
    toronto,  # noqa: F811
    passport_slot,  # noqa: F811
    fixed_now,
):
    sari = _register()
    appointment = _book(sari, passport_slot)
    client.force_login(User.objects.get(email="officer@toronto.pandu.test"))
    url = f"/admin/appointments/appointment/{appointment.pk}/change/"
    page = client.get(url).content.decode()
    assert "Paspor •••0420" in page
    assert appointment.identity_key not in page and PASSPORT not in page

    sari.passport_number = "C7310422"  # a new passport since the booking
    sari.save()
    page = client.get(url).content.decode()
    assert "Paspor yang tidak lagi tercatat di profil" in page and "0420" not in page
