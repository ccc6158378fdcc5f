"""Reads of follow-up: what is due, for whom, and who is responsible.

``follow_ups_due`` and ``evaluations_due`` are the professional reminders' source (the sweep
in ``koers.notifications``). They read without an actor on purpose: the sweep is the system,
and the rows only name ids; whoever shows them to a person goes through the access layer.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from koers.access import Category
from koers.careplans import due as careplan_due
from koers.careplans.models import CarePlan, CarePlanVersion
from koers.consults.models import Consult
from koers.followup import relative_selectors
from koers.followup.models import YearlyEvaluation
from koers.goals import due as goal_due
from koers.goals import selectors as goal_selectors
from koers.goals.models import Goal
from koers.network.models import CareTeamMember
from koers.questionnaires import due as questionnaire_due
from koers.questionnaires import selectors as q_selectors
from koers.screening import due as screening_due

FOLLOW_UP = "follow_up"
EVALUATION = "yearly_evaluation"

EVALUATION_WHAT = gettext_lazy("Jaarlijkse evaluatie van het zorgplan")


@dataclass(frozen=True)
class DueItem:
    """One thing due for one professional. ``object_type``/``object_id`` name what it is about
    (a dedupe key for reminders: the same follow-up with the same due date is the same reminder)."""

    person_id: int
    professional_id: int
    what: str
    due_date: dt.date
    kind: str
    object_type: str
    object_id: int


def add_year(day: dt.date) -> dt.date:
    """The same day a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def year_before(day: dt.date) -> dt.date:
    """The latest date whose ``add_year`` is on or before ``day``."""
    if day.month == 2 and day.day == 28 and calendar.isleap(day.year - 1):
        return dt.date(day.year - 1, 2, 29)  # 29 February's year is 28 February
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: a year before is 28 February
        return day.replace(year=day.year - 1, day=28)


def responsible_professionals(person_ids) -> dict[int, list[int]]:
    """For each person: the responsible professional(s) in the active care team; when nobody is
    marked responsible, every active member (so nothing falls between the cracks).

    ``person_ids`` may be a list or a values() subquery (no parameter limit then)."""
    members = (
        CareTeamMember.objects.filter(person_id__in=person_ids, ended_at__isnull=True)
        .order_by("person_id", "started_at", "id")
        .values_list("person_id", "professional_id", "role")
    )
    responsible: dict[int, list[int]] = {}
    everyone: dict[int, list[int]] = {}
    for person_id, professional_id, role in members:
        everyone.setdefault(person_id, []).append(professional_id)
        if role == CareTeamMember.Role.RESPONSIBLE:
            responsible.setdefault(person_id, []).append(professional_id)
    return {person_id: responsible.get(person_id, members_) for person_id, members_ in everyone.items()}


def follow_ups_due(on: dt.date) -> list[DueItem]:
    """Active follow-up agreements whose next date is ``on`` or earlier (overdue ones too, until
    the date is moved or the agreement ended), one row per responsible professional."""
    due = careplan_due.follow_ups_due(on)
    rows = list(due.order_by("next_date", "id").values_list("pk", "person_id", "what", "next_date"))
    if not rows:
        return []
    team = responsible_professionals(due.values("person_id"))
    return [
        DueItem(person_id, professional_id, what, next_date, FOLLOW_UP, "careplans.FollowUpAgreement", pk)
        for pk, person_id, what, next_date in rows
        for professional_id in team.get(person_id, ())
    ]


def _evaluation_bases():
    """Per care plan with at least one version: the last yearly evaluation's date and the first
    version's moment."""
    last_evaluation = YearlyEvaluation.objects.filter(person_id=OuterRef("person_id")).order_by("-date", "-id")
    first_version = CarePlanVersion.objects.filter(care_plan_id=OuterRef("pk"), number=1)
    return CarePlan.objects.filter(current_version__gte=1).annotate(
        last_evaluation=Subquery(last_evaluation.values("date")[:1]),
        first_version_at=Subquery(first_version.values("created_at")[:1]),
    )


def evaluation_due_date(last_evaluation: dt.date | None, first_version_at: dt.datetime | None) -> dt.date | None:
    """A year after the last yearly evaluation, else a year after the plan's first version."""
    if last_evaluation is not None:
        return add_year(last_evaluation)
    if first_version_at is not None:
        return add_year(timezone.localtime(first_version_at).date())
    return None


def evaluation_due_for(person) -> dt.date | None:
    """The date the person's next yearly care-plan evaluation is due (None: no plan yet)."""
    row = _evaluation_bases().filter(person_id=person.pk).values("last_evaluation", "first_version_at").first()
    if row is None:
        return None
    return evaluation_due_date(row["last_evaluation"], row["first_version_at"])


def evaluations_due(on: dt.date) -> list[DueItem]:
    """Yearly care-plan evaluations due ``on`` or earlier (WGBO), one row per responsible professional."""
    cutoff = year_before(on)
    first_cutoff = timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min))
    plans = _evaluation_bases().filter(
        Q(last_evaluation__isnull=False, last_evaluation__lte=cutoff)
        | Q(last_evaluation__isnull=True, first_version_at__lt=first_cutoff)
    )
    rows = list(plans.order_by("person_id").values_list("pk", "person_id", "last_evaluation", "first_version_at"))
    if not rows:
        return []
    team = responsible_professionals(plans.values("person_id"))
    what = str(EVALUATION_WHAT)
    items = [
        DueItem(
            person_id,
            professional_id,
            what,
            evaluation_due_date(last, first),
            EVALUATION,
            "careplans.CarePlan",
            plan_id,
        )
        for plan_id, person_id, last, first in rows
        for professional_id in team.get(person_id, ())
    ]
    return sorted(items, key=lambda item: (item.due_date, item.person_id, item.professional_id))


SCREENING = "somatic_screening"
SCREENING_WHAT = gettext_lazy("Jaarlijkse lichamelijke controle (somatische screening)")


def screenings_due(on: dt.date) -> list[DueItem]:
    """Yearly somatic screenings (severe mental illness) planned for ``on`` or earlier and not
    yet done, one row per responsible professional: the reminders' source, like follow-ups."""
    due = screening_due.screenings_due(on)
    rows = list(due.order_by("due_date", "id").values_list("pk", "person_id", "due_date"))
    if not rows:
        return []
    team = responsible_professionals(due.values("person_id"))
    what = str(SCREENING_WHAT)
    return [
        DueItem(person_id, professional_id, what, due_date, SCREENING, "screening.SomaticScreening", pk)
        for pk, person_id, due_date in rows
        for professional_id in team.get(person_id, ())
    ]


# --- worklists --------------------------------------------------------------------------------


def worklist(user, **kwargs):
    """The professional's worklist (``koers.followup.worklist.build``)."""
    from koers.followup.worklist import build

    return build(user, **kwargs)


# --- the yearly evaluation page ----------------------------------------------------------------


def open_evaluation_input(person):
    from koers.followup.models import PersonEvaluationInput

    return PersonEvaluationInput.objects.filter(person=person, evaluation__isnull=True).first()


def evaluation_page(person, *, categories, lang: str = "nl") -> dict:
    """Everything the yearly evaluation brings together, limited to the data categories the
    viewer may read: goals and their attainment (GAS), questionnaire trajectories, what the
    person wrote, earlier evaluations. A fixed number of queries."""

    context: dict = {
        "due_date": evaluation_due_for(person),
        "earlier": list(YearlyEvaluation.objects.filter(person=person).order_by("-date", "-id")[:10]),
        "show_goals": Category.GOALS in categories,
        "show_questionnaires": Category.QUESTIONNAIRES in categories,
        "show_input": Category.CONSULTS in categories,
        "show_relatives": Category.RELATIVE_EVALUATION in categories,
    }
    if context["show_goals"]:
        goals = [
            g for g in goal_selectors.goals_for_person(person) if g.lifecycle_status != Goal.LifecycleStatus.CANCELLED
        ]
        for goal in goals:
            goal.gas_description = goal.level_descriptions.get(goal.latest_gas_level, "")
        context["goals"] = goals
        context["gas_now"] = goal_selectors.gas_now(person)
    if context["show_questionnaires"]:
        scores = q_selectors.scores_for(person)
        context["recovery"] = q_selectors.recovery_overview(person, lang, scores=scores)
        context["trajectories"] = q_selectors.trajectories(person, lang, scores=scores)
    if context["show_input"]:
        context["person_input"] = open_evaluation_input(person)
    if context["show_relatives"]:
        context["relative_inputs"] = relative_selectors.open_inputs(person)
    return context


# --- the calendar feed -------------------------------------------------------------------------

FEED_PAST_DAYS = 30
FEED_LIMIT = 500

# Only these disciplines are named in a calendar title; any other (psychiatrist, psychologist,
# social worker…) is "uw zorgverlener": a shared calendar must not reveal mental-health care.
_NAMED_IN_CALENDAR = {
    "gp": gettext_lazy("Afspraak met uw huisarts"),
    "practice_nurse": gettext_lazy("Afspraak met uw praktijkondersteuner"),
    "nurse": gettext_lazy("Afspraak met uw verpleegkundige"),
}
CALENDAR_CONSULT = gettext_lazy("Afspraak met uw zorgverlener")
CALENDAR_PHONE = gettext_lazy("Telefonische afspraak met uw zorgverlener")
CALENDAR_VIDEO = gettext_lazy("Beeldbellen met uw zorgverlener")
CALENDAR_ACTION = gettext_lazy("Kijken hoe het gaat met een actie uit uw zorgplan")
CALENDAR_QUESTIONNAIRE = gettext_lazy("Vragenlijst invullen in Koers")
CALENDAR_DETAIL = gettext_lazy("Meer informatie vindt u in Koers.")


def token_lookup(raw: str):
    """The active calendar token for this secret (with its person and account), else None."""
    from koers.followup.models import CalendarToken
    from koers.followup.services import hash_token

    if not raw or len(raw) > 200:
        return None
    return (
        CalendarToken.objects.select_related("person__user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )


def calendar_items(person, *, now=None):
    """(timed events, day reminders) for the person's calendar feed: planned consults and the
    review dates of their actions and questionnaires, from 30 days back. Three queries."""
    from koers.followup import ical

    now = now or timezone.now()
    since = now - dt.timedelta(days=FEED_PAST_DAYS)
    consults = (
        Consult.objects.filter(person=person, status=Consult.Status.PLANNED, scheduled_at__gte=since)
        .select_related("professional")
        .order_by("scheduled_at")[:FEED_LIMIT]
    )
    events = []
    for consult in consults:
        if consult.kind == Consult.Kind.PHONE:
            title = CALENDAR_PHONE
        elif consult.kind == Consult.Kind.VIDEO:
            title = CALENDAR_VIDEO
        else:
            title = _NAMED_IN_CALENDAR.get(consult.professional.discipline, CALENDAR_CONSULT)
        events.append(
            ical.TimedEvent(
                uid=f"consult-{consult.pk}@koers",
                start=consult.scheduled_at,
                minutes=consult.planned_minutes,
                title=str(title),
                description=str(CALENDAR_DETAIL),
            )
        )
    since_day = timezone.localdate(since)
    reminders = []
    actions = goal_due.action_reviews(since=since_day).filter(person=person).order_by("review_date", "id")[:FEED_LIMIT]
    for action in actions.values_list("pk", "review_date"):
        reminders.append(
            ical.DayReminder(
                uid=f"action-{action[0]}@koers",
                day=action[1],
                title=str(CALENDAR_ACTION),
                description=str(CALENDAR_DETAIL),
            )
        )
    assignments = (
        questionnaire_due.dated_assignments(since=since_day).filter(person=person).order_by("due_date", "id")
    )[:FEED_LIMIT]
    for pk, due_date in assignments.values_list("pk", "due_date"):
        reminders.append(
            ical.DayReminder(
                uid=f"questionnaire-{pk}@koers",
                day=due_date,
                title=str(CALENDAR_QUESTIONNAIRE),
                description=str(CALENDAR_DETAIL),
            )
        )
    return events, reminders
