"""The ``koers`` command: Django's management commands with Koers' settings.

``koers migrate``, ``koers demo``, ``koers generate --people 1000``, ``koers runserver`` —
everything ``manage.py`` does. ``koers serve`` runs gunicorn with ``koers.gunicorn_conf`` (the
``server`` extra).

The researchers' commands ``koers gas``, ``koers score``, ``koers change`` and ``koers analyse``
are pure computations on numbers and files: they run with Koers' language settings only
(``koers.cli_settings``), so after ``pip install koers`` they work with no secret key, no
database and no ``DJANGO_SETTINGS_MODULE``. A command that cannot run says so on stderr, in one
line that starts with the command's name, and exits non-zero — never with a traceback.
"""

from __future__ import annotations

import os
import sys

# name → module of its Command class (imported only when that command is run)
PURE_COMMANDS = {
    "gas": "koers.goals.management.commands.gas",
    "score": "koers.questionnaires.management.commands.score",
    "change": "koers.questionnaires.management.commands.change",
    "analyse": "koers.monitoring.management.commands.analyse",
}
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        sys.exit(run_pure(args[0], args[1:]))
    if args and args[0] == "serve":
        serve(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["koers", *args])


def serve(args: list[str]) -> None:
    """``koers serve [gunicorn options]``: gunicorn with Koers's production settings
    (``koers.gunicorn_conf``; options given here win). Replaces this process."""
    try:
        import gunicorn  # noqa: F401 - only to say clearly when it is missing
    except ImportError:
        sys.exit(_say("serve", "gunicorn is not installed: pip install 'koers[server]'"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    command = [sys.executable, "-m", "gunicorn", "--config", "python:koers.gunicorn_conf", *args]
    os.execv(sys.executable, command)  # noqa: S606  # nosec B606  # this Python replaced by gunicorn, no shell


def run_pure(name: str, args: list[str]) -> int:
    """Run one researchers' command with the language settings only; return the exit code."""
    try:
        from koers.cli_settings import configure

        configure()
        from django.core.management.base import CommandError

        command, parser = _command(name)
        options = vars(parser.parse_args(args))
        command.execute(*options.pop("args", ()), **options)
    except SystemExit as exc:  # argparse ends this way (--help, or a bad option after saying so)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else _say(name, exc.code))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `koers score … | head`: the reader stopped; nothing to say
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stderr at exit
        return EXIT_FAILED
    except CommandError as exc:  # bad input, named by the command
        _say(name, str(exc))
        return exc.returncode or EXIT_FAILED
    except Exception as exc:  # anything else: one line, no traceback
        return _say(name, _one_line(exc))
    return 0


def _command(name: str):
    """The command and its parser; the parser reports a bad option in one line."""
    import importlib

    command = importlib.import_module(PURE_COMMANDS[name]).Command()
    command.requires_system_checks = []  # nothing to check: no apps, no database
    parser = command.create_parser("koers", name)

    def error(message):
        parser.exit(2, f"koers {name}: {message} (koers {name} --help)\n")

    parser.error = error
    return command, parser


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        text = f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return text


def _say(name: str, message) -> int:
    sys.stderr.write(f"koers {name}: {message}\n")
    return EXIT_FAILED


if __name__ == "__main__":
    main()
