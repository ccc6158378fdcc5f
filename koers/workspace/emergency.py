"""Emergency access, break the glass (issue #12): starting, ending and reviewing it.

A professional outside the person's consent reaches the person only by an exact identifier (BSN
or Koers number, with the birth date), states a reason, chooses what to see (consent topics) and
for how long. The guard (``koers.access.guard.emergency_scope``) admits them for READ on those
topics until ``expires_at``: it ends by itself. Starting notifies the person, their first contact
and their coordinator (``emergency_notices``); afterwards a second professional of the same
organisation (or the person's coordinator) records whether it was justified.

It lives in the workspace because it needs the notifications (above the network app that holds
the model).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry
from koers.network.models import CareTeamMember, EmergencyAccess
from koers.people.models import Person
from koers.workspace import emergency_notices

HOURS = (1, 4, 8, 24)
MODEL = "network.EmergencyAccess"
Outcome = EmergencyAccess.Outcome


def _not_found() -> ValidationError:
    # One message for every miss: a wrong number, a wrong birth date, no such person.
    return ValidationError(
        {"identifier": _("Wij vinden niemand met dit nummer en deze geboortedatum. Controleer beide.")}
    )


def person_by_identifier(identifier: str, birth_date: dt.date) -> Person | None:
    """The one person with this BSN (9 digits) or Koers number and this birth date, else None."""
    identifier = (identifier or "").strip().replace(" ", "").replace(".", "")
    if not identifier.isdigit() or len(identifier) > 12 or birth_date is None:
        return None
    match = Q(pk=int(identifier))
    if len(identifier) == 9:  # a BSN has nine digits (a Koers number of nine digits works too)
        match |= Q(bsn=identifier)
    found = list(Person.objects.filter(match, birth_date=birth_date)[:2])  # access: exact identifier, logged on start
    return found[0] if len(found) == 1 else None


def _validate(reason: str, topics, hours: int) -> tuple[list[str], dict]:
    errors = {}
    chosen = [t for t in access.MEMBER_TOPICS if t.value in set(topics or ())]
    if not reason.strip():
        errors["reason"] = _("Schrijf op waarom u met spoed in dit dossier moet kijken.")
    if not chosen:
        errors["topics"] = _("Kies wat u wilt zien.")
    if hours not in HOURS:
        errors["hours"] = _("Kies hoe lang u toegang nodig heeft.")
    return [t.value for t in chosen], errors


def emergency_access_start(
    *, actor, identifier: str, birth_date: dt.date | None, reason: str, topics, hours: int
) -> EmergencyAccess:
    """Open a person's record in an emergency; notifies the person, first contact and coordinator."""
    if not (actor.is_authenticated and actor.is_active and actor.is_professional and actor.organisation_id):
        access.refuse(actor, person_id=None, category=access.Category.DEMOGRAPHICS, action=access.Action.CREATE)
    scope, errors = _validate(reason, topics, hours)
    person = person_by_identifier(identifier, birth_date)
    if person is None:
        errors.update(_not_found().message_dict)
        # A miss is logged (who tried, no person): repeated guessing shows in the log.
        audit_log.record(
            user=actor,
            action=access.Action.READ,
            object_type=MODEL,
            outcome=audit_log.Outcome.REFUSED,
            purpose=audit_log.Purpose.EMERGENCY,
            detail="not found",
        )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        running = active_for(actor).filter(person=person).first()
        if running is not None:
            raise ValidationError(
                {
                    "identifier": _("U heeft al spoedtoegang tot deze persoon, tot %(time)s.")
                    % {"time": timezone.localtime(running.expires_at).strftime("%H:%M")}
                }
            )
        emergency = EmergencyAccess.objects.create(
            person=person,
            professional=actor,
            organisation_id=actor.organisation_id,
            reason=reason.strip(),
            scope=",".join(scope),
            started_at=now,
            expires_at=now + dt.timedelta(hours=hours),
        )
        audit_log.record(
            user=actor,
            action=access.Action.CREATE,
            person=person,
            object_type=MODEL,
            object_id=emergency.pk,
            purpose=audit_log.Purpose.EMERGENCY,
            detail=emergency.reason,
        )
        emergency_notices.notify_start(emergency, now=now)
    return emergency


def emergency_access_end(*, actor, emergency: EmergencyAccess) -> EmergencyAccess:
    """End one's own emergency access now (only the professional who started it)."""
    if emergency.professional_id != actor.pk:
        _refuse(actor, emergency, access.Action.UPDATE)
    with transaction.atomic():
        now = timezone.now()
        if EmergencyAccess.objects.filter(pk=emergency.pk, ended_at__isnull=True, expires_at__gt=now).update(
            ended_at=now
        ):
            emergency.ended_at = now
            audit_log.record(
                user=actor,
                action=access.Action.UPDATE,
                person_id=emergency.person_id,
                object_type=MODEL,
                object_id=emergency.pk,
                purpose=audit_log.Purpose.EMERGENCY,
                detail="ended",
            )
    return emergency


def _refuse(actor, emergency_or_id, action: str):
    emergency_id = getattr(emergency_or_id, "pk", emergency_or_id)
    access.refuse(
        actor,
        person_id=getattr(emergency_or_id, "person_id", None),
        category=access.Category.ACCESS_LOG,
        action=action,
        object_type=MODEL,
        object_id=emergency_id,
    )


# Reads -----------------------------------------------------------------------------------------


def active_for(user):
    """The user's own emergency accesses that are running now (for the banner)."""
    now = timezone.now()
    return EmergencyAccess.objects.filter(  # access: the user's own accesses
        professional_id=user.pk, ended_at__isnull=True, started_at__lte=now, expires_at__gt=now
    ).select_related("person")


def own(user, emergency_id) -> EmergencyAccess:
    """One of the user's own emergency accesses, else NotFound (and a refused row)."""
    try:
        return EmergencyAccess.objects.get(pk=int(emergency_id), professional_id=user.pk)  # access: own
    except (EmergencyAccess.DoesNotExist, TypeError, ValueError):
        _refuse(user, emergency_id, access.Action.UPDATE)


def _reviewers_filter(user) -> Q:
    coordinated = CareTeamMember.objects.filter(  # access: the user's own memberships
        professional_id=user.pk, role=CareTeamMember.Role.RESPONSIBLE, ended_at__isnull=True
    ).values("person_id")
    return (Q(organisation_id=user.organisation_id) | Q(person_id__in=coordinated)) & ~Q(professional_id=user.pk)


def to_review(user):
    """Ended or expired accesses this user may review: of a colleague in their organisation, or of
    a person they coordinate; never their own. Unreviewed first."""
    if not (user.is_authenticated and user.is_professional):
        return EmergencyAccess.objects.none()
    now = timezone.now()
    over = Q(ended_at__isnull=False) | Q(expires_at__lte=now)
    return (
        EmergencyAccess.objects.filter(over & _reviewers_filter(user))  # access: reviewers' rule
        .select_related("person", "professional", "organisation", "reviewed_by")
        .order_by("-reviewed_at", "-started_at")
    )


def for_review(user, emergency_id, *, action: str = access.Action.READ) -> EmergencyAccess:
    try:
        return to_review(user).get(pk=int(emergency_id))
    except (EmergencyAccess.DoesNotExist, TypeError, ValueError):
        _refuse(user, emergency_id, action)


def rows_under(emergency: EmergencyAccess):
    """The access-log rows the professional made under this emergency access."""
    return AccessLogEntry.objects.filter(
        person_id=emergency.person_id,
        user_id=emergency.professional_id,
        purpose=AccessLogEntry.Purpose.EMERGENCY,
        occurred_at__gte=emergency.started_at,
        occurred_at__lte=emergency.ends_at(),
    ).order_by("occurred_at", "id")


def emergency_access_review(*, actor, emergency_id, outcome: str, note: str) -> EmergencyAccess:
    """A second professional records whether the emergency access was justified (once)."""
    emergency = for_review(actor, emergency_id, action=access.Action.UPDATE)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Kies uw oordeel.")})
    if outcome != Outcome.JUSTIFIED and not note.strip():
        raise ValidationError({"note": _("Schrijf kort op waarom, en wat er nu moet gebeuren.")})
    with transaction.atomic():
        now = timezone.now()
        if not EmergencyAccess.objects.filter(pk=emergency.pk, reviewed_at__isnull=True).update(
            reviewed_by=actor, reviewed_at=now, review_outcome=outcome, review_note=note.strip()
        ):
            raise ValidationError({"outcome": _("Iemand anders heeft deze spoedtoegang al beoordeeld.")})
        audit_log.record(
            user=actor,
            action=access.Action.UPDATE,
            person_id=emergency.person_id,
            object_type=MODEL,
            object_id=emergency.pk,
            purpose=audit_log.Purpose.QUALITY,
            detail=f"review: {outcome}",
        )
    emergency.refresh_from_db()
    return emergency


def for_person(person: Person):
    """The emergency accesses to this person (their "who looked" page)."""
    return (
        EmergencyAccess.objects.filter(person=person)
        .select_related("professional", "organisation")
        .order_by("-started_at")
    )
