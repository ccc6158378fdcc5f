"""Turning snapshots and comparisons into words for people. No database access.

Snapshots store codes (``"health"``, ``"phone"``) and ISO dates; these helpers give the
labels in the current language, so a version reads the same whichever language it was
saved in.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.accounts.models import User
from koers.careplans.models import FollowUpAgreement
from koers.decisions.models import AidUse, SharedDecision
from koers.goals.models import Action, Goal, LifeDomain, Responsible
from koers.network.models import CareTeamMember

CHOICES = {
    "life_domain": LifeDomain,
    "owner": Responsible,
    "responsible": Responsible,
    "lifecycle_status": Goal.LifecycleStatus,
    "achievement_status": Goal.AchievementStatus,
    "status": Action.Status,
    "participation": SharedDecision.Participation,
    "aid_use": AidUse,
    "method": FollowUpAgreement.Method,
    "role": CareTeamMember.Role,
    "discipline": User.Discipline,
}
DATE_FIELDS = {"target_date", "review_date", "next_date"}
DATETIME_FIELDS = {"decided_at"}

FIELD_LABELS = {
    "what_matters": gettext_lazy("wat belangrijk is"),
    "values": gettext_lazy("waarden en wensen"),
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
    "question": gettext_lazy("vraag"),
    "chosen_option": gettext_lazy("keuze"),
    "rationale": gettext_lazy("waarom deze keuze"),
    "participation": gettext_lazy("hoe er besloten is"),
    "decided_at": gettext_lazy("besloten op"),
    "who": gettext_lazy("wie"),
    "method": gettext_lazy("hoe"),
    "frequency": gettext_lazy("hoe vaak"),
    "next_date": gettext_lazy("volgende keer"),
    "name": gettext_lazy("naam"),
    "discipline": gettext_lazy("beroep"),
    "organisation": gettext_lazy("organisatie"),
    "role": gettext_lazy("rol"),
}

SECTION_TITLES = {
    "person": gettext_lazy("Wat belangrijk is"),
    "goals": gettext_lazy("Doelen"),
    "actions": gettext_lazy("Acties"),
    "decisions": gettext_lazy("Besluiten"),
    "follow_ups": gettext_lazy("Vervolgafspraken"),
    "care_team": gettext_lazy("Zorgverleners"),
}
TITLE_FIELD = {
    "goals": "description",
    "actions": "what",
    "decisions": "question",
    "follow_ups": "what",
    "care_team": "name",
}


def choice_label(field: str, value) -> str:
    choices = CHOICES.get(field)
    if choices is None or value in (None, ""):
        return "" if value is None else str(value)
    labels = dict(choices.choices)
    return str(labels.get(value, value))


def parse_date(value):
    """An ISO date or date-time string from a snapshot as a date / aware datetime (or None)."""
    if not value or not isinstance(value, str):
        return None
    try:
        if "T" in value:
            parsed = dt.datetime.fromisoformat(value)
            return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def format_value(field: str, value, *, goal_titles: dict | None = None) -> str:
    if value is None or value == "" or value == {}:
        return _("(leeg)")
    if field in CHOICES:
        return choice_label(field, value)
    if field in DATE_FIELDS or field in DATETIME_FIELDS:
        parsed = parse_date(value)
        return date_format(parsed, "j-n-Y") if parsed else str(value)
    if field == "gas_levels" and isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in sorted(value.items(), key=lambda kv: int(kv[0])))
    if field == "decision_aid" and isinstance(value, dict):
        use = choice_label("aid_use", value.get("use"))
        return f"{value.get('name', '')} ({use})" if use else str(value.get("name", ""))
    if field == "goal_id" and goal_titles:
        return goal_titles.get(value, str(value))
    return str(value)


def _title(section: str, item: dict) -> str:
    if section == "person":
        return str(SECTION_TITLES["person"])
    return str(item.get(TITLE_FIELD[section], ""))


def describe(result: dict, old: dict, new: dict) -> dict:
    """A comparison (``snapshot.compare``) as rows of text, per section, in display order.

    Each row: ``kind`` ("added", "removed", "changed"), ``title`` and, for changes, the
    fields with a label and the old and new value in words.
    """
    goal_titles = {g["id"]: g.get("description", "") for g in old.get("goals", [])}
    goal_titles.update({g["id"]: g.get("description", "") for g in new.get("goals", [])})
    sections = []
    for name, diff in result["sections"].items():
        rows = [{"kind": "added", "title": _title(name, item), "fields": []} for item in diff["added"]]
        rows += [{"kind": "removed", "title": _title(name, item), "fields": []} for item in diff["removed"]]
        for change in diff["changed"]:
            fields = [
                {
                    "label": str(FIELD_LABELS.get(field, field)),
                    "old": format_value(field, before, goal_titles=goal_titles),
                    "new": format_value(field, after, goal_titles=goal_titles),
                }
                for field, (before, after) in change["fields"].items()
            ]
            rows.append({"kind": "changed", "title": _title(name, change["item"]), "fields": fields})
        if rows:
            sections.append({"name": name, "title": str(SECTION_TITLES[name]), "rows": rows})
    return {
        "sections": sections,
        "not_compared": [str(SECTION_TITLES[name]) for name in result["not_compared"]],
    }
