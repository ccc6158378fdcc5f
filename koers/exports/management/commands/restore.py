"""``koers restore FILE``: put a backup made by ``koers backup`` back (``koers.exports.backup``).

Refuses a database that already holds accounts, people or access-log rows unless ``--force``:
then every table is replaced by the backup's (PostgreSQL: ``pg_restore --clean`` in one
transaction; SQLite: the backup's pages copied over the database). Afterwards the access log's
hash chain is verified, as ``koers audit verify`` does; on PostgreSQL run ``koers audit grant``
again (rights are not part of the backup). See docs/operations.md.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from koers.audit.services import owner_alias
from koers.audit.verify import verify_chain
from koers.exports import backup


class Command(BaseCommand):
    help = (
        "Zet een back-up van koers backup terug. Een database met gegevens wordt alleen met --force "
        "overschreven: dan worden alle tabellen vervangen door die uit de back-up. Daarna wordt de keten "
        "van het toegangslog gecontroleerd."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="het back-upbestand")
        parser.add_argument("--database", default=None, help="standaard: 'owner' als die er is, anders 'default'")
        parser.add_argument(
            "--force",
            action="store_true",
            help="ook als de database al gegevens bevat: alle tabellen worden vervangen door die uit de back-up",
        )

    def handle(self, *args, file: str, database: str | None, force: bool, **options):
        alias = database or owner_alias()
        try:
            outcome = backup.restore(alias, Path(file), force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Teruggezet uit {outcome.path} ({outcome.vendor})."))
        report = verify_chain(alias)
        if not report.ok:
            raise CommandError(f"Teruggezet, maar de keten van het toegangslog klopt niet: {report.problem.message}")
        self.stdout.write(f"Toegangslog: OK, {report.rows} rows, final hash {report.final_hash}")
