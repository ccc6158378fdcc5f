"""The ``koers`` command: Django's management commands with Koers' settings.

``koers migrate``, ``koers demo``, ``koers generate --people 1000``, ``koers gas ...``,
``koers runserver`` — everything ``manage.py`` does.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["koers", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
