"""Writes of the care plan: its versions and the follow-up agreements.

Every service checks access *before* its transaction (so a refusal's log row is kept),
validates (``ValidationError`` with a plain-language message; nothing written), then writes,
logs and records the new plan version in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.careplans import kept
from koers.careplans.changes import PlanChange, as_entry, plan_change
from koers.careplans.models import CarePlan, CarePlanVersion, FollowUpAgreement
from koers.careplans.pdf import agreed_document
from koers.careplans.selectors import practice
from koers.careplans.snapshot import build_snapshot
from koers.people import hooks

Action = access.Action
CAREPLAN = access.Category.CAREPLAN
FOLLOW_UP = "careplans.FollowUpAgreement"

WHAT_MAX = FollowUpAgreement._meta.get_field("what").max_length
WHO_MAX = FollowUpAgreement._meta.get_field("who").max_length
FREQUENCY_MAX = FollowUpAgreement._meta.get_field("frequency").max_length
SUMMARY_MAX = CarePlanVersion._meta.get_field("summary").max_length
CHANGES_MAX = 50


def care_plan_for(person) -> CarePlan:
    plan, _created = CarePlan.objects.get_or_create(person=person)
    return plan


def session_idle() -> dt.timedelta:
    """How long without a change ends a session (``KOERS_CAREPLAN_SESSION_IDLE_MINUTES``)."""
    return dt.timedelta(minutes=settings.KOERS_CAREPLAN_SESSION_IDLE_MINUTES)


def _still_open(latest: CarePlanVersion | None, actor, now) -> bool:
    """Whether the latest version is still this actor's session: not agreed, made by the same
    person, last changed less than ``session_idle()`` ago, and the person has not signed it off
    or commented on it. If not, the next change starts a new version."""
    if latest is None or latest.agreed_at is not None or latest.created_by_id != getattr(actor, "pk", None):
        return False
    if now - (latest.updated_at or latest.created_at) >= session_idle():
        return False
    # What the person signed off (or commented on) stays as they saw it (issue #13).
    return not latest.signoffs.exists()


def care_plan_record_change(*, actor, person, summary: PlanChange | str) -> CarePlanVersion | None:
    """Record that the plan changed, inside the caller's transaction: one version per consult
    or editing session, not one per field change.

    While the latest version is open (not agreed), made by the same actor and changed less
    than ``session_idle()`` ago, the change is folded into it (its snapshot replaced, the change
    added to its list); otherwise the plan as it is now becomes the next version. ``summary``
    is a ``plan_change(msgid, **params)`` (shown in the reader's language) or plain text.

    The caller has already checked access and logged its own write. The plan row is locked
    so two concurrent changes get consecutive numbers rather than a unique-constraint error.
    Returns None when nothing in the plan's content changed.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("care_plan_record_change must run inside the changing service's transaction")
    _plan, created = CarePlan.objects.get_or_create(person=person)
    plan = CarePlan.objects.select_for_update().get(person=person)
    snapshot = build_snapshot(person)
    if not created:  # a plan row made just now could not be locked by a write elsewhere (kept.py)
        kept.keep(plan, snapshot)
    latest = plan.versions.order_by("-number").first()
    if latest is not None and latest.snapshot == snapshot:
        return None
    now = timezone.now()
    entry = as_entry(summary)
    if _still_open(latest, actor, now):
        session = latest
        if entry not in session.changes:
            session.changes = [*session.changes, entry][-CHANGES_MAX:]
        session.snapshot, session.updated_at = snapshot, now
        session.save(update_fields=["snapshot", "changes", "updated_at"])
        return session
    plan.current_version += 1
    plan.save(update_fields=["current_version", "updated_at"])
    return CarePlanVersion.objects.create(
        care_plan=plan,
        number=plan.current_version,
        created_at=now,
        updated_at=now,
        created_by=actor,
        changes=[entry],
        snapshot=snapshot,
    )


def care_plan_record_outside_change(
    *, actor, person, msgid: str, params: dict | None = None, section: str = ""
) -> CarePlanVersion | None:
    """A change made outside careplans to the plan's content (what matters, values, conditions,
    medication and the support level in people, the care team in network), in the changing
    service's transaction. careplans registers it as the ``people.hooks.plan_content_changed``
    listener in its ``ready()``. ``section``: the plan section the change note belongs to
    (``people.hooks.HEALTH_SECTION``), so readers without it do not see the note.

    Before the plan's first version there is nothing to version: the first version (the first
    goal, decision or follow-up agreement) holds them as they are then. So registering a person
    or filling in a profile makes no empty plan. ``msgid`` and ``params`` say what changed
    (see ``changes.plan_change``).
    """
    if not CarePlanVersion.objects.filter(care_plan__person=person).exists():
        return None
    change = plan_change(msgid, section=section, **(params or {}))
    return care_plan_record_change(actor=actor, person=person, summary=change)


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clean_follow_up(*, what, who, method, frequency, next_date, previous_next_date=None) -> dict:
    """Validate a follow-up agreement's fields; all problems at once, keyed by field name."""
    what = (what or "").strip()
    who = (who or "").strip()
    frequency = (frequency or "").strip()
    errors: dict[str, list[str]] = {}
    if not what:
        errors["what"] = [_("Schrijf op wat u samen gaat bekijken.")]
    elif len(what) > WHAT_MAX:
        errors["what"] = [_("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": WHAT_MAX}]
    if not who:
        errors["who"] = [_("Schrijf op wie het doet.")]
    elif len(who) > WHO_MAX:
        errors["who"] = [_("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": WHO_MAX}]
    if method not in FollowUpAgreement.Method.values:
        errors["method"] = [_("Kies hoe u het doet.")]
    if len(frequency) > FREQUENCY_MAX:
        errors["frequency"] = [_("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": FREQUENCY_MAX}]
    if next_date is not None:
        if not isinstance(next_date, dt.date) or isinstance(next_date, dt.datetime):
            errors["next_date"] = [_("Vul een geldige datum in.")]
        elif next_date < timezone.localdate() and next_date != previous_next_date:
            errors["next_date"] = [_("De volgende keer kan niet in het verleden liggen.")]
    if errors:
        raise ValidationError(errors)
    return {"what": what, "who": who, "method": method, "frequency": frequency, "next_date": next_date}


def follow_up_create(
    *,
    actor,
    person,
    what: str,
    who: str,
    method: str = FollowUpAgreement.Method.CONSULT,
    frequency: str = "",
    next_date: dt.date | None = None,
) -> FollowUpAgreement:
    """Agree how and when we look again at how things go."""
    access.require(actor, person, CAREPLAN, Action.CREATE, object_type=FOLLOW_UP)
    data = _clean_follow_up(what=what, who=who, method=method, frequency=frequency, next_date=next_date)
    with transaction.atomic():
        follow_up = FollowUpAgreement.objects.create(person=person, created_by=actor, **data)
        access.record(actor, person, Action.CREATE, follow_up)
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(gettext_noop("Vervolgafspraak toegevoegd: %(what)s"), what=_short(follow_up.what)),
        )
    return follow_up


def follow_up_update(
    *,
    actor,
    follow_up: FollowUpAgreement,
    what: str,
    who: str,
    method: str,
    frequency: str = "",
    next_date: dt.date | None = None,
) -> FollowUpAgreement:
    """Change a follow-up agreement that is still in force. A next date already in the past
    may stay as it was; a new one may not be in the past."""
    person = follow_up.person
    access.require(actor, person, CAREPLAN, Action.UPDATE, object_type=FOLLOW_UP, object_id=follow_up.pk)
    if not follow_up.active:
        raise ValidationError(_("Deze afspraak is beëindigd. U kunt hem niet meer wijzigen."))
    data = _clean_follow_up(
        what=what,
        who=who,
        method=method,
        frequency=frequency,
        next_date=next_date,
        previous_next_date=follow_up.next_date,
    )
    with transaction.atomic():
        locked = FollowUpAgreement.objects.select_for_update().get(pk=follow_up.pk)
        if not locked.active:
            raise ValidationError(_("Deze afspraak is beëindigd. U kunt hem niet meer wijzigen."))
        for field, value in data.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(data))
        access.record(actor, person, Action.UPDATE, locked)
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(gettext_noop("Vervolgafspraak gewijzigd: %(what)s"), what=_short(locked.what)),
        )
    for field, value in data.items():
        setattr(follow_up, field, value)
    return follow_up


def follow_up_end(*, actor, follow_up: FollowUpAgreement) -> FollowUpAgreement:
    """End a follow-up agreement. It stays in the earlier versions of the plan."""
    person = follow_up.person
    access.require(actor, person, CAREPLAN, Action.UPDATE, object_type=FOLLOW_UP, object_id=follow_up.pk)
    with transaction.atomic():
        locked = FollowUpAgreement.objects.select_for_update().get(pk=follow_up.pk)
        if not locked.active:
            raise ValidationError(_("Deze afspraak was al beëindigd."))
        locked.active = False
        locked.ended_at = timezone.now()
        locked.ended_by = actor
        locked.save(update_fields=["active", "ended_at", "ended_by"])
        access.record(actor, person, Action.UPDATE, locked, detail="ended")
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(gettext_noop("Vervolgafspraak beëindigd: %(what)s"), what=_short(locked.what)),
        )
    follow_up.active, follow_up.ended_at, follow_up.ended_by = False, locked.ended_at, actor
    return follow_up


def care_plan_agree(*, actor, person, summary: str = "") -> CarePlanVersion | None:
    """Close the plan as it is now as an agreed version: the end of a consult or editing
    session. Changes made elsewhere (what matters, the care team) are folded in first. The next
    change starts a new version, and comparisons start from this one by default.

    ``summary`` is the professional's own short sentence (free text, shown as written). Returns
    None if there is no version yet and nothing to keep, or the latest version is already agreed
    and nothing changed since. The agreed version is announced as a PDF for the person's record
    (``people.hooks.document_made``; koers.documents files it, shared with the person).
    """
    access.require(actor, person, CAREPLAN, Action.UPDATE, object_type="careplans.CarePlanVersion")
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        raise ValidationError(
            {"summary": [_("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": SUMMARY_MAX}]}
        )
    with transaction.atomic():
        care_plan_record_change(
            actor=actor, person=person, summary=plan_change(gettext_noop("Zorgplan bijgewerkt en afgesproken"))
        )
        latest = CarePlanVersion.objects.filter(care_plan__person=person).order_by("-number").first()
        if latest is None or latest.agreed_at is not None:
            return None
        latest.agreed_at, latest.agreed_by = timezone.now(), actor
        if summary:
            latest.summary = summary
        latest.save(update_fields=["agreed_at", "agreed_by", "summary"])
        access.record(actor, person, Action.UPDATE, latest, detail="agreed")
        # The agreed version as a PDF in the person's record (koers.documents files it).
        hooks.document_made(actor=actor, person=person, document=agreed_document(latest, practice(person)))
    return latest
