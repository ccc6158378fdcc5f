"""Some of an ``$export``'s files written by a second process (issue #15, the export's speed).

The export's types are independent: each is its own file, index and set of persons, put
together in type order afterwards (``bulk._write_types``). Their lines are made by Python (the
mappers; QuestionnaireResponse scoring by FHIRPath, CarePlan snapshots), and one process's
threads take turns at Python (the GIL), so a second *thread* cannot map them beside the main
one. A forked process can: it inherits the reader (the policy's answer, taken once when the
build starts: consent at build time is unchanged), opens its own database connection, writes
its types' files into the same storage with the same ``_write`` and sends back only each file's
entry and persons (a few kB). The output — files, index, per-person access-log rows — is the
one a single thread gives (``test_bulk_apart``).

Only on PostgreSQL outside a transaction (as the Observation thread: a new connection sees only
what is committed), where ``fork`` exists, and with a storage both processes see (files on disk
or a service, not ``InMemoryStorage``). The fork happens before the Observation thread
starts (forking a process that runs other threads can copy a lock held by one of them), after
this process's connections are closed (the child must not share their sockets).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
from collections.abc import Callable

from django.core.files.storage import InMemoryStorage
from django.db import connection, connections

logger = logging.getLogger("koers.fhir")

ENABLED = True  # off: every type in this process (``fhir_scale.py --paths``; tests)


def usable(storage) -> bool:
    """Whether the types can be written by a forked process here and now, into ``storage``
    (not one held in this process's memory: the files written there would stay there)."""
    return (
        ENABLED
        and "fork" in multiprocessing.get_all_start_methods()
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and not isinstance(storage, InMemoryStorage)
    )


class Apart:
    """``write(name, persons)`` for each of ``names`` in a forked process, started at once
    (``delete(entries)`` removes the files it wrote when a later one fails there);
    ``result()`` gives {name: (file entry or None, persons)} as ``bulk._write`` gave them there."""

    def __init__(self, names: list[str], write: Callable[[str, dict], dict | None], delete: Callable[[list], None]):
        self.names = list(names)
        self._result: dict | None = None
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        connections.close_all()  # the child opens its own; it must not share these sockets
        self._process = context.Process(target=_run, args=(send, self.names, write, delete), name="bulk-export-apart")
        self._process.start()
        send.close()

    def result(self) -> dict:
        if self._result is None:
            try:
                outcome, value = self._receive.recv()
            except EOFError:
                outcome, value = "error", "the process ended without an answer"
            finally:
                self._process.join()
                self._receive.close()
            if outcome != "ok":
                raise RuntimeError(f"$export types {', '.join(self.names)} by a second process: {value}")
            self._result = value
        return self._result


def _run(send, names: list[str], write: Callable[[str, dict], dict | None], delete: Callable[[list], None]) -> None:
    """In the forked process: each type's file, then the answer (or the error, its files gone;
    also when the answer cannot be sent because the parent has ended meanwhile)."""
    made: dict = {}
    try:
        for name in names:
            theirs: dict = {}
            made[name] = (write(name, theirs), theirs)
        send.send(("ok", made))
    except Exception as exc:
        logger.exception("FHIR bulk export: types %s by a second process failed", names)
        delete([entry for entry, _theirs in made.values() if entry is not None])
        with contextlib.suppress(OSError):  # the parent is gone (its pipe closed): nobody to tell
            send.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        connections.close_all()
        send.close()
