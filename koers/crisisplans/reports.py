"""Signs reported (issue #13): what a relative sees and what phase the person says they are in.

- ``sign_report_send``: a relative with the crisis-plan topic reports "Ik zie deze signalen":
  the person's own active signs they chose (by their stable ids, per phase) and their own words.
- ``phase_say``: the person says "Ik zit nu in fase X" from the portal, with an optional note.
- ``phase_record``: a professional of the care team records the phase ("Fase vastleggen" on the
  crisis-plan page, asked first), with an optional note.

Both make a ``SignReport`` with its access-log row in one transaction. The coordinator is told at
once through the notifications outbox (reason ``crisis_report``, ``reminders.py``) when a
relative reports, or when the person says early signs or crisis; the worklist shows open reports
at the top (``koers.followup.worklist``). Never an alarm to relatives: nothing here writes to them.
Who may write and read is the policy table's (category ``CRISIS_REPORTS``, in the crisis-plan
topic). Each service checks access first (outside the transaction, so a refusal's row stays),
then that the actor has the one relationship that writes it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.crisisplans.models import CrisisSign, Phase, SignReport
from koers.network.coordination import coordinator_of
from koers.notifications import sources, sweeps
from koers.notifications.models import Reason
from koers.people import hooks

REPORTS = access.Category.CRISIS_REPORTS
CREATE = access.Action.CREATE
REPORT = "crisisplans.SignReport"
TEXT_MAX = 1000
# The phases that tell the coordinator when the person says them.
SIGNALLED = frozenset({Phase.EARLY_SIGNS, Phase.CRISIS})


def _only(actor, person, relationship) -> None:
    """Refuse, like a missing record, anyone whose relationship is not ``relationship``."""
    if access.relationship_of(actor, person) != relationship:
        access.refuse(actor, person_id=person.pk, category=REPORTS, action=CREATE, object_type=REPORT)


def _clean_text(text) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": [_("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": TEXT_MAX}]})
    return text


def clean_sign_ids(person, sign_ids) -> tuple[str | None, list[int]]:
    """(phase, ids) of the chosen signs: only the person's own active signs, all of one phase.
    An id that is not one of them is an error (a stale or forged form)."""
    try:
        wanted = sorted({int(i) for i in sign_ids or []})
    except (TypeError, ValueError):
        wanted = [-1]
    if not wanted:
        return None, []
    found = dict(
        CrisisSign.objects.filter(plan__person=person, retired_at__isnull=True, pk__in=wanted).values_list(
            "pk", "phase"
        )
    )
    if len(found) != len(wanted):
        raise ValidationError({"signs": [_("Een van de signalen staat niet meer in het plan. Kies opnieuw.")]})
    phases = set(found.values())
    if len(phases) > 1:
        raise ValidationError({"signs": [_("Kies signalen uit één fase.")]})
    return phases.pop(), wanted


def _tell_coordinator(person, report: SignReport) -> None:
    coordinator = coordinator_of(person)
    if coordinator is None:
        return
    due = sources.Due(
        coordinator.professional_id,
        person.pk,
        Reason.CRISIS_REPORT,
        REPORT,
        report.pk,
        report.created_at,
        report.created_at,
    )
    sweeps.schedule([due], now=report.created_at)


def sign_report_send(*, actor, person, sign_ids=(), text: str = "", phase: str = "") -> SignReport:
    """A relative reports the signs they see: some of the person's own active signs (of one
    phase) and/or their own words. Without chosen signs the phase is the one they picked (early
    signs when none). The coordinator is told at once."""
    access.require(actor, person, REPORTS, CREATE, object_type=REPORT)
    _only(actor, person, access.Relationship.RELATIVE)
    chosen_phase, ids = clean_sign_ids(person, sign_ids)
    text = _clean_text(text)
    if not ids and not text:
        raise ValidationError({"signs": [_("Kies een signaal dat u ziet, of schrijf op wat u ziet.")]})
    if phase and phase not in Phase.values:
        raise ValidationError({"phase": [_("Kies een fase van het crisisplan.")]})
    phase = chosen_phase or phase or Phase.EARLY_SIGNS
    with transaction.atomic():
        report = SignReport.objects.create(
            person=person, reporter=actor, phase=phase, sign_ids=ids, text=text, created_at=timezone.now()
        )
        access.record(actor, person, CREATE, report)
        _tell_coordinator(person, report)
    return report


def phase_say(*, actor, person, phase: str, note: str = "") -> SignReport:
    """The person says which phase they are in now. Early signs or crisis tell the coordinator at
    once; "het gaat goed" is only recorded. Relatives are never told by this."""
    access.require(actor, person, REPORTS, CREATE, object_type=REPORT)
    _only(actor, person, access.Relationship.SELF)
    if phase not in Phase.values:
        raise ValidationError({"phase": [_("Kies een fase van het crisisplan.")]})
    note = _clean_text(note)
    with transaction.atomic():
        report = SignReport.objects.create(
            person=person, reporter=actor, by_person=True, phase=phase, text=note, created_at=timezone.now()
        )
        access.record(actor, person, CREATE, report)
        if phase in SIGNALLED:
            _tell_coordinator(person, report)
        if phase == Phase.CRISIS:
            # The agreed information moment "crisis" (docs/collaboration.md): the network's other
            # organisations that may see the crisis plan get a summary. A relative's report is not
            # one: it goes to the coordinator, who judges it.
            hooks.information_moment(
                actor=actor,
                person=person,
                moment=hooks.Moment.CRISIS,
                msgid=gettext_noop("De cliënt meldt zelf: fase ‘Crisis’ van het crisisplan"),
            )
    return report


def phase_record(*, actor, person, phase: str, note: str = "") -> SignReport:
    """A professional of the care team records which phase the person is in now (after a
    question on the page). Crisis is the agreed information moment "crisis", as when the person
    says it. It is the professional's own judgement, so it does not signal the coordinator
    (no notice, no worklist item): the other organisations get the summary; the team sees it on
    the plan. Relatives are never told by this."""
    access.require(actor, person, access.Category.CRISIS_PLAN, access.Action.UPDATE, object_type=REPORT)
    if access.relationship_of(actor, person) not in (access.Relationship.CARE_TEAM, access.Relationship.PEER_EXPERT):
        access.refuse(actor, person_id=person.pk, category=REPORTS, action=CREATE, object_type=REPORT)
    if phase not in Phase.values:
        raise ValidationError({"phase": [_("Kies een fase van het crisisplan.")]})
    note = _clean_text(note)
    with transaction.atomic():
        report = SignReport.objects.create(
            person=person, reporter=actor, by_professional=True, phase=phase, text=note, created_at=timezone.now()
        )
        access.record(actor, person, CREATE, report)
        if phase == Phase.CRISIS:
            hooks.information_moment(
                actor=actor,
                person=person,
                moment=hooks.Moment.CRISIS,
                msgid=gettext_noop("Vastgelegd door de zorgverlener: fase ‘Crisis’ van het crisisplan"),
            )
    return report
