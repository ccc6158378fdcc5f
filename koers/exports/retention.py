"""Retention of care records (WGBO art. 7:454): 20 years after the last treatment, then destroyed.

"Last treatment" is the latest care date any app registered (``ExportSection.care_dates``:
consults, care-team membership, care-plan versions, goals, measurements, questionnaires, yearly
evaluations; the registration date when there is nothing else). A person with care that goes on
(``ExportSection.ongoing``: an active care-team membership) is never due. Knows no app.

The access log is not deleted with the record: it is kept for its own period (NEN 7513, at least
5 years) by ``koers.audit``'s purge (``access_log_purge_before``). The log row of the destruction
names what was removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from koers.audit import log as audit_log
from koers.people import exports
from koers.people.models import Person

YEARS = 20  # WGBO art. 7:454 lid 3
KEPT = frozenset({"access_log"})  # the access log has its own retention (koers.audit)


@dataclass(frozen=True)
class Due:
    person: Person
    last_care: dt.datetime


def _moment(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)


def last_care() -> dict[int, dt.datetime]:
    """Person id → the latest care date over every registered section (one query per date field)."""
    latest: dict[int, dt.datetime] = {}
    for section in exports.sections():
        path = section.person_path
        for name in section.care_dates:
            rows = section.model._base_manager.exclude(**{f"{name}__isnull": True}).values(path)
            for row in rows.annotate(last=Max(name)).values_list(path, "last"):
                person_id, value = row
                moment = _moment(value)
                if person_id not in latest or moment > latest[person_id]:
                    latest[person_id] = moment
    return latest


def ongoing_care() -> set[int]:
    ids: set[int] = set()
    for section in exports.sections():
        if section.ongoing:
            rows = section.model._base_manager.filter(**section.ongoing)
            ids |= set(rows.values_list(section.person_path, flat=True))
    return ids


def due(*, now=None) -> list[Due]:
    """Persons whose retention period has ended, oldest care first."""
    now = now or timezone.now()
    try:
        cutoff = now.replace(year=now.year - YEARS)
    except ValueError:  # 29 February
        cutoff = now.replace(year=now.year - YEARS, day=28)
    latest, going_on = last_care(), ongoing_care()
    ids = [pid for pid, moment in latest.items() if moment < cutoff and pid not in going_on]
    persons = Person.objects.in_bulk(ids)  # access: the retention job is a system task over all records
    return sorted((Due(persons[pid], latest[pid]) for pid in ids if pid in persons), key=lambda d: d.last_care)


def counts(person: Person) -> dict[str, int]:
    """How many records of each section this person has (for the log row and the dry run)."""
    found = {}
    for section in exports.sections():
        if section.key in KEPT:
            continue
        lookup = {section.person_path: person.pk if section.person_path == "pk" else person}
        number = section.model._base_manager.filter(**lookup).count()
        if number:
            found[section.key] = number
    return found


def _delete_sections(person: Person) -> None:
    """Delete every section's rows, last section first, retrying those a protected link holds
    back (a message before its reminder, a value before its item) until nothing is left."""
    waiting = [s for s in reversed(exports.sections()) if s.person_path != "pk" and s.key not in KEPT]
    for _attempt in range(len(waiting) + 1):
        held = []
        for section in waiting:
            try:
                with transaction.atomic():
                    section.model._base_manager.filter(**{section.person_path: person}).delete()
            except ProtectedError:
                held.append(section)
        if not held:
            return
        waiting = held
    raise ProtectedError(f"could not delete {[s.key for s in waiting]}", set())


def destroy(person: Person, *, reason: str, actor=None) -> dict[str, int]:
    """Delete the person's record and everything that hangs from it, in one transaction, and log
    what went: one access-log row per section (its model and how many) and one for the person."""
    removed = counts(person)
    by_key = {s.key: s for s in exports.sections()}
    common = {"user": actor, "action": audit_log.Action.DELETE, "person": person}
    common["purpose"] = audit_log.Purpose.ADMINISTRATION
    with transaction.atomic():
        audit_log.record_many(
            audit_log.build_entry(
                **common, object_type=by_key[key].model._meta.label, detail=f"{reason}: {number} ({key})"
            )
            for key, number in removed.items()
            if key != "person"
        )
        audit_log.record(**common, object_type="people.Person", object_id=person.pk, detail=reason)
        _delete_sections(person)
        person.delete()
    return removed
