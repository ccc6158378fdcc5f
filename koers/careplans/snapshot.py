"""Building and comparing care-plan snapshots.

``build_snapshot`` reads the plan's current content in a fixed number of queries;
``compare`` and ``who_does_what`` are pure functions over snapshots.

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

Stored snapshots are never rewritten: ``compare`` and the templates accept every schema.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from koers.careplans.models import FollowUpAgreement
from koers.decisions.models import SharedDecision
from koers.goals.models import Action, Goal, GoalReview, Responsible
from koers.network.models import CareTeamMember
from koers.people.models import Profile

SNAPSHOT_SCHEMA = 2

# The order in which "who does what" is shown: the person first.
RESPONSIBLE_ORDER = (
    Responsible.PERSON.value,
    Responsible.PROFESSIONAL.value,
    Responsible.RELATIVE.value,
    Responsible.COMMUNITY.value,
)


def _date(value):
    return value.isoformat() if value else None


def _aid(decision):
    """The decision aid of a decision (name, link, offered / used), or None."""
    if decision is None or not decision.decision_aid_name:
        return None
    return {"name": decision.decision_aid_name, "url": decision.decision_aid_url, "use": decision.aid_use}


def build_snapshot(person) -> dict:
    """The plan's content as it is now: plain JSON-able data. At most seven queries, whatever the size."""
    latest_gas_level = (
        GoalReview.objects.filter(goal=OuterRef("pk"), gas_level__isnull=False)
        .order_by("-reviewed_at", "-id")
        .values("gas_level")[:1]
    )
    goals = list(
        Goal.objects.filter(person=person)
        .exclude(lifecycle_status=Goal.LifecycleStatus.CANCELLED)
        .annotate(latest_gas_level=Subquery(latest_gas_level))
        .select_related("decision")
        .prefetch_related("gas_levels")
        .order_by("created_at", "id")
    )
    actions = list(
        Action.objects.filter(person=person).exclude(status=Action.Status.STOPPED).order_by("created_at", "id")
    )
    decisions = list(
        SharedDecision.objects.filter(person=person, status=SharedDecision.Status.DECIDED)
        .select_related("chosen_option")
        .order_by("decided_at", "id")
    )
    follow_ups = list(FollowUpAgreement.objects.filter(person=person, active=True).order_by("next_date", "id"))
    profile = Profile.objects.filter(person=person).only("what_matters", "values").first()
    team = list(
        CareTeamMember.objects.filter(person=person, ended_at__isnull=True)
        .select_related("professional", "organisation")
        .order_by("started_at", "id")
    )
    actions_by_goal: dict[int, list] = {}
    for action in actions:
        actions_by_goal.setdefault(action.goal_id, []).append(
            {
                "id": action.pk,
                "what": action.what,
                "when": action.when,
                "how_often": action.how_often,
                "where": action.where,
                "with_whom": action.with_whom,
                "obstacles": action.obstacles,
                "obstacle_plan": action.obstacle_plan,
                "confidence": action.confidence,
                "responsible": action.responsible,
                "responsible_name": action.responsible_name,
                "review_date": _date(action.review_date),
                "status": action.status,
            }
        )
    return {
        "schema": SNAPSHOT_SCHEMA,
        "person": {
            "what_matters": profile.what_matters if profile else "",
            "values": profile.values if profile else "",
        },
        "goals": [
            {
                "id": goal.pk,
                "description": goal.description,
                "life_domain": goal.life_domain,
                "why_it_matters": goal.why_it_matters,
                "owner": goal.owner,
                "lifecycle_status": goal.lifecycle_status,
                "achievement_status": goal.achievement_status,
                "target_date": _date(goal.target_date),
                "gas_levels": {str(lv.level): lv.description for lv in goal.gas_levels.all()} if goal.uses_gas else {},
                "gas_baseline": goal.gas_baseline if goal.uses_gas else None,
                "gas_level": goal.latest_gas_level if goal.uses_gas else None,
                "decision_aid": _aid(goal.decision),
                "actions": actions_by_goal.get(goal.pk, []),
            }
            for goal in goals
        ],
        "decisions": [
            {
                "id": d.pk,
                "question": d.question,
                "chosen_option": d.chosen_option.title if d.chosen_option else "",
                "rationale": d.rationale,
                "participation": d.participation,
                "decided_at": d.decided_at.isoformat() if d.decided_at else None,
                "decision_aid": _aid(d),
            }
            for d in decisions
        ],
        "follow_ups": [
            {
                "id": f.pk,
                "what": f.what,
                "who": f.who,
                "method": f.method,
                "frequency": f.frequency,
                "next_date": _date(f.next_date),
            }
            for f in follow_ups
        ],
        "care_team": [
            {
                "id": m.professional_id,
                "name": m.professional.get_full_name() or m.professional.username,
                "discipline": m.professional.discipline,
                "organisation": m.organisation.name,
                "role": m.role,
            }
            for m in team
        ],
    }


# --- pure functions over snapshots -------------------------------------------------------


def schema_of(snapshot: dict) -> int:
    return int(snapshot.get("schema", 1))


def _goals(snapshot):
    return [{k: v for k, v in g.items() if k != "actions"} for g in snapshot["goals"]]


def _actions(snapshot):
    return [dict(a, goal_id=g["id"]) for g in snapshot["goals"] for a in g.get("actions", [])]


def _person(snapshot):
    return [dict(snapshot["person"], id="person")]


# section name -> (snapshot key that must be present, extractor). Order is the display order.
SECTIONS = {
    "person": ("person", _person),
    "goals": ("goals", _goals),
    "actions": ("goals", _actions),
    "decisions": ("decisions", lambda s: s["decisions"]),
    "follow_ups": ("follow_ups", lambda s: s["follow_ups"]),
    "care_team": ("care_team", lambda s: s["care_team"]),
}


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
    for name, (key, extract) in SECTIONS.items():
        if key not in old or key not in new:
            if key in old or key in new:
                not_compared.append(name)
            continue
        before, after = _index(extract(old)), _index(extract(new))
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
            responsible = action.get("responsible") or Responsible.PERSON.value
            groups.setdefault(responsible, []).append(
                dict(action, goal_id=goal["id"], goal_description=goal.get("description", ""))
            )
    order = list(RESPONSIBLE_ORDER) + sorted(k for k in groups if k not in RESPONSIBLE_ORDER)
    return [{"responsible": key, "actions": groups[key]} for key in order if key in groups]
