"""Treatment-change marks (phases): "Start sertraline 50 mg" on a date; the analysis compares
before and after.

Part of the measurement plan (``access.Category.MEASUREMENT_PLAN``): the care team writes it,
the person reads it. A mark may point at the person's own medication change or shared decision.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.decisions.models import SharedDecision
from koers.lib.problems import problems_of
from koers.monitoring.models import Phase
from koers.monitoring.services.entry import too_long
from koers.people.models import Medication

Action = access.Action
MEASUREMENT_PLAN = access.Category.MEASUREMENT_PLAN
PHASE = "monitoring.Phase"
PHASE_LABEL_MAX = Phase._meta.get_field("label").max_length
PHASE_NOTE_MAX = Phase._meta.get_field("note").max_length


def _checked_phase(*, actor, person, starts_on, label, note, medication, decision) -> dict:
    """A mark's fields and the record it points at, checked: all problems at once."""
    errors: dict[str, list[str]] = {}
    label = " ".join((label or "").split())
    note = (note or "").strip()
    if not isinstance(starts_on, dt.date) or isinstance(starts_on, dt.datetime):
        errors["starts_on"] = [_("Vul een geldige datum in.")]
    elif starts_on > timezone.localdate() + dt.timedelta(days=366):
        errors["starts_on"] = [_("Kies een datum binnen een jaar vanaf vandaag.")]
    elif person.birth_date and starts_on < person.birth_date:
        errors["starts_on"] = [_("De datum ligt voor de geboortedatum.")]
    elif Phase.objects.filter(person=person, starts_on=starts_on).exists():
        errors["starts_on"] = [_("Op deze dag staat al een verandering. Kies een andere dag of pas die aan.")]
    if not label:
        errors["label"] = [_("Schrijf op wat er veranderde, bijvoorbeeld: Start met medicijn.")]
    elif len(label) > PHASE_LABEL_MAX:
        errors["label"] = [too_long(PHASE_LABEL_MAX)]
    if len(note) > PHASE_NOTE_MAX:
        errors["note"] = [too_long(PHASE_NOTE_MAX)]
    links, link_errors = _phase_links(actor, person, medication=medication, decision=decision)
    if link_errors:
        errors["link"] = link_errors
    if errors:
        raise ValidationError(errors)
    return {"starts_on": starts_on, "label": label, "note": note, **links}


def phase_problems(
    *, actor, person, starts_on=None, label="", note="", medication=None, decision=None
) -> dict[str, list[str]]:
    """What ``phase_create`` would refuse in these values, found without writing (a form that found
    problems of its own shows these beside them: ``lib.forms.add_problems_beside``)."""
    return problems_of(
        _checked_phase,
        actor=actor,
        person=person,
        starts_on=starts_on,
        label=label,
        note=note,
        medication=medication,
        decision=decision,
    )


def phase_create(
    *, actor, person, starts_on: dt.date, label: str, note: str = "", medication=None, decision=None
) -> Phase:
    """Mark a change in treatment ("Start sertraline 50 mg"); the analysis compares before and
    after. Care team only. ``medication`` or ``decision`` (at most one): the person's own
    medication change or shared decision that the mark records; another person's record is
    refused exactly like one that does not exist."""
    access.require(actor, person, MEASUREMENT_PLAN, Action.CREATE, object_type=PHASE)
    fields = _checked_phase(
        actor=actor,
        person=person,
        starts_on=starts_on,
        label=label,
        note=note,
        medication=medication,
        decision=decision,
    )
    with transaction.atomic():
        phase = Phase.objects.create(person=person, created_by=actor, **fields)
        access.record(actor, person, Action.CREATE, phase)
    return phase


def _phase_links(user, person, *, medication, decision) -> tuple[dict, list[str]]:
    """The records a mark may point at: this person's own, and only in categories the user may
    read. Anything else — missing, another person's, not readable — gets one and the same answer."""
    if medication is not None and decision is not None:
        return {}, [_("Kies een medicijn óf een besluit, niet allebei.")]
    for name, model, category in (
        ("medication", Medication, access.Category.CLINICAL),
        ("decision", SharedDecision, access.Category.DECISIONS),
    ):
        wanted = medication if name == "medication" else decision
        if wanted is None:
            continue
        pk = getattr(wanted, "pk", wanted)
        found = (
            model.objects.filter(person=person, pk=pk).first()
            if access.can(user, person, category) and str(pk).isdigit()
            else None
        )
        if found is None:
            return {}, [_("Dit medicijn of besluit staat niet (meer) bij deze persoon. Kies er een uit de lijst.")]
        return {name: found}, []
    return {}, []


def phase_remove(*, actor, phase: Phase) -> None:
    """Take a mark away (care team only); the values around it stay."""
    person = phase.person
    access.require(actor, person, MEASUREMENT_PLAN, Action.DELETE, object_type=PHASE)
    with transaction.atomic():
        access.record(actor, person, Action.DELETE, phase)
        phase.delete()
