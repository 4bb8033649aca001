"""The old passport number of a replacement application, encrypted at rest.

No lookup hash: nothing searches by it. Reversible: going back decrypts the values first.
"""

from django.db import migrations

import pandu.core.fields

TABLE = "applications_application"


def encrypt_old_passport_numbers(apps, schema_editor):
    pandu.core.fields.encrypt_columns(
        schema_editor.connection, table=TABLE, columns=["old_passport_number"]
    )


def decrypt_old_passport_numbers(apps, schema_editor):
    pandu.core.fields.decrypt_columns(
        schema_editor.connection, table=TABLE, columns=["old_passport_number"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_letters_and_service_rules"),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="old_passport_number",
            field=pandu.core.fields.EncryptedCharField(
                blank=True, max_length=9, verbose_name="nomor paspor lama"
            ),
        ),
        migrations.RunPython(encrypt_old_passport_numbers, decrypt_old_passport_numbers),
    ]
