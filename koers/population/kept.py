"""The population page's kept per-person row (``PersonFacts``), current with people's rows.

The page used to derive every person's facts on each request: the population joined with the
profiles, the active conditions counted per person and the support-level decisions ranked per
person (1.7–3.0 s for the unfiltered page at 100,000 people; docs/performance.md). The facts
change only when people's rows change, so they are kept: one narrow row per person with the
birth date, gender, postcode area, every counted profile characteristic as the position of the
key it is counted under (``KEYS``), the number of active conditions, the catalogue conditions it is counted under
(``condition_keys``) and the two newest support levels with their moments.

How it stays equal to the rows, as ``koers.people.attention`` does it:

- after every save or delete of a ``Person``, ``Profile``, ``Condition`` or
  ``SupportLevelDecision`` (signals connected in ``PopulationConfig.ready``), in the same
  transaction, the person's row is computed again from the rows (never adjusted by a delta, so a
  missed or repeated call cannot drift); the row is locked first, so two transactions changing
  the same person compute one after the other;
- writes that send no signals (``bulk_create``, ``COPY``, ``QuerySet.update``: ``koers generate``,
  the demo builder) call ``refresh`` themselves;
- ``koers personfacts check`` computes every row again and reports drift, ``refresh`` repairs it
  (also run by the migration that made the table).

population sits above people: it follows people's models by their signals, and people knows
nothing of it (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from koers.people import catalogue
from koers.people.models import Condition, Person, Profile, SupportLevelDecision
from koers.population import selectors
from koers.population.models import PersonFacts

CHARACTERISTICS = (*selectors.ZZ_FIELDS, *selectors.GG_FIELDS, *selectors.YES_NO_FIELDS,
                   *selectors.YES_NO_UNKNOWN_FIELDS)  # fmt: skip
PERSON_FIELDS = ("birth_date", "gender", "postcode_area")
LEVEL_FIELDS = ("level", "level_decided_at", "previous_level", "previous_decided_at")
COLUMNS = (*PERSON_FIELDS, "active_conditions", "condition_keys", *LEVEL_FIELDS, *CHARACTERISTICS)
BATCH = 5000
# The keys each characteristic is counted under, in a fixed order: the kept row stores a key's
# position (a small integer groups at about half the cost of a text key; docs/performance.md).
# Changing a list is a change of the rule: ``koers personfacts refresh`` (or a migration) after it.
KEYS = {
    **{field: (*values, selectors.UNKNOWN) for field, values in {**selectors.ZZ_FIELDS, **selectors.GG_FIELDS}.items()},
    **{field: (selectors.YES, selectors.NO) for field in selectors.YES_NO_FIELDS},
    **{field: (selectors.YES, selectors.NO, selectors.UNKNOWN) for field in selectors.YES_NO_UNKNOWN_FIELDS},
}


def _code(field: str, profile: dict | None) -> int | None:
    """A characteristic as the position in ``KEYS`` of the key the page counts it under; None for
    a value outside the choices (none today), counted nowhere, as ``counting.count`` does."""
    key = _key(field, profile)
    return KEYS[field].index(key) if key in KEYS[field] else None


def _key(field: str, profile: dict | None) -> str:
    """A characteristic as the key the page counts it under (``counting._field_key`` in SQL)."""
    value = None if profile is None else profile[field]
    if field in selectors.YES_NO_FIELDS:
        return selectors.YES if value is True else selectors.NO
    if field in selectors.YES_NO_UNKNOWN_FIELDS:
        return {True: selectors.YES, False: selectors.NO}.get(value, selectors.UNKNOWN)
    if profile is None or value == "":
        return selectors.UNKNOWN
    return value or ""  # NULL (no column allows it today) is counted nowhere, as in SQL


def by_code() -> dict[tuple[str, str], str]:
    """{(code system, code): catalogue key} (``counting._by_code``)."""
    return {(e.code_system, e.code): e.key for e in catalogue.entries() if e.code}


def condition_keys(coded: Iterable[tuple[str, str]], keys: dict[tuple[str, str], str]) -> str:
    """The catalogue keys of a person's active coded conditions, as the page counts them (one per
    distinct code system and code of the catalogue: ``counting.count`` counts distinct persons per
    code), sorted and separated by a space (keys are lower-case words: ``catalogue``)."""
    return " ".join(sorted(keys[pair] for pair in set(coded) if pair in keys))


def compute(ids: list[int]) -> dict[int, dict]:
    """{person_id: {column: value}} for these persons, from people's rows (four grouped queries)."""
    # access: aggregate only — these rows are counted by the population page, never shown
    persons = Person.objects.filter(pk__in=ids).values_list("pk", *PERSON_FIELDS)  # access: aggregate
    profiles = {
        row["person_id"]: row
        for row in Profile.objects.filter(person_id__in=ids).values("person_id", *CHARACTERISTICS)  # access: aggregate
    }
    active: dict[int, list[tuple[str, str]]] = {}
    conditions = Condition.objects.recorded().filter(person_id__in=ids, clinical_status="active")  # access: aggregate
    for pid, system, code in conditions.order_by().values_list("person_id", "code_system", "code"):
        active.setdefault(pid, []).append((system, code))
    newest: dict[int, list[tuple]] = {}
    decisions = SupportLevelDecision.objects.filter(person_id__in=ids)  # access: aggregate
    for pid, level, at in decisions.order_by("person_id", "-decided_at", "-id").values_list(
        "person_id", "level", "decided_at"
    ):
        kept = newest.setdefault(pid, [])
        if len(kept) < 2:  # the newest (as ``selectors._with_current_level``) and the one before
            kept.append((level, at))
    found, keys = {}, by_code()
    for pid, birth_date, gender, postcode_area in persons:
        (level, at), (previous, previous_at) = (*newest.get(pid, []), ("", None), ("", None))[:2]
        row = {"birth_date": birth_date, "gender": gender, "postcode_area": postcode_area}
        coded = active.get(pid, [])
        row |= {"active_conditions": len(coded), "condition_keys": condition_keys(coded, keys)}
        row |= {"level": level, "level_decided_at": at}
        row |= {"previous_level": previous, "previous_decided_at": previous_at}
        row |= {field: _code(field, profiles.get(pid)) for field in CHARACTERISTICS}
        found[pid] = row
    return found


def refresh(person_ids: Iterable[int], *, create: bool = True) -> None:
    """Compute these persons' rows again from people's rows, in the caller's transaction.
    ``create=False`` (after a delete): only rows that exist are written, so the deletes of a
    person's conditions while the person is deleted do not bring back the row the cascade removed."""
    ids = sorted({pid for pid in person_ids if pid is not None})
    if not ids:
        return
    with transaction.atomic():
        locked = PersonFacts.objects.select_for_update().filter(person_id__in=ids)
        kept = list(locked.values_list("person_id", flat=True))
        if not create:
            ids = kept
        values = compute(ids) if ids else {}
        rows = [PersonFacts(person_id=pid, **columns) for pid, columns in values.items()]
        PersonFacts.objects.bulk_create(
            rows, batch_size=1000, update_conflicts=True, unique_fields=["person"], update_fields=list(COLUMNS)
        )


def refresh_all(*, batch: int = BATCH) -> int:
    """Every person's row computed again (backfill and repair); returns the number of persons."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))  # access: aggregate
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            refresh(ids[start : start + batch])
    return len(ids)


def drift(*, batch: int = BATCH) -> dict[int, dict[str, tuple]]:
    """{person_id: {column: (kept, computed)}} for every person whose row differs from what
    people's rows say now (a missing row: every column ``(None, computed)``)."""
    found: dict[int, dict[str, tuple]] = {}
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))  # access: aggregate
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        kept = {row["person_id"]: row for row in PersonFacts.objects.filter(person_id__in=chunk).values()}
        for pid, want in compute(chunk).items():
            have = kept.get(pid, {})
            differs = {c: (have.get(c), want[c]) for c in COLUMNS if have.get(c) != want[c]}
            if differs:
                found[pid] = differs
    return found


def _person_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields is not None and not set(update_fields) & set(PERSON_FIELDS)):
        return  # loaddata (``koers personfacts refresh`` afterwards), or nothing counted changed
    refresh([instance.pk])


def _profile_saved(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields is not None and not set(update_fields) & set(CHARACTERISTICS)):
        return
    refresh([instance.person_id])


def _row_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        refresh([instance.person_id])


def _row_deleted(sender, instance, **kwargs) -> None:
    refresh([instance.person_id], create=False)


def connect() -> None:
    """Follow people's models (from ``PopulationConfig.ready``)."""
    post_save.connect(_person_saved, sender=Person, dispatch_uid="personfacts-person")
    post_save.connect(_profile_saved, sender=Profile, dispatch_uid="personfacts-profile")
    post_delete.connect(_row_deleted, sender=Profile, dispatch_uid="personfacts-profile-delete")
    for model in (Condition, SupportLevelDecision):
        post_save.connect(_row_saved, sender=model, dispatch_uid=f"personfacts-{model._meta.model_name}")
        post_delete.connect(_row_deleted, sender=model, dispatch_uid=f"personfacts-{model._meta.model_name}-delete")
