"""Writes of measurements, personal targets, the yearly somatic screening and lab letters.

Per docs/conventions.md: ``access.require`` outside the transaction, validate (a
``ValidationError`` in plain words; nothing written), then one atomic write with its log row.
Targets, screenings and letters are the care team's work: the person reads them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koers import access
from koers.goals import services as goal_services
from koers.goals.models import Goal
from koers.lib.problems import problems_of
from koers.people import hooks
from koers.screening import fhirimport, letter_pdf, selectors, targets
from koers.screening import letter as letter_module
from koers.screening.checks import clean_taken_at as _clean_taken_at
from koers.screening.checks import clean_value as _clean_value
from koers.screening.models import LabLetter, Measurement, PersonalTarget, SomaticScreening

Action = access.Action
MEASUREMENTS = access.Category.MEASUREMENTS
# Targets, screenings and letters: the person reads them, the care team writes them.
MEASUREMENT_PLAN = access.Category.MEASUREMENT_PLAN
MEASUREMENT = "screening.Measurement"
TARGET = "screening.PersonalTarget"
SCREENING = "screening.SomaticScreening"
LETTER = "screening.LabLetter"
TEXT_MAX = {
    "side_effects": SomaticScreening._meta.get_field("side_effects").max_length,
    "drugs": SomaticScreening._meta.get_field("drugs").max_length,
    "note": SomaticScreening._meta.get_field("note").max_length,
    "reason": PersonalTarget._meta.get_field("reason").max_length,
    "title": LabLetter._meta.get_field("title").max_length,
    "body": LabLetter._meta.get_field("body").max_length,
}


def _too_long(limit: int) -> str:
    return _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": limit}


# --- measurements ----------------------------------------------------------------------------


def _derive_bmi(actor, person, weight: Measurement) -> Measurement | None:
    """BMI from this weight and the person's latest height, inside the caller's transaction."""
    height = Measurement.objects.filter(person=person, measure="height").order_by("-taken_at", "-id").first()
    if height is None:
        return None
    try:
        value = targets.bmi(weight.value, height.value)
    except ValueError:
        return None
    if not targets.is_plausible(targets.measure("bmi"), value):
        return None
    bmi = Measurement.objects.create(
        person=person,
        measure="bmi",
        value=value,
        unit=targets.measure("bmi").unit,
        taken_at=weight.taken_at,
        source=Measurement.Source.DERIVED,
        screening=weight.screening,
        entered_by=actor,
    )
    access.record(actor, person, Action.CREATE, bmi)
    return bmi


def _measurement_checked(*, person, measure: str, value, unit: str, taken_at):
    """The measure, the value in its unit and the moment, with the problems by field."""
    errors: dict[str, list[str]] = {}
    m, canonical, value_errors = _clean_value(measure, value, unit)
    if value_errors:
        errors["measure" if m is None else "value"] = value_errors
    elif m.derived:
        errors["measure"] = [_("Dit getal rekent Koers zelf uit. Vul gewicht en lengte in.")]
    taken, date_errors = _clean_taken_at(person, taken_at)
    if date_errors:
        errors["taken_at"] = date_errors
    return m, canonical, taken, errors


def measurement_problems(*, person, measure: str, value, unit: str, taken_at) -> dict[str, list[str]]:
    """What ``measurement_record`` would refuse in these values, found without writing (a form that
    found problems of its own shows these beside them: ``lib.forms.add_problems_beside``)."""
    return _measurement_checked(person=person, measure=measure, value=value, unit=unit, taken_at=taken_at)[3]


def measurement_record(
    *, actor, person, measure: str, value, unit: str, taken_at, screening: SomaticScreening | None = None
) -> Measurement:
    """Record one value. Impossible values (outside the plausible range, or a wrong unit) are refused:
    they are typing or unit errors, never a finding. A weight also gives a BMI when a height is known."""
    access.require(actor, person, MEASUREMENTS, Action.CREATE, object_type=MEASUREMENT)
    m, canonical, taken, errors = _measurement_checked(
        person=person, measure=measure, value=value, unit=unit, taken_at=taken_at
    )
    if screening is not None and screening.person_id != person.pk:
        errors["screening"] = [_("Deze screening hoort niet bij deze persoon.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        measurement = Measurement.objects.create(
            person=person,
            measure=m.code,
            value=canonical,
            unit=m.unit,
            taken_at=taken,
            screening=screening,
            entered_by=actor,
        )
        access.record(actor, person, Action.CREATE, measurement)
        if m.code == "weight":
            _derive_bmi(actor, person, measurement)
    return measurement


def measurements_import_fhir(*, actor, person, payload) -> list[Measurement]:
    """Import FHIR R4 Observations (LOINC code, valueQuantity in UCUM; a blood-pressure panel's
    components each count). All or nothing: any problem names its entry and nothing is written.
    The same Observation (by id) is never imported twice."""
    access.require(actor, person, MEASUREMENTS, Action.CREATE, object_type=MEASUREMENT)
    readings, problems = fhirimport.read(payload, person=person)
    seen = {r.external_id for r in readings if r.external_id}
    if seen:
        already = set(
            Measurement.objects.filter(person=person, source=Measurement.Source.FHIR, external_id__in=seen).values_list(
                "external_id", flat=True
            )
        )
        for external_id in sorted(already):
            problems.append(_("%(id)s is al eerder ingelezen.") % {"id": external_id.split("#")[0]})
    if problems:
        raise ValidationError(problems)
    rows = [
        Measurement(
            person=person,
            measure=r.measure,
            value=r.value,
            unit=r.unit,
            taken_at=r.taken_at,
            source=Measurement.Source.FHIR,
            external_id=r.external_id,
            entered_by=actor,
        )
        for r in readings
    ]
    try:
        with transaction.atomic():
            for row in rows:
                row.save()
                access.record(actor, person, Action.CREATE, row)
    except IntegrityError:
        # Another import of the same Observations committed in between (unique per person and id).
        raise ValidationError(_("Deze uitslagen zijn net al ingelezen. Er is niets dubbel bewaard.")) from None
    return rows


# --- personal targets ------------------------------------------------------------------------


def _target_bounds(*, measure, low, high, reason) -> dict:
    """A personal target's own fields, each checked on its own: all problems at once."""
    try:
        m = targets.measure(measure)
    except KeyError:
        raise ValidationError({"measure": [_("Kies een meting.")]}) from None
    errors: dict[str, list[str]] = {}
    bounds = {}
    for name, raw in (("low", low), ("high", high)):
        if raw in (None, ""):
            bounds[name] = None
            continue
        try:
            number = targets.to_decimal(raw)
        except ValueError:
            errors[name] = [_("Vul een getal in, bijvoorbeeld 5,4.")]
            continue
        if not targets.is_plausible(m, number):
            errors[name] = [_("Dit getal kan niet kloppen voor deze meting.")]
        bounds[name] = number
    reason = (reason or "").strip()
    if len(reason) > TEXT_MAX["reason"]:
        errors["reason"] = [_too_long(TEXT_MAX["reason"])]
    if errors:
        raise ValidationError(errors)
    return {"measure": m, "reason": reason, **bounds}


def _bounds_together(low, high) -> None:
    """What needs both bounds read: at least one, and the lower not above the upper."""
    if low is None and high is None:
        raise ValidationError({"high": [_("Vul een ondergrens, een bovengrens of allebei in.")]})
    if low is not None and high is not None and low > high:
        raise ValidationError({"low": [_("De ondergrens is hoger dan de bovengrens.")]})


def personal_target_problems(*, measure="", low=None, high=None, reason="") -> dict[str, list[str]]:
    """What ``personal_target_set`` would refuse in these fields each on its own, found without
    writing (a form that found problems of its own shows these beside them:
    ``lib.forms.add_problems_beside``). What needs both bounds waits until the form is right."""
    return problems_of(_target_bounds, measure=measure, low=low, high=high, reason=reason)


def personal_target_set(*, actor, person, measure: str, low=None, high=None, reason: str = "") -> PersonalTarget:
    """Agree a target with the person for one measure; it replaces the default target."""
    access.require(actor, person, MEASUREMENT_PLAN, Action.UPDATE, object_type=TARGET)
    checked = _target_bounds(measure=measure, low=low, high=high, reason=reason)
    _bounds_together(checked["low"], checked["high"])
    with transaction.atomic():
        target, _created = PersonalTarget.objects.update_or_create(
            person=person,
            measure=checked["measure"].code,
            defaults={"low": checked["low"], "high": checked["high"], "reason": checked["reason"], "set_by": actor},
        )
        access.record(actor, person, Action.UPDATE, target)
    return target


def personal_target_remove(*, actor, target: PersonalTarget) -> None:
    person = target.person
    access.require(actor, person, MEASUREMENT_PLAN, Action.DELETE, object_type=TARGET)
    with transaction.atomic():
        access.record(actor, person, Action.DELETE, target)
        target.delete()


# --- the yearly somatic screening ------------------------------------------------------------


def screening_plan(*, actor, person, due_date: dt.date) -> SomaticScreening:
    """Plan the next screening. One open (not yet done) screening per person."""
    access.require(actor, person, MEASUREMENT_PLAN, Action.CREATE, object_type=SCREENING)
    if not isinstance(due_date, dt.date) or isinstance(due_date, dt.datetime):
        raise ValidationError({"due_date": [_("Vul een geldige datum in.")]})
    if SomaticScreening.objects.filter(person=person, done_on__isnull=True).exists():
        raise ValidationError({"due_date": [_("Er staat al een screening gepland. Pas die aan of rond die eerst af.")]})
    with transaction.atomic():
        screening = SomaticScreening.objects.create(person=person, due_date=due_date, created_by=actor)
        access.record(actor, person, Action.CREATE, screening)
    return screening


def screening_record(
    *,
    actor,
    screening: SomaticScreening,
    done_on: dt.date,
    side_effects: str = "",
    smoking: str = "",
    alcohol_units_per_week: int | None = None,
    drugs: str = "",
    note: str = "",
) -> SomaticScreening:
    """Record the screening as done (values are measurements linked to it) and plan the next one a
    year later."""
    person = screening.person
    access.require(actor, person, MEASUREMENT_PLAN, Action.UPDATE, object_type=SCREENING)
    errors: dict[str, list[str]] = {}
    if not isinstance(done_on, dt.date) or isinstance(done_on, dt.datetime):
        errors["done_on"] = [_("Vul een geldige datum in.")]
    elif done_on > timezone.localdate():
        errors["done_on"] = [_("De datum kan niet in de toekomst liggen.")]
    elif done_on < person.birth_date:
        errors["done_on"] = [_("De datum ligt voor de geboortedatum.")]
    texts = {"side_effects": side_effects, "drugs": drugs, "note": note}
    for name, text in texts.items():
        texts[name] = (text or "").strip()
        if len(texts[name]) > TEXT_MAX[name]:
            errors[name] = [_too_long(TEXT_MAX[name])]
    if smoking not in SomaticScreening.Smoking.values:
        errors["smoking"] = [_("Kies een antwoord over roken.")]
    if alcohol_units_per_week is not None and (
        isinstance(alcohol_units_per_week, bool)
        or not isinstance(alcohol_units_per_week, int)
        or not 0 <= alcohol_units_per_week <= 500
    ):
        errors["alcohol_units_per_week"] = [_("Vul een aantal glazen per week in (0 of meer).")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = SomaticScreening.objects.select_for_update().get(pk=screening.pk)
        first_time = locked.done_on is None
        for name, text in texts.items():
            setattr(locked, name, text)
        locked.done_on = done_on
        locked.smoking = smoking
        locked.alcohol_units_per_week = alcohol_units_per_week
        locked.save()
        access.record(actor, person, Action.UPDATE, locked)
        if first_time and not SomaticScreening.objects.filter(person=person, done_on__isnull=True).exists():
            following = SomaticScreening.objects.create(
                person=person, due_date=selectors.next_due_after(done_on), created_by=actor
            )
            access.record(actor, person, Action.CREATE, following)
    return locked


# --- from a flag to a goal or action (only when the person wants) ------------------------------


def goal_from_flag(*, actor, person, measure: str, description: str, why_it_matters: str = "") -> Goal:
    """A goal in the person's own words about a value outside target, through the goals services
    (which validate, log and record the care-plan version). A professional sets it active together
    with the person; the person themself proposes it."""
    try:
        targets.measure(measure)
    except KeyError:
        raise ValidationError({"measure": [_("Kies een meting.")]}) from None
    is_team = access.relationship_of(actor, person) in (access.Relationship.CARE_TEAM, access.Relationship.PEER_EXPERT)
    return goal_services.goal_create(
        actor=actor,
        person=person,
        description=description,
        life_domain="health",
        why_it_matters=why_it_matters,
        lifecycle_status=Goal.LifecycleStatus.ACTIVE if is_team else Goal.LifecycleStatus.PROPOSED,
    )


def action_from_flag(*, actor, goal: Goal, what: str):
    """A concrete step for an existing goal, through the goals services."""
    return goal_services.action_create(actor=actor, goal=goal, what=what)


# --- the lab letter --------------------------------------------------------------------------


def letter_draft(*, actor, person, since: dt.date | None = None) -> LabLetter:
    """Draft a letter about the latest value of each measure (taken since ``since``, default the
    last 120 days), each against the person's own target, linked to their active goals."""
    access.require(actor, person, MEASUREMENT_PLAN, Action.CREATE, object_type=LETTER)
    since = since or timezone.localdate() - dt.timedelta(days=120)
    latest = selectors.latest_values(person, since=since)
    if not latest:
        raise ValidationError(_("Er zijn nog geen uitslagen om uit te leggen. Voer eerst metingen in."))
    goals = [
        letter_module.GoalRef(g.description, g.life_domain)
        for g in Goal.objects.filter(person=person, lifecycle_status=Goal.LifecycleStatus.ACTIVE)
    ]
    values = [
        letter_module.LetterValue(
            measure=row.measurement.measure,
            value=row.measurement.value,
            unit=row.measurement.unit,
            taken_at=timezone.localtime(row.measurement.taken_at).date(),
            target=row.target,
        )
        for row in latest
    ]
    with translation.override(hooks.document_language(person)):  # the letter is for the person: their language
        text = letter_module.draft(
            given_name=person.given_name, values=values, goals=goals, signed_by=actor.get_full_name() or actor.username
        )
    with transaction.atomic():
        letter = LabLetter.objects.create(
            person=person, title=text.title[: TEXT_MAX["title"]], body=text.body, created_by=actor
        )
        letter.measurements.set([row.measurement for row in latest])
        access.record(actor, person, Action.CREATE, letter)
    return letter


def letter_update(*, actor, letter: LabLetter, title: str, body: str) -> LabLetter:
    """The professional's reviewed (and perhaps edited) text. A sent letter is never changed."""
    person = letter.person
    access.require(actor, person, MEASUREMENT_PLAN, Action.UPDATE, object_type=LETTER)
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Geef de brief een titel.")]
    elif len(title) > TEXT_MAX["title"]:
        errors["title"] = [_too_long(TEXT_MAX["title"])]
    if not body:
        errors["body"] = [_("De brief is leeg.")]
    elif len(body) > TEXT_MAX["body"]:
        errors["body"] = [_too_long(TEXT_MAX["body"])]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = LabLetter.objects.select_for_update().get(pk=letter.pk)
        if locked.status == LabLetter.Status.SENT:
            raise ValidationError(_("Deze brief is al verstuurd en kan niet meer veranderen."))
        locked.title, locked.body = title, body
        locked.status = LabLetter.Status.REVIEWED
        locked.reviewed_by, locked.reviewed_at = actor, timezone.now()
        locked.save()
        access.record(actor, person, Action.UPDATE, locked, detail="reviewed")
    return locked


def letter_send(*, actor, letter: LabLetter) -> LabLetter:
    """Send a reviewed letter to the person's portal. A draft nobody reviewed is never sent. The
    sent letter is announced as a PDF for the person's record (``people.hooks.document_made``)."""
    person = letter.person
    access.require(actor, person, MEASUREMENT_PLAN, Action.UPDATE, object_type=LETTER)
    with transaction.atomic():
        locked = LabLetter.objects.select_for_update().get(pk=letter.pk)
        if locked.status == LabLetter.Status.SENT:
            raise ValidationError(_("Deze brief is al verstuurd."))
        if locked.status != LabLetter.Status.REVIEWED:
            raise ValidationError(_("Lees de brief eerst na en sla hem op. Daarna kunt u hem versturen."))
        locked.status = LabLetter.Status.SENT
        locked.sent_by, locked.sent_at = actor, timezone.now()
        locked.save()
        access.record(actor, person, Action.UPDATE, locked, detail="sent")
        # The sent letter as a PDF in the person's record (koers.documents files it).
        document = letter_pdf.sent_document(locked, language=hooks.document_language(person))
        hooks.document_made(actor=actor, person=person, document=document)
    return locked
