"""State changes of a person's care team. Each is one transaction with its log row.

Access is checked *before* the transaction opens, so a refusal's log row is kept even though
the refusal raises. Then the input is validated (``ValidationError`` in plain words; nothing is
written), then written and logged together. The care team is part of the care plan's content:
a change is told to people's plan-content hook (careplans records a version), never to
careplans itself, which sits above network.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.accounts.models import User
from koers.audit import log as audit_log
from koers.network.coordination import coordinator_of, manages_network
from koers.network.models import CareTeamMember, Consent, ConsentDecision, RelativeLink, ResearchConsentDecision

# people's one way to tell the care plan that its content changed (a hook registry after #10).
from koers.people import hooks
from koers.people.models import Person

Action = access.Action
Category = access.Category
MEMBER = "network.CareTeamMember"


def care_team_join_new_person(*, actor: User, person: Person) -> None:
    """``person_create`` listener (``people.registration``): a professional who registers a
    person joins the care team as responsible, in the registration's transaction."""
    if actor.is_professional:
        care_team_assign(
            actor=actor, person=person, professional=actor, role=CareTeamMember.Role.RESPONSIBLE, _new_person=True
        )


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
        access.require(actor, person, Category.DEMOGRAPHICS, Action.UPDATE, object_type=MEMBER)
    if (
        not professional.is_professional
        or not professional.is_active
        or professional.organisation_id != actor.organisation_id
    ):
        raise ValidationError(_("Alleen zorgverleners van uw eigen organisatie kunnen worden toegevoegd."))
    if role not in CareTeamMember.Role.values:
        raise ValidationError(_("Kies een van de mogelijkheden."))
    if role == CareTeamMember.Role.RESPONSIBLE and coordinator_of(person) is not None:
        raise ValidationError(
            _(
                "Deze cliënt heeft al een regiebehandelaar. Voeg de collega toe als betrokken zorgverlener "
                "en draag daarna de regie over op de pagina Netwerk."
            )
        )
    with transaction.atomic():
        membership, created = _care_team_assign(actor=actor, person=person, professional=professional, role=role)
        if created and not _new_person:
            hooks.plan_content_changed(
                actor=actor,
                person=person,
                msgid=gettext_noop("Zorgteam: %(name)s toegevoegd"),
                params={"name": professional.display_name()},
            )
            intake_moment(actor=actor, person=person, membership=membership)
        return membership


def intake_moment(*, actor: User, person: Person, membership: CareTeamMember) -> None:
    """A professional joined the person's care team: an agreed information moment (intake,
    issue #13), announced through people's hook; koers.handover writes the summary."""
    hooks.information_moment(
        actor=actor,
        person=person,
        moment=hooks.Moment.INTAKE,
        msgid=gettext_noop("Nieuw in het zorgteam: %(name)s (%(organisation)s)"),
        params={"name": membership.professional.display_name(), "organisation": membership.organisation.name},
    )


def _care_team_assign(*, actor, person, professional, role) -> tuple[CareTeamMember, bool]:
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
        audit_log.record(user=actor, action=Action.CREATE, person=person, object_type=MEMBER, object_id=membership.pk)
    return membership, created


def care_team_end_problem(membership: CareTeamMember, actor: User | None = None) -> str:
    """Why this membership cannot end, in plain words; "" when it can.

    Someone always stays in the team, and the team never loses its coordinator (regiebehandelaar)
    without a hand-over; only the coordinator or the person ends someone else's membership. The
    confirmation page says so before anyone clicks.
    """
    if membership.ended_at is not None:
        return _("Deze zorgverlener is al uit het zorgteam.")
    others = CareTeamMember.objects.filter(person_id=membership.person_id, ended_at__isnull=True).exclude(
        pk=membership.pk
    )
    if not others.exists():
        return _("Er moet altijd minstens één zorgverlener in het zorgteam blijven.")
    if membership.role == CareTeamMember.Role.RESPONSIBLE:
        return _(
            "%(name)s is de regiebehandelaar. Draag eerst de regie over aan een andere zorgverlener in het "
            "netwerk (pagina Netwerk); daarna kan %(name)s uit het team."
        ) % {"name": membership.professional.display_name()}
    if actor is not None and membership.professional_id != actor.pk and not manages_network(actor, membership.person):
        return _(
            "Alleen de regiebehandelaar of de cliënt zelf kan iemand anders uit het netwerk halen. "
            "U kunt wel uzelf uit het zorgteam halen."
        )
    return ""


def care_team_end(*, actor: User, membership: CareTeamMember) -> None:
    """End a care-team membership (a soft end: ``ended_at``; access ends on the next request).

    One may end one's own membership; only the coordinator or the person ends someone else's.
    The last member and the coordinator cannot leave (the coordinator hands over first)."""
    access.require(
        actor, membership.person, Category.DEMOGRAPHICS, Action.UPDATE, object_type=MEMBER, object_id=membership.pk
    )
    problem = care_team_end_problem(membership, actor)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        membership.ended_at = timezone.now()
        membership.save(update_fields=["ended_at"])
        audit_log.record(
            user=actor,
            action=Action.UPDATE,
            person=membership.person,
            object_type=MEMBER,
            object_id=membership.pk,
            detail="ended",
        )
        hooks.plan_content_changed(
            actor=actor,
            person=membership.person,
            msgid=gettext_noop("Zorgteam: %(name)s is niet meer betrokken"),
            params={"name": membership.professional.display_name()},
        )
        # Discharge or referral back: an agreed information moment (issue #13).
        hooks.information_moment(
            actor=actor,
            person=membership.person,
            moment=hooks.Moment.DISCHARGE,
            msgid=gettext_noop("Niet meer in het zorgteam: %(name)s (%(organisation)s)"),
            params={"name": membership.professional.display_name(), "organisation": membership.organisation.name},
        )


# --- consent: who in the network may see what (issue #12) ---------------------------------------

CONSENT = "network.Consent"


def consent_set(
    *,
    actor: User,
    person: Person,
    member: User,
    topic: str,
    granted: bool,
    recorded_with_person: bool = False,
    note: str = "",
) -> Consent:
    """The person grants or withdraws one topic for one network member.

    Only the person themself, or a professional in their network recording the decision *with*
    the person (``recorded_with_person``, kept in the history), may decide; anyone else gets the
    missing-record ``NotFound`` and a refused row. The decision is appended to the history and
    the current state changed in one transaction with its log row; the guard reads the state on
    every check, so it holds from the very next request. Deciding what already holds writes nothing.
    """
    access.require(actor, person, Category.CONSENT, Action.UPDATE, object_type=CONSENT)
    relationship = access.relationship_of(actor, person)
    if relationship != access.Relationship.SELF and not recorded_with_person:
        access.refuse(actor, person_id=person.pk, category=Category.CONSENT, action=Action.UPDATE, object_type=CONSENT)
    if topic not in access.MEMBER_TOPICS:
        raise ValidationError(_("Kies een van de onderwerpen."))
    if not _in_network(person, member):
        raise ValidationError(_("Deze persoon hoort niet bij uw netwerk."))
    current = Consent.objects.filter(person=person, member=member, topic=topic).first()
    if current is not None and current.granted == granted:
        return current
    with transaction.atomic():
        decision = ConsentDecision.objects.create(
            person=person,
            member=member,
            topic=topic,
            granted=granted,
            decided_by=actor,
            recorded_with_person=relationship != access.Relationship.SELF,
            decided_at=timezone.now(),
            note=note[:500],
        )
        consent, _created = Consent.objects.update_or_create(
            person=person, member=member, topic=topic, defaults={"granted": granted, "decision": decision}
        )
        access.record(
            actor,
            person,
            Action.UPDATE,
            consent,
            detail=f"member={member.pk} topic={topic} {'granted' if granted else 'withdrawn'}",
        )
    return consent


RESEARCH_CONSENT = "network.ResearchConsentDecision"


def research_consent_set(*, actor: User, person: Person, granted: bool) -> ResearchConsentDecision | None:
    """The person says yes or no to research use of their pseudonymised data (issue #16).

    Like ``consent_set``: the person themself, or a professional in their network who records
    it together with the person (marked so in the history); anyone else gets the missing-record
    ``NotFound``. Appends a decision with its log row in one transaction; deciding what already
    holds writes nothing (returns None).
    """
    access.require(actor, person, Category.CONSENT, Action.UPDATE, object_type=RESEARCH_CONSENT)
    relationship = access.relationship_of(actor, person)
    if relationship != access.Relationship.SELF and not actor.is_professional:
        access.refuse(
            actor, person_id=person.pk, category=Category.CONSENT, action=Action.UPDATE, object_type=RESEARCH_CONSENT
        )
    current = ResearchConsentDecision.objects.filter(person=person).first()
    if (current.granted if current else False) == granted:
        return None
    with transaction.atomic():
        decision = ResearchConsentDecision.objects.create(
            person=person,
            granted=granted,
            decided_by=actor,
            recorded_with_person=relationship != access.Relationship.SELF,
            decided_at=timezone.now(),
        )
        access.record(
            actor, person, Action.UPDATE, decision, detail=f"topic=research {'granted' if granted else 'withdrawn'}"
        )
    return decision


def _in_network(person: Person, member: User) -> bool:
    if member.is_professional:
        return CareTeamMember.objects.filter(person=person, professional=member, ended_at__isnull=True).exists()
    return RelativeLink.objects.filter(person=person, user=member, ended_at__isnull=True).exists()
