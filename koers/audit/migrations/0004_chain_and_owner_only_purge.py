"""Chain the rows that exist, and let only the table's owner open the purge window (issue #11).

1. Existing rows get ``prev_hash``/``row_hash`` in id order (``koers.audit.chain``). The
   update trigger is lifted for that, in this migration's own transaction, and put back.
2. On PostgreSQL the trigger function now opens the purge window (``SET LOCAL
   koers.audit_purge = 'on'``) only when the current role is a member of the role that owns
   the table: the application's role (docs/running.md) can set the variable but the trigger
   still refuses its DELETE — and it lacks the DELETE privilege in the first place.
   ``AccessLogPurge`` rows can be neither changed nor removed, by anyone.
3. On SQLite, 0003 rebuilt the table (adding a NOT NULL column), which drops its triggers:
   they are created again here, and for ``audit_accesslogpurge`` too. SQLite has no roles, so
   there the triggers guard against mistakes and the chain makes tampering detectable.
"""

from django.db import migrations

from koers.audit import chain

SQLITE_TRIGGERS = [
    "CREATE TABLE IF NOT EXISTS audit_purge_window (id INTEGER PRIMARY KEY);",
    "DROP TRIGGER IF EXISTS audit_accesslog_no_update;",
    "DROP TRIGGER IF EXISTS audit_accesslog_no_delete;",
    """CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslogentry
       BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;""",
    """CREATE TRIGGER audit_accesslog_no_delete BEFORE DELETE ON audit_accesslogentry
       WHEN NOT EXISTS (SELECT 1 FROM audit_purge_window)
       BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;""",
    """CREATE TRIGGER audit_accesslogpurge_no_update BEFORE UPDATE ON audit_accesslogpurge
       BEGIN SELECT RAISE(ABORT, 'purge record is append-only'); END;""",
    """CREATE TRIGGER audit_accesslogpurge_no_delete BEFORE DELETE ON audit_accesslogpurge
       WHEN NOT EXISTS (SELECT 1 FROM audit_purge_window)
       BEGIN SELECT RAISE(ABORT, 'purge record is append-only'); END;""",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
       DECLARE owner_oid oid;
       BEGIN
         IF TG_OP = 'DELETE' AND current_setting('koers.audit_purge', true) = 'on' THEN
           SELECT relowner INTO owner_oid FROM pg_catalog.pg_class WHERE oid = TG_RELID;
           IF pg_catalog.pg_has_role(current_user, owner_oid, 'MEMBER') THEN RETURN OLD; END IF;
           RAISE EXCEPTION 'access log: only the owner role may purge';
         END IF;
         RAISE EXCEPTION 'access log is append-only';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE OR REPLACE FUNCTION audit_accesslogpurge_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'purge record is append-only'; END; $$ LANGUAGE plpgsql;""",
    "DROP TRIGGER IF EXISTS audit_accesslogpurge_no_change ON audit_accesslogpurge;",
    """CREATE TRIGGER audit_accesslogpurge_no_change BEFORE UPDATE OR DELETE ON audit_accesslogpurge
       FOR EACH ROW EXECUTE FUNCTION audit_accesslogpurge_append_only();""",
]


def _chain_existing(apps, schema_editor) -> None:
    entries = apps.get_model("audit", "AccessLogEntry").objects.using(schema_editor.connection.alias)
    prev = chain.GENESIS
    for row in entries.order_by("id").values_list("id", *chain.FIELDS).iterator(chunk_size=2000):
        digest = chain.row_hash(dict(zip(chain.FIELDS, row[1:], strict=True)), prev)
        schema_editor.execute(
            "UPDATE audit_accesslogentry SET prev_hash = %s, row_hash = %s WHERE id = %s", [prev, digest, row[0]]
        )
        prev = digest


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_accesslog_no_change")
        _chain_existing(apps, schema_editor)
        schema_editor.execute("ALTER TABLE audit_accesslogentry ENABLE TRIGGER audit_accesslog_no_change")
        for sql in POSTGRES_TRIGGERS:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_accesslog_no_update;")
        _chain_existing(apps, schema_editor)
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_accesslogpurge_no_change ON audit_accesslogpurge;")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_accesslogpurge_append_only();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_accesslogpurge_no_update;")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_accesslogpurge_no_delete;")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_fields")]
    operations = [migrations.RunPython(forwards, backwards)]
