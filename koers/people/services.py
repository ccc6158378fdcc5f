"""State changes of a person and their care team. Each is one transaction with its log row.

Access is checked *before* the transaction opens, so a refusal's log row is kept even
though the refusal raises.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.accounts.models import User
from koers.audit import log as audit_log
from koers.network import access
from koers.network.models import CareTeamMember
from koers.people.models import Person, Profile

Action = access.Action


def person_create(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    birth_date,
    gender: str = "unknown",
    user: User | None = None,
    phone: str = "",
    email: str = "",
) -> Person:
    """Register a person; the registering professional joins their care team as responsible."""
    if not actor.is_professional and not actor.is_superuser:
        access._refuse(
            actor,
            person_id=None,
            category=access.Category.DEMOGRAPHICS,
            action=Action.CREATE,
            object_type="people.Person",
            object_id="",
        )
    person = Person.objects.create(
        user=user,
        given_name=given_name,
        family_name=family_name,
        birth_date=birth_date,
        gender=gender,
        phone=phone,
        email=email,
    )
    Profile.objects.create(person=person)
    if actor.is_professional:
        care_team_assign(
            actor=actor, person=person, professional=actor, role=CareTeamMember.Role.RESPONSIBLE, _new_person=True
        )
    audit_log.record(user=actor, action=Action.CREATE, person=person, object_type="people.Person", object_id=person.pk)
    return person


def care_team_assign(
    *,
    actor: User,
    person: Person,
    professional: User,
    role: str = CareTeamMember.Role.MEMBER,
    _new_person: bool = False,
) -> CareTeamMember:
    """An organisation assigns one of its professionals to a person.

    The actor must be in the person's care team already (or be registering the person),
    and may only assign professionals of their own organisation.
    """
    if not _new_person:
        access.require(actor, person, access.Category.DEMOGRAPHICS, Action.UPDATE, object_type="network.CareTeamMember")
    if not professional.is_professional or professional.organisation_id != actor.organisation_id:
        raise ValidationError(_("Alleen zorgverleners van uw eigen organisatie kunnen worden toegevoegd."))
    with transaction.atomic():
        return _care_team_assign(actor=actor, person=person, professional=professional, role=role)


def _care_team_assign(*, actor, person, professional, role) -> CareTeamMember:
    membership, created = CareTeamMember.objects.get_or_create(
        person=person,
        professional=professional,
        ended_at=None,
        defaults={
            "organisation_id": professional.organisation_id,
            "role": role,
            "assigned_by": actor,
            "started_at": timezone.now(),
        },
    )
    if created:
        audit_log.record(
            user=actor,
            action=Action.CREATE,
            person=person,
            object_type="network.CareTeamMember",
            object_id=membership.pk,
        )
    return membership


@transaction.atomic
def care_team_end(*, actor: User, membership: CareTeamMember) -> None:
    access.require(
        actor,
        membership.person,
        access.Category.DEMOGRAPHICS,
        Action.UPDATE,
        object_type="network.CareTeamMember",
        object_id=membership.pk,
    )
    membership.ended_at = timezone.now()
    membership.save(update_fields=["ended_at"])
    audit_log.record(
        user=actor,
        action=Action.UPDATE,
        person=membership.person,
        object_type="network.CareTeamMember",
        object_id=membership.pk,
        detail="ended",
    )
