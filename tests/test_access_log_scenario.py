"""The access log of one fixed scenario, compared with the log it left before a refactoring.

Issue #10 reorganised the code (an access package, registries instead of reverse imports, a
measurement core) on the promise that behaviour does not change. The access log is where
behaviour that matters for privacy shows: who read or changed what of whom, and who was
refused. This test plays one scenario — a full record written through the services, every
person page opened by the care team, every portal page by the person, every person page by a
stranger — and compares the log it leaves, row by row, with ``data/access_log_scenario.json``,
written by the code before the refactoring.

Database ids differ between runs and databases, so each row names its person by family name,
its user by username and its object by the order in which the object first appears. A change
that is meant to change the log (a new page, a refusal that is now logged) updates the file
on purpose: ``KOERS_UPDATE_SCENARIO=1 pytest tests/test_access_log_scenario.py``, and the
diff shows what changed in review.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from koers.audit.models import AccessLogEntry
from koers.people.models import Person
from tests.test_url_access import person_urls, records  # noqa: F401 - records is a fixture

GOLDEN = Path(__file__).parent / "data" / "access_log_scenario.json"


def _normalised_log() -> list[list[str]]:
    seen: dict[tuple[str, str], int] = {}
    names = dict(Person.objects.values_list("pk", "family_name"))
    out = []
    for entry in AccessLogEntry.objects.order_by("pk"):
        key = (entry.object_type, entry.object_id)
        if entry.object_id and key not in seen:
            seen[key] = sum(1 for t, _ in seen if t == entry.object_type) + 1
        person = names.get(entry.person_id, "(missing)") if entry.person_id else ""
        out.append(
            [
                entry.user_display,
                entry.role,
                entry.purpose,
                entry.action,
                entry.outcome,
                person,
                entry.object_type,
                str(seen.get(key, "")) if entry.object_id else "",
                entry.detail,
            ]
        )
    return out


def _play(cast, records, client):  # noqa: F811
    anna, _bas = records
    for scope, user in (("person", cast.noor), ("portal", cast.anna_user), ("person", cast.sam)):
        client.force_login(user)
        # By URL name, not by URL: URLs hold database ids, and ids that cross into more digits
        # (PostgreSQL's sequences carry over between tests) would reorder a text sort.
        for _name, url in sorted(person_urls(anna, scope=scope), key=lambda pair: pair[0]):
            client.get(url)


@pytest.mark.django_db
def test_the_scenario_leaves_the_same_access_log_as_before(cast, records, client):  # noqa: F811
    _play(cast, records, client)
    log = _normalised_log()
    if os.environ.get("KOERS_UPDATE_SCENARIO"):
        rows = ",\n".join(json.dumps(row, ensure_ascii=False) for row in log)
        GOLDEN.write_text(f"[\n{rows}\n]\n")  # one row a line: a diff shows the rows that changed
    expected = json.loads(GOLDEN.read_text())
    assert len(log) == len(expected), f"{len(log)} rows, expected {len(expected)}"
    for i, (row, want) in enumerate(zip(log, expected, strict=True)):
        assert row == want, f"row {i}: {row} != {want}"
