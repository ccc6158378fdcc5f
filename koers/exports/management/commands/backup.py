"""``koers backup FILE``: a logical backup of the whole database (``koers.exports.backup``).

SQLite through the online backup API (safe while Koers runs), PostgreSQL with ``pg_dump -Fc``.
Restore with ``koers restore FILE``. See docs/operations.md.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from koers.audit.services import owner_alias
from koers.exports import backup


class Command(BaseCommand):
    help = (
        "Maak een back-up van de hele database naar FILE: SQLite met de online-back-up, PostgreSQL met "
        "pg_dump -Fc. Terugzetten: koers restore FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="het back-upbestand dat gemaakt wordt")
        parser.add_argument("--database", default=None, help="standaard: 'owner' als die er is, anders 'default'")
        parser.add_argument("--force", action="store_true", help="een bestaand bestand overschrijven")

    def handle(self, *args, file: str, database: str | None, force: bool, **options):
        alias = database or owner_alias()
        try:
            outcome = backup.backup(alias, Path(file), force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Back-up gemaakt: {outcome.path} ({outcome.vendor}, {outcome.size:,} bytes).")
        )
