"""``koers audit verify | purge | grant``: the access log's hash chain, retention and roles.

- ``koers audit verify``: walk the chain; prints ``OK, N rows, final hash …`` or one line naming
  the first broken link (row id and what is wrong) and exits with 1.
- ``koers audit purge --older-than-days N`` (or ``--before YYYY-MM-DD``): the retention purge, as
  the owner role (the ``owner`` database when ``DATABASE_OWNER_URL`` is set).
- ``koers audit grant --app-role koers_app``: as the owner, give the application's PostgreSQL
  role what it needs and take away changing the log (``koers.audit.roles``).
"""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from koers.audit import roles
from koers.audit.services import access_log_purge_before, owner_alias
from koers.audit.verify import verify_chain

EXIT_BROKEN = 1


class Command(BaseCommand):
    help = "The access log: verify its hash chain, purge old rows, set the application role's rights."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="walk the hash chain and report the first broken link")
        verify.add_argument("--database", default="default")
        verify.add_argument("--anchor", help="a final hash noted earlier: it must still be in the chain")
        purge = sub.add_parser("purge", help="remove rows past their retention period (as the owner role)")
        when = purge.add_mutually_exclusive_group(required=True)
        when.add_argument("--older-than-days", type=int)
        when.add_argument("--before", help="YYYY-MM-DD (local date)")
        purge.add_argument("--database", default=None, help="default: 'owner' if configured, else 'default'")
        grant = sub.add_parser("grant", help="PostgreSQL: rights of the application role (run as the owner)")
        grant.add_argument("--app-role", required=True)
        grant.add_argument("--schema", default="public")
        grant.add_argument("--database", default=None, help="default: 'owner' if configured, else 'default'")
        grant.add_argument("--sql", action="store_true", help="only print the statements")

    def handle(self, *args, subcommand, **options):
        return getattr(self, f"_{subcommand}")(**options)

    def _verify(self, *, database, anchor, **_):
        report = verify_chain(database, anchor=anchor)
        if not report.ok:
            self.stderr.write(f"FOUT / BROKEN: {report.problem.message}")
            sys.exit(EXIT_BROKEN)
        purged = f", {report.purges} purges" if report.purges else ""
        self.stdout.write(f"OK, {report.rows} rows{purged}, final hash {report.final_hash}")

    def _purge(self, *, older_than_days, before, database, **_):
        if older_than_days is not None:
            if older_than_days < 1:
                raise CommandError("--older-than-days moet 1 of meer zijn / must be 1 or more")
            cutoff = timezone.now() - dt.timedelta(days=older_than_days)
        else:
            try:
                day = dt.date.fromisoformat(before)
            except ValueError:
                raise CommandError(f"--before: geen datum (JJJJ-MM-DD) / not a date: {before!r}") from None
            cutoff = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        try:
            result = access_log_purge_before(cutoff=cutoff, using=database or owner_alias())
        except DatabaseError as error:
            first_line = str(error).splitlines()[0]
            raise CommandError(
                f"opschonen geweigerd (alleen de eigenaarsrol mag dit) / purge refused (owner role only): {first_line}"
            ) from None
        if result.record is None:
            self.stdout.write(f"nothing to purge before {cutoff.isoformat()}")
            return
        record = result.record
        self.stdout.write(
            f"purged {result.deleted} rows (ids {record.first_id}-{record.last_id}) before {cutoff.isoformat()}, "
            f"final hash {record.final_hash}"
        )

    def _grant(self, *, app_role, schema, database, sql, **_):
        connection = connections[database or owner_alias()]
        try:
            if sql:
                statements = roles.grant_statements(app_role=app_role, schema=schema, quote=connection.ops.quote_name)
            else:
                with transaction.atomic(using=connection.alias):
                    statements = roles.grant(connection, app_role=app_role, schema=schema)
        except roles.RoleError as error:
            raise CommandError(str(error)) from None
        for statement in statements:
            self.stdout.write(f"{statement};")
