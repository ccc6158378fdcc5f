"""The goals (with their actions) as a section of the care plan; registered in ``GoalsConfig.ready()``.

Goals with goal attainment scaling carry their levels, the level where the person started
(``gas_baseline``) and the latest level reached in a review (``gas_level``). A goal made from
a shared decision carries that decision's aid (``decision_aid``).
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy

from koers.careplans.kept import by_person
from koers.careplans.presentation import choice_label
from koers.careplans.sections import ComparePart, PlanSection
from koers.goals.models import Action, GasLevel, Goal, GoalReview, LifeDomain, Responsible
from koers.lib.compiled import attach, compiled


def _date(value):
    return value.isoformat() if value else None


def decision_aid(decision) -> dict | None:
    """The decision aid of a decision (name, link, offered / used), or None. Shared with the
    decisions section, so a goal and the decision it came from record their aid alike."""
    if decision is None or not decision.decision_aid_name:
        return None
    return {"name": decision.decision_aid_name, "url": decision.decision_aid_url, "use": decision.aid_use}


def format_decision_aid(value, old, new) -> str:
    if not isinstance(value, dict):
        return str(value)
    use = choice_label("aid_use", value.get("use"))
    return f"{value.get('name', '')} ({use})" if use else str(value.get("name", ""))


def _format_gas_levels(value, old, new) -> str:
    if not isinstance(value, dict):
        return str(value)
    return "; ".join(f"{k}: {v}" for k, v in sorted(value.items(), key=lambda kv: int(kv[0])))


def _format_goal_id(value, old, new) -> str:
    """An action's goal by its description, as in either of the two versions compared."""
    titles = {g["id"]: g.get("description", "") for g in old.get("goals", [])}
    titles.update({g["id"]: g.get("description", "") for g in new.get("goals", [])})
    if not titles:
        return str(value)
    return titles.get(value, str(value))


def _action(action) -> dict:
    return {
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


_LATEST_GAS_LEVEL = (
    GoalReview.objects.filter(goal=OuterRef("pk"), gas_level__isnull=False)
    .order_by("-reviewed_at", "-id")
    .values("gas_level")[:1]
)


def gather_goals(person) -> list[dict]:
    """The goals not cancelled, each with its actions not stopped. Three queries."""
    goals = compiled(
        lambda p: (
            Goal.objects.filter(person_id=p.person_id)
            .exclude(lifecycle_status=Goal.LifecycleStatus.CANCELLED)
            .annotate(latest_gas_level=Subquery(_LATEST_GAS_LEVEL))
            .select_related("decision")
            .order_by("created_at", "id")
        ),
        person_id=person.pk,
    )
    if goals:  # as prefetch_related("gas_levels"): no query without goals
        levels = compiled(
            lambda p: GasLevel.objects.filter(goal__person_id=p.person_id).exclude(
                goal__lifecycle_status=Goal.LifecycleStatus.CANCELLED
            ),
            person_id=person.pk,
        )
        attach(goals, levels, field="goal", related="gas_levels")
    actions = compiled(
        lambda p: (
            Action.objects.filter(person_id=p.person_id)
            .exclude(status=Action.Status.STOPPED)
            .order_by("created_at", "id")
        ),
        person_id=person.pk,
    )
    actions_by_goal: dict[int, list] = {}
    for action in actions:
        actions_by_goal.setdefault(action.goal_id, []).append(_action(action))
    return [
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
            "decision_aid": decision_aid(goal.decision),
            "actions": actions_by_goal.get(goal.pk, []),
        }
        for goal in goals
    ]


def _goals(snapshot):
    return [{k: v for k, v in g.items() if k != "actions"} for g in snapshot["goals"]]


def _actions(snapshot):
    return [dict(a, goal_id=g["id"]) for g in snapshot["goals"] for a in g.get("actions", [])]


SECTION = PlanSection(
    key="goals",
    order=20,
    gather=gather_goals,
    sources={
        "goals.Goal": by_person,
        "goals.GasLevel": lambda level: Q(goals__id=level.goal_id),
        "goals.GoalReview": lambda review: Q(goals__id=review.goal_id),
        "goals.Action": by_person,
        "decisions.SharedDecision": by_person,  # a goal made from a decision shows its aid
    },
    parts=(
        ComparePart(name="goals", title=gettext_lazy("Doelen"), extract=_goals, title_field="description"),
        ComparePart(name="actions", title=gettext_lazy("Acties"), extract=_actions, title_field="what"),
    ),
    field_labels={
        "description": gettext_lazy("doel"),
        "life_domain": gettext_lazy("levensgebied"),
        "why_it_matters": gettext_lazy("waarom het belangrijk is"),
        "owner": gettext_lazy("van wie het doel is"),
        "lifecycle_status": gettext_lazy("stand van zaken"),
        "achievement_status": gettext_lazy("resultaat"),
        "target_date": gettext_lazy("streefdatum"),
        "gas_levels": gettext_lazy("niveaus (GAS)"),
        "gas_baseline": gettext_lazy("niveau bij de start (GAS)"),
        "gas_level": gettext_lazy("bereikt niveau (GAS)"),
        "decision_aid": gettext_lazy("keuzehulp"),
        "what": gettext_lazy("wat"),
        "when": gettext_lazy("wanneer"),
        "how_often": gettext_lazy("hoe vaak"),
        "where": gettext_lazy("waar"),
        "with_whom": gettext_lazy("met wie"),
        "obstacles": gettext_lazy("wat lastig kan zijn"),
        "obstacle_plan": gettext_lazy("wat dan te doen"),
        "confidence": gettext_lazy("hoe zeker (0 tot 10)"),
        "responsible": gettext_lazy("wie het doet"),
        "responsible_name": gettext_lazy("naam"),
        "review_date": gettext_lazy("wanneer we kijken hoe het gaat"),
        "status": gettext_lazy("stand van zaken"),
        "goal_id": gettext_lazy("bij doel"),
    },
    choices={
        "life_domain": LifeDomain,
        "owner": Responsible,
        "responsible": Responsible,
        "lifecycle_status": Goal.LifecycleStatus,
        "achievement_status": Goal.AchievementStatus,
        "status": Action.Status,
    },
    date_fields=frozenset({"target_date", "review_date"}),
    formatters={
        "gas_levels": _format_gas_levels,
        "decision_aid": format_decision_aid,
        "goal_id": _format_goal_id,
    },
)
