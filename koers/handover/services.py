"""Writing summaries and their deliveries. Each is one transaction with its access-log rows.

``summary_create`` is the listener of ``people.hooks.information_moment`` (registered in
``HandoverConfig.ready``): the services where a moment happens (medication in people, the care
team and the coordinator in network, the yearly evaluation in followup, the crisis plan) call the
hook inside their own transaction, so the summary is written with the change or not at all.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.accounts.models import User
from koers.handover import content
from koers.handover.models import HandoverDelivery, HandoverSummary
from koers.network.models import CareTeamMember
from koers.notifications import sweeps
from koers.notifications.models import Reason
from koers.notifications.sources import Due
from koers.people.models import Person

Action = access.Action
Category = access.Category
SUMMARY = "handover.HandoverSummary"
NOTE_MAX = HandoverSummary._meta.get_field("note").max_length


def recipients(*, actor: User, person: Person, category: str) -> list[CareTeamMember]:
    """The professionals to inform: active members of the person's care team of another
    organisation than the sender's (within one organisation the team shares its own record and
    handover), who may read ``documents`` and the moment's ``category`` of this person now: the
    person's consent as it is at this moment decides (``access.categories_for``)."""
    members = (
        CareTeamMember.objects.filter(person=person, ended_at__isnull=True)  # access: the moment's person
        .select_related("professional", "organisation")
        .order_by("pk")
    )
    chosen = []
    for member in members:
        professional = member.professional
        if professional.pk == actor.pk or not professional.is_active:
            continue
        if actor.is_professional and member.organisation_id == actor.organisation_id:
            continue
        allowed = access.categories_for(professional, person)
        if Category.DOCUMENTS in allowed and category in allowed:
            chosen.append(member)
    return chosen


def summary_create(*, actor: User, person: Person, moment: str, msgid: str, params: dict) -> HandoverSummary | None:
    """Write the summary of an agreed information moment and deliver it to each recipient (a row
    in their workspace, an access-log row naming them, an in-app notice through the outbox).

    No summary when nobody is to be informed. The moment's own service has already checked the
    actor's right to the change; this adds no check on the actor, so leaving the care team or a
    hand-over by the person themself is never refused for want of a summary.
    """
    category = content.MOMENT_CATEGORY[moment]
    to = recipients(actor=actor, person=person, category=category)
    if not to:
        return None
    now = timezone.now()
    with transaction.atomic():
        summary = HandoverSummary.objects.create(
            person=person,
            kind=moment,
            category=category,
            content=content.gather(person, moment=moment, msgid=msgid, params=params),
            sender=actor,
            sender_organisation_id=actor.organisation_id if actor.is_professional else None,
            created_at=now,
        )
        access.record(actor, person, Action.CREATE, summary, detail=moment)
        for member in to:
            delivery = HandoverDelivery.objects.create(
                summary=summary,
                recipient=member.professional,
                recipient_organisation_id=member.organisation_id,
                delivered_at=now,
            )
            access.record(actor, person, Action.CREATE, delivery, detail=f"delivered to={member.professional_id}")
        sweeps.schedule(
            (
                Due(
                    recipient_id=member.professional_id,
                    person_id=person.pk,
                    reason=Reason.HANDOVER,
                    subject_type=SUMMARY,
                    subject_id=summary.pk,
                    due_at=now,
                    send_after=now,
                )
                for member in to
            ),
            now=now,
        )
    return summary


# The listener registered with people.hooks (the same function: one code path).
summary_for_moment = summary_create


def delivery_mark_read(*, actor: User, summary: HandoverSummary) -> bool:
    """The recipient opened the summary: note the first read (once) with its access-log row.
    True when this was the first read."""
    person = summary.person
    access.require(actor, person, summary.category, Action.READ, object_type=SUMMARY, object_id=summary.pk)
    delivery = HandoverDelivery.objects.filter(summary=summary, recipient=actor, read_at__isnull=True).first()
    if delivery is None:
        return False
    with transaction.atomic():
        marked = HandoverDelivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=timezone.now())
        if marked:
            access.record(actor, person, Action.UPDATE, delivery, detail="read")
    return bool(marked)


def note_open(summary: HandoverSummary) -> bool:
    """The sender may still add or change their note: nobody has read the summary yet."""
    return not summary.deliveries.filter(read_at__isnull=False).exists()


def _clean_note(note) -> str:
    note = "" if note is None else str(note).strip()
    if not note:
        raise ValidationError({"note": [_("Schrijf een toelichting.")]})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": NOTE_MAX}]})
    return note


def summary_note_add(*, actor: User, summary: HandoverSummary, note: str) -> HandoverSummary:
    """The sender (the professional whose action was the moment) adds a short note to their
    summary, or changes it, while no recipient has read it yet. Someone the policy refuses: the
    missing-record answer; another reader of the summary: a message, nothing saved. Plain text:
    shown escaped on the page, in the PDF and in the person's list."""
    person = summary.person
    access.require(actor, person, Category.DOCUMENTS, Action.UPDATE, object_type=SUMMARY, object_id=summary.pk)
    if summary.sender_id != actor.pk:
        # A reader the policy lets write documents, but not the sender: they may read the summary
        # anyway, so a plain message (not the missing-record answer) hides nothing.
        raise ValidationError(_("Alleen wie het bericht verstuurde, kan er een toelichting bij zetten."))
    note = _clean_note(note)
    with transaction.atomic():
        locked = HandoverSummary.objects.select_for_update().get(pk=summary.pk)
        if not note_open(locked):
            raise ValidationError(_("Het bericht is al gelezen. U kunt er geen toelichting meer bij zetten."))
        locked.note, locked.note_added_at = note, timezone.now()
        locked.save(update_fields=["note", "note_added_at"])
        access.record(actor, person, Action.UPDATE, locked, detail="note")
    summary.note, summary.note_added_at = locked.note, locked.note_added_at
    return locked
