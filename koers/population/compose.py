"""One unit's population report: the selectors' counts through ``report`` (suppressed).

``build`` counts the five aggregates of the page (``koers.population.counting_kept``: one
statement over the population's kept per-person rows, filtered or not) and turns the counts into the
sections of the page; the CSV and Excel exports are written from the same
report. ``describe`` names the cohort as the access log and the exports show it.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.lib.db_router import routed
from koers.people import catalogue
from koers.people.models import Level, Person, Profile, SupportLevel
from koers.population import counting, counting_kept, report, selectors
from koers.population.filters import AGE_BAND_KEYS, PopulationFilter, age_label

POPULATION = "population"  # the label of these reads for the replica router (KOERS_REPLICA_LABELS)
YES_NO = {selectors.YES: _("ja"), selectors.NO: _("nee"), selectors.UNKNOWN: _("onbekend")}
LEVELS = {**dict(Level.choices), selectors.UNKNOWN: _("onbekend")}
FIELD_TITLES = {
    "self_management_capacity": _("Zelfmanagement-vermogen"),
    "severe_mental_illness": _("Ernstige psychische aandoening (EPA)"),
    "smoking": _("Roken"),
    "health_literacy": _("Gezondheidsvaardigheden"),
    "digital_skills": _("Digitale vaardigheden"),
    "social_network": _("Sociaal netwerk"),
    "living_situation": _("Woonsituatie"),
    "daytime_activity": _("Werk of dagbesteding"),
    "money_worries": _("Geldzorgen"),
}
FIELD_LABELS = {
    "smoking": {**dict(Profile.Smoking.choices), selectors.UNKNOWN: _("onbekend")},
    "living_situation": {**dict(Profile.Living.choices), selectors.UNKNOWN: _("onbekend")},
    "daytime_activity": {**dict(Profile.Daytime.choices), selectors.UNKNOWN: _("onbekend")},
}
PREFERENCES = {
    "prefers_individual": _("Individuele steun"),
    "prefers_group": _("In een groep"),
    "prefers_online": _("Online"),
}
LEVEL_LABELS = {**dict(SupportLevel.choices), selectors.NONE: _("nog niet bepaald")}
MULTIMORBIDITY_LABELS = {
    "0": _("geen"),
    "1": _("1 aandoening"),
    "2": _("2 aandoeningen"),
    "3+": _("3 of meer"),
}


def describe(unit: selectors.Unit, flt: PopulationFilter, *, months: int) -> str:
    """The cohort in words, for the access log and the exports: which unit, which filter. Ids of
    teams and professionals, never a person."""
    parts = [f"organisatie {unit.organisation.pk}"]
    if unit.team is not None:
        parts.append(f"team {unit.team.pk}")
    parts += [f"{key}={value}" for key, value in flt.as_json().items()]
    parts.append(f"overgangen {months} mnd")
    return " · ".join(parts)


def build(unit: selectors.Unit, flt: PopulationFilter, *, months: int, k: int, now: dt.datetime | None = None):
    """The whole report: the five aggregates in one transaction on the database they are read
    from: the replica when one is configured (``routed("population")``,
    docs/scaling.md), else the primary. Not inside a transaction on the primary: the router keeps every read of such a
    transaction on the primary (read-your-writes), which would keep these reads off the replica.
    The caller writes the access-log row afterwards, on the primary (``access.record_aggregate``)."""
    with routed(POPULATION):
        alias = router.db_for_read(Person)
        with transaction.atomic(using=alias):
            _settings(alias)
            return _build(unit, flt, months=months, k=k, now=now)


def _settings(alias: str) -> None:
    """Only for this transaction: no JIT (PostgreSQL's JIT compiles the statement for ~60 ms and
    wins nothing back at these sizes), and room for the grouping sets' hash tables: the planner
    estimates nearly a group per person for the wide sets and sorts for some of them under the
    default 4 MB; the tables hold a few thousand groups. 0.58–0.74 s against 0.79–0.93 s for
    100,000 people when it was first set (docs/performance.md); still sorting without it."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")


def _build(unit, flt, *, months, k, now):
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = now - dt.timedelta(days=round(months * 30.44))
    counts = _count(unit, flt, today=today, start=start, end=now)
    result = report.Report(cohort=describe(unit, flt, months=months), k=k)
    result.sections.append((str(_("Omvang en samenstelling")), _composition(counts.composition, k)))
    result.sections.append((str(_("Aandoeningen")), _conditions(counts, k)))
    result.sections.append((str(_("Ziekte en zorg (ZZ)")), _zz(counts.characteristics, k)))
    result.sections.append((str(_("Gezondheid en gedrag (GG)")), _gg(counts.characteristics, k)))
    result.sections.append((str(_("Risicopiramide")), _pyramid(counts.transitions, k)))
    result.size = result.sections[0][1][0].total
    return result


def _count(unit, flt, *, today, start, end) -> counting.Counts:
    """Every count from the population's kept rows in one statement (``counting_kept``: no join
    of profiles, conditions per person and ranked decisions per request; docs/performance.md),
    filtered or not. The same counts as ``_count_live`` (``tests/test_counting_kept.py``)."""
    facts = selectors.kept_population(unit, flt, today=today)
    return counting_kept.count(facts, today=today, start=start, end=end)


def _count_live(unit, flt, *, today, start, end) -> counting.Counts:
    """The counts derived from people's rows on each request (the page's way until December
    2026; kept for the benchmarks and as the tests' reference): a filtered population in one
    statement (``counting.count``: the filter, the level filter's window over the decisions
    included, runs once instead of once per aggregate; with the level filter the population is
    computed once), the unfiltered one in five grouped queries, which PostgreSQL ran faster."""
    persons = selectors.population(unit, flt, today=today)
    if not flt.is_empty():
        return counting.count(persons, today=today, start=start, end=end, once=bool(flt.level))
    return counting.separately(persons, today=today, start=start, end=end)


def _composition(counts, k):
    """Age band and gender as two one-way tables of the same population (not crossed: a cross
    table hides much more in a small population, and its margins are these tables anyway)."""
    ages = {band: sum(by_gender.values()) for band, by_gender in counts.items()}
    genders: dict[str, int] = {}
    for by_gender in counts.values():
        for gender, n in by_gender.items():
            genders[gender] = genders.get(gender, 0) + n
    age_labels = {key: age_label(key) for key in AGE_BAND_KEYS} | {"unknown": str(_("onbekend"))}
    return [
        report.one_way("age", _("Leeftijd"), _("Mensen per leeftijdsgroep."), ages, age_labels, k=k),
        report.one_way("gender", _("Gender"), _("Mensen per gender."), genders, dict(Person.Gender.choices), k=k),
    ]


def _conditions(counts, k):
    raw = counts.multimorbidity
    multimorbidity = report.one_way(
        "multimorbidity",
        _("Aantal aandoeningen per persoon"),
        _("Hoeveel actieve aandoeningen iemand heeft (multimorbiditeit)."),
        raw,
        MULTIMORBIDITY_LABELS,
        k=k,
    )
    labels = {entry.key: entry.label for entry in catalogue.entries()}
    conditions = report.with_without(
        "conditions",
        _("Aandoeningen"),
        _("Mensen met deze actieve aandoening. Iemand kan meer aandoeningen hebben."),
        counts.conditions,
        labels,
        size=sum(raw.values()),
        k=k,
    )
    return [multimorbidity, conditions]


def _field(profile, field, k):
    labels = FIELD_LABELS.get(
        field, YES_NO if field in (*selectors.YES_NO_FIELDS, *selectors.YES_NO_UNKNOWN_FIELDS) else LEVELS
    )
    title = FIELD_TITLES[field]
    return report.one_way(field, title, title, profile[field], labels, k=k)


def _zz(profile, k):
    return [_field(profile, "severe_mental_illness", k), _field(profile, "self_management_capacity", k)]


def _gg(profile, k):
    tables = [_field(profile, field, k) for field in ("smoking", "health_literacy", "digital_skills")]
    size = sum(profile["prefers_group"].values())
    tables.append(
        report.with_without(
            "preferences",
            _("Voorkeur voor steun"),
            _("Mensen die deze vorm van steun willen. Iemand kan meer voorkeuren hebben."),
            {field: profile[field][selectors.YES] for field in PREFERENCES},
            PREFERENCES,
            size=size,
            k=k,
        )
    )
    tables += [
        _field(profile, field, k)
        for field in ("living_situation", "daytime_activity", "social_network", "money_worries")
    ]
    return tables


def _pyramid(transitions, k):
    pyramid = report.one_way(
        "pyramid",
        _("Ondersteuningsniveau nu"),
        _("Mensen per huidig ondersteuningsniveau: zelfmanagement, ketenzorg of casemanagement."),
        selectors.pyramid(transitions),
        LEVEL_LABELS,
        k=k,
    )
    moves = report.two_way(
        "transitions",
        _("Van niveau naar niveau"),
        _("Ondersteuningsniveau aan het begin van de periode (rijen) en aan het eind (kolommen)."),
        transitions,
        row_labels=LEVEL_LABELS,
        column_labels=LEVEL_LABELS,
        titles=(_("Eerst"), _("Nu")),
        k=k,
    )
    return [pyramid, moves]
