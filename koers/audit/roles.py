"""PostgreSQL privileges for the application's role (``koers audit grant``, docs/running.md).

The tables belong to an owner role; migrations and the retention purge run as that owner
(``DATABASE_OWNER_URL``). The application connects as another role that may read and write the
care data but may only *read and append to* the access log: no UPDATE, DELETE or TRUNCATE, and
as a non-owner it can neither drop nor disable the log's triggers (only a table's owner can).
The purge record is read-only for it. The purge window (``SET LOCAL koers.audit_purge``) is
just a setting anyone can set; the trigger opens it only for a member of the owner role (audit
migration 0004), so the application role gains nothing by setting it.
"""

from __future__ import annotations

import re

LOG_TABLES = ("audit_accesslogentry", "audit_accesslogpurge")
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(Exception):
    pass


def grant_statements(*, app_role: str, schema: str, quote) -> list[str]:
    """The statements that give ``app_role`` what the application needs, and not more on the log."""
    for name in (app_role, schema):
        if not ROLE_NAME.match(name):
            raise RoleError(
                f"ongeldige naam {name!r}: kleine letters, cijfers en _ / invalid name {name!r}: lower case, digits, _"
            )
    role, space = quote(app_role), quote(schema)
    log_tables = ", ".join(f"{space}.{quote(t)}" for t in LOG_TABLES)
    return [
        f"GRANT USAGE ON SCHEMA {space} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {space} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {space} TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {log_tables} FROM {role}",
        f"REVOKE INSERT ON {space}.{quote('audit_accesslogpurge')} FROM {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {log_tables} FROM PUBLIC",
        # The chain's link (audit migration 0006): every page's access-log row on PostgreSQL goes
        # through it. Functions are executable by PUBLIC unless a site revoked that by default.
        f"GRANT EXECUTE ON FUNCTION {space}.koers_access_log_link(bigint, text, bytea, bytea) TO {role}",
    ]


def check_app_role(cursor, app_role: str) -> None:
    """Refuse a role that would keep the powers this setup takes away."""
    cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [app_role])
    found = cursor.fetchone()
    if found is None:
        raise RoleError(f"rol {app_role} bestaat niet / role {app_role} does not exist")
    if found[0]:
        raise RoleError(f"rol {app_role} is superuser / role {app_role} is a superuser: it ignores every privilege")
    cursor.execute(
        "SELECT pg_has_role(%s, c.relowner, 'MEMBER') FROM pg_class c WHERE c.relname = %s",
        [app_role, LOG_TABLES[0]],
    )
    member = cursor.fetchone()
    if member and member[0]:
        raise RoleError(
            f"rol {app_role} is (lid van) de eigenaar van het log / role {app_role} is (a member of) the log's owner"
        )


def grant(connection, *, app_role: str, schema: str = "public") -> list[str]:
    """Run the grants on ``connection`` (the owner's); returns the statements run."""
    if connection.vendor != "postgresql":
        raise RoleError("alleen voor PostgreSQL / PostgreSQL only")
    statements = grant_statements(app_role=app_role, schema=schema, quote=connection.ops.quote_name)
    with connection.cursor() as cursor:
        check_app_role(cursor, app_role)
        for sql in statements:
            cursor.execute(sql)
    return statements
