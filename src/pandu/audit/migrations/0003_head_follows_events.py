"""The chain head follows each appended event in the database itself.

An ``AFTER INSERT`` trigger on the events moves the head to the new event, so appending an event
is two statements (lock the head, insert) instead of three, and the head can never lag an event.
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER audit_head_follows AFTER INSERT ON audit_auditevent
BEGIN
    UPDATE audit_audithead SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
END
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_head_follows"

POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION audit_head_follow() RETURNS trigger AS $$
    BEGIN
        UPDATE audit_audithead SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_head_follows AFTER INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_head_follow()
    """,
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_head_follows ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_head_follow()",
]


def up(apps, schema_editor):
    statements = POSTGRES_UP if schema_editor.connection.vendor == "postgresql" else [SQLITE_UP]
    for statement in statements:
        schema_editor.execute(statement)


def down(apps, schema_editor):
    statements = POSTGRES_DOWN if schema_editor.connection.vendor == "postgresql" else [SQLITE_DOWN]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_initial")]

    operations = [migrations.RunPython(up, down)]
