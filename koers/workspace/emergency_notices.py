"""Telling the person, their first contact and their coordinator about an emergency access.

The person and the coordinator get a message in Koers through the notifications outbox (reason
``emergency_access``; the source is registered in the workspace's ``ready()``), and an e-mail if
they chose to. The first contact has no message centre in Koers yet: they get an e-mail, which
(like every e-mail from Koers) names no health data, so not the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers import access
from koers.network.models import CareTeamMember, EmergencyAccess, RelativeLink
from koers.notifications import sources, sweeps, texts
from koers.notifications.models import Reason

REASON = Reason.EMERGENCY_ACCESS
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
        "start": timezone.localtime(emergency.started_at).strftime("%d-%m-%Y %H:%M"),
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


def notify_start(emergency: EmergencyAccess, *, now) -> None:
    """Put the messages in the outbox (inside the caller's transaction) and mail the first contact
    once it commits."""
    sweeps.schedule(
        (
            sources.Due(
                recipient_id=rid,
                person_id=emergency.person_id,
                reason=REASON,
                subject_type=SUBJECT,
                subject_id=emergency.pk,
                due_at=emergency.started_at,
                send_after=now,
            )
            for rid in recipients(emergency)
        ),
        now=now,
    )
    first = (
        RelativeLink.objects.filter(person_id=emergency.person_id, first_contact=True)  # access: this person
        .select_related("user")
        .first()
    )
    if first is not None and first.user.is_active and first.user.email:
        transaction.on_commit(lambda: mail_first_contact(emergency, first.user.email))


def mail_first_contact(emergency: EmergencyAccess, address: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Koers: iemand heeft met spoed in een dossier gekeken")
        body = _(
            "U bent de eerste contactpersoon van %(person)s. %(summary)s\n\nDe reden staat in Koers. "
            "Heeft u vragen? Neem contact op met %(organisation)s."
        ) % {
            "person": emergency.person.given_name,
            "summary": summary(emergency, with_reason=False),
            "organisation": emergency.organisation.name,
        }
    send_mail(subject, body, None, [address])


def _still_applies(subject_ids: set[int], now) -> dict:
    found = EmergencyAccess.objects.filter(pk__in=subject_ids).select_related(  # access: outbox rows
        "professional", "organisation", "person"
    )
    return {e.pk: (e.started_at, summary(e)) for e in found}


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
)


def register() -> None:
    """Called from the workspace's ``ready()``."""
    sources.register(SOURCE)
