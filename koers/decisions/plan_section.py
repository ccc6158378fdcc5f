"""The decided shared decisions as a section of the care plan; registered in ``DecisionsConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from koers.careplans.kept import by_person
from koers.careplans.sections import ComparePart, PlanSection
from koers.decisions.models import AidUse, SharedDecision
from koers.goals.plan_section import decision_aid, format_decision_aid
from koers.lib.compiled import compiled


def gather_decisions(person) -> list[dict]:
    """The decisions taken, in the order they were taken. One query."""
    decisions = compiled(
        lambda p: (
            SharedDecision.objects.filter(person_id=p.person_id, status=SharedDecision.Status.DECIDED)
            .select_related("chosen_option")
            .order_by("decided_at", "id")
        ),
        person_id=person.pk,
    )
    return [
        {
            "id": d.pk,
            "question": d.question,
            "chosen_option": d.chosen_option.title if d.chosen_option else "",
            "rationale": d.rationale,
            "participation": d.participation,
            "decided_at": d.decided_at.isoformat() if d.decided_at else None,
            "decision_aid": decision_aid(d),
        }
        for d in decisions
    ]


SECTION = PlanSection(
    key="decisions",
    order=30,
    gather=gather_decisions,
    sources={"decisions.SharedDecision": by_person, "decisions.DecisionOption": by_person},
    parts=(
        ComparePart(
            name="decisions",
            title=gettext_lazy("Besluiten"),
            extract=lambda snapshot: snapshot["decisions"],
            title_field="question",
        ),
    ),
    field_labels={
        "question": gettext_lazy("vraag"),
        "chosen_option": gettext_lazy("keuze"),
        "rationale": gettext_lazy("waarom deze keuze"),
        "participation": gettext_lazy("hoe er besloten is"),
        "decided_at": gettext_lazy("besloten op"),
        "decision_aid": gettext_lazy("keuzehulp"),
    },
    choices={"participation": SharedDecision.Participation, "aid_use": AidUse},
    datetime_fields=frozenset({"decided_at"}),
    formatters={"decision_aid": format_decision_aid},
)
