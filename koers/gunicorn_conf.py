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
- no access log (the proxy keeps the one request log; docs/security.md "Logs").
- ``reuse_port`` off (``KOERS_REUSE_PORT=true`` turns it on): with it, several gunicorn masters on
  one machine bind the same port (``SO_REUSEPORT``) and the kernel spreads new connections over
  them — one can be restarted or die while the others keep answering (docs/scaling.md,
  ``benchmarks/topology.py``).
"""

from __future__ import annotations

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
