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

import pytest

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
    assert gunicorn_conf.preload_app is True


def test_preload_can_be_switched_off(monkeypatch):
    import importlib

    try:
        monkeypatch.setenv("KOERS_PRELOAD", "false")
        assert importlib.reload(gunicorn_conf).preload_app is False
    finally:
        monkeypatch.delenv("KOERS_PRELOAD", raising=False)
        importlib.reload(gunicorn_conf)


class FakeServer:
    def __init__(self, preload: bool):
        self.cfg = type("Cfg", (), {"preload_app": preload})()


def test_no_database_connection_is_inherited_by_a_forked_worker(monkeypatch):
    """With preloading, every connection the master holds is closed before each fork: two
    workers must never share one socket to PostgreSQL."""
    from django.db import connections

    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    gunicorn_conf.pre_fork(FakeServer(preload=True), worker=None)
    assert closed == [True]
    gunicorn_conf.pre_fork(FakeServer(preload=False), worker=None)  # each worker opens its own anyway
    assert closed == [True]


def test_warm_up_compiles_the_templates_and_urls():
    """What the master does once so that no forked worker does it on its first requests."""
    from django.template import engines
    from django.test import override_settings

    from koers.lib import warm

    cached = [
        (
            "template_partials.loader.Loader",
            [
                (
                    "django.template.loaders.cached.Loader",
                    ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
                )
            ],
        )
    ]
    from django.conf import settings

    templates = [dict(t) for t in settings.TEMPLATES]
    templates[0]["OPTIONS"] = {**templates[0]["OPTIONS"], "loaders": cached, "debug": False}
    templates[0]["APP_DIRS"] = False
    with override_settings(TEMPLATES=templates):
        done = warm.warm_up()
        engine = engines["django"].engine
        cache = next(
            loader for loader in warm._loaders(engine.template_loaders) if hasattr(loader, "get_template_cache")
        ).get_template_cache
        assert any(key.startswith("workspace/caseload.html") for key in cache)
    assert done["templates"] > 200
    assert done["url_names"] > 0 and done["languages"] == 2


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


def test_reuse_port_is_off_unless_asked(monkeypatch):
    """``KOERS_REUSE_PORT`` sets gunicorn's ``reuse_port`` (SO_REUSEPORT); off by default, so a
    second server on a taken port still fails loudly instead of silently sharing it."""
    import importlib

    try:
        monkeypatch.delenv("KOERS_REUSE_PORT", raising=False)
        assert importlib.reload(gunicorn_conf).reuse_port is False
        monkeypatch.setenv("KOERS_REUSE_PORT", "true")
        assert importlib.reload(gunicorn_conf).reuse_port is True
        monkeypatch.setenv("KOERS_REUSE_PORT", "perhaps")
        with pytest.raises(ValueError, match="KOERS_REUSE_PORT"):
            importlib.reload(gunicorn_conf)
    finally:
        monkeypatch.delenv("KOERS_REUSE_PORT", raising=False)
        importlib.reload(gunicorn_conf)


def test_two_servers_share_one_port_with_reuse_port(tmp_path):
    """docs/scaling.md's local topology (benchmarks/topology.py): two ``koers serve`` masters bound
    to the same port, the kernel spreading connections over them; each answers on its own."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "koers.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "KOERS_REUSE_PORT": "true",
    }
    servers, logs = [], []
    try:
        for name in ("a", "b"):
            logs.append(tmp_path / f"{name}-access.log")
            servers.append(
                subprocess.Popen(  # noqa: S603 - this Python, fixed arguments
                    [
                        sys.executable,
                        "-m",
                        "koers.cli",
                        "serve",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--access-logfile",
                        str(logs[-1]),
                        "--access-logformat",
                        "%(p)s %(s)s",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not all(log.exists() and log.stat().st_size for log in logs):
            assert all(server.poll() is None for server in servers), "a server could not bind the shared port"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/gezond", timeout=5) as answer:  # noqa: S310
                    assert answer.read() == b"ok"
            except OSError:
                time.sleep(0.2)
        assert all(log.exists() and log.stat().st_size for log in logs), "one server never answered"
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def test_the_master_warms_up_and_freezes_what_it_loaded(monkeypatch):
    """With preloading the master warms the caches once and freezes the loaded objects, so that a
    forked worker's garbage collections do not walk (and copy) them; without it, nothing."""
    import gc

    from koers.lib import warm

    calls = []
    monkeypatch.setattr(warm, "warm_up", lambda: calls.append(True))
    try:
        gunicorn_conf.when_ready(FakeServer(preload=False))
        assert calls == [] and gc.get_freeze_count() == 0
        gunicorn_conf.when_ready(FakeServer(preload=True))
        assert calls == [True] and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
