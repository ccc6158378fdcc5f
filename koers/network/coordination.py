"""The coordinator of a person's network (regiebehandelaar / zorgcoördinator).

Exactly one professional in a person's care team holds the role ``RESPONSIBLE`` (a partial unique
constraint, ``careteam_one_coordinator``). The role moves only by an explicit hand-over, done by
the coordinator or by the person themself, to a professional already in the network. The
coordinator (or the person) is also who manages the network: ends someone else's membership,
invites professionals of other organisations, and with the person invites relatives.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.accounts.models import User
from koers.audit import log as audit_log
from koers.network.models import CareTeamMember
from koers.people import hooks
from koers.people.models import Person

MEMBER = "network.CareTeamMember"
RESPONSIBLE = CareTeamMember.Role.RESPONSIBLE


def coordinator_of(person: Person) -> CareTeamMember | None:
    """The person's current coordinator's membership (None for a person without a care team)."""
    return (
        CareTeamMember.objects.filter(person=person, role=RESPONSIBLE, ended_at__isnull=True)
        .select_related("professional", "organisation")
        .first()
    )


def is_coordinator(user: User, person: Person) -> bool:
    return CareTeamMember.objects.filter(
        person=person, professional_id=user.pk, role=RESPONSIBLE, ended_at__isnull=True
    ).exists()


def is_the_person(user: User, person: Person) -> bool:
    return user.is_authenticated and user.is_person and person.user_id == user.pk


def manages_network(user: User, person: Person) -> bool:
    """Whether this user may change who is in the person's network: the person or the coordinator."""
    return is_the_person(user, person) or is_coordinator(user, person)


def coordinator_hand_over(*, actor: User, person: Person, to: CareTeamMember) -> CareTeamMember:
    """Make ``to`` (an active member of the person's care team) the coordinator.

    Only the current coordinator or the person may hand over; the former coordinator stays in
    the team as a member. One transaction, one log row per changed membership.
    """
    access.require(actor, person, access.Category.DEMOGRAPHICS, access.Action.UPDATE, object_type=MEMBER)
    if not manages_network(actor, person):
        raise ValidationError(_("Alleen de regiebehandelaar of de cliënt zelf kan de regie overdragen."))
    if to.person_id != person.pk or to.ended_at is not None:
        raise ValidationError(_("Kies een zorgverlener die nu in het netwerk zit."))
    if to.role == RESPONSIBLE:
        raise ValidationError(_("%(name)s is al de regiebehandelaar.") % {"name": to.professional.display_name()})
    with transaction.atomic():
        current = CareTeamMember.objects.select_for_update().filter(
            person=person, role=RESPONSIBLE, ended_at__isnull=True
        )
        for old in current:
            old.role = CareTeamMember.Role.MEMBER
            old.save(update_fields=["role"])
            audit_log.record(
                user=actor,
                action=access.Action.UPDATE,
                person=person,
                object_type=MEMBER,
                object_id=old.pk,
                detail="coordinator_handed_over",
            )
        to.role = RESPONSIBLE
        to.save(update_fields=["role"])
        audit_log.record(
            user=actor,
            action=access.Action.UPDATE,
            person=person,
            object_type=MEMBER,
            object_id=to.pk,
            detail="coordinator_taken_over",
        )
        hooks.plan_content_changed(
            actor=actor,
            person=person,
            msgid=gettext_noop("Netwerk: %(name)s is nu regiebehandelaar"),
            params={"name": to.professional.display_name()},
        )
    return to
