"""``$export``'s fast lines (issue #15): every part of every type writes, for the same reader,
exactly the bytes the mapper path writes (the mappers the reads use, one resource at a time,
encoded by ``bulk._line``), on a population with every type and the edge cases: optional fields
missing, Unicode and ``%`` in free text and units, several sources, summer and winter time, whole
and fractional values, a person's own diary item without LOINC, and a category a person closed
to the organisation by consent. ``line_shapes.Shapes`` is also checked on its own: a shape whose
template would not give the mapper's line is never used."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from koers import access
from koers.fhir import bulk, bulk_rows, bulk_types
from koers.fhir.line_shapes import Shapes
from koers.fhir.mappers import goal as goal_mappers
from koers.fhir.mappers import task as task_mappers
from koers.fhir.mappers.common import fhir_datetime
from koers.fhir.mappers.questionnaire import questionnaire_response_to_fhir
from koers.fhir.models import BulkExport
from koers.fhir.tests.test_bulk_group_export import export, lines_by_type, system_token
from koers.goals.models import Action, Goal
from koers.monitoring.models import MeasurementType, Observation
from koers.network.services import consent_set
from koers.questionnaires.models import Response
from tests.support.testing import make_full_record, make_person

pytestmark = pytest.mark.django_db

WINTER = dt.datetime(2026, 1, 15, 7, 30, tzinfo=dt.UTC)
SUMMER = dt.datetime(2026, 7, 1, 8, 30, 5, 250000, tzinfo=dt.UTC)


def _measure(person, recorder, code, value, when, *, source="portal", note="", type_=None):
    type_ = type_ or MeasurementType.objects.get(code=code, person__isnull=True)
    return Observation.objects.create(
        person=person, type=type_, value=value, effective_at=when, source=source, note=note, recorded_by=recorder
    )


@pytest.fixture
def population(cast):
    for person in (cast.anna, cast.bas):
        make_full_record(person, professional=cast.noor)
    custom = MeasurementType.objects.create(
        code="custom-stemmen",
        kind=MeasurementType.Kind.CUSTOM,
        unit="{score}",
        plausible_low=0,
        plausible_high=10,
        person=cast.bas,
        name="Hoeveel last had ik van de stemmen? ‘zó’",
        created_by=cast.noor,
    )
    rows = [
        ("weight", 72.5, WINTER, "portal", ""),  # a profile (nl-core body weight)
        ("weight", 73.0, SUMMER, "portal", ""),
        ("systolic_bp", 128.0, WINTER, "csv", ""),
        ("systolic_bp", 131.0, SUMMER, "fhir", ""),
        ("oxygen_saturation", 97.0, SUMMER, "professional", ""),  # unit '%'
        ("mood", 6.0, WINTER, "prompt", ""),  # a diary item: survey, no LOINC
        ("mood", 3.0, SUMMER, "prompt", "Slecht geslapen; 50% minder — “moe” 😴"),  # a note: mapper
        ("glucose", 5.4, SUMMER + dt.timedelta(days=1), "portal", ""),
        ("glucose", 0.1 + 0.2, SUMMER + dt.timedelta(days=2), "portal", ""),  # a long repr
    ]
    for person in (cast.anna, cast.bas):
        for i, (code, value, when, source, note) in enumerate(rows):
            _measure(person, cast.noor, code, value, when + dt.timedelta(minutes=i), source=source, note=note)
    for day in range(3):
        _measure(cast.bas, cast.noor, None, 4.0 + day, WINTER + dt.timedelta(days=day), type_=custom)
    eva = make_person(actor=cast.sam, given_name="Eva", family_name="Elders")  # another organisation's
    _measure(eva, cast.sam, "weight", 80.0, WINTER)
    # Anna closes her measurements to every member of the practice: none of hers may go out.
    for member in (cast.noor, cast.gert):
        consent_set(
            actor=cast.anna_user, person=cast.anna, member=member, topic=access.Topic.MEASUREMENTS, granted=False
        )


def _reader(cast) -> bulk_types.Reader:
    job = BulkExport(organisation=cast.gp_practice)
    return bulk.reader_for(job)


def test_every_part_writes_the_mappers_bytes(cast, population, monkeypatch):
    monkeypatch.setattr(bulk_types, "SQL_LINES", False)  # the Python path (PostgreSQL's: test_bulk_sql)
    made = []
    real = bulk_rows.measurement_shapes
    monkeypatch.setattr(bulk_rows, "measurement_shapes", lambda: made.append(real()) or made[-1])
    reader = _reader(cast)
    assert access.Category.MEASUREMENTS not in reader.categories[cast.anna.pk]
    assert access.Category.MEASUREMENTS in reader.categories[cast.bas.pk]
    compared = 0
    for kind in bulk_types.TYPES.values():
        for part in kind.parts:
            ids = reader.persons_with(part.category)
            fast = list(part.lines_of(reader, ids))
            mapped = [(pid, bulk._line(resource)) for pid, resource in part.rows(reader, ids)]
            assert fast == mapped, kind.name
            compared += len(fast)
    assert compared >= 30
    # Bas's self-measurements without a note, by shape (type and source): each shape's first line
    # through the mapper, every other line from its shape's template (no shape refused).
    plain = Observation.objects.filter(person=cast.bas, note="").values_list("type_id", "source")
    shapes = set(plain)
    assert len(plain) - len(shapes) >= 4
    assert sum(s.mapped for s in made) == len(shapes)
    assert sum(s.templated for s in made) == len(plain) - len(shapes)


def test_the_exported_observations_are_the_mappers(cast, population):
    bearer = system_token(cast.gp_practice)
    _, manifest = export(bearer, cast.gp_practice.pk, "?_type=Observation")
    found = lines_by_type(bearer, manifest)["Observation"]  # each line validated against R4
    mine = [o for o in found if o["id"].startswith("mon-")]
    bas = Observation.objects.filter(person=cast.bas).select_related("type")
    assert {o["id"] for o in mine} == {f"mon-{pk}" for pk in bas.values_list("pk", flat=True)}  # not Anna's
    by_id = {o["id"]: o for o in mine}
    noted = by_id[f"mon-{bas.exclude(note='').get().pk}"]
    assert noted["note"] == [{"text": "Slecht geslapen; 50% minder — “moe” 😴"}]
    summer = bas.get(type__code="weight", effective_at__gt=SUMMER - dt.timedelta(hours=1))
    assert by_id[f"mon-{summer.pk}"]["effectiveDateTime"] == fhir_datetime(summer.effective_at)
    assert by_id[f"mon-{summer.pk}"]["meta"]["profile"]


def _shapes(transform=lambda v: v):
    def line(item):
        return json.dumps({"id": f"x-{item[0]}", "v": transform(item[1]), "k": item[2]}).encode()

    return Shapes(line, lambda item: (987654321, 1234.5, item[2]), lambda item: (str(item[0]), repr(item[1])))


def test_a_shape_gives_the_mappers_line_or_is_not_used():
    shapes = _shapes()
    items = [(i, i / 3, "a%b") for i in range(1, 6)]
    assert [shapes.render("k", item) for item in items] == [_shapes()._line(item) for item in items]
    assert (shapes.mapped, shapes.templated) == (1, 4)
    rounded = _shapes(transform=round)  # the mapper changes the value: the template would lie
    assert [rounded.render("k", item) for item in items] == [rounded._line(item) for item in items]
    assert rounded.templated == 0


def test_a_response_scored_once_gives_each_persons_own_line(cast, population):
    responses = list(Response.objects.select_related("imported").filter(person__in=[cast.anna, cast.bas]))
    memo: dict = {}
    once = [bulk._line(questionnaire_response_to_fhir(r, memo=memo)) for r in responses]
    assert len({r.person_id for r in responses}) == 2 and len(memo) < len(responses)  # the same answers
    assert once == [bulk._line(questionnaire_response_to_fhir(r)) for r in responses]


def test_goal_and_task_lines_from_plain_rows_are_the_instance_mappers(cast, population):
    """Goal and Task read as plain rows (``bulk_rows.plain_dicts``: psycopg's own time loader on
    PostgreSQL) write what the model-instance mappers write: summer and winter times, dates
    missing and set, a goal without GAS levels."""
    bas_goal = Goal.objects.filter(person=cast.bas).first()
    Goal.objects.filter(pk=bas_goal.pk).update(updated_at=SUMMER, start_date=None, target_date=dt.date(2026, 12, 31))
    plain = Goal.objects.create(
        person=cast.bas, description="Wandelen ‘zó’ 100%", life_domain=bas_goal.life_domain, created_by=cast.noor
    )
    Goal.objects.filter(pk=plain.pk).update(updated_at=WINTER)
    Action.objects.filter(person=cast.bas).update(created_at=WINTER, updated_at=SUMMER, review_date=None)
    reader = _reader(cast)
    ids = [cast.anna.pk, cast.bas.pk]
    goals = Goal.objects.filter(person_id__in=ids).prefetch_related("gas_levels").order_by("person_id", "pk")
    assert [line for _pid, line in bulk_types.TYPES["Goal"].parts[0].lines_of(reader, ids)] == [
        bulk._line(goal_mappers.goal_to_fhir(g)) for g in goals
    ]
    actions = Action.objects.filter(person_id__in=ids).order_by("pk")
    assert [line for _pid, line in bulk_types.TYPES["Task"].parts[0].lines_of(reader, ids)] == [
        bulk._line(task_mappers.action_task_to_fhir(a)) for a in actions
    ]
    assert actions.count() >= 2 and goals.count() >= 3


def test_plain_rows_are_the_querysets_rows_and_read_json_through_django(cast, population):
    times = Observation.objects.order_by("pk").values_list("pk", "effective_at", "recorded_at", "value")
    assert bulk_rows.plain_rows(times) == list(times)
    answers = Response.objects.order_by("pk").values_list("pk", "answers", "updated_at")  # JSON: a converter
    assert bulk_rows.plain_rows(answers) == list(answers) and answers.exists()
    assert isinstance(bulk_rows.plain_rows(answers)[0][1], dict)


def test_plain_rows_of_a_query_that_can_match_nothing_are_none(cast, population):
    """An empty id list (a ``since`` that leaves no person in a chunk, say) is no error."""
    from django.db.models import F

    from koers.fhir.lookups import AnyOf

    for nothing in (
        Observation.objects.filter(pk__in=[]).values_list("pk", "effective_at"),
        Observation.objects.filter(AnyOf(F("person_id"), [])).values_list("pk", "effective_at"),
    ):
        assert bulk_rows.plain_rows(nothing) == list(nothing) == []
