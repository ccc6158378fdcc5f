"""The care plan as it is now, kept per person (issue #18, "Speed": the care plan page built it from
eleven queries on every request).

``CarePlan.current_snapshot`` holds what ``snapshot.build_snapshot`` gives for the person, or NULL.

- **Stored** by ``services.care_plan_record_change``, in the writing service's transaction, with the
  plan row locked: it computes the snapshot anyway to compare it with the latest version. Every
  service that changes plan content calls it (directly or through ``people.hooks``), so after
  such a write the kept plan is the plan.
- **Forgotten** (set to NULL) after every save or delete of a row the snapshot is built from, in
  the same transaction: each plan section names its ``sources`` (model label -> the persons a row
  concerns), and ``watch`` connects them. A write after the last store (a rename of a professional,
  a write outside the services) so leaves NULL, and the page builds the plan live until the next
  store. Nothing is adjusted by a delta; a missed store only costs speed.
- Writes that send no model signals (``bulk_create``, ``QuerySet.update``, ``COPY``) call
  ``rows_written`` unless a plan change is recorded after them in the same transaction.
- Nothing in the snapshot depends on the clock, so nothing turns stale by time passing.

Concurrency: the store happens with the ``CarePlan`` row locked (``select_for_update``) and the
forgetting ``UPDATE`` takes the same row lock (also of a row that is NULL already): a store that
locked first is overwritten by the write's NULL when that commits; a write that locked first makes
the store wait and compute from its committed rows. A plan row made in the storing transaction
itself stores nothing (``care_plan_record_change``): a write elsewhere could not have locked it.

``koers careplan_current check | refresh`` compares every kept plan with a live one / fills them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from koers.careplans.models import CarePlan
from koers.careplans.snapshot import build_snapshot
from koers.people.models import Person

# A source's rule: the row -> the persons it concerns, as a person id or a Q on people.Person.
PersonsOf = Callable[[Any], "int | Q | None"]

_watched: dict[type, list[tuple[PersonsOf, frozenset[str] | None]]] = {}


def by_person(instance) -> int | None:
    """The rule of a row with its own ``person_id``."""
    return instance.person_id


def watch(label: str, persons_of: PersonsOf, *, fields: frozenset[str] | None = None) -> None:
    """Forget the kept plan of the persons ``persons_of(row)`` names after every save or delete of
    a ``label`` row. ``fields``: only a save that may change one of these (a save with
    ``update_fields`` outside them, a user's ``last_login``, is no change of the plan)."""
    model = apps.get_model(label)
    rules = _watched.setdefault(model, [])
    if any(rule is persons_of for rule, _fields in rules):
        return
    rules.append((persons_of, fields))
    post_save.connect(_saved, sender=model, dispatch_uid=f"careplan-kept-save-{label}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"careplan-kept-delete-{label}")


def watched_models() -> frozenset[type]:
    return frozenset(_watched)


def _saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    for persons_of, fields in _watched.get(sender, ()):
        if update_fields is not None and fields is not None and not set(update_fields) & fields:
            continue
        forget(persons_of(instance))


def _deleted(sender, instance, **kwargs) -> None:
    for persons_of, _fields in _watched.get(sender, ()):
        forget(persons_of(instance))


def forget(persons: int | Q | Iterable[int] | None) -> None:
    """No kept plan for these persons (a person id, ids, or a Q on ``people.Person``): the page
    builds theirs live until the next plan change is recorded."""
    if persons is None:
        return
    if isinstance(persons, Q):
        chosen = CarePlan.objects.filter(person_id__in=Person.objects.filter(persons).values("pk"))
    elif isinstance(persons, int):
        chosen = CarePlan.objects.filter(person_id=persons)
    else:
        chosen = CarePlan.objects.filter(person_id__in=list(persons))
    # Every row, also one that is NULL already: the UPDATE takes the row's lock, so a store that
    # started before this write committed waits for it and computes with it (see above).
    chosen.update(current_snapshot=None)


def rows_written(person_ids: Iterable[int]) -> None:
    """For writes to a source that send no model signals: forget these persons' kept plans."""
    forget([pid for pid in person_ids if pid is not None])


def keep(plan: CarePlan, snapshot: dict) -> None:
    """Store ``snapshot`` as the plan now (``care_plan_record_change``, plan row locked)."""
    CarePlan.objects.filter(pk=plan.pk).update(current_snapshot=snapshot)


def refresh(person_ids: Iterable[int]) -> int:
    """Compute and store the kept plan of these persons that have a plan with a version (one
    transaction per person, the plan row locked as a write would). Returns how many were stored."""
    ids = sorted(set(person_ids))
    plans = CarePlan.objects.filter(person_id__in=ids, versions__isnull=False).distinct().values_list("pk", flat=True)
    stored = 0
    for plan_pk in plans:
        with transaction.atomic():
            plan = CarePlan.objects.select_for_update().get(pk=plan_pk)
            keep(plan, build_snapshot(Person.objects.get(pk=plan.person_id)))
            stored += 1
    return stored


def unkept_person_ids() -> list[int]:
    """The persons with a plan version whose plan is not kept (cleared by a write to a source, or
    never stored since the column came): their page builds the plan live until it is stored."""
    plans = CarePlan.objects.filter(current_snapshot__isnull=True, versions__isnull=False)
    return sorted(set(plans.values_list("person_id", flat=True)))


def refresh_all(*, batch: int = 1000) -> int:
    ids = list(CarePlan.objects.order_by("person_id").values_list("person_id", flat=True))
    stored = 0
    for start in range(0, len(ids), batch):
        stored += refresh(ids[start : start + batch])
    return stored


def drift() -> dict[int, dict[str, tuple]]:
    """{person_id: {section key: (kept, computed)}} for every kept plan that is not the plan as it
    is now (a NULL kept plan is no drift: the page builds that one live). The values are short
    hashes of the section's content: the report names what differs without printing care data."""
    found = {}
    rows = CarePlan.objects.filter(current_snapshot__isnull=False).order_by("person_id")
    for person_id, kept in rows.values_list("person_id", "current_snapshot").iterator(chunk_size=500):
        computed = build_snapshot(Person.objects.get(pk=person_id))
        if kept != computed:
            found[person_id] = {
                key: (_digest(kept.get(key)), _digest(computed.get(key)))
                for key in sorted(set(kept) | set(computed), key=str)
                if kept.get(key) != computed.get(key)
            }
    return found


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]
