"""The kept (derived) tables' checks, as the nightly repair runs them."""

from __future__ import annotations

import io

from django.core.management import call_command

from koers.lib.tasks import kept_data_repair
from koers.notifications import sources


def kept_commands() -> list[str]:
    """Every kept table's command (``koers.lib.commands.KeptDataCommand``): those its app
    registered for the nightly repair."""
    return sorted(entry.args[0] for entry in sources.periodic() if entry.task is kept_data_repair)


def drifted() -> dict[str, str]:
    """{command: what its ``check`` printed} for every kept table that differs from its rows."""
    found = {}
    for command in kept_commands():
        out = io.StringIO()
        try:
            call_command(command, "check", stdout=out, stderr=io.StringIO())
        except SystemExit:  # the check's exit code 1: drift
            found[command] = out.getvalue()
    return found
