"""Writes of meetings about a person (MDO / netwerkberaad): plan with invitations, record decisions.

A decision with a "who does what" becomes an action in the person's plan through the goals'
own services (``goal_create``, ``action_create``): the same checks, log rows and care-plan
version as an action made on the goals page, so it shows in the plan and its history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.accounts.models import User
from koers.goals import services as goal_services
from koers.goals.models import Goal
from koers.lib.problems import problems_of
from koers.meetings import reminders
from koers.meetings.models import Decision, Meeting, Participant
from koers.network.models import CareTeamMember, RelativeLink
from koers.notifications import sweeps
from koers.notifications.models import Reason
from koers.people.models import Person

RECORDS = access.Category.CONSULT_RECORDS
MEETING = "meetings.Meeting"
DECISION = "meetings.Decision"
PLACE_MAX = Meeting._meta.get_field("place").max_length
AGENDA_MAX = Meeting._meta.get_field("agenda").max_length
DECISION_MAX = Decision._meta.get_field("text").max_length
CANCEL_REASON_MAX = Meeting._meta.get_field("cancel_reason").max_length


def _clean_plan(*, kind: str, starts_at, place: str, agenda: str) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in Meeting.Kind.values:
        errors["kind"] = [_("Kies de soort overleg.")]
    if not isinstance(starts_at, dt.datetime):
        errors["starts_at"] = [_("Vul een geldige datum en tijd in.")]
    place = (place or "").strip()
    if not place:
        errors["place"] = [_("Schrijf op waar het overleg is, of hoe u met video meedoet.")]
    elif len(place) > PLACE_MAX:
        errors["place"] = [_("Gebruik hoogstens %(n)d tekens.") % {"n": PLACE_MAX}]
    agenda = (agenda or "").strip()
    if len(agenda) > AGENDA_MAX:
        errors["agenda"] = [_("Gebruik hoogstens %(n)d tekens.") % {"n": AGENDA_MAX}]
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "starts_at": starts_at, "place": place, "agenda": agenda}


def _invitees(
    *, person: Person, invite_person: bool, relatives: Iterable[RelativeLink], members: Iterable[CareTeamMember]
) -> list[Participant]:
    """The participants' rows: only relatives the person linked and professionals now in the network."""
    rows = []
    if invite_person:
        rows.append(Participant(kind=Participant.Kind.PERSON, user_id=person.user_id, name=person.full_name))
    for link in relatives:
        if link.person_id != person.pk:
            raise ValidationError({"relatives": [_("Nodig alleen naasten uit die de cliënt zelf noemde.")]})
        rows.append(
            Participant(kind=Participant.Kind.RELATIVE, user=link.user, relative=link, name=link.user.display_name())
        )
    for member in members:
        if member.person_id != person.pk or member.ended_at is not None:
            raise ValidationError({"members": [_("Nodig alleen zorgverleners uit die nu in het netwerk zitten.")]})
        rows.append(
            Participant(
                kind=Participant.Kind.PROFESSIONAL,
                user=member.professional,
                member=member,
                name=member.professional.display_name(),
                organisation_name=member.organisation.name,
            )
        )
    if not rows:
        raise ValidationError({"members": [_("Nodig ten minste één deelnemer uit.")]})
    return rows


def _checked_plan(
    *, person: Person, kind, starts_at, place, agenda, invite_person, relatives, members
) -> tuple[dict, list[Participant]]:
    """The meeting's fields and its participants' rows, checked together: all problems at once."""
    problems = problems_of(_clean_plan, kind=kind, starts_at=starts_at, place=place, agenda=agenda)
    problems |= problems_of(_invitees, person=person, invite_person=invite_person, relatives=relatives, members=members)
    if problems:
        raise ValidationError(problems)
    data = _clean_plan(kind=kind, starts_at=starts_at, place=place, agenda=agenda)
    return data, _invitees(person=person, invite_person=invite_person, relatives=relatives, members=members)


def meeting_plan_problems(
    *, person: Person, kind="", starts_at=None, place="", agenda="", invite_person=False, relatives=(), members=()
) -> dict[str, list[str]]:
    """What ``meeting_plan`` would refuse in these values, found without writing (a form that found
    problems of its own shows these beside them: ``lib.forms.add_problems_beside``)."""
    return problems_of(
        _checked_plan,
        person=person,
        kind=kind,
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        invite_person=invite_person,
        relatives=relatives,
        members=members,
    )


def meeting_plan(
    *,
    actor: User,
    person: Person,
    kind: str,
    starts_at: dt.datetime,
    place: str,
    agenda: str = "",
    invite_person: bool = True,
    relatives: Iterable[RelativeLink] = (),
    members: Iterable[CareTeamMember] = (),
) -> Meeting:
    """Plan a meeting about the person and invite its participants (the person, relatives the
    person linked, professionals of their network, of any organisation). One log row."""
    access.require(actor, person, RECORDS, access.Action.CREATE, object_type=MEETING)
    data, participants = _checked_plan(
        person=person,
        kind=kind,
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        invite_person=invite_person,
        relatives=relatives,
        members=members,
    )
    with transaction.atomic():
        meeting = Meeting.objects.create(person=person, created_by=actor, **data)
        for row in participants:
            row.meeting = meeting
        Participant.objects.bulk_create(participants)
        access.record(actor, person, access.Action.CREATE, meeting)
        # Each invitee with an account gets a message (kind, date, place), checked at send time.
        now = meeting.created_at
        sweeps.schedule(reminders.due(meeting, Reason.MEETING_INVITED, now), now=now)
    return meeting


def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a planned meeting (the care team; the view asks first). The meeting stays, marked
    cancelled with when, by whom and why; each invitee with an account gets a message."""
    person = meeting.person
    access.require(actor, person, RECORDS, access.Action.UPDATE, object_type=MEETING, object_id=meeting.pk)
    reason = (reason or "").strip()
    if meeting.cancelled_at is not None:
        raise ValidationError({"reason": [_("Dit overleg was al afgezegd.")]})
    if not reason:
        raise ValidationError({"reason": [_("Schrijf op waarom het overleg niet doorgaat.")]})
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError({"reason": [_("Gebruik hoogstens %(n)d tekens.") % {"n": CANCEL_REASON_MAX}]})
    now = timezone.now()
    with transaction.atomic():
        meeting.cancelled_at, meeting.cancelled_by, meeting.cancel_reason = now, actor, reason
        meeting.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        access.record(actor, person, access.Action.UPDATE, meeting, detail="cancelled")
        sweeps.schedule(reminders.due(meeting, Reason.MEETING_CANCELLED, now), now=now)
    return meeting


def _goal_for(*, actor: User, person: Person, goal: Goal | None, new_goal: str, life_domain: str) -> Goal:
    """The goal the action hangs under: the one chosen, or a new one made by ``goal_create``."""
    if goal is not None and new_goal.strip():
        raise ValidationError({"goal": [_("Kies een bestaand doel óf schrijf een nieuw doel, niet allebei.")]})
    if goal is not None:
        if goal.person_id != person.pk:
            raise ValidationError({"goal": [_("Dit doel hoort niet bij deze cliënt.")]})
        return goal
    if not new_goal.strip():
        raise ValidationError({"goal": [_("Kies onder welk doel deze actie valt, of schrijf een nieuw doel.")]})
    try:
        return goal_services.goal_create(
            actor=actor, person=person, description=new_goal, life_domain=life_domain, lifecycle_status="active"
        )
    except ValidationError as error:
        renamed = {"description": "new_goal"}
        raise ValidationError({renamed.get(k, k): v for k, v in error.message_dict.items()}) from error


def meeting_decision_record(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    what: str = "",
    responsible: str = "professional",
    responsible_name: str = "",
    review_date: dt.date | None = None,
    goal: Goal | None = None,
    new_goal: str = "",
    life_domain: str = "",
) -> Decision:
    """Record what the meeting decided. With ``what`` (who does what) the decision also becomes an
    action in the person's plan, under ``goal`` or a new goal (``new_goal``, ``life_domain``),
    through the goals' services: same checks, log rows and care-plan version, all or nothing."""
    person = meeting.person
    access.require(actor, person, RECORDS, access.Action.UPDATE, object_type=MEETING, object_id=meeting.pk)
    what = (what or "").strip()
    if what:  # asked here, outside the transaction, so a refusal's log row stays
        access.require(actor, person, access.Category.GOALS, access.Action.CREATE, object_type="goals.Action")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Schrijf op wat is besloten.")]})
    if len(text) > DECISION_MAX:
        raise ValidationError({"text": [_("Gebruik hoogstens %(n)d tekens.") % {"n": DECISION_MAX}]})
    with transaction.atomic():
        action = None
        if what:
            target = _goal_for(actor=actor, person=person, goal=goal, new_goal=new_goal, life_domain=life_domain)
            action = goal_services.action_create(
                actor=actor,
                goal=target,
                what=what,
                responsible=responsible,
                responsible_name=responsible_name,
                review_date=review_date,
            )
        decision = Decision.objects.create(
            meeting=meeting, text=text, action=action, recorded_by=actor, recorded_at=timezone.now()
        )
        access.record(actor, person, access.Action.CREATE, decision)
    return decision
