"""A demo person's crisis plan (the story's ``crisis_plan``), written through the crisis plan's
services, so it is logged and versioned like one made in the workspace; the version is dated on
the day the story gives and agreed then, like the plan's other demo versions."""

from __future__ import annotations

from koers.careplans.models import CarePlanVersion
from koers.crisisplans.services import crisis_plan_agreements_update, crisis_plan_phase_update

LISTS = ("signs", "triggers", "self_care", "others_do", "others_avoid")


def build_crisis_plan(*, person, spec: dict, actor, at) -> None:
    versions = CarePlanVersion.objects.filter(care_plan__person=person)
    before = versions.order_by("-number").values_list("number", flat=True).first() or 0
    for phase, content in spec["phases"].items():
        contacts = [{"name": n, "relation": r, "phone": p} for n, r, p in content.get("contacts", [])]
        crisis_plan_phase_update(
            actor=actor, person=person, phase=phase, contacts=contacts, **{k: content.get(k, []) for k in LISTS}
        )
    crisis_plan_agreements_update(actor=actor, person=person, **spec["agreements"])
    # One session (several versions only where the session idle time is 0, as in the tests).
    made = versions.filter(number__gt=before)
    last = made.order_by("-number").first()
    made.update(created_at=at, updated_at=at)
    if last is not None:
        versions.filter(pk=last.pk).update(agreed_at=at, agreed_by=actor)
