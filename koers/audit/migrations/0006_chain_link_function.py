"""The chain's link made in the database on PostgreSQL, so a row is appended in one statement
(issue #18, "Speed"; ``koers.audit.log.record``).

``koers_access_log_link(lock_key, genesis, head, tail)`` does what ``record`` did in Python
around its INSERT, in the same order: it takes the chain's advisory lock (held to the end of the
transaction), then reads the tip — the last row's ``row_hash``, else the last purge's
``final_hash``, else ``genesis`` — in a statement of its own, which in a VOLATILE function takes
a new snapshot after the lock is held (READ COMMITTED), so a row another transaction appended
before releasing the lock is seen. It returns the tip and the SHA-256 (hex) of ``head || to_json(tip) ||
tail``: the row's canonical bytes, made in Python by ``koers.audit.chain.around_prev``, with the
tip as their ``prev_hash``. The format of those bytes stays defined in Python only; ``to_json``
writes the tip as Python's ``json`` does (a hash is hex digits; PostgreSQL escapes ``"``, ``\\``
and control characters as Python's encoder with ``ensure_ascii=False`` does), tested with a tip that
is not a hash.

The function runs with the caller's rights (SECURITY INVOKER, the default): the application's
role still appends through its INSERT right only. SQLite keeps the Python path.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION koers_access_log_link(lock_key bigint, genesis text, head bytea, tail bytea)
RETURNS TABLE (prev_hash text, row_hash text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    tip text;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT COALESCE(
        (SELECT e.row_hash FROM audit_accesslogentry e ORDER BY e.id DESC LIMIT 1),
        (SELECT p.final_hash FROM audit_accesslogpurge p ORDER BY p.id DESC LIMIT 1)
    ) INTO tip;
    IF tip IS NULL OR tip = '' THEN
        tip := genesis;
    END IF;
    RETURN QUERY SELECT tip, encode(sha256(head || convert_to(to_json(tip)::text, 'UTF8') || tail), 'hex');
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS koers_access_log_link(bigint, text, bytea, bytea);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_purpose_research"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
