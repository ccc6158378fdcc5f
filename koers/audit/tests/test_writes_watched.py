"""Which access-log rows tell the 503 page that a request's change was stored
(``koers.lib.faults.Writes``, ``koers.audit.log._note_changes``).

Transactional: "stored" means committed, and only a real commit runs the mark.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from koers.audit import log
from koers.audit.security import LOGIN, security_event
from koers.lib import faults
from tests.support.testing import empty_access_log_for_flush


@pytest.fixture
def watched(transactional_db):
    writes, token = faults.watch_writes()
    yield writes
    faults.stop_watching(token)
    empty_access_log_for_flush()


def test_a_committed_change_is_marked_stored(cast, watched):
    with transaction.atomic():
        log.record(user=cast.noor, action=log.Action.UPDATE, person=cast.anna, object_type="goal", object_id=1)
        assert not watched.committed, "not before the commit"
    assert watched.committed


def test_a_change_rolled_back_is_not(cast, watched):
    with pytest.raises(RuntimeError), transaction.atomic():
        log.record(user=cast.noor, action=log.Action.CREATE, person=cast.anna, object_type="goal", object_id=1)
        raise RuntimeError("the rest of the change failed")
    assert not watched.committed


@pytest.mark.parametrize(
    "row",
    [
        {"action": log.Action.READ},
        {"action": log.Action.UPDATE, "outcome": log.Outcome.REFUSED},
        {"action": log.Action.EXECUTE},
    ],
    ids=["a read", "a refusal", "an action that changes nothing"],
)
def test_rows_of_no_change_are_not(cast, watched, row):
    log.record(user=cast.noor, person=cast.anna, object_type="goal", object_id=1, **row)
    security_event(LOGIN, actor=cast.noor)
    assert not watched.committed


def test_several_rows_at_once(cast, watched):
    rows = [
        log.build_entry(user=cast.noor, action=action, person=cast.anna, object_type="goal", object_id=1)
        for action in (log.Action.READ, log.Action.DELETE)
    ]
    log.record_many(rows)
    assert watched.committed
