"""The crisis plan as a section of the care plan; registered in ``CrisisplansConfig.ready()``.

Each phase with content is one item (id: the phase code) and the agreements made beforehand
another, so a comparison of two care-plan versions names the phase that changed and how. A
phase without content is left out, so an empty plan adds nothing to a version. Signs are stored
by their words: a version is what the plan said, the ids live in the model.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from koers import access
from koers.careplans.kept import by_person
from koers.careplans.sections import ComparePart, PlanSection
from koers.crisisplans.models import Phase
from koers.crisisplans.selectors import LISTS, crisis_plan_of

KEY = "crisis_plan"


def gather_crisis_plan(person) -> dict:
    """The plan's content as JSON. Three queries."""
    current = crisis_plan_of(person)
    phases = [
        {
            "id": p.code,
            "signs": [s.text for s in p.signs],
            **{name: getattr(p, name) for name in LISTS},
            "contacts": [{k: c[k] for k in ("name", "relation", "phone")} for c in p.contacts],
        }
        for p in current.phases
        if not p.is_empty
    ]
    agreements = dict(current.agreements, id="agreements") if current.has_agreements else None
    return {"phases": phases, "agreements": agreements}


def _phase_part(phase: Phase, title) -> ComparePart:
    return ComparePart(
        name=f"crisis_{phase.value}",
        title=title,
        extract=lambda snapshot: [p for p in snapshot[KEY]["phases"] if p["id"] == phase.value],
    )


def format_list(value, old, new) -> str:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def format_contacts(value, old, new) -> str:
    if not isinstance(value, list):
        return str(value)
    return "; ".join(
        f"{c.get('name', '')}{' (' + c['relation'] + ')' if c.get('relation') else ''}, {c.get('phone', '')}"
        for c in value
    )


SECTION = PlanSection(
    key=KEY,
    order=60,
    category=access.Category.CRISIS_PLAN,
    gather=gather_crisis_plan,
    sources={
        "crisisplans.CrisisPlan": by_person,
        "crisisplans.CrisisPhase": lambda phase: Q(crisis_plan__id=phase.plan_id),
        "crisisplans.CrisisSign": lambda sign: Q(crisis_plan__id=sign.plan_id),
    },
    parts=(
        _phase_part(Phase.GOING_WELL, gettext_lazy("Crisisplan: het gaat goed")),
        _phase_part(Phase.EARLY_SIGNS, gettext_lazy("Crisisplan: vroege signalen")),
        _phase_part(Phase.CRISIS, gettext_lazy("Crisisplan: crisis")),
        ComparePart(
            name="crisis_agreements",
            title=gettext_lazy("Crisisplan: afspraken vooraf"),
            extract=lambda snapshot: [snapshot[KEY]["agreements"]] if snapshot[KEY]["agreements"] else [],
        ),
    ),
    field_labels={
        "signs": gettext_lazy("signalen"),
        "triggers": gettext_lazy("wat dit uitlokt"),
        "self_care": gettext_lazy("wat ik zelf doe"),
        "others_do": gettext_lazy("wat anderen wel doen"),
        "others_avoid": gettext_lazy("wat anderen niet doen"),
        "contacts": gettext_lazy("wie u kunt bellen"),
        "takeover": gettext_lazy("wie mag wat overnemen"),
        "medication_wishes": gettext_lazy("wensen over medicijnen"),
        "where_to_go": gettext_lazy("waar naartoe"),
        "care_for_others": gettext_lazy("zorg voor kinderen of huisdieren"),
    },
    formatters={
        **{name: format_list for name in ("signs", *LISTS)},
        "contacts": format_contacts,
    },
)
