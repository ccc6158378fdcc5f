"""Reads of questionnaires: which instruments, what is due or late, results and trajectories.

The caller has already checked access (the page decorators do). Every function that reads a
person's rows does so in a fixed number of queries, however many rows there are. The pure
rule of when an assignment is due takes plain values so it is tested without a database; the
change per interval is in :mod:`.results`, the chart in :mod:`.chart`, the words in :mod:`.texts`.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from koers.consults.models import Consult
from koers.lib.compiled import Planned, compiled, planned, together
from koers.people.models import Person
from koers.questionnaires import change, instruments, recovery, results, scoring, texts
from koers.questionnaires.due import due_state, overdue_filter
from koers.questionnaires.models import Assignment, AttentionItem, ImportedInstrument, Response, Score

# --- instruments -----------------------------------------------------------------------------


def is_shipped(instrument_id: str) -> bool:
    try:
        instruments.get(instrument_id)
    except instruments.UnknownInstrument:
        return False
    return True


_PARSED: dict = {}


def _parsed(row: ImportedInstrument):
    """An imported Questionnaire, parsed once per process (a version's JSON never changes)."""
    key = (row.pk, row.version)
    inst = _PARSED.get(key)
    if inst is None:
        inst = instruments.from_json(row.questionnaire)
        if len(_PARSED) >= 256:
            _PARSED.clear()
        _PARSED[key] = inst
    return inst


def instrument_for(obj):
    """The Instrument an assignment or response was given with (shipped, or imported: callers
    ``select_related("imported")`` so this reads no row)."""
    if getattr(obj, "imported_id", None):
        return _parsed(obj.imported)
    return instruments.get(obj.instrument_id)


def imported_for(organisation) -> list[ImportedInstrument]:
    """The latest active version of each instrument this organisation imported. One query."""
    if organisation is None:
        return []
    latest: dict[str, ImportedInstrument] = {}
    rows = compiled(
        lambda p: ImportedInstrument.objects.filter(organisation_id=p.organisation_id, active=True).order_by(
            "instrument_id", "-imported_at", "-id"
        ),
        organisation_id=organisation.pk,
    )
    for row in rows:
        latest.setdefault(row.instrument_id, row)
    return list(latest.values())


def available_instruments(organisation) -> list[tuple]:
    """[(Instrument, ImportedInstrument or None)] a professional of ``organisation`` can use:
    the shipped ones and the organisation's own, by title."""
    found = [(inst, None) for inst in instruments.all()]
    found += [(_parsed(row), row) for row in imported_for(organisation)]
    return sorted(found, key=lambda pair: str(pair[0].title("nl")).lower())


def available_instrument(instrument_id: str, *, organisation):
    """(Instrument, ImportedInstrument or None) for this id, or None when it is not available."""
    if not isinstance(instrument_id, str) or not instrument_id:
        return None
    try:
        return instruments.get(instrument_id), None
    except instruments.UnknownInstrument:
        pass
    for row in imported_for(organisation):
        if row.instrument_id == instrument_id:
            return _parsed(row), row
    return None


def item_kind(item) -> str:
    return item.type


def answerable_items(inst) -> tuple:
    """The items a person answers, in order (no display texts, groups or calculated scores)."""
    return inst.answer_items


def item_range(item) -> tuple:
    return item.min_value, item.max_value


def is_severe_band(inst, band) -> bool:
    """Whether a result's band is one the instrument marks as worrying in itself."""
    return band is not None and bool(band.attention)


def response_resource(inst, answers: dict, *, response: Response) -> dict:
    """The FHIR QuestionnaireResponse of a completed response, with its scores filled in."""
    return scoring.response_json(
        inst,
        answers,
        status="completed",
        authored=response.authored_at,
        subject=f"Patient/{response.person_id}",
        identifier=f"koers-response-{response.pk}",
        answers_as="code",
    )


# --- due and late ----------------------------------------------------------------------------


def _consult_times(person) -> list[dt.datetime]:
    return compiled(
        lambda p: (
            Consult.objects.filter(person_id=p.person_id)
            .exclude(status=Consult.Status.CANCELLED)
            .values_list("scheduled_at", flat=True)
        ),
        person_id=person.pk,
    )


def assignments_for_person(person, *, now=None) -> list[Assignment]:
    """Active assignments first (late ones on top), then those ended in the last year, each with
    ``due`` (a ``Due``). Two queries."""
    now = now or timezone.now()
    rows = compiled(
        lambda p: (
            Assignment.objects.filter(person_id=p.person_id)
            .exclude(status__in=[Assignment.Status.COMPLETED, Assignment.Status.CANCELLED], ended_at__lt=p.year_ago)
            .select_related("assigned_by", "imported")
            .order_by("assigned_at", "id")
        ),
        person_id=person.pk,
        year_ago=now - dt.timedelta(days=365),
    )
    times = _consult_times(person) if any(a.schedule == Assignment.Schedule.BEFORE_CONSULT for a in rows) else []
    for a in rows:
        a.due = due_state(
            schedule=a.schedule,
            status=a.status,
            due_date=a.due_date,
            interval_days=a.interval_days,
            assigned_at=a.assigned_at,
            last_completed_at=a.last_completed_at,
            consult_times=times,
            now=now,
        )
        a.schedule_label = texts.schedule_label(a)
    active = Assignment.Status.ACTIVE

    def order(a):
        far = dt.date.max
        return (a.status != active, not a.due.overdue, a.due.date or far, a.assigned_at)

    return sorted(rows, key=order)


def in_progress(person, *, mode: str | None = None) -> list[Response]:
    if mode:
        return compiled(
            lambda p: (
                Response.objects.filter(person_id=p.person_id, status=Response.Status.IN_PROGRESS, mode=p.mode)
                .select_related("filled_by")
                .order_by("-started_at", "-id")
            ),
            person_id=person.pk,
            mode=str(mode),  # a choice is a str subclass: its plain value
        )
    return compiled(
        lambda p: (
            Response.objects.filter(person_id=p.person_id, status=Response.Status.IN_PROGRESS)
            .select_related("filled_by")
            .order_by("-started_at", "-id")
        ),
        person_id=person.pk,
    )


def portal_todo(person, *, now=None) -> list[dict]:
    """What the person can fill in now: their responses in progress and open assignments. Three
    queries."""
    started = {r.assignment_id: r for r in in_progress(person, mode=Response.Mode.PORTAL)}
    todo = []
    for a in assignments_for_person(person, now=now):
        if a.status != Assignment.Status.ACTIVE:
            continue
        response = started.pop(a.pk, None)
        if response is not None or a.due.is_open:
            todo.append({"assignment": a, "response": response, "due": a.due})
    for response in started.values():  # the assignment was stopped meanwhile: still theirs to finish
        todo.append({"assignment": None, "response": response, "due": None})
    return todo


def open_attention(person, lang: str = "nl") -> list[AttentionItem]:
    """Worrying results nobody has acted on yet, grouped by response, each with a ``label``."""
    items = compiled(
        lambda p: (
            AttentionItem.objects.filter(person_id=p.person_id, handled_at__isnull=True)
            .select_related("response", "response__imported", "responsible")
            .order_by("-response_id", "id")
        ),
        person_id=person.pk,
    )
    for item in items:
        item.label = texts.attention_label(item, instrument_for(item.response), lang)
    return items


HISTORY = 20  # the handled worrying results a page shows


def attention_history(person, lang: str = "nl") -> list[AttentionItem]:
    """Worrying results a professional acted on, latest first (the last ``HISTORY``): who, when and
    what was done."""
    items = compiled(
        lambda p: (
            AttentionItem.objects.filter(person_id=p.person_id, handled_at__isnull=False)
            .select_related("response", "response__imported", "handled_by")
            .order_by("-handled_at", "-id")[:HISTORY]
        ),
        person_id=person.pk,
    )
    for item in items:
        item.label = texts.attention_label(item, instrument_for(item.response), lang)
    return items


# --- results and trajectories -----------------------------------------------------------------


def _scores(person, instrument_id=None) -> list[Score]:
    if instrument_id is not None:
        return compiled(
            lambda p: (
                Score.objects.filter(person_id=p.person_id, instrument_id=p.instrument_id)
                .select_related("response", "response__imported")
                .order_by("instrument_id", "authored_at", "id")
            ),
            person_id=person.pk,
            instrument_id=str(instrument_id),
        )
    return compiled(
        lambda p: (
            Score.objects.filter(person_id=p.person_id)
            .select_related("response", "response__imported")
            .order_by("instrument_id", "authored_at", "id")
        ),
        person_id=person.pk,
    )


def scores_for(person) -> list[Score]:
    """All scores of a person with their responses, by instrument and date: one query, to pass to
    ``trajectories`` and ``recovery_overview`` when a page shows both."""
    return _scores(person)


def trajectories(person, lang: str = "nl", *, scores: list[Score] | None = None) -> list[results.Trajectory]:
    """One trajectory per instrument the person has results of, latest result first. One query
    (none with ``scores``; imported instruments are parsed once per process)."""
    by_instrument: dict[str, list[Score]] = {}
    for s in _scores(person) if scores is None else scores:
        by_instrument.setdefault(s.instrument_id, []).append(s)
    found = [
        results.build_trajectory(instrument_for(rows[-1].response), instrument_id, rows, lang)
        for instrument_id, rows in by_instrument.items()
    ]
    return sorted(found, key=lambda t: t.points[-1].score.authored_at, reverse=True)


def trajectory(person, instrument_id: str, lang: str = "nl") -> results.Trajectory | None:
    rows = _scores(person, instrument_id)
    if not rows:
        return None
    return results.build_trajectory(instrument_for(rows[-1].response), instrument_id, rows, lang)


# --- answers in progress -----------------------------------------------------------------------


def has_open_flag(response: Response) -> bool:
    return AttentionItem.objects.filter(response=response, kind=AttentionItem.Kind.FLAG).exists()


def portal_response_for(person, assignment: Assignment) -> Response | None:
    return (
        Response.objects.filter(
            person=person, assignment=assignment, status=Response.Status.IN_PROGRESS, mode=Response.Mode.PORTAL
        )
        .order_by("-started_at", "-id")
        .first()
    )


# --- the person's own results (portal) ----------------------------------------------------------


def portal_results(person, lang: str = "nl", *, name: str = "") -> list[dict]:
    """The latest result per instrument, explained against the one before. One query.
    With ``name`` the words are about the person (a relative reads them), not to them."""
    by_instrument: dict[str, list[Score]] = {}
    for s in _scores(person):
        by_instrument.setdefault(s.instrument_id, []).append(s)
    found = []
    for rows in by_instrument.values():
        latest = rows[-1]
        earlier = [r for r in rows[:-1] if r.scorable and r.total is not None]
        previous, first = (earlier[-1], earlier[0]) if earlier else (None, None)
        found.append(texts.result_view(instrument_for(latest.response), latest, previous, lang, first, name=name))
    return sorted(found, key=lambda r: r["response"].authored_at, reverse=True)


def portal_result(person, response: Response, lang: str = "nl") -> dict | None:
    """One completed response's result, explained against the scorable one before it."""
    score = getattr(response, "score", None)
    if score is None:
        return None
    earlier = Score.objects.filter(
        person=person,
        instrument_id=response.instrument_id,
        scorable=True,
        total__isnull=False,
        authored_at__lt=score.authored_at,
    )
    previous = earlier.order_by("-authored_at", "-id").first()
    first = earlier.order_by("authored_at", "id").first()
    score.response = response
    return texts.result_view(instrument_for(response), score, previous, lang, first)


# --- ROM for severe mental illness: the three recovery domains -----------------------------------

YEAR = dt.timedelta(days=365)


def recovery_overview(person, lang: str = "nl", *, scores: list[Score] | None = None) -> list[dict]:
    """The latest result of each score that belongs to a recovery domain (personal, social,
    symptomatic), grouped by domain, with the change over the past year where the instrument's
    norms allow judging it. For the questionnaires page now and the yearly evaluation later.
    One query (none with ``scores`` from ``scores_for``)."""
    by_instrument: dict[str, list[Score]] = {}
    for s in _scores(person) if scores is None else scores:
        by_instrument.setdefault(s.instrument_id, []).append(s)
    entries = []
    history = {}
    for instrument_id, rows in by_instrument.items():
        latest = rows[-1]
        inst = instrument_for(latest.response)
        entries.append((inst, latest, latest))
        history[instrument_id] = rows
    grouped = recovery.group(entries)
    domains = []
    for code, scores in grouped.items():
        items = []
        for ds in scores:
            latest: Score = ds.when
            definition = ds.instrument.score_def(ds.score)
            year_change = None
            if ds.value is not None:
                since = latest.authored_at - YEAR
                earlier = [
                    r
                    for r in history[latest.instrument_id]
                    if r.pk != latest.pk
                    and r.authored_at >= since
                    and _value_of(ds.instrument, r, ds.score) is not None
                ]
                if earlier:
                    year_change = _score_change(
                        ds.instrument, ds.score, _value_of(ds.instrument, earlier[0], ds.score), ds.value
                    )
            items.append(
                {
                    "title": ds.label(lang),
                    "instrument_id": latest.instrument_id,
                    "latest": {
                        "scorable": ds.value is not None,
                        "total_display": results.score_display(ds.value, definition, lang),
                        "band_label": ds.band.label(lang) if ds.band else "",
                        "date": timezone.localdate(latest.authored_at),
                    },
                    "year_change": year_change,
                }
            )
        domains.append({"code": code, "label": recovery.domain_label(code, lang), "entries": items})
    return domains


def _value_of(inst, score: Score, name: str):
    if not score.scorable and name == inst.main.name:
        return None
    return score.total if name == inst.main.name else (score.subscales or {}).get(name)


def _score_change(inst, name: str, before, after) -> dict | None:
    try:
        ch = change.for_instrument(inst, before, after, score=None if name == inst.main.name else name)
    except ValueError:
        return None
    kind = results.classify(ch)
    return {"classification": kind, "label": str(results.CLASS_LABELS[kind]), "change": ch}


# --- for the person overview in the workspace ----------------------------------------------------


def _count(qs) -> Subquery:
    return Subquery(qs.order_by().values("person").annotate(n=Count("pk")).values("n")[:1])


def overview_summary(person, *, now=None) -> dict:
    """What the person overview shows of questionnaires, in one query: how many worrying results
    nobody has acted on yet, how many assignments are late, how many are set. Compiled once per
    process (``koers.lib.compiled``)."""
    return overview_summary_of(together(overview_summary_query(person, now=now))[0])


def overview_summary_query(person, *, now=None) -> Planned:
    """The query of ``overview_summary``, to be sent with others (``koers.lib.compiled.together``);
    ``overview_summary_of`` makes its rows the summary."""
    now = now or timezone.now()
    return planned(
        lambda p: (
            Person.objects.filter(pk=p.person_id)
            .annotate(
                attention=_count(AttentionItem.objects.filter(person=OuterRef("pk"), handled_at__isnull=True)),
                overdue=_count(Assignment.objects.filter(overdue_filter(p.now, today=p.today), person=OuterRef("pk"))),
                active=_count(Assignment.objects.filter(person=OuterRef("pk"), status=Assignment.Status.ACTIVE)),
            )
            .values("attention", "overdue", "active")
        ),
        person_id=person.pk,
        now=now,
        today=timezone.localdate(now),
    )


def overview_summary_of(rows: list) -> dict:
    return {key: value or 0 for key, value in rows[0].items()}
