"""What Koers's own management commands share."""

from __future__ import annotations

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
