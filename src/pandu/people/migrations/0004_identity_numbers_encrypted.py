"""NIK and passport numbers encrypted at rest, with keyed lookup hashes beside them.

The columns become text (a Fernet token is about 100-120 characters), then every existing value
is encrypted and its hash filled. Reversible: going back decrypts the values first.
"""

from django.db import migrations

import pandu.core.fields
import pandu.people.validators

TABLE = "people_citizenprofile"


def encrypt_identity_numbers(apps, schema_editor):
    pandu.core.fields.encrypt_columns(
        schema_editor.connection,
        table=TABLE,
        columns=["nik", "passport_number"],
        hashes={"nik": ("nik_hash", "nik"), "passport_number": ("passport_hash", "passport")},
    )


def decrypt_identity_numbers(apps, schema_editor):
    pandu.core.fields.decrypt_columns(
        schema_editor.connection, table=TABLE, columns=["nik", "passport_number"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_citizen_booking_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="citizenprofile",
            name="nik_hash",
            field=pandu.core.fields.LookupHashField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                purpose="nik",
                source="nik",
            ),
        ),
        migrations.AddField(
            model_name="citizenprofile",
            name="passport_hash",
            field=pandu.core.fields.LookupHashField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                purpose="passport",
                source="passport_number",
            ),
        ),
        migrations.AlterField(
            model_name="citizenprofile",
            name="nik",
            field=pandu.core.fields.EncryptedCharField(
                blank=True,
                help_text="Nomor Induk Kependudukan, 16 angka. Kosongkan jika Anda tidak memilikinya.",
                max_length=16,
                validators=[pandu.people.validators.validate_nik],
                verbose_name="NIK",
            ),
        ),
        migrations.AlterField(
            model_name="citizenprofile",
            name="passport_number",
            field=pandu.core.fields.EncryptedCharField(
                blank=True,
                max_length=9,
                validators=[pandu.people.validators.validate_passport_number],
                verbose_name="nomor paspor",
            ),
        ),
        migrations.RunPython(encrypt_identity_numbers, decrypt_identity_numbers),
    ]
