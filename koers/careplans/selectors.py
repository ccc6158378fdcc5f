"""Reads of the care plan, for an already access-checked person. Fixed numbers of queries."""

from __future__ import annotations

from django.db.models import Subquery

from koers import access
from koers.careplans.models import CarePlanSignOff, CarePlanVersion
from koers.careplans.snapshot import build_snapshot, compare, has_changes, who_does_what
from koers.lib.compiled import Planned, compiled, first, planned, together
from koers.network import selectors as network_selectors
from koers.network.models import CareTeamMember


def _versions(person):
    # Always through the person's own plan: another person's version number is simply not there.
    return CarePlanVersion.objects.filter(care_plan__person=person)


def current_plan(person, *, sign_offs: bool = False, kept_page: Planned | None = None) -> dict:
    """The plan as it is now (same shape as a stored snapshot), who does what, the latest
    version (number, when, who, agreed or still open) with whether the plan has changed since,
    and the practice to contact. At most fourteen queries; two in one round trip when the plan as it is now is kept
    (``careplans.kept``: the plan row comes with the latest version, the care team with it).
    ``sign_offs``: also the person's answers on the latest version (``"sign_offs"``, newest first,
    as ``signoff.history_for`` gives them), read in the same round trip. ``kept_page``: a read of the
    plan's kept HTML (``kept_page.query``), run in that round trip too; its rows are ``"kept_page"``."""
    # The sign-offs first: each statement sees the database as it is when it runs, so the version
    # read after them is theirs or newer, never older (``_sign_offs_of``).
    reads = [_latest_sign_offs_query(person)] if sign_offs else []
    reads += [
        planned(
            lambda p: (
                CarePlanVersion.objects.filter(care_plan__person_id=p.person_id)
                .select_related("care_plan", "created_by", "agreed_by")
                .order_by("-number")[:1]
            ),
            person_id=person.pk,
        ),
        network_selectors.active_care_team_query(person),
    ]
    rows = together(*reads, *([kept_page] if kept_page is not None else []))
    kept_rows = rows.pop() if kept_page is not None else None
    *answers, latest, team = rows
    latest = first(latest)
    # Read with the latest version in one round trip; remembered for the plan's sections.
    team = network_selectors.active_care_team(person, read=team)
    plan = latest.care_plan.current_snapshot if latest is not None else None
    if plan is None:
        plan = build_snapshot(person)
    changed = latest is None or (latest.snapshot != plan and has_changes(compare(latest.snapshot, plan)))
    extra = {"sign_offs": _sign_offs_of(latest, answers[0])} if sign_offs else {}
    if kept_page is not None:
        extra["kept_page"] = kept_rows
    return {
        **extra,
        "plan": plan,
        "groups": who_does_what(plan),
        "latest": latest,
        "unsaved_changes": changed,
        # Something to agree: changes not in a version yet, or an open (not agreed) version.
        "to_agree": changed or latest.agreed_at is None,
        "practice": practice(person, members=team),
    }


def _latest_sign_offs_query(person):
    """The person's answers on their latest version, found by the person (the version is read in
    the same round trip); ordered as the model orders them, newest first."""
    return planned(  # access: the version is the guarded person's latest (care_plan__person_id below)
        lambda p: CarePlanSignOff.objects.filter(
            version_id=Subquery(
                CarePlanVersion.objects.filter(care_plan__person_id=p.person_id).order_by("-number").values("pk")[:1]
            )
        ).select_related("given_by"),
        person_id=person.pk,
    )


def _sign_offs_of(latest, rows: list) -> list:
    """``rows`` when they are ``latest``'s; else ``latest``'s read by its id. The sign-offs are read
    before the version (each statement of a round trip sees the database as it is when it runs),
    so a version made between the two reads is the newer one: rows of another version are read
    again, and no rows mean the version they were read for had none, and one made since has none
    yet (a person signs a version only after a page has shown it)."""
    if latest is None:
        return []
    if all(row.version_id == latest.pk for row in rows):
        return rows
    return compiled(
        lambda p: CarePlanSignOff.objects.filter(
            version_id=p.version_id, version__care_plan__person_id=p.person_id
        ).select_related("given_by"),
        version_id=latest.pk,
        person_id=latest.care_plan.person_id,
    )


def practice(person, *, members=None):
    """The organisation the person reaches for this plan: that of the responsible professional
    in the care team (else the longest-serving member's), with its phone and e-mail. None
    without a care team. From the active team the plan's sections read (no query of its own
    on a plan page); ``members``: that team, already read."""
    members = network_selectors.active_care_team(person) if members is None else members
    member = min(
        members,
        key=lambda m: (m.role != CareTeamMember.Role.RESPONSIBLE, m.started_at, m.id),
        default=None,
    )
    return member.organisation if member else None


def versions(person):
    """All versions, newest first, without their (large) snapshots."""
    return _versions(person).select_related("created_by").defer("snapshot").order_by("-number")


def version_numbers(person) -> list[tuple[int, object, bool]]:
    """(number, created_at, agreed) of every version, newest first: for choosing two to compare."""
    rows = _versions(person).order_by("-number").values_list("number", "created_at", "agreed_at")
    return [(number, created_at, agreed_at is not None) for number, created_at, agreed_at in rows]


def compare_base(numbers, newer: int) -> int | None:
    """The version to compare version ``newer`` with by default: the last *agreed* version
    before it, so "what changed" means "since what we agreed"; without an agreed one, the
    version just before it. ``numbers`` as from ``version_numbers``. Pure."""
    earlier = [(number, agreed) for number, _when, agreed in numbers if number < newer]
    agreed = [number for number, is_agreed in earlier if is_agreed]
    if agreed:
        return max(agreed)
    return max((number for number, _agreed in earlier), default=None)


def version_for(user, person, number) -> CarePlanVersion:
    """One version of this person's plan, else NotFound (with a refused row), like a missing one."""
    try:
        return _versions(person).select_related("created_by", "agreed_by").get(number=int(number))
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
