"""Shared by the load, soak and outage scripts: the production-like server and its processes."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
HOST = "koers.test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(database_url: str, data_dir: Path, secret: str | None = None) -> dict[str, str]:
    """docs/production.env on loopback: debug off, 2FA for everyone, HTTPS behind a trusted proxy
    (the load generator plays the proxy), secure ``__Host-`` cookies."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOERS_")}
    env.update(
        DJANGO_SETTINGS_MODULE="koers.settings",
        DATABASE_URL=database_url,
        KOERS_SECRET_KEY=secret or secrets.token_urlsafe(64),
        KOERS_DEBUG="false",
        KOERS_ALLOWED_HOSTS=HOST,
        KOERS_CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        KOERS_TRUSTED_PROXIES="127.0.0.1",
        KOERS_SSL_REDIRECT="true",
        KOERS_HSTS_SECONDS="31536000",
        KOERS_SECURE_COOKIES="true",
        KOERS_HOST_COOKIES="true",
        KOERS_REQUIRE_2FA="true",
        KOERS_SESSION_MINUTES="30",
        KOERS_LOG_LEVEL="WARNING",
        KOERS_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
    )
    return env


def load_settings() -> dict[str, str]:
    """The caller's settings for the load generator (``KOERS_LOAD_KINDS``, ``KOERS_LOAD_WAIT``, …:
    locustfile.py), which ``production_env`` drops with every other ``KOERS_`` setting."""
    return {k: v for k, v in os.environ.items() if k.startswith("KOERS_LOAD_")}


def mix_of(settings: dict[str, str]) -> str:
    return settings.get("KOERS_LOAD_KINDS", "professional,person,api")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect (to the login page, say) is an answer to report, never to follow."""

    def redirect_request(self, *args, **kwargs):
        return None


def start_server(
    env: dict[str, str], port: int, workers: int, log: Path, *, code: Path = ROOT, plain: bool = False
) -> subprocess.Popen:
    """``koers serve`` (gunicorn, koers/gunicorn_conf.py) on loopback; returns once /gezond answers.
    ``code``: the checkout to serve; ``plain``: plain gunicorn on ``koers.wsgi:application``, for
    code from before ``koers serve``."""
    out = open(log, "ab")  # noqa: SIM115 - the server's output, closed with the process
    serve = ["gunicorn", "koers.wsgi:application"] if plain else ["koers.cli", "serve"]
    server = subprocess.Popen(  # noqa: S603 - this Python, fixed arguments
        [PYTHON, "-m", *serve, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=code,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start (exit {server.returncode}); see {log}")
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/gezond", headers={"Host": HOST, "X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer /gezond within 300 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def prepare_users(
    env: dict[str, str], out: Path, professionals: int, persons: int, api: int, make_persons: bool = False
) -> None:
    subprocess.run(  # noqa: S603 - this Python, fixed arguments
        [
            PYTHON,
            str(ROOT / "benchmarks/load/prepare.py"),
            "--professionals",
            str(professionals),
            "--persons",
            str(persons),
            "--api",
            str(api),
            "--out",
            str(out),
            *(["--make-persons"] if make_persons else []),
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
