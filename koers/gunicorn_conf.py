"""gunicorn's settings for Koers in production (``koers serve``, or
``gunicorn -c python:koers.gunicorn_conf koers.wsgi:application``). See docs/running.md.

- ``workers``: sync workers, 2 × the CPU cores (``KOERS_WORKERS`` overrides). Koers's pages are
  CPU-bound Python (issue #18 measured ~28 ms of worker CPU against ~5 ms of PostgreSQL per
  request), so more workers than about twice the cores only adds memory and context switches;
  twice covers the time a worker waits on the database.
- ``max_requests`` 1000 with ``max_requests_jitter`` 100: each worker is replaced after about a
  thousand requests (spread so that they do not restart together), which bounds any slow growth
  of memory in a long-running process.
- ``timeout`` 30 s (``KOERS_WORKER_TIMEOUT``): a worker silent for longer is killed and replaced;
  the slowest pages (an N=1 report, a PDF) take well under that. Long work runs in the task
  workers, never in a request.
- ``bind`` 127.0.0.1:8001 (``KOERS_BIND``): behind the TLS-terminating reverse proxy.
- ``preload_app`` on (``KOERS_PRELOAD=false`` turns it off): the master imports Koers once, fills
  the URL resolver, the translation catalogues and the templates, freezes the loaded objects out
  of the garbage collector's sight, and every worker is forked from it ready to answer. Without it
  each worker imported Koers itself (~6 s of CPU on this 2-core machine) at start and again at
  every ``max_requests`` replacement: ~6 ms per request of the realistic mix, now ~0.3 ms
  (docs/performance.md, "The realistic mix: where the worker's CPU goes").
  Any database connection the master opened is closed before each fork (``pre_fork``), so no
  two processes ever share one. A new release needs a restart of the master (or ``USR2``), not
  ``HUP``: with preloading, ``HUP`` reloads the settings but keeps the code.
- no access log (the proxy keeps the one request log; docs/security.md "Logs").
- ``reuse_port`` off (``KOERS_REUSE_PORT=true`` turns it on): with it, several gunicorn masters on
  one machine bind the same port (``SO_REUSEPORT``) and the kernel spreads new connections over
  them — one can be restarted or die while the others keep answering (docs/scaling.md,
  ``benchmarks/topology.py``).
"""

from __future__ import annotations

import gc
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1)


bind = os.environ.get("KOERS_BIND", "127.0.0.1:8001")
worker_class = "sync"
workers = _int("KOERS_WORKERS", default_workers())
max_requests = _int("KOERS_MAX_REQUESTS", 1000)
max_requests_jitter = _int("KOERS_MAX_REQUESTS_JITTER", 100)
timeout = _int("KOERS_WORKER_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5  # seconds; the proxy keeps its connections to gunicorn open between requests
accesslog = None
reuse_port = _bool("KOERS_REUSE_PORT", False)
wsgi_app = "koers.wsgi:application"
preload_app = _bool("KOERS_PRELOAD", True)


def when_ready(server) -> None:
    """In the master, once the application is loaded: what every worker would do on its first
    requests anyway — the URL patterns (every view module), the translation catalogues and the
    templates — and then the loaded objects frozen out of the garbage collector's sight: a worker's
    collections no longer walk (and so copy, page by page) the hundreds of thousands of objects it
    inherited and will never free."""
    if server.cfg.preload_app:
        from koers.lib.warm import warm_up

        warm_up()
        gc.collect()
        gc.freeze()


def pre_fork(server, worker) -> None:
    """A connection opened in the master (by a warm-up or an app's start) must not be inherited:
    two workers would talk over one socket. Closed here, before every fork."""
    if server.cfg.preload_app:
        from django.db import connections

        connections.close_all()
