"""The relatives a person named: which one is the first contact (eerste contactpersoon), and
ending a relative's link.

Relatives join by invitation (koers.network.invitations); what they may see is decided by consent
in koers.access. The first contact is a flag on ``RelativeLink``, at most one per person (a
partial unique constraint), chosen by the person or by the coordinator with them.

Ending a link (``relative_link_end``) keeps the row with ``ended_at``: the guard reads active
links only, so access ends on the next request. What was shared is withdrawn in the consent
history (appended, never rewritten), so inviting the same relative again starts from nothing
shared (docs/decisions.md).
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
from koers.network.coordination import manages_network
from koers.network.models import Consent, ConsentDecision, RelativeLink
from koers.people import hooks
from koers.people.models import Person

Action = access.Action
LINK = "network.RelativeLink"


def _log(actor, person, link, detail) -> None:
    audit_log.record(
        user=actor, action=Action.UPDATE, person=person, object_type=LINK, object_id=link.pk, detail=detail
    )


def first_contact_set(*, actor: User, person: Person, link: RelativeLink | None) -> None:
    """Name one relative as the person's first contact (eerste contactpersoon), or none."""
    access.require(actor, person, access.Category.DEMOGRAPHICS, Action.UPDATE, object_type=LINK)
    if not manages_network(actor, person):
        raise ValidationError(_("Alleen de cliënt zelf of de regiebehandelaar kan de eerste contactpersoon kiezen."))
    if link is not None and (link.person_id != person.pk or link.ended_at is not None):
        raise ValidationError(_("Kies een van de mogelijkheden."))
    with transaction.atomic():
        for old in RelativeLink.objects.select_for_update().filter(person=person, first_contact=True):
            old.first_contact = False
            old.save(update_fields=["first_contact"])
            _log(actor, person, old, "first_contact_off")
        if link is not None:
            link.first_contact = True
            link.save(update_fields=["first_contact"])
            _log(actor, person, link, "first_contact_on")
        # Whom to call is part of the care plan's content (its network section, issue #13).
        hooks.plan_content_changed(actor=actor, person=person, msgid=gettext_noop("Eerste contactpersoon gewijzigd"))


def relative_link_end_problem(link: RelativeLink, actor: User) -> str:
    """Why this actor cannot end this link, in plain words; "" when they can."""
    if link.ended_at is not None:
        return _("Deze naaste hoort al niet meer bij het netwerk.")
    if not manages_network(actor, link.person):
        return _("Alleen de cliënt zelf of de regiebehandelaar kan een naaste uit het netwerk halen.")
    return ""


def relative_link_end(*, actor: User, link: RelativeLink, reason: str = "") -> RelativeLink:
    """End a relative's link: by the person, or by the coordinator. Access ends on the next request.

    The first-contact mark goes with it; every topic the person shared with this relative is
    withdrawn by an appended decision (the history stays), so a later invitation of the same
    relative starts from nothing shared. One transaction with its log rows.
    """
    person = link.person
    access.require(actor, person, access.Category.DEMOGRAPHICS, Action.UPDATE, object_type=LINK, object_id=link.pk)
    problem = relative_link_end_problem(link, actor)
    if problem:
        raise ValidationError(problem)
    now = timezone.now()
    with transaction.atomic():
        ended = RelativeLink.objects.filter(pk=link.pk, ended_at__isnull=True).update(
            ended_at=now, ended_by=actor, end_reason=reason.strip()[:500], first_contact=False
        )
        if not ended:  # ended by someone else a moment ago
            raise ValidationError(_("Deze naaste hoort al niet meer bij het netwerk."))
        link.refresh_from_db()
        _log(actor, person, link, "ended")
        _withdraw_all(actor, person, link.user, now)
        # The relatives (and the first contact) are part of the plan's network section (issue #13).
        hooks.plan_content_changed(
            actor=actor,
            person=person,
            msgid=gettext_noop("Naaste niet meer in het netwerk: %(name)s"),
            params={"name": link.user.display_name()},
        )
    return link


def _withdraw_all(actor: User, person: Person, member: User, now) -> None:
    """Withdraw every topic currently shared with this member, each as a decision in the history."""
    for consent in Consent.objects.select_for_update().filter(person=person, member=member, granted=True):
        decision = ConsentDecision.objects.create(
            person=person,
            member=member,
            topic=consent.topic,
            granted=False,
            decided_by=actor,
            recorded_with_person=actor.pk != person.user_id,
            decided_at=now,
            note="relative_link_ended",
        )
        consent.granted, consent.decision = False, decision
        consent.save(update_fields=["granted", "decision"])
        access.record(
            actor, person, Action.UPDATE, consent, detail=f"member={member.pk} topic={consent.topic} withdrawn"
        )
