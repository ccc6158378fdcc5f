"""Reads of a person's care team, for an already access-checked person."""

from __future__ import annotations

from django.db.models import F

from koers.accounts.models import User
from koers.network.models import CareTeamMember
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
