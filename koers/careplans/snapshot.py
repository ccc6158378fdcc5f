"""Building and comparing care-plan snapshots.

``build_snapshot`` reads the plan's current content in a fixed number of queries;
``compare`` is a pure function over two snapshots.
"""

from __future__ import annotations

from koers.careplans.models import FollowUpAgreement
from koers.decisions.models import SharedDecision
from koers.goals.models import Action, Goal

SNAPSHOT_SCHEMA = 1


def _date(value):
    return value.isoformat() if value else None


def build_snapshot(person) -> dict:
    goals = list(
        Goal.objects.filter(person=person)
        .exclude(lifecycle_status=Goal.LifecycleStatus.CANCELLED)
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
    }


def _index(items):
    return {item["id"]: item for item in items}


def _flatten_actions(snapshot):
    return [dict(a, goal_id=g["id"]) for g in snapshot.get("goals", []) for a in g.get("actions", [])]


def compare(old: dict, new: dict) -> dict:
    """What changed between two snapshots: per section, the added, removed and changed items.

    Pure: snapshots in, a dict out. Changed items list the fields with (old, new) values.
    """
    result = {}
    sections = {
        "goals": (lambda s: [{k: v for k, v in g.items() if k != "actions"} for g in s.get("goals", [])]),
        "actions": _flatten_actions,
        "decisions": lambda s: s.get("decisions", []),
        "follow_ups": lambda s: s.get("follow_ups", []),
    }
    for name, extract in sections.items():
        before, after = _index(extract(old)), _index(extract(new))
        added = [after[k] for k in after if k not in before]
        removed = [before[k] for k in before if k not in after]
        changed = []
        for key in before.keys() & after.keys():
            fields = {
                field: (before[key].get(field), after[key].get(field))
                for field in sorted(set(before[key]) | set(after[key]))
                if before[key].get(field) != after[key].get(field)
            }
            if fields:
                changed.append({"item": after[key], "fields": fields})
        changed.sort(key=lambda c: c["item"]["id"])
        result[name] = {"added": added, "removed": removed, "changed": changed}
    return result
