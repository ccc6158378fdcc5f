"""The demo's network around a person (issue #12): relatives with their consent, and an emergency
access that has ended and waits for review.

Relatives are made with the network services, as the person would do it themself: the person's
own account names the first contact (``first_contact_set``) and shares topics
(``consent_set``), so "Wie mag wat zien" shows the decisions in its history.

The emergency access is written with the ORM, dated back to the demo's day: its service
(``workspace.emergency.emergency_access_start``) always starts now, and the demo needs one that
has already expired. Everything the service would leave is written too: the model row, the
access-log rows (the start and what was read under it) and the in-app messages to the person and
the coordinator. The first contact's e-mail is not sent (the demo sends no mail).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_noop

from koers import access
from koers.accounts.models import User
from koers.audit import log as audit_log
from koers.crisisplans import reports as crisis_reports
from koers.crisisplans import selectors as crisis_selectors
from koers.crisisplans.models import Phase
from koers.followup import relatives as followup_relatives
from koers.network import relatives as network_relatives
from koers.network import services as network_services
from koers.network.models import EmergencyAccess, RelativeLink
from koers.people import hooks
from koers.people.models import Person
from koers.workspace import emergency as workspace_emergency
from koers.workspace import emergency_notices


def relative_link(*, user: User, person_key: str, relationship: str, first_contact: bool, topics) -> RelativeLink:
    """Link a relative's account to a person; the person names the first contact and shares topics."""
    person = Person.objects.select_related("user").get(user__username=person_key)
    link = RelativeLink.objects.create(person=person, user=user, relationship=relationship)
    # What accepting an invitation tells the plan (its network section, issue #13).
    hooks.plan_content_changed(
        actor=person.user,
        person=person,
        msgid=gettext_noop("Naaste toegevoegd: %(name)s"),
        params={"name": user.display_name()},
    )
    if first_contact:
        network_relatives.first_contact_set(actor=person.user, person=person, link=link)
    for topic in topics:
        network_services.consent_set(actor=person.user, person=person, member=user, topic=topic, granted=True)
    return link


def emergency_access(*, spec: dict, professional: User, started_at: dt.datetime) -> EmergencyAccess:
    """An emergency access that started at ``started_at`` and has run out, not yet reviewed."""
    person = Person.objects.get(user__username=spec["person"])
    topics = [access.Topic(t).value for t in spec["topics"]]  # a wrong topic fails loudly here
    emergency = EmergencyAccess.objects.create(
        person=person,
        professional=professional,
        organisation_id=professional.organisation_id,
        reason=spec["reason"],
        scope=",".join(topics),
        started_at=started_at,
        expires_at=started_at + dt.timedelta(hours=spec["hours"]),
    )
    rows = [
        audit_log.build_entry(
            user=professional,
            action=access.Action.CREATE,
            person=person,
            object_type=workspace_emergency.MODEL,
            object_id=emergency.pk,
            purpose=audit_log.Purpose.EMERGENCY,
            detail=emergency.reason,
            when=started_at,
        )
    ]
    rows += [
        audit_log.build_entry(
            user=professional,
            action=access.Action.READ,
            person=person,
            object_type=object_type,
            purpose=audit_log.Purpose.EMERGENCY,
            when=started_at + dt.timedelta(minutes=minutes),
        )
        for minutes, object_type in spec["reads"]
    ]
    audit_log.record_many(rows)
    # The person, the coordinator and (issue #13) the first contact are told, as by the service.
    emergency_notices.notify_start(emergency, now=started_at)
    return emergency


def relatives_in_the_triad() -> None:
    """Issue #13: Ingrid has written Daan's coordinator a concern of her own (a message in Koers and
    an item on the coordinator's worklist), has reported early signs once, and Anna has asked Rob
    for his view on the past year (open, so the demo can answer it). Through the services, as the
    relative and the person would."""
    daan = Person.objects.get(user__username="daan")
    ingrid = User.objects.get(username="ingrid")
    followup_relatives.relative_note_send(
        actor=ingrid,
        person=daan,
        text="Daan slaapt weer slecht en ik merk dat ik zelf ook moe word. Kan ik een keer met u bellen?",
    )
    # She also reported early signs she sees in Daan, from his crisis plan: at the top of the
    # coordinator's worklist, and on Daan's crisis-plan page under "Wie meldde wat".
    early = crisis_selectors.active_signs(daan, Phase.EARLY_SIGNS)
    chosen = [s.pk for s in early if s.text in ("Ik slaap minder dan 6 uur", "Ik trek me terug op mijn kamer")]
    crisis_reports.sign_report_send(
        actor=ingrid, person=daan, sign_ids=chosen, text="Hij neemt zijn telefoon niet meer op."
    )
    anna = Person.objects.select_related("user").get(user__username="anna")
    rob_link = RelativeLink.objects.get(person=anna, user__username="rob")
    followup_relatives.relative_evaluation_invite(actor=anna.user, person=anna, link_id=rob_link.pk)
