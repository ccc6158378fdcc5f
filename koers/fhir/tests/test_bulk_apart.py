"""``$export``'s types written by a second process (``koers.fhir.bulk_apart``, issue #15): the
files, their index and the build's per-person access-log rows are byte for byte those of one
thread; the process is really used; a failure there fails the export and leaves no file behind;
inside a transaction (or on SQLite) every type stays in the one process. PostgreSQL only: the
forked process needs committed rows and its own connection."""

from __future__ import annotations

import os
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connection

from koers.fhir import bulk, bulk_apart, tasks
from koers.fhir.mappers import questionnaire as questionnaire_mappers
from koers.fhir.models import BulkExport
from koers.fhir.tests.test_bulk_fast_lines import population as population  # noqa: PLC0414 — the fixture
from koers.fhir.tests.test_bulk_group_export import system_token
from koers.fhir.tests.test_bulk_sql import _built
from koers.fhir.tests.test_bulk_sql import edges as edges  # noqa: PLC0414 — the fixture
from koers.smart.models import SystemClient

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="a forked process on PostgreSQL")


@pytest.fixture
def spied(monkeypatch):
    """Every ``Apart`` made, with ``pids``: the process ids its files were written in."""
    made = []
    real_init, real_result = bulk_apart.Apart.__init__, bulk_apart.Apart.result

    def init(self, names, write, delete):
        def written(name, theirs):  # runs in the forked process: its pid goes back with the entry
            entry = write(name, theirs)
            return entry and {**entry, "pid": os.getpid()}

        made.append(self)
        self.pids = set()
        real_init(self, names, written, delete)

    def result(self):
        found = real_result(self)
        self.pids |= {entry.pop("pid") for entry, _persons in found.values() if entry and "pid" in entry}
        return found

    monkeypatch.setattr(bulk_apart.Apart, "__init__", init)
    monkeypatch.setattr(bulk_apart.Apart, "result", result)
    return made


@pytest.fixture
def on_disk(monkeypatch, tmp_path):
    """The export files on disk (the tests' in-memory storage is one process's own)."""
    storage = FileSystemStorage(location=tmp_path)
    monkeypatch.setattr(bulk, "storage", lambda: storage)
    return storage


@pytest.mark.django_db(transaction=True)  # the forked process has its own connection: committed rows only
def test_the_files_index_and_log_are_the_same_by_a_second_process(cast, edges, monkeypatch, spied, on_disk):
    system_token(cast.gp_practice)
    apart = _built(cast.gp_practice, monkeypatch, parallel=True, apart=True)
    assert len(spied) == 1 and sorted(spied[0].names) == sorted(bulk.APART)
    assert spied[0].pids and os.getpid() not in spied[0].pids  # written by another process
    alone = _built(cast.gp_practice, monkeypatch, parallel=False, apart=False)
    assert len(spied) == 1
    assert apart == alone
    kinds = [kind for kind, _data in apart[0][::2]]
    assert {"QuestionnaireResponse", "CarePlan", "Observation", "Patient"} <= set(kinds)
    assert kinds == [name for name in bulk.TYPES if name in kinds]  # type order, whoever wrote them


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_the_second_process_fails_the_export_and_leaves_no_file(cast, edges, monkeypatch, spied, on_disk):
    """CarePlan's file is written there first, then QuestionnaireResponse fails: neither
    process's files are left, and the export is failed."""
    system_token(cast.gp_practice)

    def broken(*args, **kwargs):
        raise ValueError("kapot")

    monkeypatch.setattr(questionnaire_mappers, "questionnaire_response_to_fhir", broken)  # the fork inherits it
    monkeypatch.setattr(bulk, "PARALLEL", True)
    monkeypatch.setattr(bulk_apart, "ENABLED", True)
    before = _stored()
    client = SystemClient.objects.get(organisation=cast.gp_practice)
    with mock.patch.object(tasks, "bulk_export_build"):
        job = bulk.group_export_request(system_client=client, types=list(bulk.TYPES), since=None, request_url="t")
    assert bulk.bulk_export_run(job.pk) == BulkExport.Status.FAILED
    assert len(spied) == 1
    assert _stored() == before


@pytest.mark.django_db
def test_inside_a_transaction_every_type_stays_in_this_process(cast, edges, monkeypatch, spied, on_disk):
    system_token(cast.gp_practice)
    monkeypatch.setattr(bulk_apart, "ENABLED", True)
    assert not bulk_apart.usable(on_disk)
    _built(cast.gp_practice, monkeypatch, parallel=True, apart=True)
    assert spied == []


@pytest.mark.django_db(transaction=True)
def test_a_storage_in_this_processs_memory_keeps_every_type_here(cast, edges, monkeypatch, spied):
    system_token(cast.gp_practice)
    assert not bulk_apart.usable(bulk.storage())  # the tests' InMemoryStorage
    _built(cast.gp_practice, monkeypatch, parallel=True, apart=True)
    assert spied == []


def _stored() -> set[str]:
    storage = bulk.storage()
    if not storage.exists("fhir-bulk"):
        return set()
    folders, _files = storage.listdir("fhir-bulk")
    return {f"{folder}/{name}" for folder in folders for name in storage.listdir(f"fhir-bulk/{folder}")[1]}
