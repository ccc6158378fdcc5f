"""Building and comparing care-plan snapshots.

``build_snapshot`` reads the plan's current content in a fixed number of queries;
``compare`` and ``who_does_what`` are pure functions over snapshots. The content is what the
registered plan sections gather (``koers.careplans.sections``: goals and decisions register
theirs, careplans its own), so this module names no feature app.

Schema history (``snapshot["schema"]``):

1. goals (with their actions), decided decisions, active follow-up agreements.
2. adds ``person`` (what matters and values, in the person's own words, from
   ``people.Profile``) and ``care_team`` (professionals in the team, keyed by user id).
   Follow-up agreements gain nothing; who does what is derived from the actions'
   ``responsible`` / ``responsible_name`` (see ``who_does_what``), so it needs no copy.
   Later, without a new schema number (``compare`` only compares the fields both versions
   recorded, so an older version simply lacks them): goals gain ``gas_baseline`` (the level
   where the person started) and ``gas_level`` (the latest level reached in a review), the
   attainment of goal attainment scaling. A review is no plan change of its own; the next
   version carries the level reached by then. Decisions, and goals made from a decision,
   gain ``decision_aid`` (name, link and whether it was offered / used, or None).
   Issue #13 adds two sections, again without a new schema number (a version without them shows
   them as "not compared"): ``health`` (conditions not over, medication used now, the support
   level) and ``network`` (coordinator, first contact, relatives); see
   ``careplans.plan_section_reference``.

Stored snapshots are never rewritten: ``compare`` and the templates accept every schema.
"""

from __future__ import annotations

from koers.careplans import sections as plan_sections

SNAPSHOT_SCHEMA = 2

# The order in which "who does what" is shown: the person first. These are the codes an
# action's ``responsible`` is stored with in snapshots (goals' ``Responsible``); stored versions
# keep them, so they are data here, not an import of goals (test_plan_sections checks they match).
RESPONSIBLE_ORDER = ("person", "professional", "relative", "community")
PERSON = RESPONSIBLE_ORDER[0]


def build_snapshot(person) -> dict:
    """The plan's content as it is now: plain JSON-able data, one key per registered section
    (``plan_sections.sections()``, in their order). At most fifteen queries, whatever the size."""
    snapshot: dict = {"schema": SNAPSHOT_SCHEMA}
    for section in plan_sections.sections():
        snapshot[section.key] = section.gather(person)
    return snapshot


# --- pure functions over snapshots -------------------------------------------------------


def schema_of(snapshot: dict) -> int:
    return int(snapshot.get("schema", 1))


def _index(items):
    return {item["id"]: item for item in items}


def compare(old: dict, new: dict) -> dict:
    """What changed between two snapshots.

    Pure: snapshots in, a dict out::

        {"sections": {name: {"added": [item], "removed": [item],
                             "changed": [{"item": new_item, "old_item": old_item,
                                          "fields": {field: (old, new)}}]}},
         "not_compared": [name, ...],   # a section one of the two versions did not record
         "schemas": (old_schema, new_schema)}

    Sections an older schema did not record are listed in ``not_compared`` instead of
    showing everything as new. Within an item only the fields both versions recorded are
    compared, for the same reason. Added items follow the new snapshot's order, removed
    ones the old snapshot's, changed ones the new snapshot's.
    """
    sections: dict[str, dict] = {}
    not_compared: list[str] = []
    for section, part in plan_sections.parts():
        key, name = section.key, part.name
        if key not in old or key not in new:
            if key in old or key in new:
                not_compared.append(name)
            continue
        before, after = _index(part.extract(old)), _index(part.extract(new))
        added = [item for k, item in after.items() if k not in before]
        removed = [item for k, item in before.items() if k not in after]
        changed = []
        for k, item in after.items():
            if k not in before:
                continue
            previous = before[k]
            fields = {
                field: (previous[field], item[field])
                for field in item
                if field in previous and field != "id" and previous[field] != item[field]
            }
            if fields:
                changed.append({"item": item, "old_item": previous, "fields": fields})
        sections[name] = {"added": added, "removed": removed, "changed": changed}
    return {"sections": sections, "not_compared": not_compared, "schemas": (schema_of(old), schema_of(new))}


def has_changes(result: dict) -> bool:
    return any(s["added"] or s["removed"] or s["changed"] for s in result["sections"].values())


def who_does_what(snapshot: dict) -> list[dict]:
    """The plan's actions grouped by who does them: the person, professionals, relatives,
    community resources (in that order; empty groups left out). Works on every schema.

    Each entry: ``{"responsible": code, "actions": [action + goal_id + goal_description]}``.
    Only actions still under way or done are in a snapshot; stopped ones are not.
    """
    groups: dict[str, list] = {}
    for goal in snapshot.get("goals", []):
        for action in goal.get("actions", []):
            responsible = action.get("responsible") or PERSON
            groups.setdefault(responsible, []).append(
                dict(action, goal_id=goal["id"], goal_description=goal.get("description", ""))
            )
    order = list(RESPONSIBLE_ORDER) + sorted(k for k in groups if k not in RESPONSIBLE_ORDER)
    return [{"responsible": key, "actions": groups[key]} for key in order if key in groups]
