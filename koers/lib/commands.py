"""What Koers's own management commands share."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError


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
    """``koers <name> check | refresh`` for kept (derived) data: ``check`` computes every
    person's kept data again from the rows and compares (``OK, no drift``, or one line per person
    that drifted — column, kept, computed; at most ``--show`` — and exit code 1); ``refresh``
    computes and stores all of it. A subclass names ``what`` and gives ``refresh_all()`` (the
    number of persons), ``drift()`` (``{person_id: {column: (kept, computed)}}``) and
    ``log_shown(person_ids)``: the access log's rows for the persons whose data the report shows
    (lib sits below the access layer, so the subclass calls it: ``access.maintenance_read``)."""

    what = "kept data"
    EXIT_DRIFT = 1

    def refresh_all(self) -> int:
        raise NotImplementedError

    def drift(self) -> dict:
        raise NotImplementedError

    def log_shown(self, person_ids: list[int]) -> None:
        raise NotImplementedError

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser("check", help=f"report persons whose {self.what} differs from the rows")
        check.add_argument("--show", type=int, default=20, help="at most this many persons listed (default 20)")
        sub.add_parser("refresh", help=f"compute and store every person's {self.what}")

    def handle(self, *args, subcommand, **options):
        if subcommand == "refresh":
            self.stdout.write(f"OK, {self.refresh_all()} persons refreshed")
            return
        found = self.drift()
        if not found:
            self.stdout.write("OK, no drift")
            return
        shown = list(found.items())[: options["show"]]
        self.log_shown([pid for pid, _ in shown])
        for pid, columns in shown:
            parts = ", ".join(f"{name}: kept {kept!r}, computed {want!r}" for name, (kept, want) in columns.items())
            self.stdout.write(f"person {pid}: {parts}")
        name = self.__module__.rsplit(".", 1)[-1]
        self.stderr.write(f"DRIFT: {len(found)} persons differ (run `koers {name} refresh`)")
        sys.exit(self.EXIT_DRIFT)
