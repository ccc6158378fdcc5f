"""gunicorn is the declared production server (``koers[server]``, issue #18): ``koers serve``
starts it with ``koers.gunicorn_conf`` and it answers a page on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from koers import gunicorn_conf

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_worker_settings():
    assert gunicorn_conf.worker_class == "sync"
    assert gunicorn_conf.default_workers() == 2 * (os.cpu_count() or 1)
    assert gunicorn_conf.max_requests > 0 and 0 < gunicorn_conf.max_requests_jitter < gunicorn_conf.max_requests
    assert 0 < gunicorn_conf.timeout <= 60
    assert gunicorn_conf.bind.startswith("127.0.0.1:")
    assert gunicorn_conf.accesslog is None


def test_koers_serve_answers_on_loopback(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "koers.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    server = subprocess.Popen(  # noqa: S603 - this Python, fixed arguments
        [sys.executable, "-m", "koers.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/gezond", timeout=5) as answer:  # noqa: S310
                    body = (answer.status, answer.read())
                    break
            except OSError:
                time.sleep(0.3)
        assert body == (200, b"ok"), server.poll()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode(errors="replace")
    assert "Booting worker" in output and "Using worker: sync" in output
