"""The population's counts (issue #16): a handful of grouped queries, never a loop over persons.

Who is in a unit's population (``population``): every person with an active care-team member
of the organisation (``CareTeamMember`` without ``ended_at``), for a team: a member who is a
professional of that team. The filter narrows it further. Every function below returns plain
counts (dicts of ints) for ``koers.population.report``, which suppresses small cells; nothing
here returns a person, an id or a name.

The aggregates: composition (age band × gender), multimorbidity, conditions, the profile's
ZZ and GG characteristics (one query with conditional aggregation), and the transitions between
support levels, whose column totals are the risk pyramid: five grouped queries, whatever the
population's size. The page counts from the kept per-person rows instead
(``kept_population`` and ``koers.population.counting_kept``, December 2026); these five and
``koers.population.counting`` are the live counts its tests compare with. Each is set-based: no subquery runs once per
person (the support levels were two such lookups per person until December 2026;
docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When, Window
from django.db.models.functions import FirstValue

from koers.accounts.models import Organisation, Team
from koers.network.models import CareTeamMember
from koers.people import catalogue
from koers.people.models import Condition, Person, Profile, SupportLevelDecision
from koers.population.filters import AGE_BANDS, PopulationFilter
from koers.population.models import PersonFacts

NONE = "none"  # no support level decided (yet)
YES, NO, UNKNOWN = "yes", "no", "unknown"
MULTIMORBIDITY = ("0", "1", "2", "3+")

# The profile's characteristics the page counts: field → its values (the empty value is "unknown").
ZZ_FIELDS = {
    "self_management_capacity": ("low", "moderate", "high"),
}
GG_FIELDS = {
    "smoking": tuple(v for v, _l in Profile.Smoking.choices if v),
    "health_literacy": ("low", "moderate", "high"),
    "digital_skills": ("low", "moderate", "high"),
    "social_network": ("low", "moderate", "high"),
    "living_situation": tuple(v for v, _l in Profile.Living.choices if v),
    "daytime_activity": tuple(v for v, _l in Profile.Daytime.choices if v),
}
YES_NO_FIELDS = ("severe_mental_illness", "prefers_individual", "prefers_group", "prefers_online")
YES_NO_UNKNOWN_FIELDS = ("money_worries",)


@dataclass(frozen=True)
class Unit:
    """What a page counts: an organisation, or one of its teams."""

    organisation: Organisation
    team: Team | None = None


def population(unit: Unit, flt: PopulationFilter, *, today: dt.date):
    """The persons counted, as a queryset (only ever aggregated, never listed)."""
    # Driven from the care-team rows (indexed by organisation), not a scan of every person.
    persons = Person.objects.filter(pk__in=_members(unit, flt))  # access: aggregate, never listed
    if flt.condition:
        entry = catalogue.by_key(flt.condition)
        codes = Condition.objects.recorded().filter(
            person=OuterRef("pk"), clinical_status="active", code_system=entry.code_system, code=entry.code
        )
        persons = persons.filter(Exists(codes))
    if flt.level:
        persons = _with_current_level(persons, flt.level)
    if flt.age_band:
        persons = persons.filter(_age_band_q(flt.age_band, today))
    if flt.postcode:
        persons = persons.filter(postcode_area=flt.postcode)
    return persons.order_by()


def _members(unit: Unit, flt: PopulationFilter):
    """The ids of the persons in the unit's care (the team and professional filters applied)."""
    # access: aggregate only (scope.unit_for checked the unit; counts leave through report's suppression)
    members = CareTeamMember.objects.filter(ended_at__isnull=True, organisation=unit.organisation)  # access: aggregate
    if unit.team is not None:
        members = members.filter(professional__team=unit.team)
    if flt.team is not None:
        members = members.filter(professional__team_id=flt.team)
    if flt.professional is not None:
        members = members.filter(professional_id=flt.professional)
    return members.values("person_id")


def kept_population(unit: Unit, flt: PopulationFilter, *, today: dt.date):
    """The same persons as ``population``, as their kept rows (``koers.population.kept``): the
    level filter is the kept newest level (what ``_with_current_level`` derives from the
    decisions), the other filters are the same conditions on the same columns."""
    facts = PersonFacts.objects.filter(person_id__in=_members(unit, flt))  # access: aggregate, never listed
    if flt.condition:
        entry = catalogue.by_key(flt.condition)
        codes = Condition.objects.recorded().filter(  # access: aggregate
            person=OuterRef("person_id"), clinical_status="active", code_system=entry.code_system, code=entry.code
        )
        facts = facts.filter(Exists(codes))
    if flt.level:
        facts = facts.filter(level=flt.level)
    if flt.age_band:
        facts = facts.filter(_age_band_q(flt.age_band, today))
    if flt.postcode:
        facts = facts.filter(postcode_area=flt.postcode)
    return facts.order_by()


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _age_band_q(key: str, today: dt.date) -> Q:
    """People whose age on ``today`` falls in the band: born in a range of dates."""
    _key, low, high = next(band for band in AGE_BANDS if band[0] == key)
    q = Q(birth_date__lte=_years_before(today, low))
    if high is not None:
        q &= Q(birth_date__gt=_years_before(today, high + 1))
    return q


def _age_band_case(today: dt.date) -> Case:
    return Case(
        *[When(_age_band_q(key, today), then=Value(key)) for key, _low, _high in AGE_BANDS],
        default=Value("unknown"),
        output_field=CharField(),
    )


def _with_current_level(persons, level: str):
    """The persons whose newest decision (of all time, as on the care pages) is ``level``: one
    window over the decisions of this population, not a lookup per person."""
    newest = Window(
        FirstValue("level"), partition_by=[F("person_id")], order_by=[F("decided_at").desc(), F("id").desc()]
    )
    decisions = (
        SupportLevelDecision.objects.filter(person_id__in=persons.values("pk"))
        .annotate(current=newest)
        .filter(current=level)
        .values("person_id")
    )
    return persons.filter(pk__in=decisions)


def composition(persons, *, today: dt.date) -> dict[str, dict[str, int]]:
    """Age band × gender (one query)."""
    genders = [value for value, _label in Person.Gender.choices]
    table = {key: dict.fromkeys(genders, 0) for key in (*(b[0] for b in AGE_BANDS), "unknown")}
    rows = persons.annotate(band=_age_band_case(today)).values("band", "gender").annotate(n=Count("id"))
    for row in rows:
        table[row["band"]][row["gender"] if row["gender"] in genders else Person.Gender.UNKNOWN] += row["n"]
    if not any(table["unknown"].values()):
        del table["unknown"]  # a birth date is required: only a date in the future lands here
    return table


def multimorbidity(persons, size: int) -> dict[str, int]:
    """How many active conditions each person has: 0, 1, 2, 3 or more. One query: only the active
    conditions, counted per person; "0" is the population's ``size`` (known from
    ``composition``) minus the rest: 209 against 841 ms for a grouped join of every person at
    100,000 people (docs/performance.md; that join is kept in benchmarks/population_duckdb.py)."""
    per_person = (
        Condition.objects.recorded()
        .filter(person__in=persons.values("pk"), clinical_status="active")
        .values("person_id")
        .annotate(nc=Count("id"))
        .order_by()
    )
    result = per_person.aggregate(
        **{
            "1": Count("person_id", filter=Q(nc=1)),
            "2": Count("person_id", filter=Q(nc=2)),
            "3+": Count("person_id", filter=Q(nc__gte=3)),
        }
    )
    found = {key: result.get(key) or 0 for key in MULTIMORBIDITY}
    found["0"] = size - sum(found.values())
    return found


def conditions(persons) -> dict[str, int]:
    """People with each coded catalogue condition, active (one query; typed names not counted)."""
    by_code = {(e.code_system, e.code): e.key for e in catalogue.entries() if e.code}
    rows = (
        Condition.objects.recorded()
        .filter(person__in=persons.values("pk"), clinical_status="active", code__in={c for _s, c in by_code})
        .values("code_system", "code")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    counts: dict[str, int] = {}
    for row in rows:
        key = by_code.get((row["code_system"], row["code"]))
        if key is not None:
            counts[key] = counts.get(key, 0) + row["n"]
    return counts


def _field_counts(field: str, values: tuple[str, ...]) -> dict[str, Count]:
    counts = {f"{field}__{v}": Count("id", filter=Q(**{f"profile__{field}": v})) for v in values}
    counts[f"{field}__{UNKNOWN}"] = Count("id", filter=Q(profile__isnull=True) | Q(**{f"profile__{field}": ""}))
    return counts


def characteristics(persons) -> dict[str, dict[str, int]]:
    """Every profile characteristic of ZZ_FIELDS, GG_FIELDS and the yes/no fields: one query
    with conditional aggregation over persons left-joined to their profile."""
    aggregates: dict[str, Count] = {}
    for field, values in {**ZZ_FIELDS, **GG_FIELDS}.items():
        aggregates.update(_field_counts(field, values))
    for field in YES_NO_FIELDS:
        aggregates[f"{field}__{YES}"] = Count("id", filter=Q(**{f"profile__{field}": True}))
        aggregates[f"{field}__{NO}"] = Count("id", filter=~Q(**{f"profile__{field}": True}))
    for field in YES_NO_UNKNOWN_FIELDS:
        aggregates[f"{field}__{YES}"] = Count("id", filter=Q(**{f"profile__{field}": True}))
        aggregates[f"{field}__{NO}"] = Count("id", filter=Q(**{f"profile__{field}": False}))
        aggregates[f"{field}__{UNKNOWN}"] = Count("id", filter=Q(**{f"profile__{field}__isnull": True}))
    result: dict[str, dict[str, int]] = {}
    for name, value in persons.aggregate(**aggregates).items():
        field, _sep, category = name.partition("__")
        result.setdefault(field, {})[category] = value or 0
    return result


def pyramid(transitions_to_now: dict[str, dict[str, int]]) -> dict[str, int]:
    """People per current support level, and those without one: the column totals of the
    transitions up to now (no query of its own)."""
    keys = (*_levels(), NONE)
    return {after: sum(row[after] for row in transitions_to_now.values()) for after in keys}


# The level of every person of the population at ``start`` and at ``end`` in one pass over their
# decisions up to ``end``: newest first per person, the newest is the level at ``end``; the
# decisions after ``start`` come first, so the level at ``start`` is the one right after them
# (``n = later + 1``). One sort of the decisions, no lookup per person; a person without a
# decision up to a moment has no level then (NULL, "none"). The people without any decision up to
# the end are counted as the population minus those with one (the last line), not by joining
# every person back: with a narrow filter PostgreSQL misjudges the population's size and repeats
# the ranking per person in a nested loop (2.2 s at 10,000). The population is not materialised
# (at 100,000 its 100,000 ids spilled to disk and drove 100,000 index probes: 0.8 s instead of
# 0.4 s). Window functions and CTE hints: PostgreSQL 12+ and SQLite 3.35+.
_TRANSITIONS = """
WITH population AS NOT MATERIALIZED ({population}),
ranked AS (
    SELECT d.person_id, d.level,
           ROW_NUMBER() OVER (PARTITION BY d.person_id ORDER BY d.decided_at DESC, d.id DESC) AS n,
           SUM(CASE WHEN d.decided_at > %s THEN 1 ELSE 0 END) OVER (PARTITION BY d.person_id) AS later
    FROM {decisions} AS d
    WHERE d.decided_at <= %s AND d.person_id IN (SELECT id FROM population)
),
levels AS MATERIALIZED (
    SELECT person_id,
           MAX(CASE WHEN n = later + 1 THEN level END) AS level_before,
           MAX(CASE WHEN n = 1 THEN level END) AS level_after
    FROM ranked
    GROUP BY person_id
)
SELECT level_before, level_after, COUNT(*) FROM levels GROUP BY level_before, level_after
UNION ALL
SELECT NULL, NULL, (SELECT COUNT(*) FROM population) - (SELECT COUNT(*) FROM levels)
"""


def transitions(persons, *, start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
    """Level at ``start`` (rows) → level at ``end`` (columns), in one grouped query: the newest
    decision up to each moment (ties on time: the newest row)."""
    keys = (*_levels(), NONE)
    table = {before: dict.fromkeys(keys, 0) for before in keys}
    alias = persons.db  # the router's choice for this read (the replica for routed reads)
    connection = connections[alias]
    population_sql, population_params = persons.values("id").query.get_compiler(alias).as_sql()
    sql = _TRANSITIONS.format(
        population=population_sql, decisions=connection.ops.quote_name(SupportLevelDecision._meta.db_table)
    )
    moments = [connection.ops.adapt_datetimefield_value(moment) for moment in (start, end)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*population_params, *moments])  # nosec B608  # model table names; values are parameters
        for before, after, n in cursor.fetchall():
            table[before or NONE][after or NONE] += n
    return table


def _levels() -> tuple[str, ...]:
    from_model = SupportLevelDecision._meta.get_field("level").choices
    return tuple(value for value, _label in from_model)
