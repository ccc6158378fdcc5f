"""Reads of the care plan, for an already access-checked person. Fixed numbers of queries."""

from __future__ import annotations

from koers.careplans.models import CarePlanVersion
from koers.careplans.snapshot import build_snapshot, compare, has_changes, who_does_what
from koers.network import access


def _versions(person):
    # Always through the person's own plan: another person's version number is simply not there.
    return CarePlanVersion.objects.filter(care_plan__person=person)


def current_plan(person) -> dict:
    """The plan as it is now (same shape as a stored snapshot), who does what, and the latest
    version (number, when, who) with whether the plan has changed since. At most eight queries."""
    plan = build_snapshot(person)
    latest = _versions(person).select_related("created_by").order_by("-number").first()
    return {
        "plan": plan,
        "groups": who_does_what(plan),
        "latest": latest,
        "unsaved_changes": latest is None or has_changes(compare(latest.snapshot, plan)),
    }


def versions(person):
    """All versions, newest first, without their (large) snapshots."""
    return _versions(person).select_related("created_by").defer("snapshot").order_by("-number")


def version_numbers(person) -> list[tuple[int, object]]:
    """(number, created_at) of every version, newest first: for choosing two to compare."""
    return list(_versions(person).order_by("-number").values_list("number", "created_at"))


def version_for(user, person, number) -> CarePlanVersion:
    """One version of this person's plan, else NotFound (with a refused row), like a missing one."""
    try:
        return _versions(person).select_related("created_by").get(number=int(number))
    except (CarePlanVersion.DoesNotExist, TypeError, ValueError):
        access.refuse(
            user,
            person_id=person.pk,
            category=access.Category.CAREPLAN,
            action=access.Action.READ,
            object_type=CarePlanVersion._meta.label,
            object_id=number,
        )


def versions_by_number(person, numbers) -> dict[int, CarePlanVersion]:
    """The versions among ``numbers`` that exist for this person, in one query."""
    return {
        v.number: v for v in _versions(person).select_related("created_by").filter(number__in=[int(n) for n in numbers])
    }
