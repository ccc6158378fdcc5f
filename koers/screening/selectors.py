"""Reads of measurements and screenings. Callers have checked access (decorators or services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from koers.people.models import Condition
from koers.screening import due, targets
from koers.screening.models import LabLetter, Measurement, PersonalTarget, SomaticScreening
from koers.screening.targets import Status


@dataclass
class Row:
    measurement: Measurement
    measure: targets.Measure
    target: targets.Target | None
    status: Status

    @property
    def flagged(self) -> bool:
        return self.status in (Status.ABOVE, Status.BELOW)


def personal_targets(person) -> dict[str, PersonalTarget]:
    return {t.measure: t for t in PersonalTarget.objects.filter(person=person)}


def classify_rows(person, measurements, personal: dict[str, PersonalTarget] | None = None) -> list[Row]:
    personal = personal_targets(person) if personal is None else personal
    rows = []
    for measurement in measurements:
        m = targets.measure(measurement.measure)
        own = personal.get(m.code)
        target = targets.target_for(m, sex=person.gender, personal=own.as_target() if own else None)
        rows.append(Row(measurement, m, target, targets.classify(m, measurement.value, target)))
    return rows


def latest_values(person, *, since: dt.date | None = None) -> list[Row]:
    """The latest value of each measure (in the order of the reference data), classified."""
    qs = Measurement.objects.filter(person=person).order_by("measure", "-taken_at", "-id")
    if since is not None:
        qs = qs.filter(taken_at__date__gte=since)
    latest: dict[str, Measurement] = {}
    for measurement in qs:
        latest.setdefault(measurement.measure, measurement)
    order = list(targets.measures())
    return classify_rows(person, sorted(latest.values(), key=lambda x: order.index(x.measure)))


def history(person, *, limit: int = 200) -> list[Row]:
    return classify_rows(person, Measurement.objects.filter(person=person)[:limit])


def flags(person) -> list[Row]:
    """Latest values outside the person's target."""
    return [row for row in latest_values(person) if row.flagged]


def next_due_after(done_on: dt.date) -> dt.date:
    """A year after the last screening (28 February when the last one was on 29 February)."""
    try:
        return done_on.replace(year=done_on.year + 1)
    except ValueError:
        return done_on.replace(year=done_on.year + 1, day=28)


def has_severe_mental_illness(person) -> bool:
    """Koers knows no EPA diagnosis code; an active mental-health condition on the record is the
    signal to offer the yearly screening (the professional decides by planning it)."""
    return (
        Condition.objects.recorded()
        .filter(person=person, category=Condition.Category.MENTAL, clinical_status=Condition.ClinicalStatus.ACTIVE)
        .exists()
    )


def open_screening(person) -> SomaticScreening | None:
    return SomaticScreening.objects.filter(person=person, done_on__isnull=True).order_by("due_date").first()


def screenings(person):
    return SomaticScreening.objects.filter(person=person)


def letters_for_team(person):
    return LabLetter.objects.filter(person=person).select_related("created_by", "sent_by")


def letters_for_person(person):
    return LabLetter.objects.filter(person=person, status=LabLetter.Status.SENT).select_related("sent_by")


def screenings_due(*, on: dt.date, person_ids=None) -> list[tuple[int, dt.date]]:
    """(person_id, due_date) of every open screening due on or before ``on`` — for worklists and
    reminder sweeps (callers filter by what the reader may see, e.g. ``access.visible_person_ids``)."""
    qs = due.screenings_due(on)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    return list(qs.order_by("due_date", "person_id").values_list("person_id", "due_date"))
