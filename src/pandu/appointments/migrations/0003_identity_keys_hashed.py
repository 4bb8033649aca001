"""Bookings and draw entries keep a keyed hash of the identity document, not its number.

A key "P:X1234567" becomes "P:" and the start of the number's lookup hash (see
``pandu.appointments.models.identity_key_from``), so the one-booking-per-identity constraints keep
holding between old and new rows. Going back puts the citizen's current number in again (the
number a key was made from is not recoverable from its hash).
"""

from django.db import migrations, models

from pandu.appointments.models import IDENTITY_KEY_LENGTH, identity_key_from
from pandu.core import crypto
from pandu.core.fields import looks_encrypted, select_sql, update_sql

TABLES = ("appointments_appointment", "appointments_drawentry")


def _rekey(connection, table: str, new_key) -> None:
    with connection.cursor() as cursor:
        cursor.execute(select_sql(connection, table, ["identity_key", "citizen_id"]))
        for pk, key, citizen_id in cursor.fetchall():
            new = new_key(key, citizen_id)
            if new and new != key:
                cursor.execute(update_sql(connection, table, ["identity_key"]), [new, pk])


def _hashed(number: str) -> bool:
    # A passport number has at most 9 characters and a NIK 16: 38 hex digits are a hash.
    return len(number) == IDENTITY_KEY_LENGTH - 2 and set(number) <= set("0123456789abcdef")


def hash_identity_keys(apps, schema_editor):
    def new_key(key: str, citizen_id: int) -> str | None:
        kind, _sep, number = (key or "").partition(":")
        if kind not in ("P", "N") or not number or _hashed(number):
            return None
        if kind == "P":
            return identity_key_from(passport_number=number, nik="")
        return identity_key_from(passport_number="", nik=number)

    for table in TABLES:
        _rekey(schema_editor.connection, table, new_key)


def restore_identity_numbers(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(select_sql(connection, "people_citizenprofile", ["passport_number", "nik"]))
        numbers = {
            pk: tuple(
                crypto.decrypt(v.encode()).decode() if looks_encrypted(v) else (v or "")
                for v in values
            )
            for pk, *values in cursor.fetchall()
        }

    def old_key(key: str, citizen_id: int) -> str | None:
        passport, nik = numbers.get(citizen_id, ("", ""))
        if key.startswith("P:") and passport:
            return f"P:{passport}"
        if key.startswith("N:") and nik:
            return f"N:{nik}"
        return None

    for table in TABLES:
        _rekey(connection, table, old_key)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0002_booking_fairness"),
        ("people", "0004_identity_numbers_encrypted"),
    ]

    operations = [
        migrations.AlterField(
            model_name="appointment",
            name="identity_key",
            field=models.CharField(
                help_text="Hash berkunci nomor paspor atau NIK; nomornya sendiri tidak disimpan "
                "di sini.",
                max_length=40,
                verbose_name="identitas",
            ),
        ),
        migrations.RunPython(hash_identity_keys, restore_identity_numbers),
    ]
