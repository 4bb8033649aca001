"""Lapor diri services: register, update, renew, end, hand over; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from pandu.audit.models import AuditEvent
from pandu.core.errors import PanduError, PermissionDenied, ValidationFailed
from pandu.registry.models import StayRegistration
from pandu.registry.services import (
    HandoverNeeded,
    stay_end,
    stay_register,
    stay_renew,
    stay_update,
)


def test_register_places_the_address_and_records_members(registered, citizen, demo):
    assert registered.status == "active" and registered.mission == demo["toronto"]
    assert registered.postal_code == "N2L 3G1"
    assert registered.lat == pytest.approx(43.47, abs=0.1)
    assert registered.lon == pytest.approx(-80.54, abs=0.1)
    assert registered.location_source == "fsa"
    assert registered.confirmed_at is not None and registered.registered_by == citizen
    assert [m.full_name for m in registered.members.all()] == ["Bima Lestari"]
    event = AuditEvent.objects.get(event="stay_registered")
    assert event.object_ref == str(registered.public_id)
    assert event.data == {
        "purpose": "study",
        "province": "ON",
        "members": 1,
        "registered_as": "self",
        "placed": True,
    }


def test_register_mails_the_citizen_in_the_registrations_language(
    citizen, stay_fields, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        stay_register(citizen=citizen.citizen, by=citizen, fields={**stay_fields, "language": "en"})
    (message,) = mail.outbox
    assert message.to == ["ayu@example.org"]
    assert "/en/lapor-diri/" in message.body


def test_an_unknown_postal_code_is_kept_without_a_point(citizen, stay_fields):
    registration = stay_register(
        citizen=citizen.citizen, by=citizen, fields={**stay_fields, "postal_code": "N0Z 0Z0"}
    )
    assert registration.lat is None and registration.location_source == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"address_line": " "}, "address_line"),
        ({"province": "XX"}, "province"),
        ({"postal_code": "M5V 3L9"}, "postal_code"),  # Toronto's code with Manitoba
        ({"postal_code": "12345"}, "postal_code"),
        ({"purpose": "tourism"}, "purpose"),
        ({"emergency_id_phone": ""}, "emergency_id_phone"),
        ({"emergency_id_phone": "call me"}, "emergency_id_phone"),
        ({"emergency_local_phone": ""}, "emergency_local_phone"),
        ({"arrived_on": dt.date(2099, 1, 1)}, "arrived_on"),
        ({"expected_until": dt.date(2000, 1, 1)}, "expected_until"),
        ({"language": "fr"}, "language"),
        ({"registered_as": "carer"}, "carer_name"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(citizen, stay_fields, change, field):
    fields = {**stay_fields, **change}
    if field == "postal_code" and change["postal_code"] == "M5V 3L9":
        fields["province"] = "MB"
    with pytest.raises(ValidationFailed) as caught:
        stay_register(citizen=citizen.citizen, by=citizen, fields=fields)
    assert field in caught.value.errors
    assert not StayRegistration.objects.filter(citizen=citizen.citizen).exists()
    assert not AuditEvent.objects.filter(event="stay_registered").exists()


def test_bad_family_members_are_named_by_row(citizen, stay_fields):
    members = [
        {"full_name": "Ok Name", "relation": "spouse"},
        {"full_name": "", "relation": "cousin", "date_of_birth": dt.date(2099, 1, 1)},
    ]
    with pytest.raises(ValidationFailed) as caught:
        stay_register(citizen=citizen.citizen, by=citizen, fields=stay_fields, members=members)
    assert set(caught.value.errors) == {
        "members-1-full_name",
        "members-1-relation",
        "members-1-date_of_birth",
    }


def test_a_province_no_mission_serves_is_refused(citizen, stay_fields):
    fields = {**stay_fields, "province": "BC", "postal_code": "V6B 1A1", "city": "Vancouver"}
    with pytest.raises(ValidationFailed) as caught:
        stay_register(citizen=citizen.citizen, by=citizen, fields=fields)
    assert "province" in caught.value.errors


def test_a_carer_says_who_they_are(citizen, stay_fields):
    fields = {
        **stay_fields,
        "registered_as": "carer",
        "carer_name": "Dimas Pratama",
        "carer_relation": "Anak",
    }
    registration = stay_register(citizen=citizen.citizen, by=citizen, fields=fields)
    assert registration.registered_as == "carer"
    assert (registration.carer_name, registration.carer_relation) == ("Dimas Pratama", "Anak")


def test_a_second_active_registration_is_refused(registered, citizen, stay_fields):
    with pytest.raises(PanduError) as caught:
        stay_register(citizen=citizen.citizen, by=citizen, fields=stay_fields)
    assert caught.value.code == "already_registered"
    assert StayRegistration.objects.filter(citizen=citizen.citizen).count() == 1


def test_someone_else_cannot_register_or_change_it(registered, citizen, stay_fields, demo):
    from pandu.people.models import User

    other = User.objects.get(email="siti.rahayu@example.org")
    with pytest.raises(PermissionDenied):
        stay_register(citizen=citizen.citizen, by=other, fields=stay_fields)
    with pytest.raises(PermissionDenied):
        stay_update(registration=registered, by=other, fields=stay_fields)
    with pytest.raises(PermissionDenied):
        stay_end(registration=registered, by=other)


def test_update_in_the_same_area_moves_the_point_and_replaces_members(registered, stay_fields):
    fields = {**stay_fields, "address_line": "1 Main Street West", "city": "Hamilton"}
    fields["postal_code"] = "L8P 4R5"
    updated = stay_update(
        registration=registered,
        by=registered.citizen.user,
        fields=fields,
        members=[{"full_name": "Sari Lestari", "relation": "spouse"}],
    )
    assert updated.pk == registered.pk and updated.city == "Hamilton"
    assert updated.lat == pytest.approx(43.25, abs=0.1)
    assert [m.full_name for m in updated.members.all()] == ["Sari Lestari"]
    event = AuditEvent.objects.get(event="stay_updated")
    assert {"address_line", "city", "postal_code", "members"} <= set(event.data["fields"])


def test_a_move_to_another_missions_area_needs_consent(registered, stay_fields, demo):
    fields = {
        **stay_fields,
        "address_line": "3450 McTavish Street",
        "city": "Montreal",
        "province": "QC",
        "postal_code": "H3A 0E5",
    }
    with pytest.raises(HandoverNeeded) as caught:
        stay_update(registration=registered, by=registered.citizen.user, fields=fields)
    assert caught.value.mission == demo["ottawa"]
    registered.refresh_from_db()
    assert registered.status == "active" and registered.city == "Waterloo"
    assert not AuditEvent.objects.filter(event="stay_handed_over").exists()


def test_with_consent_the_registration_is_handed_over(registered, stay_fields, demo):
    fields = {
        **stay_fields,
        "address_line": "3450 McTavish Street",
        "city": "Montreal",
        "province": "QC",
        "postal_code": "H3A 0E5",
    }
    new = stay_update(
        registration=registered,
        by=registered.citizen.user,
        fields=fields,
        members=[{"full_name": "Bima Lestari", "relation": "child"}],
        handover_consent=True,
    )
    registered.refresh_from_db()
    assert registered.status == "moved" and registered.ended_at is not None
    assert registered.lat is None  # the old point is not kept
    assert new.status == "active" and new.mission == demo["ottawa"]
    assert new.previous == registered and new.city == "Montreal"
    assert new.lat == pytest.approx(45.5, abs=0.1)
    assert new.members.count() == 1
    event = AuditEvent.objects.get(event="stay_handed_over")
    assert event.data["from_mission"] == "toronto" and event.data["to_mission"] == "ottawa"
    assert event.data["consent"] is True


def test_renew_confirms_again_and_clears_the_reminder(registered, time_machine):
    StayRegistration.objects.filter(pk=registered.pk).update(
        reminder_sent_at=registered.confirmed_at
    )
    registered.refresh_from_db()
    time_machine.move_to(registered.confirmed_at + dt.timedelta(days=340))
    renewed = stay_renew(registration=registered, by=registered.citizen.user)
    assert renewed.reminder_sent_at is None
    assert renewed.renewed_at > registered.confirmed_at + dt.timedelta(days=339)
    assert AuditEvent.objects.filter(event="stay_renewed").count() == 1


def test_end_closes_it_and_forgets_the_point(registered):
    ended = stay_end(registration=registered, by=registered.citizen.user)
    assert ended.status == "ended" and ended.ended_at is not None and ended.lat is None
    with pytest.raises(PanduError) as caught:
        stay_renew(registration=ended, by=registered.citizen.user)
    assert caught.value.code == "not_active"


def test_the_data_export_holds_the_registration(registered, citizen):
    import io
    import json
    import zipfile

    from pandu.people import export

    archive = zipfile.ZipFile(io.BytesIO(export.citizen_data_export(user=citizen)))
    (record,) = json.loads(archive.read("stay_registrations.json"))
    assert record["address"]["postal_code"] == "N2L 3G1"
    assert record["members"][0]["full_name"] == "Bima Lestari"
    assert record["emergency_contacts"][0]["phone"] == "+62 812 3456 7890"
