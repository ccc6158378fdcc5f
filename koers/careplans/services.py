"""The care plan's versions. Called by every service that changes the plan's content."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from koers.careplans.models import CarePlan, CarePlanVersion
from koers.careplans.snapshot import build_snapshot


def care_plan_for(person) -> CarePlan:
    plan, _ = CarePlan.objects.get_or_create(person=person)
    return plan


def care_plan_record_change(*, actor, person, summary: str) -> CarePlanVersion | None:
    """Store the plan as it is now as a new version, inside the caller's transaction.

    The caller has already checked access and logged its own write. The plan row is locked
    so two concurrent changes get consecutive numbers rather than a unique-constraint error.
    Returns None when nothing in the plan's content changed.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("care_plan_record_change must run inside the changing service's transaction")
    care_plan_for(person)
    plan = CarePlan.objects.select_for_update().get(person=person)
    snapshot = build_snapshot(person)
    latest = plan.versions.order_by("-number").only("snapshot").first()
    if latest is not None and latest.snapshot == snapshot:
        return None
    plan.current_version += 1
    plan.save(update_fields=["current_version", "updated_at"])
    return CarePlanVersion.objects.create(
        care_plan=plan,
        number=plan.current_version,
        created_at=timezone.now(),
        created_by=actor,
        summary=summary[:300],
        snapshot=snapshot,
    )
