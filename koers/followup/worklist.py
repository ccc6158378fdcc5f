"""The professional's worklist: everything due, built straight from the database.

Nothing here reads notification rows: a worrying answer, a follow-up or a screening is on the
list because the data says so, also when no background worker has run. One query per kind of
item, whatever the number of persons or items. Only persons the access layer lets the user see,
per kind of data.

- ``build`` makes the list (worrying answers first, then by due date), leaving out items a
  professional marked as handled (``WorklistMark``, see ``services.worklist_mark``).
- ``arrange`` filters, sorts and groups it for the page (pure); worrying answers stay on top
  whatever the filter, until someone records what was done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from koers import access
from koers.accounts.models import User
from koers.careplans import reminders as plan_reminders
from koers.careplans.models import CarePlanSignOff, FollowUpAgreement
from koers.consults.models import Consult
from koers.crisisplans import selectors as crisis_selectors
from koers.decisions.models import DecisionConfirmation
from koers.followup.models import RelativeNote
from koers.followup.selectors import (
    EVALUATION_WHAT,
    SCREENING_WHAT,
    _evaluation_bases,
    evaluation_due_date,
    responsible_professionals,
)
from koers.goals import due as goal_due
from koers.goals.models import Goal
from koers.people.models import Person, SupportLevelDecision
from koers.questionnaires import due as questionnaire_due
from koers.questionnaires.models import Assignment, AttentionItem, shown_title_of
from koers.questionnaires.selectors import instrument_for
from koers.questionnaires.texts import attention_label
from koers.screening import due as screening_due

Category = access.Category
HORIZON_DAYS = 14

KIND_WORRYING = "worrying_answer"
KIND_FOLLOW_UP = "follow_up"
KIND_ACTION_REVIEW = "action_review"
KIND_GOAL_EVALUATION = "goal_evaluation"
KIND_QUESTIONNAIRE = "questionnaire"
KIND_YEARLY_EVALUATION = "yearly_evaluation"
KIND_SCREENING = "somatic_screening"
KIND_NOT_SEEN = "not_seen"
KIND_RELATIVE_NOTE = "relative_note"
KIND_CRISIS_REPORT = "crisis_report"
KIND_DECISION_NOT_YET = "decision_not_yet"
KIND_PLAN_COMMENT = "plan_comment"

KIND_LABELS = {
    KIND_WORRYING: gettext_lazy("Zorgelijk antwoord"),
    KIND_FOLLOW_UP: gettext_lazy("Vervolgafspraak"),
    KIND_ACTION_REVIEW: gettext_lazy("Actie evalueren"),
    KIND_GOAL_EVALUATION: gettext_lazy("Doel evalueren"),
    KIND_QUESTIONNAIRE: gettext_lazy("Vragenlijst"),
    KIND_YEARLY_EVALUATION: gettext_lazy("Jaarlijkse evaluatie"),
    KIND_SCREENING: gettext_lazy("Jaarlijkse lichamelijke controle"),
    KIND_NOT_SEEN: gettext_lazy("Langer niet gezien dan afgesproken"),
    KIND_RELATIVE_NOTE: gettext_lazy("Vraag of zorg van een naaste"),
    KIND_CRISIS_REPORT: gettext_lazy("Signalen uit het crisisplan"),
    KIND_DECISION_NOT_YET: gettext_lazy("Cliënt nog niet eens met besluit"),
    KIND_PLAN_COMMENT: gettext_lazy("Opmerking van de cliënt bij het zorgplan"),
}

# Which kind of data an item is about: the access layer decides per category.
KIND_CATEGORY = {
    KIND_WORRYING: Category.QUESTIONNAIRES,
    KIND_FOLLOW_UP: Category.CAREPLAN,
    KIND_YEARLY_EVALUATION: Category.CAREPLAN,
    KIND_ACTION_REVIEW: Category.GOALS,
    KIND_GOAL_EVALUATION: Category.GOALS,
    KIND_QUESTIONNAIRE: Category.QUESTIONNAIRES,
    KIND_SCREENING: Category.MEASUREMENTS,
    KIND_NOT_SEEN: Category.CONSULTS,
    KIND_RELATIVE_NOTE: Category.RELATIVE_NOTES,
    KIND_CRISIS_REPORT: Category.CRISIS_REPORTS,
    # The person's word is read in the topic of the decisions / the care plan (DECISION_AGREEMENT,
    # CAREPLAN_SIGNOFF); marking it handled is an update the care team may do in that topic.
    KIND_DECISION_NOT_YET: Category.DECISIONS,
    KIND_PLAN_COMMENT: Category.CAREPLAN,
}
# A worrying answer leaves the list only when someone writes down what was done (the
# questionnaires app's attention_handle), never by a one-click mark.
MARKABLE = frozenset(KIND_CATEGORY) - {KIND_WORRYING}

# Follow-up agreements that are not a moment of seeing the person (sharing a diary through the
# portal) say nothing about how often the person is seen.
NOT_A_CONTACT = (FollowUpAgreement.Method.PORTAL,)


@dataclass
class WorkItem:
    person_id: int
    kind: str
    what: str
    due_date: dt.date
    overdue: bool
    link: tuple  # (url name, args)
    object_type: str = ""
    object_id: int = 0
    urgent: bool = False
    person: object = None
    responsible: tuple = ()
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse(self.link[0], args=self.link[1])

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def key(self) -> str:
        """Names the item for a mark: kind, object and due date (see ``parse_key``)."""
        return "|".join((self.kind, self.object_type, str(self.object_id), self.due_date.isoformat()))

    @property
    def markable(self) -> bool:
        return self.kind in MARKABLE


def parse_key(key) -> tuple[str, str, int, dt.date] | None:
    """(kind, object_type, object_id, due_date) from ``WorkItem.key``; None when it is not one."""
    parts = str(key or "").split("|")
    if len(parts) != 4 or parts[0] not in KIND_CATEGORY:
        return None
    try:
        return parts[0], parts[1], int(parts[2]), dt.date.fromisoformat(parts[3])
    except ValueError:
        return None


@dataclass
class _Build:
    today: dt.date
    horizon: dt.date
    now: dt.datetime
    items: list = field(default_factory=list)

    def add(self, person_id, kind, what, due_date, link, object_type, object_id, **extra):
        item = WorkItem(person_id, kind, what, due_date, due_date < self.today, link, object_type, object_id)
        item.extra = extra
        self.items.append(item)
        return item


def _follow_ups(b: _Build, ids) -> dict[int, list[str]]:
    """Follow-ups due within the horizon; returns the agreed contact frequencies per person."""
    frequencies: dict[int, list[str]] = {}
    rows = FollowUpAgreement.objects.filter(person_id__in=ids, active=True).values_list(
        "pk", "person_id", "what", "method", "frequency", "next_date"
    )
    for pk, person_id, what, method, frequency, next_date in rows:
        if method not in NOT_A_CONTACT:
            frequencies.setdefault(person_id, []).append(frequency)
        if next_date is not None and next_date <= b.horizon:
            b.add(
                person_id,
                KIND_FOLLOW_UP,
                what,
                next_date,
                ("careplans:plan", (person_id,)),
                "careplans.FollowUpAgreement",
                pk,
            )
    return frequencies


def _evaluations(b: _Build, ids) -> None:
    plans = (
        _evaluation_bases()
        .filter(person_id__in=ids)
        .values_list("pk", "person_id", "last_evaluation", "first_version_at")
    )
    for plan_id, person_id, last, first in plans:
        due = evaluation_due_date(last, first)
        if due is not None and due <= b.horizon:
            link = ("followup:evaluation", (person_id,))
            b.add(person_id, KIND_YEARLY_EVALUATION, str(EVALUATION_WHAT), due, link, "careplans.CarePlan", plan_id)


def _goals_and_actions(b: _Build, ids) -> None:
    actions = (
        goal_due.actions_due(b.horizon)
        .filter(person_id__in=ids)
        .values_list("pk", "person_id", "goal_id", "what", "review_date")
    )
    for pk, person_id, goal_id, what, review_date in actions:
        b.add(
            person_id, KIND_ACTION_REVIEW, what, review_date, ("goals:detail", (person_id, goal_id)), "goals.Action", pk
        )
    goals = Goal.objects.filter(
        person_id__in=ids,
        lifecycle_status=Goal.LifecycleStatus.ACTIVE,
        target_date__isnull=False,
        target_date__lte=b.horizon,
    ).values_list("pk", "person_id", "description", "target_date")
    for pk, person_id, description, target_date in goals:
        b.add(
            person_id,
            KIND_GOAL_EVALUATION,
            description,
            target_date,
            ("goals:detail", (person_id, pk)),
            "goals.Goal",
            pk,
        )


def _questionnaires(b: _Build, ids) -> None:
    late = Assignment.objects.filter(questionnaire_due.overdue_filter(b.now))
    rows = (
        (late | questionnaire_due.assignments_due(b.horizon))
        .filter(person_id__in=ids)
        .values_list("pk", "person_id", "instrument_id", "imported_id", "title", "due_date")
    )
    for pk, person_id, instrument_id, imported_id, title, due_date in rows:
        link = ("questionnaires:list", (person_id,))
        shown = shown_title_of(instrument_id, imported_id, title)
        b.add(person_id, KIND_QUESTIONNAIRE, shown, due_date or b.today, link, "questionnaires.Assignment", pk)


def _screenings(b: _Build, ids) -> None:
    """The yearly somatic screening (severe mental illness), planned and due within the horizon."""
    rows = screening_due.screenings_due(b.horizon).filter(person_id__in=ids)
    for pk, person_id, due_date in rows.values_list("pk", "person_id", "due_date"):
        link = ("screening:overview", (person_id,))
        b.add(person_id, KIND_SCREENING, str(SCREENING_WHAT), due_date, link, "screening.SomaticScreening", pk)


def _worrying(b: _Build, ids, keep) -> None:
    """Open attention items (a worrying answer, the most severe band): on top, in red, until a
    professional records what was done. ``keep(person_id, responsible_id)`` says whose list."""

    lang = (get_language() or "nl").split("-")[0]
    rows = AttentionItem.objects.filter(person_id__in=ids, handled_at__isnull=True).select_related(
        "response", "response__imported"
    )
    for attention in rows.order_by("created_at", "id"):
        if not keep(attention.person_id, attention.responsible_id):
            continue
        response = attention.response
        item = b.add(
            attention.person_id,
            KIND_WORRYING,
            attention_label(attention, instrument_for(response), lang),
            timezone.localdate(attention.created_at),
            ("questionnaires:response", (attention.person_id, response.pk)),
            "questionnaires.AttentionItem",
            attention.pk,
            response_id=response.pk,
            title=response.title_shown,
            created_at=attention.created_at,
        )
        item.overdue, item.urgent = False, True


def _relative_notes(b: _Build, ids) -> None:
    """A relative's question or concern (issue #13): on the list from the day it was written until
    someone marks it handled. The words stay on the notes page; the list names the relative."""
    rows = RelativeNote.objects.filter(person_id__in=ids).select_related("relative")
    for note in rows.order_by("written_at", "id"):
        link = ("followup:relative_notes", (note.person_id,))
        what = note.relative.display_name()
        b.add(
            note.person_id,
            KIND_RELATIVE_NOTE,
            what,
            timezone.localdate(note.written_at),
            link,
            "followup.RelativeNote",
            note.pk,
        )


def _crisis_reports(b: _Build, ids) -> None:
    """Signs reported (issue #13): a relative's, or the person's own early signs or crisis. On
    top, in red, with the phase, from the moment it was made until someone marks it handled
    (a ``WorklistMark``: handled, not deleted). The signs themselves are on the crisis-plan page."""
    for report in crisis_selectors.reports_signalled(ids):
        item = b.add(
            report.person_id,
            KIND_CRISIS_REPORT,
            report.reporter.display_name() if report.reporter else "",
            timezone.localdate(report.created_at),
            ("crisisplans:plan", (report.person_id,)),
            "crisisplans.SignReport",
            report.pk,
            phase=report.get_phase_display(),
            by_person=report.by_person,
            created_at=report.created_at,
        )
        item.overdue, item.urgent = False, True


def _quoted(label: str, comment: str) -> str:
    return f"{label}: “{comment}”" if comment else label


def _not_yet_agreed(b: _Build, decision_ids, plan_ids) -> None:
    """The person's "nog niet eens" (issue #13): on a decision, or a comment on a plan version, while
    it is their current word, until someone marks it handled. The comment is shown: the list is
    built only for who may read the decisions / the care plan of the person."""
    rows = DecisionConfirmation.objects.filter(person_id__in=decision_ids).select_related("decision")
    seen = set()
    for given in rows.order_by("-given_at", "-id"):
        if given.decision_id in seen:
            continue
        seen.add(given.decision_id)
        if given.answer == DecisionConfirmation.Answer.NOT_YET:
            link = ("decisions:detail", (given.person_id, given.decision_id))
            what = _quoted(given.decision.question, given.comment)
            day = timezone.localdate(given.given_at)
            b.add(given.person_id, KIND_DECISION_NOT_YET, what, day, link, "decisions.DecisionConfirmation", given.pk)
    signoffs = CarePlanSignOff.objects.filter(person_id__in=plan_ids).order_by("-given_at", "-id")
    comments = plan_reminders.current_comments(
        signoffs.values_list("pk", "version_id", "answer", "given_at", "comment", "person_id")
    )
    numbers = dict(signoffs.filter(pk__in=comments).values_list("pk", "version__number"))
    for pk, (given_at, comment, person_id) in comments.items():
        link = ("careplans:version", (person_id, numbers[pk]))
        what = _quoted(str(gettext_lazy("Versie %(number)s") % {"number": numbers[pk]}), comment)
        b.add(person_id, KIND_PLAN_COMMENT, what, timezone.localdate(given_at), link, "careplans.CarePlanSignOff", pk)


def _persons(ids, now):
    latest_level = SupportLevelDecision.objects.filter(person_id=OuterRef("pk")).order_by("-decided_at", "-id")
    last_consult = (
        Consult.objects.filter(person_id=OuterRef("pk"), scheduled_at__lt=now)
        .exclude(status=Consult.Status.CANCELLED)
        .order_by()
        .values("person_id")
        .annotate(last=Max("scheduled_at"))
        .values("last")
    )
    rows = Person.objects.filter(pk__in=ids).annotate(
        support_level=Subquery(latest_level.values("level")[:1]),
        last_seen_at=Coalesce(Subquery(last_consult[:1]), "created_at"),
    )
    return {p.pk: p for p in rows}


def _agreed_days(frequencies: list[str], level: str | None) -> tuple[int, bool]:
    """(days, agreed): the shortest readable agreed frequency, else the Koers default for the level."""
    from koers.followup import rhythm

    readable = [d for d in (rhythm.days_from_text(f) for f in frequencies) if d]
    if readable:
        return min(readable), True
    return rhythm.suggest_rhythm(level).interval.days, False


def _not_seen(b: _Build, ids, persons, frequencies) -> None:
    for person_id in ids:
        person = persons[person_id]
        days, agreed = _agreed_days(frequencies.get(person_id, []), person.support_level)
        last_seen = timezone.localtime(person.last_seen_at).date()
        due = last_seen + dt.timedelta(days=days)
        if due < b.today:
            link = ("workspace:person", (person_id,))
            b.add(
                person_id,
                KIND_NOT_SEEN,
                "",
                due,
                link,
                "people.Person",
                person_id,
                last_seen=last_seen,
                days=days,
                agreed=agreed,
            )


def _without_marked(items: list[WorkItem], person_ids) -> list[WorkItem]:
    from koers.followup.models import WorklistMark

    marked = {
        (kind, object_type, object_id, due)
        for kind, object_type, object_id, due in WorklistMark.objects.filter(
            person_id__in=person_ids, undone_at__isnull=True
        ).values_list("kind", "object_type", "object_id", "due_date")
    }
    return [i for i in items if not (i.markable and (i.kind, i.object_type, i.object_id, i.due_date) in marked)]


def _name_responsible(items, persons, responsible) -> None:
    wanted = {pk for item in items for pk in responsible.get(item.person_id, ())}
    names = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=wanted)}
    for item in items:
        item.person = persons[item.person_id]
        item.responsible = tuple(names[pk] for pk in responsible.get(item.person_id, ()) if pk in names)


def _visible(user, person_ids) -> dict:
    categories = (
        Category.CAREPLAN,
        Category.GOALS,
        Category.QUESTIONNAIRES,
        Category.CONSULTS,
        Category.MEASUREMENTS,
        Category.RELATIVE_NOTES,
        Category.CRISIS_REPORTS,
        Category.DECISIONS,
    )
    visible = {c: set(access.visible_person_ids(user, category=c, include_self=False)) for c in categories}
    if person_ids is not None:
        visible = {c: ids & set(person_ids) for c, ids in visible.items()}
    return visible


def build(user, *, team: bool = False, today: dt.date | None = None, horizon_days: int = HORIZON_DAYS, person_ids=None):
    """What is due or overdue (and due within ``horizon_days``) for the persons in ``user``'s care.

    ``team=False``: persons for whom ``user`` is the responsible professional (or, when nobody is
    marked responsible, a member of the care team), and worrying answers reported to ``user``.
    ``team=True``: everyone in the user's care. ``person_ids`` narrows it (one person's items, for
    the services). Returns (items, worrying answers first then by due date; persons by id).
    """
    now = timezone.now()
    today = today or timezone.localdate(now)
    b = _Build(today, today + dt.timedelta(days=horizon_days), now)
    visible = _visible(user, person_ids)
    everyone = set().union(*visible.values())
    if not everyone:
        return [], {}
    responsible = responsible_professionals(list(everyone))
    mine = everyone if team else {pid for pid in everyone if user.pk in responsible.get(pid, ())}
    scoped = {c: ids & mine for c, ids in visible.items()}

    frequencies = _follow_ups(b, scoped[Category.CAREPLAN])
    _evaluations(b, scoped[Category.CAREPLAN])
    _goals_and_actions(b, scoped[Category.GOALS])
    _questionnaires(b, scoped[Category.QUESTIONNAIRES])
    _screenings(b, scoped[Category.MEASUREMENTS])
    _relative_notes(b, scoped[Category.RELATIVE_NOTES])
    _crisis_reports(b, scoped[Category.CRISIS_REPORTS])
    _not_yet_agreed(b, scoped[Category.DECISIONS], scoped[Category.CAREPLAN])
    _worrying(b, visible[Category.QUESTIONNAIRES], lambda pid, to: pid in mine or to == user.pk)
    persons = _persons(mine | {item.person_id for item in b.items}, now) if (mine or b.items) else {}
    _not_seen(b, scoped[Category.CONSULTS], persons, frequencies)
    items = _without_marked(b.items, list(persons))
    _name_responsible(items, persons, responsible)
    return arrange(items), persons


# --- filter, sort, group (pure) ------------------------------------------------------------------

SORT_DATE, SORT_CLIENT, SORT_KIND = "datum", "client", "soort"


def _name_key(item):
    """Dutch name order from the keys stored on the person (``people.names``: "de Boer" under B),
    the same order as the caseload."""
    person = item.person
    if person is None:
        return ("", "", item.person_id)
    return (person.family_sort, person.given_sort, item.person_id)


def arrange(
    items, *, kind: str = "", name: str = "", overdue: bool = False, sort: str = SORT_DATE, group: bool = False
):
    """Filter (kind, part of the person's name, overdue only), sort and (optionally) group by person.

    Worrying answers are never filtered away and always come first: they stay on top until
    someone records what was done."""
    terms = [t for t in name.lower().split() if t]

    def shown(item) -> bool:
        if item.urgent:
            return True
        if kind and item.kind != kind:
            return False
        if overdue and not item.overdue:
            return False
        full = f"{item.person.given_name} {item.person.family_name}".lower() if item.person else ""
        return all(t in full for t in terms)

    kept = [i for i in items if shown(i)]
    by_date = {SORT_DATE: lambda i: (i.due_date, *_name_key(i), i.kind)}
    by_date[SORT_CLIENT] = lambda i: (*_name_key(i), i.due_date, i.kind)
    by_date[SORT_KIND] = lambda i: (str(KIND_LABELS[i.kind]), i.due_date, *_name_key(i))
    key = by_date.get(sort, by_date[SORT_DATE])
    kept.sort(key=lambda i: (not i.urgent, key(i)))
    if group:
        first = {}
        for position, item in enumerate(kept):
            first.setdefault(item.person_id, position)
        kept.sort(key=lambda i: (first[i.person_id], not i.urgent, key(i)))
    return kept
