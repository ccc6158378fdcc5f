"""Texts for the questionnaire pages: how often, the instrument's introduction, answers and
scores in words, flags and attention labels, and a person's own result explained. Pure apart
from the translations: no queries (the selectors read, these words it)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from koers.lib.dates import day_text
from koers.questionnaires import change, instruments, scoring
from koers.questionnaires.models import Assignment, AttentionItem, Score
from koers.questionnaires.results import band_of, score_display

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


def intro_texts(inst, lang: str) -> list[str]:
    """The instrument's own introduction (e.g. PHQ-9's "How often in the past 2 weeks…")."""
    return [text for text in inst.intro(lang) if text]


def question_stem(inst, lang: str) -> str:
    """The introduction repeated above each question on the one-question pages, so a question
    such as "Little interest or pleasure in doing things" stands on its own."""
    return " ".join(intro_texts(inst, lang))


def minutes_needed(inst) -> int:
    """A plain estimate for the introduction: about 15 seconds a question, at least 2 minutes."""
    return max(2, round(len(inst.answer_items) * 15 / 60))


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
    numbered = numbered or list(enumerate(inst.answer_items, start=1))
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


def calculated_rows(inst, resource: dict, lang: str) -> list[dict]:
    """The calculated items that yield a Coding or a text (shown, not scored), from the stored
    QuestionnaireResponse: their question text and what the calculation gave."""
    rows = []
    for item in inst.shown_calculations:
        answer = scoring.answer_in(resource or {}, item.link_id)
        if answer:
            rows.append({"text": item.text(lang) or item.link_id, "value": scoring.shown_text(answer)})
    return rows


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
                "value_display": score_display(value, definition, lang)
                if value is not None
                else str(_("niet te scoren")),
            }
        )
    return {
        "scorable": score.scorable and score.total is not None,
        "total": score.total,
        "total_display": score_display(score.total, main, lang),
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


def shipped_catalogue(lang: str) -> list[dict]:
    return [
        {"id": inst.id, "title": inst.title(lang), "version": inst.version, "copyright": inst.licence or inst.copyright}
        for inst in sorted(instruments.all(), key=lambda i: i.title(lang).lower())
    ]


# --- the person's own results (portal) ----------------------------------------------------------


def _since_first(inst, first: Score, score: Score, lang: str, name: str = "") -> str:
    """One sentence on the whole way so far, for a person with three or more results."""
    try:
        ch = change.for_instrument(inst, first.total, score.total)
    except ValueError:
        return ""
    verdict = {
        "improved": _("dat is een echte verbetering."),
        "deteriorated": _("dat is een echte verslechtering."),
    }.get(ch.direction, _("of dat een echte verandering is, is nog niet zeker."))
    numbers = {
        "date": day_text(timezone.localdate(first.authored_at)),
        "first": score_display(first.total, inst.main, lang),
        "now": score_display(score.total, inst.main, lang),
        "verdict": verdict,
        "name": name,
    }
    if name:
        return (
            _("Sinds de eerste keer (%(date)s) ging de score van %(name)s van %(first)s naar %(now)s: %(verdict)s")
            % numbers
        )
    return _("Sinds de eerste keer (%(date)s) ging uw score van %(first)s naar %(now)s: %(verdict)s") % numbers


def result_view(
    inst, score: Score, previous: Score | None, lang: str, first: Score | None = None, *, name: str = ""
) -> dict:
    """A result in plain words for the person; with ``name`` about the person, for a relative."""
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
            explanation = change.explain(ch, inst, lang=lang, name=name)
        else:
            before = {"before": score_display(previous.total, main, lang), "name": name}
            if name:
                explanation = _("De vorige keer was de score van %(name)s %(before)s.") % before
            else:
                explanation = _("De vorige keer was uw score %(before)s.") % before
    elif scorable and name:
        explanation = _(
            "Dit is de eerste keer dat %(name)s deze vragenlijst invulde. "
            "De volgende keer ziet u hier of er iets veranderd is."
        ) % {"name": name}
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
        since_first = _since_first(inst, first, score, lang, name)
    return {
        "response": score.response,
        "title": inst.title(lang),
        "date": timezone.localdate(score.authored_at),
        "scorable": scorable,
        "total_display": score_display(score.total, main, lang) if scorable else "",
        "max_display": score_display(main.maximum, main, lang) if main.maximum is not None else "",
        "band_label": band.label(lang) if band else "",
        "meaning": meaning,
        "explanation": str(explanation),
        "since_first": str(since_first),
    }
