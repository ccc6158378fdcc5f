"""Reads of questionnaires: which instruments, what is due or late, results and trajectories.

The caller has already checked access (the page decorators do). Every function that reads a
person's rows does so in a fixed number of queries, however many rows there are. The pure
parts (when an assignment is due, the chart's coordinates, the change per interval) take
plain values so they are tested without a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from koers.questionnaires import change, instruments, recovery, scoring
from koers.questionnaires.due import OPEN_WINDOW_DAYS, Due, due_state, overdue_filter  # noqa: F401 — the due rules
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
    rows = ImportedInstrument.objects.filter(organisation=organisation, active=True).order_by(
        "instrument_id", "-imported_at", "-id"
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


INTERVAL_LABELS = {
    14: gettext_lazy("elke 2 weken"),
    28: gettext_lazy("elke 4 weken"),
    42: gettext_lazy("elke 6 weken"),
    91: gettext_lazy("elke 3 maanden"),
    182: gettext_lazy("elke 6 maanden"),
    365: gettext_lazy("elk jaar"),
}


def schedule_label(assignment: Assignment) -> str:
    """How often, in words: "every 3 months" rather than "every 91 days" where it is one of the
    usual intervals."""
    if assignment.schedule != Assignment.Schedule.INTERVAL:
        return str(assignment.get_schedule_display())
    days = assignment.interval_days or 0
    if days in INTERVAL_LABELS:
        return str(INTERVAL_LABELS[days])
    return ngettext("elke %(n)s dag", "elke %(n)s dagen", days) % {"n": days}


def _consult_times(person) -> list[dt.datetime]:
    from koers.consults.models import Consult

    return list(
        Consult.objects.filter(person=person)
        .exclude(status=Consult.Status.CANCELLED)
        .values_list("scheduled_at", flat=True)
    )


def assignments_for_person(person, *, now=None) -> list[Assignment]:
    """Active assignments first (late ones on top), then those ended in the last year, each with
    ``due`` (a ``Due``). Two queries."""
    now = now or timezone.now()
    rows = list(
        Assignment.objects.filter(person=person)
        .exclude(
            status__in=[Assignment.Status.COMPLETED, Assignment.Status.CANCELLED],
            ended_at__lt=now - dt.timedelta(days=365),
        )
        .select_related("assigned_by", "imported")
        .order_by("assigned_at", "id")
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
        a.schedule_label = schedule_label(a)
    active = Assignment.Status.ACTIVE

    def order(a):
        far = dt.date.max
        return (a.status != active, not a.due.overdue, a.due.date or far, a.assigned_at)

    return sorted(rows, key=order)


def in_progress(person, *, mode: str | None = None) -> list[Response]:
    qs = Response.objects.filter(person=person, status=Response.Status.IN_PROGRESS).select_related("filled_by")
    if mode:
        qs = qs.filter(mode=mode)
    return list(qs.order_by("-started_at", "-id"))


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
    items = list(
        AttentionItem.objects.filter(person=person, handled_at__isnull=True)
        .select_related("response", "response__imported", "responsible")
        .order_by("-response_id", "id")
    )
    for item in items:
        item.label = attention_label(item, instrument_for(item.response), lang)
    return items


def attention_history(person, limit: int = 20, lang: str = "nl") -> list[AttentionItem]:
    """Worrying results a professional acted on, latest first: who, when and what was done."""
    items = list(
        AttentionItem.objects.filter(person=person, handled_at__isnull=False)
        .select_related("response", "response__imported", "handled_by")
        .order_by("-handled_at", "-id")[:limit]
    )
    for item in items:
        item.label = attention_label(item, instrument_for(item.response), lang)
    return items


# --- results and trajectories -----------------------------------------------------------------


@dataclass
class Point:
    score: Score
    date: dt.date
    total: float | None
    total_display: str
    band: object | None
    band_label: str
    scorable: bool
    flagged: bool
    missing: int

    @property
    def response_id(self) -> int:
        return self.score.response_id


@dataclass
class Interval:
    before: Point
    after: Point
    change: object  # change.reliable_change's result
    classification: str  # "recovered" | "improved" | "unchanged" | "deteriorated"
    label: str
    difference_display: str
    rci_display: str


@dataclass
class Trajectory:
    instrument: object
    instrument_id: str
    title: str
    points: list[Point] = field(default_factory=list)
    intervals: list[Interval] = field(default_factory=list)
    overall: Interval | None = None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def scorable_points(self) -> list[Point]:
        return [p for p in self.points if p.scorable]


CLASS_LABELS = {
    "recovered": gettext_lazy("hersteld: betrouwbaar verbeterd en nu aan de gezonde kant van de grens"),
    "improved": gettext_lazy("betrouwbaar verbeterd"),
    "unchanged": gettext_lazy("geen betrouwbare verandering"),
    "deteriorated": gettext_lazy("betrouwbaar verslechterd"),
}


def classify(ch) -> str:
    """Jacobson & Truax: recovered (reliably improved and past the clinical cut-off), reliably
    improved, unchanged, reliably deteriorated."""
    if ch is None or not ch.reliable:
        return "unchanged"
    if ch.direction == "improved":
        return "recovered" if ch.recovered else "improved"
    if ch.direction == "deteriorated":
        return "deteriorated"
    return "unchanged"


def band_of(inst, code: str):
    for band in inst.bands:
        if band.code == code:
            return band
    return None


def _signed(value, decimals: int, lang: str) -> str:
    text = scoring.format_number(abs(value), decimals, lang)
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return text


def interval(inst, before: Point, after: Point, lang: str = "nl") -> Interval | None:
    """The change from one scorable point to a later one, or None when the instrument has no
    norms to judge it by."""
    if before.total is None or after.total is None:
        return None
    try:
        ch = change.for_instrument(inst, before.total, after.total)
    except ValueError:  # change.NormsMissing: no norms to judge change by
        return None
    kind = classify(ch)
    return Interval(
        before=before,
        after=after,
        change=ch,
        classification=kind,
        label=str(CLASS_LABELS[kind]),
        difference_display=_signed(after.total - before.total, inst.main.decimals, lang),
        rci_display=_signed(round(ch.rci, 2), 2, lang),
    )


def _point(inst, s: Score, lang: str) -> Point:
    band = band_of(inst, s.band) if s.band else None
    scorable = bool(s.scorable and s.total is not None)
    return Point(
        score=s,
        date=timezone.localdate(s.authored_at),
        total=s.total if scorable else None,
        total_display=_display(s.total, inst.main, lang) if scorable else "",
        band=band,
        band_label=band.label(lang) if band else "",
        scorable=scorable,
        flagged=bool(s.flags),
        missing=s.missing,
    )


def build_trajectory(inst, instrument_id: str, scores: list[Score], lang: str = "nl") -> Trajectory:
    """Pure: points in time order and, between consecutive scorable points, the change; with
    three or more, also the change from the first to the latest."""
    points = [_point(inst, s, lang) for s in sorted(scores, key=lambda s: (s.authored_at, s.pk or 0))]
    scorable = [p for p in points if p.scorable]
    pairs = zip(scorable, scorable[1:], strict=False)
    intervals = [iv for b, a in pairs if (iv := interval(inst, b, a, lang)) is not None]
    overall = interval(inst, scorable[0], scorable[-1], lang) if len(scorable) > 2 else None
    return Trajectory(
        instrument=inst,
        instrument_id=instrument_id,
        title=inst.title(lang),
        points=points,
        intervals=intervals,
        overall=overall,
    )


def _scores(person, instrument_id=None) -> list[Score]:
    qs = Score.objects.filter(person=person)
    if instrument_id is not None:
        qs = qs.filter(instrument_id=instrument_id)
    return list(qs.select_related("response", "response__imported").order_by("instrument_id", "authored_at", "id"))


def scores_for(person) -> list[Score]:
    """All scores of a person with their responses, by instrument and date: one query, to pass to
    ``trajectories`` and ``recovery_overview`` when a page shows both."""
    return _scores(person)


def trajectories(person, lang: str = "nl", *, scores: list[Score] | None = None) -> list[Trajectory]:
    """One trajectory per instrument the person has results of, latest result first. One query
    (none with ``scores``; imported instruments are parsed once per process)."""
    by_instrument: dict[str, list[Score]] = {}
    for s in _scores(person) if scores is None else scores:
        by_instrument.setdefault(s.instrument_id, []).append(s)
    found = [
        build_trajectory(instrument_for(rows[-1].response), instrument_id, rows, lang)
        for instrument_id, rows in by_instrument.items()
    ]
    return sorted(found, key=lambda t: t.points[-1].score.authored_at, reverse=True)


def trajectory(person, instrument_id: str, lang: str = "nl") -> Trajectory | None:
    rows = _scores(person, instrument_id)
    if not rows:
        return None
    return build_trajectory(instrument_for(rows[-1].response), instrument_id, rows, lang)


def trajectory_rows(found: Trajectory) -> list[dict]:
    """The chart's text alternative: every point with the change since the previous scorable one."""
    by_after = {id(iv.after): iv for iv in found.intervals}
    rows = []
    for p in found.points:
        iv = by_after.get(id(p))
        rows.append(
            {
                "date": p.date,
                "response_id": p.response_id,
                "scorable": p.scorable,
                "total_display": p.total_display,
                "band_label": p.band_label,
                "flagged": p.flagged,
                "missing": p.missing,
                "difference_display": iv.difference_display if iv else "",
                "rci_display": iv.rci_display if iv else "",
                "classification": iv.classification if iv else "",
                "label": iv.label if iv else "",
            }
        )
    return rows


# --- the chart, drawn on the server -----------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 480, 230
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 40, 12, 10, 28


def _nice_range(inst, values: list[float]) -> tuple[float, float]:
    main = inst.main
    low = main.minimum if main.minimum is not None else min([*values, *(b.lower for b in main.bands)] or [0])
    high = main.maximum if main.maximum is not None else max(values or [low + 1])
    low = min([low, *values])
    high = max([high, *values])
    if high <= low:
        high = low + 1
    return float(low), float(high)


def _day(day: dt.date) -> str:
    """A date in words in the active language ("3 december 2026"), as the tables show it."""
    return date_format(day, "j F Y")


def trajectory_chart(found: Trajectory, lang: str = "nl") -> dict | None:
    """Coordinates for an inline SVG of the scores over time (pure; no queries).

    Time runs left to right in proportion to the dates; the instrument's score range runs
    bottom to top, with its severity bands as coloured bands behind the line and the clinical
    cut-off (when the norms give one) as a dashed line.
    """
    inst = found.instrument
    points = found.scorable_points
    if not points:
        return None
    low, high = _nice_range(inst, [p.total for p in points])
    inner_w = CHART_WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = CHART_HEIGHT - PAD_TOP - PAD_BOTTOM
    bottom = CHART_HEIGHT - PAD_BOTTOM

    def y(value: float) -> float:
        return round(PAD_TOP + (high - value) / (high - low) * inner_h, 1)

    first, last = points[0].date, points[-1].date
    span = (last - first).days

    def x(day: dt.date) -> float:
        if span == 0:
            return round(PAD_LEFT + inner_w / 2, 1)
        return round(PAD_LEFT + (day - first).days / span * inner_w, 1)

    decimals = inst.main.decimals
    bands = []
    main_bands = list(inst.bands)
    for index, band in enumerate(main_bands):
        upper = main_bands[index + 1].lower if index + 1 < len(main_bands) else high
        lower = max(band.lower, low)
        upper = min(upper, high)
        if upper <= lower:
            continue
        shown_upper = upper if index + 1 == len(main_bands) else upper - (1 if decimals == 0 else 10**-decimals)
        bands.append(
            {
                "index": min(index, 5),
                "y": y(upper),
                "height": round(y(lower) - y(upper), 1),
                "label": band.label(lang),
                "range_display": f"{scoring.format_number(lower, decimals, lang)}–"
                f"{scoring.format_number(shown_upper, decimals, lang)}",
            }
        )
    tick_values = sorted({low, high, *(b.lower for b in main_bands if low < b.lower < high)})
    ticks = [{"y": y(v), "label": scoring.format_number(v, decimals, lang)} for v in tick_values]
    dots = [{"x": x(p.date), "y": y(p.total), "point": p} for p in points]
    cutoff = None
    ch = found.intervals[0].change if found.intervals else None
    cutoff_value = getattr(ch, "cutoff", None) if ch is not None else (inst.norms.cutoff if inst.norms else None)
    if cutoff_value is not None and low <= cutoff_value <= high:
        cutoff = {"y": y(cutoff_value), "display": scoring.format_number(cutoff_value, 2, lang)}
    x_labels = [{"x": PAD_LEFT, "text": _day(first), "anchor": "start"}]
    if span:
        x_labels.append({"x": CHART_WIDTH - PAD_RIGHT, "text": _day(last), "anchor": "end"})
    title = _("%(title)s: score over de tijd") % {"title": found.title}
    description = _(
        "%(n)s metingen van %(first)s tot %(last)s; de score ging van %(from)s naar %(to)s. "
        "De getallen staan in de tabel hieronder."
    ) % {
        "n": len(points),
        "first": _day(first),
        "last": _day(last),
        "from": points[0].total_display,
        "to": points[-1].total_display,
    }
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": PAD_LEFT,
        "right": CHART_WIDTH - PAD_RIGHT,
        "top": PAD_TOP,
        "bottom": bottom,
        "inner_width": inner_w,
        "tick_x": PAD_LEFT - 6,
        "label_y": CHART_HEIGHT - 8,
        "bands": bands,
        "ticks": ticks,
        "cutoff": cutoff,
        "dots": dots,
        "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots) if len(dots) > 1 else "",
        "x_labels": x_labels,
        "better": inst.main.better or inst.better or "lower",
        "title": str(title),
        "description": str(description),
    }


def _lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "nl").split("-")[0]


# --- texts and answers for the pages ---------------------------------------------------------


def intro_texts(inst, lang: str) -> list[str]:
    """The instrument's own introduction (e.g. PHQ-9's "How often in the past 2 weeks…")."""
    return [text for text in inst.intro(lang) if text]


def question_stem(inst, lang: str) -> str:
    """The introduction repeated above each question on the one-question pages, so a question
    such as "Little interest or pleasure in doing things" stands on its own."""
    return " ".join(intro_texts(inst, lang))


def minutes_needed(inst) -> int:
    """A plain estimate for the introduction: about 15 seconds a question, at least 2 minutes."""
    return max(2, round(len(answerable_items(inst)) * 15 / 60))


def first_unanswered(numbered, answers: dict) -> int | None:
    for number, item in numbered:
        if item.link_id not in answers:
            return number
    return None


def answer_display(item, value, lang: str) -> str:
    if value is None:
        return ""
    if item.type == "choice":
        option = item.option(str(value))
        return option.display(lang) if option else str(value)
    if item.type == "boolean":
        return str(_("ja") if value else _("nee"))
    if item.type in ("integer", "decimal"):
        return scoring.format_number(value, 2, lang)
    return str(value)


def answer_rows(inst, answers: dict, lang: str, *, numbered=None, flagged=()) -> list[dict]:
    """Every question with its answer in words and, for a scored option, its value."""
    numbered = numbered or list(enumerate(answerable_items(inst), start=1))
    rows = []
    for number, item in numbered:
        value = answers.get(item.link_id)
        option = item.option(str(value)) if item.type == "choice" and value is not None else None
        rows.append(
            {
                "number": number,
                "link_id": item.link_id,
                "text": item.text(lang),
                "answered": value is not None,
                "answer": answer_display(item, value, lang),
                "value": option.value
                if option is not None
                else (value if item.type in ("integer", "decimal") else None),
            }
        )
    return rows


def _display(value, score_def, lang: str) -> str:
    if value is None:
        return ""
    return scoring.format_number(value, score_def.decimals if score_def else 2, lang)


def score_view(inst, score: Score | None, lang: str) -> dict | None:
    """A stored score ready for the page: the main score, its band and the subscales, labelled."""
    if score is None:
        return None
    main = inst.main
    band = band_of(inst, score.band)
    subscales = []
    for name, value in (score.subscales or {}).items():
        definition = inst.score_def(name)
        subscales.append(
            {
                "name": name,
                "label": definition.label(lang) if definition else name,
                "value": value,
                "value_display": _display(value, definition, lang) if value is not None else str(_("niet te scoren")),
            }
        )
    return {
        "scorable": score.scorable and score.total is not None,
        "total": score.total,
        "total_display": _display(score.total, main, lang),
        "band_label": band.label(lang) if band else "",
        "subscales": subscales,
        "missing": score.missing,
        "flags": [flag_label(inst, code, lang) for code in score.flags or ()],
    }


def flag_label(inst, code: str, lang: str) -> str:
    for flag in getattr(inst, "flags", ()) or ():
        if flag.code == code:
            return flag.label(lang)
    return code


def attention_label(item: AttentionItem, inst, lang: str) -> str:
    if item.kind == AttentionItem.Kind.FLAG:
        return str(_("Zorgelijk antwoord: %(what)s") % {"what": flag_label(inst, item.code, lang)})
    band = band_of(inst, item.code)
    return str(_("Ernstige uitslag: %(band)s") % {"band": band.label(lang) if band else item.code})


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


def shipped_catalogue(lang: str) -> list[dict]:
    return [
        {"id": inst.id, "title": inst.title(lang), "version": inst.version, "copyright": inst.licence or inst.copyright}
        for inst in sorted(instruments.all(), key=lambda i: i.title(lang).lower())
    ]


# --- the person's own results (portal) ----------------------------------------------------------


def _since_first(inst, first: Score, score: Score, lang: str) -> str:
    """One sentence on the whole way so far, for a person with three or more results."""
    try:
        ch = change.for_instrument(inst, first.total, score.total)
    except ValueError:
        return ""
    verdict = {
        "improved": _("dat is een echte verbetering."),
        "deteriorated": _("dat is een echte verslechtering."),
    }.get(ch.direction, _("of dat een echte verandering is, is nog niet zeker."))
    return _("Sinds de eerste keer (%(date)s) ging uw score van %(first)s naar %(now)s: %(verdict)s") % {
        "date": _day(timezone.localdate(first.authored_at)),
        "first": _display(first.total, inst.main, lang),
        "now": _display(score.total, inst.main, lang),
        "verdict": verdict,
    }


def _result_for(inst, score: Score, previous: Score | None, lang: str, first: Score | None = None) -> dict:
    main = inst.main
    band = band_of(inst, score.band) if score.band else None
    scorable = bool(score.scorable and score.total is not None)
    explanation = ""
    if scorable and previous is not None and previous.total is not None:
        try:
            ch = change.for_instrument(inst, previous.total, score.total)
        except ValueError:  # no norms: say only what the numbers were
            ch = None
        if ch is not None:
            explanation = change.explain(ch, inst, lang=lang)
        else:
            explanation = _("De vorige keer was uw score %(before)s.") % {
                "before": _display(previous.total, main, lang)
            }
    elif scorable:
        explanation = _(
            "Dit is de eerste keer dat u deze vragenlijst invulde. "
            "De volgende keer ziet u hier of er iets veranderd is."
        )
    better = main.better or inst.better
    meaning = ""
    if scorable and better == "lower":
        meaning = _("Bij deze vragenlijst is een lagere score beter.")
    elif scorable and better == "higher":
        meaning = _("Bij deze vragenlijst is een hogere score beter.")
    if explanation and meaning and meaning in explanation:
        meaning = ""
    since_first = ""
    if scorable and first is not None and previous is not None and first.pk != previous.pk:
        since_first = _since_first(inst, first, score, lang)
    return {
        "response": score.response,
        "title": inst.title(lang),
        "date": timezone.localdate(score.authored_at),
        "scorable": scorable,
        "total_display": _display(score.total, main, lang) if scorable else "",
        "max_display": _display(main.maximum, main, lang) if main.maximum is not None else "",
        "band_label": band.label(lang) if band else "",
        "meaning": meaning,
        "explanation": str(explanation),
        "since_first": str(since_first),
    }


def portal_results(person, lang: str = "nl") -> list[dict]:
    """The latest result per instrument, explained against the one before. One query."""
    by_instrument: dict[str, list[Score]] = {}
    for s in _scores(person):
        by_instrument.setdefault(s.instrument_id, []).append(s)
    results = []
    for rows in by_instrument.values():
        latest = rows[-1]
        earlier = [r for r in rows[:-1] if r.scorable and r.total is not None]
        previous, first = (earlier[-1], earlier[0]) if earlier else (None, None)
        results.append(_result_for(instrument_for(latest.response), latest, previous, lang, first))
    return sorted(results, key=lambda r: r["response"].authored_at, reverse=True)


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
    return _result_for(instrument_for(response), score, previous, lang, first)


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
                        "total_display": _display(ds.value, definition, lang),
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
    kind = classify(ch)
    return {"classification": kind, "label": str(CLASS_LABELS[kind]), "change": ch}


# --- for the person overview in the workspace ----------------------------------------------------


def _count(qs) -> Subquery:
    return Subquery(qs.order_by().values("person").annotate(n=Count("pk")).values("n")[:1])


def overview_summary(person, *, now=None) -> dict:
    """What the person overview shows of questionnaires, in one query: how many worrying results
    nobody has acted on yet, how many assignments are late, how many are set."""
    row = (
        type(person)
        .objects.filter(pk=person.pk)
        .annotate(
            attention=_count(AttentionItem.objects.filter(person=OuterRef("pk"), handled_at__isnull=True)),
            overdue=_count(Assignment.objects.filter(overdue_filter(now), person=OuterRef("pk"))),
            active=_count(Assignment.objects.filter(person=OuterRef("pk"), status=Assignment.Status.ACTIVE)),
        )
        .values("attention", "overdue", "active")
        .get()
    )
    return {key: value or 0 for key, value in row.items()}
