"""Make the access log append-only in the database itself, so not even raw SQL through the
application's connection can change or remove a record (NEN 7513).

Updates are refused always. Deletes are refused unless a retention purge opened a window
in the same transaction: on PostgreSQL ``SET LOCAL koers.audit_purge = 'on'``, on SQLite a
row in ``audit_purge_window`` (a table Django does not manage, so a test flush keeps it).
Only ``koers.audit.services.access_log_purge_before`` opens that window.
"""

from django.db import migrations

SQLITE = [
    "CREATE TABLE IF NOT EXISTS audit_purge_window (id INTEGER PRIMARY KEY);",
    """CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslogentry
       BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;""",
    """CREATE TRIGGER audit_accesslog_no_delete BEFORE DELETE ON audit_accesslogentry
       WHEN NOT EXISTS (SELECT 1 FROM audit_purge_window)
       BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_accesslog_no_update;",
    "DROP TRIGGER IF EXISTS audit_accesslog_no_delete;",
    "DROP TABLE IF EXISTS audit_purge_window;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND current_setting('koers.audit_purge', true) = 'on' THEN RETURN OLD; END IF;
         RAISE EXCEPTION 'access log is append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_accesslog_no_change BEFORE UPDATE OR DELETE ON audit_accesslogentry
       FOR EACH ROW EXECUTE FUNCTION audit_accesslog_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_accesslog_no_change ON audit_accesslogentry;",
    "DROP FUNCTION IF EXISTS audit_accesslog_append_only();",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
