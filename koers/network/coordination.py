"""The coordinator of a person's network (regiebehandelaar / zorgcoördinator).

Exactly one professional in a person's care team holds the role ``RESPONSIBLE`` (a partial unique
constraint, ``careteam_one_coordinator``). The role moves only by an explicit hand-over, done by
the coordinator or by the person themself, to a professional already in the network. The
coordinator (or the person) is also who manages the network: ends someone else's membership,
invites professionals of other organisations, and with the person invites relatives.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.accounts.models import User
from koers.audit import log as audit_log
from koers.network.models import CareTeamMember, CoordinatorHandover
from koers.people import hooks
from koers.people.models import Person

MEMBER = "network.CareTeamMember"
RESPONSIBLE = CareTeamMember.Role.RESPONSIBLE
HANDOVER = "network.CoordinatorHandover"
NOTE_MAX = CoordinatorHandover._meta.get_field("note").max_length


def coordinator_of(person: Person) -> CareTeamMember | None:
    """The person's current coordinator's membership (None for a person without a care team)."""
    return (
        CareTeamMember.objects.filter(person=person, role=RESPONSIBLE, ended_at__isnull=True)
        .select_related("professional", "organisation")
        .first()
    )


def coordinators_of(person_ids) -> dict[int, int]:
    """{person id: their current coordinator's user id} for those of ``person_ids`` that have one."""
    return dict(
        CareTeamMember.objects.filter(person_id__in=person_ids, role=RESPONSIBLE, ended_at__isnull=True).values_list(
            "person_id", "professional_id"
        )
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


def _clean_handover(*, note: str, overlap_until, today: dt.date) -> str:
    """The note is required plain text; the overlap, if any, ends today or later."""
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Schrijf een overdrachtsnotitie voor de nieuwe regiebehandelaar.")]
    elif len(note) > NOTE_MAX:
        errors["note"] = [_("Gebruik hoogstens %(n)d tekens.") % {"n": NOTE_MAX}]
    if overlap_until is not None and (not isinstance(overlap_until, dt.date) or overlap_until < today):
        errors["overlap_until"] = [_("Kies vandaag of een datum in de toekomst.")]
    if errors:
        raise ValidationError(errors)
    return note


def coordinator_hand_over(
    *, actor: User, person: Person, to: CareTeamMember, note: str, overlap_until: dt.date | None = None
) -> CareTeamMember:
    """Make ``to`` (an active member of the person's care team) the coordinator: a warm hand-over.

    Only the current coordinator or the person may hand over. ``note`` (required, plain text) is
    for the new coordinator; the former coordinator stays in the team as a member, until
    ``overlap_until`` when given (``handover_overlaps_end`` ends the membership after that day).
    One transaction: the roles, the hand-over row, one log row per changed membership.
    """
    access.require(actor, person, access.Category.DEMOGRAPHICS, access.Action.UPDATE, object_type=MEMBER)
    if not manages_network(actor, person):
        raise ValidationError(_("Alleen de regiebehandelaar of de cliënt zelf kan de regie overdragen."))
    if to.person_id != person.pk or to.ended_at is not None:
        raise ValidationError(_("Kies een zorgverlener die nu in het netwerk zit."))
    if to.role == RESPONSIBLE:
        raise ValidationError(_("%(name)s is al de regiebehandelaar.") % {"name": to.professional.display_name()})
    note = _clean_handover(note=note, overlap_until=overlap_until, today=timezone.localdate())
    with transaction.atomic():
        current = list(
            CareTeamMember.objects.select_for_update().filter(person=person, role=RESPONSIBLE, ended_at__isnull=True)
        )
        for old in current:
            old.role = CareTeamMember.Role.MEMBER
            old.save(update_fields=["role"])
            _log(actor, person, old.pk, "coordinator_handed_over")
        to.role = RESPONSIBLE
        to.save(update_fields=["role"])
        _log(actor, person, to.pk, "coordinator_taken_over")
        handover = CoordinatorHandover.objects.create(
            person=person,
            from_member=current[0] if current else None,
            to_member=to,
            note=note,
            overlap_until=overlap_until if current else None,
            handed_over_by=actor,
            handed_over_at=timezone.now(),
        )
        access.record(actor, person, access.Action.CREATE, handover)
        hooks.plan_content_changed(
            actor=actor,
            person=person,
            msgid=gettext_noop("Netwerk: %(name)s is nu regiebehandelaar"),
            params={"name": to.professional.display_name()},
        )
        # A transfer of the coordinator role: an agreed information moment (issue #13).
        hooks.information_moment(
            actor=actor,
            person=person,
            moment=hooks.Moment.TRANSFER,
            msgid=gettext_noop("De regie is overgedragen aan %(name)s (%(organisation)s)"),
            params={"name": to.professional.display_name(), "organisation": to.organisation.name},
        )
    return to


def _log(actor, person, member_id, detail: str) -> None:
    audit_log.record(
        user=actor, action=access.Action.UPDATE, person=person, object_type=MEMBER, object_id=member_id, detail=detail
    )


def handover_overlaps_end(*, today: dt.date | None = None) -> int:
    """End the membership of each former coordinator whose overlap is over (the periodic task
    ``network.tasks.handover_overlaps_end``); returns how many. Someone who became coordinator
    again, or whose membership already ended, is left alone; the hand-over is closed either way.
    The log row has no user (the system did it); the plan's version names who chose the date."""
    today = today or timezone.localdate()
    ended = 0
    due = CoordinatorHandover.objects.filter(overlap_until__lt=today, overlap_ended_at__isnull=True)
    for handover in due.select_related("from_member__professional", "person", "handed_over_by"):
        with transaction.atomic():
            now = timezone.now()
            member = (
                CareTeamMember.objects.select_for_update()
                .filter(pk=handover.from_member_id, ended_at__isnull=True, role=CareTeamMember.Role.MEMBER)
                .first()
            )
            if member is not None:
                member.ended_at = now
                member.save(update_fields=["ended_at"])  # a save: kept data that follows memberships sees it
                ended += 1
                audit_log.record(
                    user=None,
                    action=access.Action.UPDATE,
                    person=handover.person,
                    object_type=MEMBER,
                    object_id=handover.from_member_id,
                    detail="ended: overlap after coordinator hand-over",
                )
                hooks.plan_content_changed(
                    actor=handover.handed_over_by,
                    person=handover.person,
                    msgid=gettext_noop("Zorgteam: %(name)s is niet meer betrokken"),
                    params={"name": handover.from_member.professional.display_name()},
                )
                _overlap_discharge_moment(handover)
            CoordinatorHandover.objects.filter(pk=handover.pk).update(overlap_ended_at=now)
    return ended


def _overlap_discharge_moment(handover: CoordinatorHandover) -> None:
    """The former coordinator left the team after the overlap: a discharge moment (issue #13),
    sent in the name of who chose the date, like the plan's version."""
    member = handover.from_member
    hooks.information_moment(
        actor=handover.handed_over_by,
        person=handover.person,
        moment=hooks.Moment.DISCHARGE,
        msgid=gettext_noop("Niet meer in het zorgteam: %(name)s (%(organisation)s)"),
        params={"name": member.professional.display_name(), "organisation": member.organisation.name},
    )


def latest_handover(person: Person) -> CoordinatorHandover | None:
    """The last hand-over of the person's coordinator role, with both members."""
    return (
        CoordinatorHandover.objects.filter(person=person)
        .select_related("from_member__professional", "to_member__professional", "handed_over_by")
        .first()
    )
