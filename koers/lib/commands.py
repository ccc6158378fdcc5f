"""What Koers's own management commands share."""

from __future__ import annotations

import logging
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

logger = logging.getLogger("koers.kept")


class OneLineErrorCommand(BaseCommand):
    """A bad option gives one line on stderr and exit code 2, not argparse's usage block; called
    from code (``call_command``) it raises ``CommandError`` as usual."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            if not getattr(self, "_called_from_command_line", False):
                raise CommandError(message)
            parser.exit(2, f"koers {subcommand}: {message}\n")

        parser.error = error
        return parser


class KeptDataCommand(BaseCommand):
    """``koers <name> check | repair | refresh`` for kept (derived) data: ``check`` computes every
    person's kept data again from the rows and compares (``OK, no drift``, or one line per person
    that drifted — column, kept, computed; at most ``--show`` — and exit code 1); ``repair`` does
    the same comparison and stores the drifted persons' data again, naming no one on the terminal
    (the scheduler runs it daily: ``koers.lib.tasks.kept_data_repair``); ``refresh`` computes and
    stores all of it. A subclass names ``what`` and gives ``refresh_all()`` (the number of
    persons), ``refresh(person_ids)``, ``drift()`` (``{person_id: {column: (kept, computed)}}``),
    ``log_shown(person_ids)`` and ``log_repaired(person_ids)``: the access log's rows for the
    persons whose data the report shows or the repair stores again (lib sits below the access
    layer, so the subclass calls it: ``access.maintenance_read`` / ``maintenance_repair``)."""

    what = "kept data"
    EXIT_DRIFT = 1

    def refresh_all(self) -> int:
        raise NotImplementedError

    def refresh(self, person_ids: list[int]) -> None:
        raise NotImplementedError

    def drift(self) -> dict:
        raise NotImplementedError

    def log_shown(self, person_ids: list[int]) -> None:
        raise NotImplementedError

    def log_repaired(self, person_ids: list[int]) -> None:
        raise NotImplementedError

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser("check", help=f"report persons whose {self.what} differs from the rows")
        check.add_argument("--show", type=int, default=20, help="at most this many persons listed (default 20)")
        sub.add_parser("repair", help=f"check, and store again the {self.what} of the persons that drifted")
        sub.add_parser("refresh", help=f"compute and store every person's {self.what}")

    def handle(self, *args, subcommand, **options):
        if subcommand == "refresh":
            self.stdout.write(f"OK, {self.refresh_all()} persons refreshed")
            return
        if subcommand == "repair":
            return self.repair()
        found = self.drift()
        if not found:
            self.stdout.write("OK, no drift")
            return
        shown = list(found.items())[: options["show"]]
        self.log_shown([pid for pid, _ in shown])
        for pid, columns in shown:
            parts = ", ".join(f"{name}: kept {kept!r}, computed {want!r}" for name, (kept, want) in columns.items())
            self.stdout.write(f"person {pid}: {parts}")
        self.stderr.write(f"DRIFT: {len(found)} persons differ (run `koers {self.name} repair`)")
        sys.exit(self.EXIT_DRIFT)

    @property
    def name(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]

    def repair(self) -> None:
        """Store the drifted persons' kept data again, in one transaction with its log rows. Prints
        only how many (a scheduled run's output goes to the operators' log); from the command
        line, exit code 1 when there was drift, so cron can alert on it."""
        drifted = sorted(self.drift())
        if not drifted:
            self.stdout.write("OK, no drift")
            return
        with transaction.atomic():
            self.refresh(drifted)
            self.log_repaired(drifted)
        message = f"REPAIRED: {len(drifted)} persons' {self.what} stored again (koers {self.name} repair)"
        logger.warning(message)
        self.stderr.write(message)
        if getattr(self, "_called_from_command_line", False):
            sys.exit(self.EXIT_DRIFT)
