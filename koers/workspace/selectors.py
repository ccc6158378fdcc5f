"""Reads for the aggregating pages. Every query starts from persons the access layer allows."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from koers import access
from koers.consults.models import AgendaItem, Consult, Preparation
from koers.decisions.models import SharedDecision
from koers.goals import due as goal_due
from koers.goals.models import Action, Goal, Responsible
from koers.lib.compiled import Fetched, Planned, attach, compiled, fetched_together, first, planned, takes_lists
from koers.lib.lookups import InArray
from koers.network.selectors import active_care_team, active_care_team_query
from koers.people import attention
from koers.people.models import Condition, Person, SupportLevelDecision
from koers.questionnaires import selectors as questionnaire_selectors
from koers.workspace.search import Search

# The portal home asks the person to prepare a consult that is at most this far away.
PREPARE_AHEAD = dt.timedelta(days=14)


SORTS = ("naam", "geboren", "volgend-consult", "laatst-gezien")

# The caseload's other columns that are data of a category (the name and birth date are the
# caseload's own: DEMOGRAPHICS), and the sorts by them.
SHOWN_CATEGORIES = {
    "next_consult_at": access.Category.CONSULTS,
    "last_seen_at": access.Category.CONSULTS,
    "support_level": access.Category.SUPPORT_LEVEL,
}
DATED_SORTS = ("volgend-consult", "laatst-gezien")

# Which category of a person's data each "needs attention" reason (``attention.needs_attention``)
# is a fact of. A reason counts, and its badge shows, only where the reader may read that category
# of that person (``access.readable_by_category``): a peer expert sees no measurement's badge, a
# topic the person withdrew takes its badges with it.
ATTENTION_CATEGORIES = {
    "new_preparation": access.Category.CONSULTS,
    "actions_to_review": access.Category.GOALS,
    "goals_proposed": access.Category.GOALS,
    "decision_waiting": access.Category.DECISIONS,
    "worrying_result": access.Category.QUESTIONNAIRES,
    "value_outside_target": access.Category.MEASUREMENTS,
    "questionnaire_late": access.Category.QUESTIONNAIRES,
    "screening_due": access.Category.MEASUREMENTS,
}


def _next_consult(now):
    return Subquery(
        Consult.objects.filter(person=OuterRef("pk"), status=Consult.Status.PLANNED, scheduled_at__gte=now)
        .order_by("scheduled_at")
        .values("scheduled_at")[:1]
    )


def _last_seen(now):
    return Subquery(
        Consult.objects.filter(person=OuterRef("pk"), status=Consult.Status.HELD, scheduled_at__lte=now)
        .order_by("-scheduled_at")
        .values("scheduled_at")[:1]
    )


def _ordering(qs, sort: str, descending: bool, now=None, consults=None):
    """Order by a column, empty values last; the Dutch name order ("de Boer" under B) breaks ties.
    ``consults``: when given, only these persons' consult dates count (the others' are not the
    reader's to see, so they sort as empty, as they show)."""
    names = ("family_sort", "given_sort", "id")
    if sort == "naam":
        return qs.order_by(*(F(n).desc() if descending else F(n).asc() for n in names))
    now = now or timezone.now()
    value = {"geboren": F("birth_date"), "volgend-consult": _next_consult(now), "laatst-gezien": _last_seen(now)}[sort]
    if consults is not None and sort in DATED_SORTS:
        if not consults:  # every date is empty as shown: the names alone order them
            return qs.order_by(*names)
        value = Case(When(pk__in=sorted(consults), then=value), default=Value(None))
    qs = qs.annotate(sort_value=value)
    first = F("sort_value").desc(nulls_last=True) if descending else F("sort_value").asc(nulls_last=True)
    return qs.order_by(first, *names)


def _matching(qs, search: Search | None):
    if search is None or not search.given:
        return qs
    if search.error:
        return qs.none()
    for word in search.words:
        qs = qs.filter(name_search__contains=f" {word}")
    if search.birth_date:
        qs = qs.filter(birth_date=search.birth_date)
    if search.bsn:
        qs = qs.filter(bsn=search.bsn)
    return qs


def caseload_ids(
    *,
    user,
    search: Search | None = None,
    attention_only: bool = False,
    sort: str = "naam",
    descending: bool = False,
) -> list[int]:
    """The ids of the persons in this professional's care that match ``search``, sorted.

    Bounded by the caseload (hundreds), not by the population: the access layer's care-team
    join starts from the professional's memberships. Search and sort happen in the one query,
    on the keys stored with the person (``people.names``). The page then loads only its own
    rows with ``caseload_rows``. "Needs attention" is a condition on the kept summary
    (``people.attention``) in the same query.
    """
    visible = access.visible_person_ids(user, category=access.Category.DEMOGRAPHICS)
    sort = sort if sort in SORTS else "naam"
    consults = SHOWN_CATEGORIES["next_consult_at"]
    needed = (set(ATTENTION_CATEGORIES.values()) if attention_only else set()) | (
        {consults} if sort in DATED_SORTS else set()
    )
    narrowed = _narrowed(user, visible, needed) if needed else None
    if sort == "naam" and not (search and search.given) and takes_lists(Person) and narrowed is None:
        return _compiled_ids_by_name(visible, attention_only=attention_only, descending=descending)
    clock = attention.clock_values(timezone.now()) if attention_only else None
    qs = _caseload_query(visible, clock, narrowed)
    dated = narrowed[consults] if narrowed and sort in DATED_SORTS else None
    return list(_ordering(_matching(qs, search), sort, descending, consults=dated).values_list("pk", flat=True))


def _narrowed(user, visible: list[int], categories) -> dict | None:
    """Per category, the persons whose data of it the reader may see, or None when that is everyone
    in the caseload for every category (the common case: the compiled query, unchanged)."""
    readable = access.readable_by_category(user, visible, categories)
    everyone = len(set(visible))
    return None if all(len(ids) == everyone for ids in readable.values()) else readable


def _caseload_query(ids, clock=None, narrowed=None):
    """The persons with these ids; with ``clock`` (``attention.clock_values``) only those who
    need attention — for a reason the reader may see (``narrowed``: ``_narrowed``)."""
    qs = Person.objects.filter(InArray(F("pk"), ids))  # access: only the ids the access layer gives
    if clock is not None:
        now, today, since = clock
        if narrowed is None:
            return qs.filter(attention.any_attention(now, today=today, since=since))
        reasons = Q(pk__in=[])
        for kind, condition in attention.needs_attention(now, today=today, since=since).items():
            allowed = narrowed[ATTENTION_CATEGORIES[kind]]
            if allowed:
                reasons |= condition & Q(pk__in=sorted(allowed))
        qs = qs.filter(reasons)
    return qs


def _compiled_ids(qs, descending: bool):
    return _ordering(qs, "naam", descending).values_list("pk", flat=True)


def _compiled_ids_by_name(visible: list[int], *, attention_only: bool, descending: bool) -> list[int]:
    """The opening page's ids (by name, no search), compiled once per process on PostgreSQL: one
    builder per shape (with or without the attention filter, either direction)."""
    if not attention_only:
        if descending:
            return compiled(lambda p: _compiled_ids(_caseload_query(p.ids), True), ids=visible)
        return compiled(lambda p: _compiled_ids(_caseload_query(p.ids), False), ids=visible)
    now, today, since = attention.clock_values(timezone.now())
    if descending:
        return compiled(
            lambda p: _compiled_ids(_caseload_query(p.ids, (p.now, p.today, p.since)), True),
            ids=visible,
            now=now,
            today=today,
            since=since,
        )
    return compiled(
        lambda p: _compiled_ids(_caseload_query(p.ids, (p.now, p.today, p.since)), False),
        ids=visible,
        now=now,
        today=today,
        since=since,
    )


def caseload_rows(ids: list[int], *, user) -> list:
    """One page of the caseload: these persons with what needs attention, in the given order.
    The badges come from the kept summary (``people.attention``), one joined row per person; a
    reason of a category ``user`` may not read of that person is False (``ATTENTION_CATEGORIES``),
    a column of such a category empty and named in ``hidden_columns`` (``SHOWN_CATEGORIES``).

    On PostgreSQL the query is compiled once per process (``koers.lib.compiled``): the ids are
    one array parameter (``= ANY(%s)``), the clock three more. SQLite spreads the ids over one
    parameter each, so there it stays the plain queryset (the same rows: tests/test_caseload_compiled.py)."""
    if not ids:
        return []
    now, today, since = attention.clock_values(timezone.now())
    if takes_lists(Person):
        rows = compiled(
            lambda p: _rows_query(p.ids, p.now, p.today, p.since), ids=ids, now=now, today=today, since=since
        )
    else:
        rows = _rows_query(ids, now, today, since)
    by_id = {p.pk: p for p in rows}
    hidden = {**dict.fromkeys(ATTENTION_CATEGORIES, False), **dict.fromkeys(SHOWN_CATEGORIES)}
    shown_as = {**ATTENTION_CATEGORIES, **SHOWN_CATEGORIES}
    readable = access.readable_by_category(user, ids, set(shown_as.values()))
    for person in by_id.values():
        person.hidden_columns = set()
        for name, category in shown_as.items():
            if person.pk not in readable[category]:
                setattr(person, name, hidden[name])
                person.hidden_columns.add(name)
    return [by_id[pk] for pk in ids if pk in by_id]


def _rows_query(ids, now, today, since):
    flags = {
        name: Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
        for name, condition in attention.needs_attention(now, today=today, since=since).items()
    }
    return (
        Person.objects.filter(InArray(F("pk"), ids))  # access: only ids from caseload_ids (the access layer)
        .annotate(
            next_consult_at=_next_consult(now),
            last_seen_at=_last_seen(now),
            support_level=Subquery(
                SupportLevelDecision.objects.filter(person=OuterRef("pk"))
                .order_by("-decided_at", "-id")
                .values("level")[:1]
            ),
            **flags,
        )
        .order_by()
    )


# The overview's parts and the category each is data of.
_OVERVIEW_PARTS = {
    "profile": access.Category.PROFILE,
    "conditions": access.Category.CLINICAL,
    "support_level": access.Category.SUPPORT_LEVEL,
    "care_team": access.Category.DEMOGRAPHICS,
    "next_consult": access.Category.CONSULTS,
    "preparation": access.Category.CONSULTS,
    "open_agenda": access.Category.CONSULTS,
    "goals": access.Category.GOALS,
    "decisions": access.Category.DECISIONS,
    "questionnaires": access.Category.QUESTIONNAIRES,
}


def overview_parts_hidden(categories) -> list[str]:
    """The overview's parts a reader with ``categories`` does not see (None on the page), by name."""
    return sorted(name for name, category in _OVERVIEW_PARTS.items() if category not in categories)


def person_overview(person, *, categories) -> dict:
    """What the overview page shows, for an already access-checked person, limited to the
    data categories the viewer may see (consent per category, later, needs nothing more here).
    The parts' queries are sent together, in one round trip on PostgreSQL (``together``)."""
    return overview_parts(person, overview_reads(person, categories=categories), categories=categories)


def overview_reads(person, *, categories, also: dict[str, Planned] | None = None) -> dict[str, Fetched]:
    """The rows of the overview's parts this reader sees, as the database gave them, by part
    (``goals.actions``: the goals' actions), not built yet; ``also``: other reads to send in the
    same round trip (the overview's kept HTML, ``kept_overview.query``), by name."""
    now = timezone.now()
    shown = {name for name, category in _OVERVIEW_PARTS.items() if category in categories}
    queries = {name: query for name, query in _overview_queries(person, now).items() if name.split(".")[0] in shown}
    queries.update(also or {})
    return dict(zip(queries, fetched_together(*queries.values()), strict=True))


def overview_parts(person, reads: dict[str, Fetched], *, categories) -> dict:
    """The overview's parts from ``overview_reads``: each part the reader does not see is None."""

    def rows(name: str) -> list:
        return reads[name].rows()

    parts = {
        "profile": lambda: getattr(person, "profile", None),
        "conditions": lambda: rows("conditions"),
        "support_level": lambda: first(rows("support_level")),
        # The care plan's order (organisation, the responsible professional first, name): one
        # definition, and the rows no longer come in whatever order the table holds them.
        "care_team": lambda: list(active_care_team(person, read=rows("care_team"))),
        "next_consult": lambda: first(rows("next_consult")),
        "preparation": lambda: first(rows("preparation")),
        "open_agenda": lambda: rows("open_agenda"),
        "goals": lambda: _open_goals(rows("goals"), rows("goals.actions")),
        "decisions": lambda: rows("decisions"),
        "questionnaires": lambda: questionnaire_selectors.overview_summary_of(rows("questionnaires")),
    }
    return {name: (parts[name]() if category in categories else None) for name, category in _OVERVIEW_PARTS.items()}


def _overview_queries(person, now) -> dict:
    """One query per part of the overview (two for the goals and their actions). Each compiled
    once per process (koers.lib.compiled): the same rows as the plain querysets
    (tests/test_compiled_pages.py)."""
    pk = person.pk
    return {
        "conditions": planned(
            lambda p: Condition.objects.filter(person_id=p.person_id, clinical_status="active").exclude(
                verification_status="entered_in_error"
            ),
            person_id=pk,
        ),
        "support_level": planned(
            lambda p: SupportLevelDecision.objects.filter(person_id=p.person_id)[:1], person_id=pk
        ),
        "care_team": active_care_team_query(person),
        "next_consult": planned(
            lambda p: (
                Consult.objects.filter(person_id=p.person_id, status=Consult.Status.PLANNED, scheduled_at__gte=p.now)
                .select_related("professional")
                .order_by("scheduled_at")[:1]
            ),
            person_id=pk,
            now=now,
        ),
        "preparation": planned(
            lambda p: Preparation.objects.filter(person_id=p.person_id).order_by("-created_at", "-id")[:1],
            person_id=pk,
        ),
        "open_agenda": planned(
            lambda p: AgendaItem.objects.filter(person_id=p.person_id, status=AgendaItem.Status.OPEN).order_by(
                "priority", "id"
            )[:10],
            person_id=pk,
        ),
        "goals": planned(
            lambda p: Goal.objects.filter(person_id=p.person_id).exclude(lifecycle_status__in=_CLOSED_GOALS),
            person_id=pk,
        ),
        "goals.actions": planned(
            lambda p: Action.objects.filter(goal__person_id=p.person_id).exclude(
                goal__lifecycle_status__in=_CLOSED_GOALS
            ),
            person_id=pk,
        ),
        "decisions": planned(
            lambda p: (
                SharedDecision.objects.filter(person_id=p.person_id)
                .exclude(status=SharedDecision.Status.WITHDRAWN)
                .select_related("chosen_option")[:5]
            ),
            person_id=pk,
        ),
        "questionnaires": questionnaire_selectors.overview_summary_query(person, now=now),
    }


_CLOSED_GOALS = (Goal.LifecycleStatus.CANCELLED, Goal.LifecycleStatus.COMPLETED)


def _open_goals(goals: list[Goal], actions: list[Action]) -> list[Goal]:
    """The goals not cancelled or completed, each with its actions (``goal.actions.all()``), as
    ``prefetch_related("actions")`` would give them."""
    if goals:
        attach(goals, actions, field="goal", related="actions")
    return goals


def portal_next_steps(person, *, categories, next_consult=None, now=None) -> dict:
    """What the person can do now, for the top of their home page: questionnaires waiting (in
    progress or open), their own actions whose review date has come, and the next consult
    (within ``PREPARE_AHEAD``) if it is not prepared yet. Only categories the person may see.
    At most five queries."""
    now = now or timezone.now()
    C = access.Category
    questionnaires = questionnaire_selectors.portal_todo(person, now=now) if C.QUESTIONNAIRES in categories else []
    actions = []
    if C.GOALS in categories:
        actions = list(
            goal_due.actions_due(timezone.localdate(now))
            .filter(person=person, responsible=Responsible.PERSON)
            .select_related("goal")
            .order_by("review_date", "id")
        )
    return {
        "questionnaires": questionnaires,
        "actions": actions,
        "prepare": _consult_to_prepare(person, next_consult, now) if C.CONSULTS in categories else None,
    }


def _consult_to_prepare(person, consult, now) -> dict | None:
    """{"consult", "draft"} when the next consult is near and its preparation not handed in."""
    if consult is None or consult.scheduled_at > now + PREPARE_AHEAD:
        return None
    preparations = Preparation.objects.filter(person=person).filter(
        Q(consult=consult) | Q(status=Preparation.Status.DRAFT)
    )
    statuses = set(preparations.values_list("status", flat=True))
    if Preparation.Status.SUBMITTED in statuses:
        return None
    return {"consult": consult, "draft": Preparation.Status.DRAFT in statuses}
