"""Where a request came from, available to the access log without passing it around.

Set by ``RequestContextMiddleware`` for web requests and by ``acting_context`` for
commands and tasks, so services stay free of ``request`` arguments.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    client_address: str = ""
    channel: str = "web"


_current: ContextVar[RequestContext | None] = ContextVar("koers_request_context", default=None)


def current() -> RequestContext:
    return _current.get() or RequestContext(client_address="", channel="system")


@contextlib.contextmanager
def acting_context(*, client_address: str = "", channel: str = "system"):
    token = _current.set(RequestContext(client_address=client_address, channel=channel))
    try:
        yield
    finally:
        _current.reset(token)


def set_for_request(client_address: str):
    return _current.set(RequestContext(client_address=client_address, channel="web"))


def reset(token) -> None:
    _current.reset(token)
