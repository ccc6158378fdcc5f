"""Reads of a person's care team, for an already access-checked person."""

from __future__ import annotations

from django.db.models import F

from koers.accounts.models import User
from koers.network.models import CareTeamMember, RelativeLink
from koers.people.models import Person


def care_team(person: Person) -> list[CareTeamMember]:
    return list(
        CareTeamMember.objects.filter(person=person)
        .select_related("professional", "organisation")
        .order_by(F("ended_at").desc(nulls_first=True), "-role", "started_at", "id")
    )


def colleagues_to_add(actor, person: Person):
    """Active professionals of the actor's organisation not yet in this person's care team."""
    in_team = CareTeamMember.objects.filter(person=person, ended_at__isnull=True).values("professional_id")
    return (
        User.objects.filter(role=User.Role.PROFESSIONAL, organisation_id=actor.organisation_id, is_active=True)
        .exclude(pk__in=in_team)
        .order_by("last_name", "first_name", "username")
    )


def professional_by_handle(handle: str) -> User | None:
    """An active professional found by exact username or exact e-mail address, or None.

    The coordinator must know whom they invite: there is no list of other organisations' staff
    to browse, and an e-mail address shared by several accounts finds none.
    """
    handle = (handle or "").strip()
    if not handle:
        return None
    professionals = User.objects.filter(role=User.Role.PROFESSIONAL, is_active=True).select_related("organisation")
    found = list(professionals.filter(username__iexact=handle)[:2])
    if not found and "@" in handle:
        found = list(professionals.filter(email__iexact=handle)[:2])
    return found[0] if len(found) == 1 else None


def network_members(person: Person) -> dict:
    """The person's network now: active professionals by organisation, and the relatives."""
    by_organisation: dict = {}
    members = (
        CareTeamMember.objects.filter(person=person, ended_at__isnull=True)
        .select_related("professional", "organisation")
        .order_by("organisation__name", "-role", "professional__last_name", "id")
    )
    for member in members:
        by_organisation.setdefault(member.organisation, []).append(member)
    relatives = list(
        RelativeLink.objects.filter(person=person).select_related("user").order_by("-first_contact", "user__first_name")
    )
    return {
        "by_organisation": list(by_organisation.items()),
        "relatives": relatives,
        "coordinator": next((m for m in members if m.role == CareTeamMember.Role.RESPONSIBLE), None),
        "first_contact": next((r for r in relatives if r.first_contact), None),
        "members": list(members),
    }
