"""Model fields for identity numbers kept encrypted at rest, and the keyed hashes that find them.

``EncryptedCharField`` behaves like a ``CharField`` to the code (forms, validators, templates and
exports read and write the clear value) while the database column holds only a Fernet token made
by ``pandu.core.crypto`` (first key of ``PANDU_DATA_KEYS`` encrypts, every key decrypts). An empty
value stays empty, so "no NIK" needs no decryption. ``LookupHashField`` sits beside such a field and
fills itself on every ``save()`` with the HMAC of the clear value (``crypto.lookup_hash``), which is
what equality queries use: the same number always gives the same hash, while two encryptions of it
never look alike.

Why a field of our own: django-fernet-encrypted-fields derives its keys from ``SECRET_KEY`` and a
salt with PBKDF2, so it cannot use the Fernet keys of ``PANDU_DATA_KEYS`` and a change of secret
key would make the data unreadable; django-cryptography-5 pickles values (and unpickles what it
reads), takes one key derived from ``SECRET_KEY`` and declares support up to Django 5.1. The fields
here are a thin layer over ``cryptography``'s Fernet; no cryptography is made by hand.

What they deliberately do not do: the encrypted field refuses every lookup but ``isnull`` (an
equality filter on ciphertext would silently match nothing: filter on the lookup hash instead), and
``QuerySet.update()`` or ``bulk_update()`` of the clear field does not refresh its hash (only
``save()`` does; ``pandu encryption_rotate`` recomputes them all).
"""

from __future__ import annotations

from django.db import models

from pandu.core import crypto

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte and a 64-bit timestamp)


def looks_encrypted(value: str | None) -> bool:
    """Whether a column value is already a Fernet token (migrations and re-encryption use it)."""
    return bool(value) and value.startswith(FERNET_PREFIX) and len(value) >= 100


class EncryptedCharField(models.CharField):
    """A short text kept as a Fernet token; ``max_length`` limits the clear value."""

    description = "Encrypted text (Fernet)"

    def get_internal_type(self) -> str:
        # The token is far longer than the clear value (about 100-120 characters for a passport
        # number or NIK): the column is text, max_length applies to what a person types.
        return "TextField"

    def get_db_prep_save(self, value, connection):
        value = self.get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(str(value).encode()).decode("ascii")

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value.encode("ascii")).decode()

    def get_lookup(self, lookup_name):
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name):
        return None


class LookupHashField(models.CharField):
    """HMAC-SHA256 (hex) of another field's clear value, recomputed on every save."""

    description = "Keyed hash of another field"

    def __init__(self, *args, source: str, purpose: str, **kwargs):
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def hash_of(self, instance: models.Model) -> str:
        return crypto.lookup_hash(self.purpose, getattr(instance, self.source) or "")

    def pre_save(self, model_instance, add):
        value = self.hash_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


# --- data migrations ------------------------------------------------------------------------
# Raw SQL on purpose: a migration's historical model carries the encrypted field already, which
# would try to decrypt the clear values it is meant to encrypt.


def select_sql(connection, table: str, columns: list[str]) -> str:
    q = connection.ops.quote_name
    return f"SELECT {q('id')}, {', '.join(map(q, columns))} FROM {q(table)}"  # noqa: S608 (names from the migration)


def update_sql(connection, table: str, columns: list[str]) -> str:
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(c)} = %s" for c in columns)
    return f"UPDATE {q(table)} SET {sets} WHERE {q('id')} = %s"  # noqa: S608 (names from the migration)


def encrypt_columns(
    connection,
    *,
    table: str,
    columns: list[str],
    hashes: dict[str, tuple[str, str]] | None = None,
) -> int:
    """Encrypt the clear values of ``columns`` in ``table`` and fill their lookup hashes.

    ``hashes`` maps a column to (hash column, purpose). Values already encrypted are left as they
    are (their hash is still filled), so running it twice changes nothing. Returns the rows
    written.
    """
    hashes = hashes or {}
    with connection.cursor() as cursor:
        cursor.execute(select_sql(connection, table, columns))
        rows = cursor.fetchall()
        written = 0
        for pk, *values in rows:
            sets: dict[str, str] = {}
            for column, value in zip(columns, values, strict=True):
                if not value:
                    continue
                encrypted = looks_encrypted(value)
                clear = crypto.decrypt(value.encode()).decode() if encrypted else value
                if not encrypted:
                    sets[column] = crypto.encrypt(clear.encode()).decode("ascii")
                if column in hashes:
                    hash_column, purpose = hashes[column]
                    sets[hash_column] = crypto.lookup_hash(purpose, clear)
            if sets:
                cursor.execute(update_sql(connection, table, list(sets)), [*sets.values(), pk])
                written += 1
    return written


def decrypt_columns(connection, *, table: str, columns: list[str]) -> int:
    """The reverse of ``encrypt_columns``: clear values back in ``columns``. Returns rows written."""
    with connection.cursor() as cursor:
        cursor.execute(select_sql(connection, table, columns))
        rows = cursor.fetchall()
        written = 0
        for pk, *values in rows:
            sets = {
                column: crypto.decrypt(value.encode()).decode()
                for column, value in zip(columns, values, strict=True)
                if looks_encrypted(value)
            }
            if sets:
                cursor.execute(update_sql(connection, table, list(sets)), [*sets.values(), pk])
                written += 1
    return written
