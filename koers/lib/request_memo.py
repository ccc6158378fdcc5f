"""Reads remembered for the rest of one reading request, never longer (issue #18, "Speed").

A page that shows one person's record reads the same rows in several places: the care plan's
care-team section, its network section and its "who to contact" each read the person's active
care team. Inside ``reading_request()`` (opened by the access layer's page decorators around the
view, for GET and HEAD only, after the access check) ``remembered(key, load)`` runs ``load`` once
and hands the same result to every later caller with that key.

What keeps this correct:

- The memo lives in a ``ContextVar`` that the scope sets and resets: it ends with the view call,
  so nothing is carried into another request (or another thread: gunicorn's, the test client's).
- Only reading requests open a scope. A POST changes data and then reads it again (a service that
  adds a team member and then records a care-plan version): outside a scope ``remembered`` simply
  calls ``load`` every time.
- It holds data that was read after the access check, never an access decision: every request
  asks ``koers.access`` afresh, and so does every service.
- Callers share the result: it must not be changed (hand out tuples, not lists).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("koers_request_memo", default=None)


@contextmanager
def reading_request() -> Iterator[None]:
    """Remember reads until the block ends. Nested scopes share the outer one's memo."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: Hashable, load: Callable[[], T]) -> T:
    """``load()``, once per reading request for ``key``; outside one, on every call."""
    memo = _memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]
