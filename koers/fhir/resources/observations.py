"""Observation: five kinds of Koers data as one FHIR type, each under its own page's category.

| id prefix        | Koers data                                 | category (as its pages)  |
|------------------|--------------------------------------------|--------------------------|
| ``mon-``         | a self-measurement (``monitoring``)        | ``measurements``         |
| ``lab-``         | a lab or screening value (``screening``)   | ``measurements``         |
| ``score-``       | a questionnaire score (``questionnaires``) | ``questionnaires``       |
| ``gas-``         | a goal review's GAS level reached          | ``goals``                |
| ``gas-baseline-``| a goal's GAS level at the start            | ``goals``                |

A read finds the object by its prefixed id and checks its person with ``access.person_for`` for
that kind's category (one row, or a refused row and the missing-record answer). A search asks
each kind for the rows its category lets the reader see (``access.visible_persons``, in the query,
before counting and paging), counts each, and pages over the kinds in a fixed order (the kinds in
the table's order, then the id): every row on exactly one page. Each parameter knows how to
narrow each kind (``_Kind``); ``meta.lastUpdated`` is set here from the field ``_lastUpdated``
searches. A relative gets what their pages show: no lab values (their measurements page shows
self-measurements alone) and no GAS levels of cancelled goals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from koers.access import Category
from koers.fhir.auth import Grant
from koers.fhir.mappers import goal as goal_mapper
from koers.fhir.mappers import observation as mapper
from koers.fhir.mappers import systems
from koers.fhir.mappers.common import fhir_datetime
from koers.fhir.registry import Page, ResourceType, params_of, register
from koers.fhir.resources.care import checked_person, log_page, persons_for
from koers.fhir.resources.people import is_relative
from koers.fhir.resources.writes import observation_create
from koers.fhir.search import ParamType, Search, SearchParam, any_of, as_id, date_q, reference_ids
from koers.goals.models import Goal, GoalReview
from koers.monitoring.models import MeasurementType
from koers.monitoring.models import Observation as SelfMeasurement
from koers.questionnaires.models import Score
from koers.screening import targets as screening_targets
from koers.screening.models import Measurement
from koers.workspace.relative_views import GOAL_STATUSES

VITAL, LAB, SURVEY = mapper.VITAL_SIGNS, mapper.LABORATORY, mapper.SURVEY
NOTHING = Q(pk__in=[])


def _codes(tokens, system: str) -> list[str]:
    """The codes of the tokens that name ``system`` or no system at all."""
    return [t.code for t in tokens if t.system is None or t.system == system]


@dataclass(frozen=True)
class _Kind:
    prefix: str
    category: Category
    object_type: str
    queryset: Callable  # () -> the kind's rows, loaded for the mapper
    to_fhir: Callable  # (row) -> Observation
    person: str  # the path to the person
    when: str  # effectiveDateTime
    updated: str  # meta.lastUpdated, _lastUpdated
    category_q: Callable  # (codes of observation-category) -> Q
    code_q: Callable  # (tokens) -> Q
    for_relative: Callable = lambda rows: rows  # noqa: E731  # what a relative's pages show of it

    def person_id(self, row) -> int:
        return row.goal.person_id if self.person == "goal__person" else row.person_id

    def person_of(self, row):
        return row.goal.person if self.person == "goal__person" else row.person

    def rows(self, grant: Grant):
        return self.for_relative(self.queryset()) if is_relative(grant.user) else self.queryset()

    def resource(self, row) -> dict:
        return stamped(self.to_fhir(row), getattr(row, self.updated))


def stamped(resource: dict, updated) -> dict:
    """The resource with ``meta.lastUpdated`` (what ``_lastUpdated`` searches) set."""
    resource.setdefault("meta", {})["lastUpdated"] = fhir_datetime(updated)
    return resource


# --- self-measurements ---------------------------------------------------------------------------


def _mon_category(codes) -> Q:
    physical = Q(type__kind=MeasurementType.Kind.PHYSICAL)
    return any_of([*([physical] if VITAL in codes else []), *([~physical] if SURVEY in codes else [])])


def _mon_code(tokens) -> Q:
    return Q(type__loinc__in=_codes(tokens, systems.LOINC)) | Q(type__code__in=_codes(tokens, systems.MEASUREMENT_TYPE))


# --- lab and screening values ----------------------------------------------------------------------


def _lab_category(codes) -> Q:
    measures = screening_targets.measures().values()
    wanted = [m.code for m in measures if (VITAL if m.topic in mapper.BODY_TOPICS else LAB) in codes]
    return Q(measure__in=wanted)


def _lab_code(tokens) -> Q:
    loincs = set(_codes(tokens, systems.LOINC))
    by_loinc = [m.code for m in screening_targets.measures().values() if m.loinc and m.loinc[0] in loincs]
    return Q(measure__in=by_loinc) | Q(measure__in=_codes(tokens, systems.MEASUREMENT_TYPE))


def _lab_resource(row) -> dict:
    return mapper.screening_measurement_to_fhir(row)


# --- questionnaire scores ------------------------------------------------------------------------


def _survey_only(codes) -> Q:
    return Q() if SURVEY in codes else NOTHING


def _score_code(tokens) -> Q:
    loincs = set(_codes(tokens, systems.LOINC))
    by_loinc = [instrument for instrument, loinc in mapper.SCORE_LOINC.items() if loinc in loincs]
    return Q(instrument_id__in=by_loinc) | Q(instrument_id__in=_codes(tokens, systems.QUESTIONNAIRE_SCORE))


# --- goal attainment -----------------------------------------------------------------------------

_REVIEWER = {
    "patient": Q(reviewed_by__role="person"),
    "caregiver": Q(reviewed_by__role="relative"),
    "practitioner": ~Q(reviewed_by__role__in=("person", "relative")),
}


def _gas_code(tokens) -> Q:
    loincs = set(_codes(tokens, systems.LOINC))
    return any_of(q for reporter, q in _REVIEWER.items() if goal_mapper.REPORTER_CODES[reporter] in loincs)


def _baseline_code(tokens) -> Q:
    return Q() if systems.PCO_GAS_BASELINE in _codes(tokens, systems.LOINC) else NOTHING


def _baseline_resource(goal) -> dict:
    return goal_mapper.gas_attainment_to_fhir(goal_mapper.gas_baseline_data(goal))


# The order of the kinds is the order of a search's pages; a longer prefix before its start.
KINDS = (
    _Kind(
        "gas-baseline-",
        Category.GOALS,
        "goals.Goal",
        lambda: (
            Goal.objects.filter(uses_gas=True, gas_baseline__isnull=False)
            .select_related("person")
            .prefetch_related("gas_levels")
        ),
        _baseline_resource,
        "person",
        "created_at",
        "updated_at",
        _survey_only,
        _baseline_code,
        lambda rows: rows.filter(lifecycle_status__in=GOAL_STATUSES),
    ),
    _Kind(
        "gas-",
        Category.GOALS,
        "goals.GoalReview",
        lambda: (
            GoalReview.objects.filter(gas_level__isnull=False)
            .select_related("goal__person", "reviewed_by")
            .prefetch_related("goal__gas_levels")
        ),
        goal_mapper.gas_attainment_to_fhir,
        "goal__person",
        "reviewed_at",
        "reviewed_at",
        _survey_only,
        _gas_code,
        lambda rows: rows.filter(goal__lifecycle_status__in=GOAL_STATUSES),
    ),
    _Kind(
        "lab-",
        Category.MEASUREMENTS,
        "screening.Measurement",
        lambda: Measurement.objects.select_related("person"),
        _lab_resource,
        "person",
        "taken_at",
        "entered_at",
        _lab_category,
        _lab_code,
        lambda rows: rows.none(),  # a relative's measurements page shows self-measurements alone
    ),
    _Kind(
        "mon-",
        Category.MEASUREMENTS,
        "monitoring.Observation",
        lambda: SelfMeasurement.objects.select_related("type", "person"),
        mapper.self_measurement_to_fhir,
        "person",
        "effective_at",
        "recorded_at",
        _mon_category,
        _mon_code,
    ),
    _Kind(
        "score-",
        Category.QUESTIONNAIRES,
        "questionnaires.Score",
        lambda: Score.objects.select_related("person"),
        mapper.score_to_fhir,
        "person",
        "authored_at",
        "authored_at",
        _survey_only,
        _score_code,
    ),
)
_BY_MODEL = {}  # filled below: the model of a kind's queryset -> the kind


def _split_id(text: str) -> tuple[_Kind | None, int | None]:
    for kind in KINDS:
        if text.startswith(kind.prefix):
            return kind, as_id(text[len(kind.prefix) :])
    return None, None


def _kind_of(queryset) -> _Kind:
    return _BY_MODEL[queryset.model]


# --- read and search -----------------------------------------------------------------------------


def observation_read(grant: Grant, text: str) -> dict:
    kind, pk = _split_id(str(text))
    row = kind.rows(grant).filter(pk=pk).first() if kind and pk else None
    category = kind.category if kind else Category.MEASUREMENTS
    object_type = kind.object_type if kind else "fhir.Observation"
    person_id = kind.person_id(row) if row is not None else None
    checked_person(grant, person_id, category=category, object_type=object_type, object_id=pk or text)
    return kind.resource(row)


def _visible(kind: _Kind, grant: Grant):
    return kind.rows(grant).filter(**{f"{kind.person}__in": persons_for(grant, kind.category)})


def observation_search(grant: Grant, search: Search) -> Page:
    """Count each kind, then take the page across them in order: every row on exactly one page."""
    parts = []
    for kind in KINDS:
        rows = search.apply(_visible(kind, grant), grant).order_by("pk")
        parts.append((kind, rows, rows.count()))
    total = sum(n for _k, _r, n in parts)
    skip, wanted, resources = search.offset, search.count, []
    for kind, rows, n in parts:
        if wanted <= 0:
            break
        if skip >= n:
            skip -= n
            continue
        page = list(rows[skip : skip + wanted])
        skip, wanted = 0, wanted - len(page)
        log_page(grant, [kind.person_of(r) for r in page], kind.object_type)
        resources += [kind.resource(r) for r in page]
    return Page(total, resources)


def _patient(queryset, values, grant):
    kind = _kind_of(queryset)
    return queryset.filter(**{f"{kind.person}_id__in": reference_ids(values, "Patient")})


def _id(queryset, values, grant):
    kind = _kind_of(queryset)
    ids = [pk for found, pk in (_split_id(v.code) for v in values if v.system is None) if found is kind and pk]
    return queryset.filter(pk__in=ids)


def _category(queryset, values, grant):
    codes = set(_codes(values, systems.OBSERVATION_CATEGORY))
    return queryset.filter(_kind_of(queryset).category_q(codes))


def _code(queryset, values, grant):
    return queryset.filter(_kind_of(queryset).code_q(values))


def _date(queryset, values, grant):
    kind = _kind_of(queryset)
    return queryset.filter(any_of(date_q(kind.when, v) for v in values))


def _last_updated(queryset, values, grant):
    kind = _kind_of(queryset)
    return queryset.filter(any_of(date_q(kind.updated, v) for v in values))


OBSERVATION_PARAMS = params_of(
    SearchParam("_id", ParamType.TOKEN, _id, "The Observation's id (mon-12, lab-3, score-7, gas-5, gas-baseline-2)."),
    SearchParam("patient", ParamType.REFERENCE, _patient, "The person (Patient/id or id).", targets=("Patient",)),
    SearchParam("subject", ParamType.REFERENCE, _patient, "The same as patient.", targets=("Patient",)),
    SearchParam("category", ParamType.TOKEN, _category, "vital-signs, laboratory or survey."),
    SearchParam("code", ParamType.TOKEN, _code, "LOINC or Koers code (system|code, or code in any system)."),
    SearchParam("date", ParamType.DATE, _date, "When it was measured or answered (effectiveDateTime)."),
    SearchParam("_lastUpdated", ParamType.DATE, _last_updated, "When Koers recorded it (meta.lastUpdated)."),
)


def register_types() -> None:
    for kind in KINDS:
        _BY_MODEL[kind.queryset().model] = kind
    register(
        ResourceType(
            name="Observation",
            profiles=(),
            read=observation_read,
            search=observation_search,
            params=OBSERVATION_PARAMS,
            create=observation_create,
            documentation=(
                "Self-measurements (mon-), lab and screening values (lab-), questionnaire scores (score-) "
                "and GAS goal attainment (gas-, gas-baseline-), each under its own page's access category. "
                "Create (POST): a self-measurement or lab value, as one entry of an import Bundle."
            ),
        )
    )
