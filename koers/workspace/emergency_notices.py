"""Telling the person, their first contact and their coordinator about an emergency access.

Everyone is told through the notifications outbox (issue #13), each source registered in the
workspace's ``ready()``: the person and the coordinator in-app (reason ``emergency_access``, with
the reason for the access) and by e-mail if they chose to; the first contact — a relative, who
now has an inbox (``/naaste/berichten/``) — in-app without the reason (reason
``emergency_contact``, category ``EMERGENCY_NOTICE``, which naming them first contact opens) and,
as they always had, an e-mail that only says a message waits (no name, no health data). Both
sources are ``urgent``: the e-mails are not held for quiet hours or the daily digest (why:
docs/collaboration.md, "Spoedtoegang: de eerste contactpersoon"). Exactly once, checked at send
time (a first contact whose link ended gets nothing, with a refused row), like every message.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers import access
from koers.lib.dates import moment_text
from koers.network.models import CareTeamMember, EmergencyAccess, RelativeLink
from koers.notifications import sources, sweeps, texts
from koers.notifications.models import Channel, Reason

REASON = Reason.EMERGENCY_ACCESS
CONTACT_REASON = Reason.EMERGENCY_CONTACT
SUBJECT = "network.EmergencyAccess"

TOPIC_WORDS = {
    access.Topic.CAREPLAN: gettext_lazy("zorgplan"),
    access.Topic.GOALS: gettext_lazy("doelen en acties"),
    access.Topic.DECISIONS: gettext_lazy("samen beslissen"),
    access.Topic.CONSULTS: gettext_lazy("gesprekken"),
    access.Topic.QUESTIONNAIRES: gettext_lazy("vragenlijsten"),
    access.Topic.MEASUREMENTS: gettext_lazy("metingen en labwaarden"),
    access.Topic.CRISIS_PLAN: gettext_lazy("crisisplan"),
    access.Topic.PROFILE: gettext_lazy("profiel"),
    access.Topic.CLINICAL: gettext_lazy("aandoeningen en medicijnen"),
    access.Topic.DOCUMENTS: gettext_lazy("documenten"),
}


def scope_words(emergency: EmergencyAccess) -> str:
    return ", ".join(str(TOPIC_WORDS.get(t, t)) for t in emergency.topics)


def hours(emergency: EmergencyAccess) -> int:
    return round((emergency.expires_at - emergency.started_at).total_seconds() / 3600)


def summary(emergency: EmergencyAccess, *, with_reason: bool = True) -> str:
    """Who, which organisation, how long, what (and why) in one plain sentence or two."""
    text = _(
        "%(who)s van %(organisation)s heeft met spoed gekeken in het dossier, %(hours)s uur lang, "
        "vanaf %(start)s. Wat te zien was: %(scope)s."
    ) % {
        "who": emergency.professional.display_name(),
        "organisation": emergency.organisation.name,
        "hours": hours(emergency),
        "start": moment_text(emergency.started_at),
        "scope": scope_words(emergency),
    }
    if with_reason:
        text += " " + _("Reden: %(reason)s") % {"reason": emergency.reason}
    return text


def recipients(emergency: EmergencyAccess) -> list[int]:
    """The person's account and their coordinator (in-app messages)."""
    ids = []
    if emergency.person.user_id:
        ids.append(emergency.person.user_id)
    coordinator = (
        CareTeamMember.objects.filter(  # access: the person of the emergency access
            person_id=emergency.person_id, role=CareTeamMember.Role.RESPONSIBLE, ended_at__isnull=True
        )
        .values_list("professional_id", flat=True)
        .first()
    )
    if coordinator and coordinator != emergency.professional_id:
        ids.append(coordinator)
    return ids


def _due(emergency: EmergencyAccess, recipient_id: int, reason: str, now) -> sources.Due:
    return sources.Due(
        recipient_id=recipient_id,
        person_id=emergency.person_id,
        reason=reason,
        subject_type=SUBJECT,
        subject_id=emergency.pk,
        due_at=emergency.started_at,
        send_after=now,
    )


def first_contact_of(emergency: EmergencyAccess):
    """The person's first contact's account, if it can be told (an active account)."""
    first = (
        RelativeLink.objects.filter(person_id=emergency.person_id, first_contact=True)  # access: this person
        .select_related("user")
        .first()
    )
    return first.user if first is not None and first.user.is_active else None


def notify_start(emergency: EmergencyAccess, *, now) -> None:
    """Put the messages in the outbox, inside the caller's transaction: in-app for the person, the
    coordinator and the first contact, and the first contact's e-mail (when they have an address).
    Scheduling twice adds nothing (the outbox's dedupe key)."""
    sweeps.schedule((_due(emergency, rid, REASON, now) for rid in recipients(emergency)), now=now)
    contact = first_contact_of(emergency)
    if contact is None:
        return
    sweeps.schedule([_due(emergency, contact.pk, CONTACT_REASON, now)], now=now)
    if contact.email:
        sweeps.schedule([_due(emergency, contact.pk, CONTACT_REASON, now)], now=now, channel=Channel.EMAIL)


def _still_applies(subject_ids: set[int], now) -> dict:
    found = EmergencyAccess.objects.filter(pk__in=subject_ids).select_related(  # access: outbox rows
        "professional", "organisation", "person"
    )
    return {e.pk: (e.started_at, summary(e)) for e in found}


def _still_applies_for_contact(subject_ids: set[int], now) -> dict:
    """For the first contact: who, organisation, how long, what, never the reason."""
    found = EmergencyAccess.objects.filter(pk__in=subject_ids).select_related(  # access: outbox rows
        "professional", "organisation", "person"
    )
    return {e.pk: (e.started_at, summary(e, with_reason=False)) for e in found}


def _link(notification) -> str:
    if notification.recipient.is_person:
        return texts.url("workspace:portal_log")
    return texts.url("workspace:emergency_reviews")


SOURCE = sources.ReminderSource(
    reason=REASON,
    name="emergency_access",
    sweep=lambda now: (),
    still_applies=_still_applies,
    headline=gettext_lazy("Spoedtoegang tot een dossier"),
    category=access.Category.NOTIFICATIONS,
    link=_link,
    urgent=True,  # an emergency notice is not held for quiet hours (docs/collaboration.md)
)
CONTACT_SOURCE = sources.ReminderSource(
    reason=CONTACT_REASON,
    name="emergency_contact",
    sweep=lambda now: (),
    still_applies=_still_applies_for_contact,
    headline=gettext_lazy("Spoedtoegang tot het dossier van iemand die u als eerste contactpersoon noemt"),
    category=access.Category.EMERGENCY_NOTICE,
    link=lambda notification: "",  # the relative has no page of the access; the message says it all
    category_alone=True,  # the first contact reads it as first contact, not by NOTIFICATIONS
    urgent=True,
)


def register() -> None:
    """Called from the workspace's ``ready()``."""
    sources.register(SOURCE)
    sources.register(CONTACT_SOURCE)
