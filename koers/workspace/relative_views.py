"""A relative's pages ("Naaste", issue #12): what a person shares with them, read only.

A relative (an informal carer the person named, ``network.RelativeLink``) sees nothing by
default; the person opens topics for them on "Wie mag wat zien" (``network.Consent``). These
pages show exactly that and no more:

- the home (``/naaste/``): the persons who share at least one topic with this relative
  (``access.visible_persons``), each with the topics they share. Someone who shares nothing is
  not listed and leaves no hint that they exist.
- per person, one page per shared topic that has a page: the care plan (CAREPLAN), the goals
  with their actions (GOALS) and the consults (CONSULTS: the next one, and what the person
  wrote to prepare the last one they sent — a draft is still their own), written about the
  person in the third person, and what the person keeps track of (MEASUREMENTS: each item's
  latest value, agreement and a small chart, without links to pages a relative cannot open)
  and the crisis plan (CRISIS_PLAN: the phases, signs, whom to call and the agreements made
  beforehand, with the phone numbers as links); the shared decisions (DECISIONS: the question,
  the options considered, what was decided and when, and whether the person agreed) and the
  questionnaires (QUESTIONNAIRES: the latest result of each completed one in plain words, as the
  person's portal shows it; no open assignments, no answers per item).

Every page goes through ``relative_view`` (``koers.access.decorators``): only a relative, only
while the person shares the page's category with them (read fresh on each request, so a
withdrawal holds on the next one); anything else is the missing-record 404 with a refused row.
The pages are read-only: they take no POST, and a relative passes no write check anywhere.

The care plan mixes several categories. Each part of it is gathered only when the relative may
read its category (``PLAN_SECTION_CATEGORIES``; docs/architecture.md, "A relative's view"), so
what is not shared is never read, let alone rendered.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from koers import access
from koers.access.decorators import relative_area_view, relative_view
from koers.access.policy import TOPIC_CATEGORIES
from koers.careplans import sections as plan_sections
from koers.careplans.snapshot import SNAPSHOT_SCHEMA, who_does_what
from koers.consults import selectors as consult_selectors
from koers.consults.models import Preparation
from koers.crisisplans import selectors as crisis_selectors
from koers.decisions import selectors as decision_selectors
from koers.goals import selectors as goal_selectors
from koers.goals.models import Goal
from koers.meetings import selectors as meeting_selectors
from koers.monitoring import presenters as monitoring_presenters
from koers.monitoring.models import MeasurementType
from koers.network.selectors import TOPIC_LABELS
from koers.questionnaires import selectors as questionnaire_selectors
from koers.questionnaires.forms import lang_of

Category = access.Category
Topic = access.Topic

# The category that decides whether a relative sees each part of the care plan. A part whose
# key is missing here is never shown (a test keeps this in step with the registered sections).
PLAN_SECTION_CATEGORIES: dict[str, Category] = {
    "person": Category.PROFILE,  # what matters and values: the person's profile, in their own words
    "goals": Category.GOALS,  # goals, their actions and so "who does what"
    "decisions": Category.DECISIONS,  # decisions taken together
    "follow_ups": Category.CAREPLAN,  # follow-up agreements are the plan itself
    "care_team": Category.CAREPLAN,  # who works on the plan
    "health": Category.CLINICAL,  # conditions, medication, support level: only with that topic
    "network": Category.CAREPLAN,  # coordinator, first contact, relatives: whom to call is the plan's own
    "crisis_plan": Category.CRISIS_PLAN,  # the crisis plan has its own topic (and its own page below)
}

# The shared topics that have a page here, with the page's URL name.
TOPIC_PAGES: dict[Topic, str] = {
    Topic.CAREPLAN: "workspace:relative_plan",
    Topic.GOALS: "workspace:relative_goals",
    Topic.DECISIONS: "workspace:relative_decisions",
    Topic.CONSULTS: "workspace:relative_consults",
    Topic.QUESTIONNAIRES: "workspace:relative_questionnaires",
    Topic.MEASUREMENTS: "workspace:relative_measurements",
    Topic.CRISIS_PLAN: "workspace:relative_crisis_plan",
    Topic.DOCUMENTS: "documents:relative_list",
}

GOAL_STATUSES = (
    Goal.LifecycleStatus.ACTIVE,
    Goal.LifecycleStatus.PROPOSED,
    Goal.LifecycleStatus.ON_HOLD,
    Goal.LifecycleStatus.COMPLETED,
)


def shared_topics(categories) -> list[Topic]:
    """The topics (in the order of "Wie mag wat zien") whose categories are open to the relative."""
    return [t for t in TOPIC_LABELS if TOPIC_CATEGORIES[t] & categories]


def _shares(user, person) -> list[dict]:
    topics = shared_topics(access.categories_for(user, person))
    return [
        {
            "label": TOPIC_LABELS[t],
            "url": reverse(TOPIC_PAGES[t], kwargs={"person_id": person.pk}) if t in TOPIC_PAGES else "",
        }
        for t in topics
    ]


@require_safe
@relative_area_view(object_type="relative_home")
def home(request):
    """The persons who share something with this relative, each with what they share."""
    persons = list(access.visible_persons(request.user))
    access.record_list(request.user, persons, object_type="relative_home")
    people = [{"person": p, "shares": _shares(request.user, p)} for p in persons]
    invitations = meeting_selectors.invitations_for_relative(request.user)
    access.record_list(request.user, [m.person for m in invitations], object_type="meeting_invitation")
    return render(request, "workspace/relative_home.html", {"people": people, "invitations": invitations})


def plan_for_relative(person, categories) -> dict:
    """The current care plan with only the parts the relative may read; the others are not
    gathered at all. Same shape as a snapshot, so the plan's template tags apply."""
    plan: dict = {"schema": SNAPSHOT_SCHEMA}
    for section in plan_sections.sections():
        category = PLAN_SECTION_CATEGORIES.get(section.key)
        if category is not None and category in categories:
            plan[section.key] = section.gather(person)
    return plan


@require_safe
@relative_view(Category.CAREPLAN, object_type="careplans.CarePlan")
def plan(request, person):
    categories = access.categories_for(request.user, person)
    current = plan_for_relative(person, categories)
    groups = who_does_what(current) if "goals" in current else []
    context = {
        "person": person,
        "plan": current,
        "by_responsible": {g["responsible"]: g["actions"] for g in groups},
    }
    return render(request, "workspace/relative_plan.html", context)


@require_safe
@relative_view(Category.GOALS, object_type="goals.Goal")
def goals(request, person):
    found = goal_selectors.goals_for_person(person)
    context = {"person": person, "groups": goal_selectors.group_by_status(found, GOAL_STATUSES)}
    return render(request, "workspace/relative_goals.html", context)


@require_safe
@relative_view(Category.CONSULTS, object_type="consults.Consult")
def consults(request, person):
    """The next planned consult and the last preparation the person sent (never a draft)."""
    sent = Preparation.objects.filter(person=person, status=Preparation.Status.SUBMITTED)
    preparation = consult_selectors.preparation_with_spheres(
        sent.select_related("consult").order_by("-submitted_at", "-id")
    )
    context = {
        "person": person,
        "next_consult": consult_selectors.next_planned_consult(person),
        "preparation": preparation,
        "sphere_views": consult_selectors.sphere_views(preparation) if preparation else [],
    }
    return render(request, "workspace/relative_consults.html", context)


class _NoLinks:
    """The side of monitoring's pages a relative is on: like the portal (no professional links),
    and no item pages, so every link the presenters would make is empty (and not rendered)."""

    portal = True

    def url(self, name: str, **kwargs) -> str:
        return ""


@require_safe
@relative_view(Category.MEASUREMENTS, object_type="monitoring.Observation")
def measurements(request, person):
    """What the person keeps track of: one card per item with values or an agreement."""
    rows = monitoring_presenters.summary_rows(request.user, person, _NoLinks())
    for row in rows:
        if row.chart:  # its text alternative points to the item's page, which a relative has not
            row.chart = {**row.chart, "description": _("Kleine grafiek van het daggemiddelde, de laatste 30 dagen.")}
    physical = MeasurementType.Kind.PHYSICAL
    context = {
        "person": person,
        "diary_rows": [r for r in rows if r.kind != physical],
        "physical_rows": [r for r in rows if r.kind == physical],
    }
    return render(request, "workspace/relative_measurements.html", context)


@require_safe
@relative_view(Category.CRISIS_PLAN, object_type="crisisplans.CrisisPlan")
def crisis_plan(request, person):
    """The person's crisis plan as it is now: what to watch for, what helps, whom to call."""
    context = {"person": person, "crisis": crisis_selectors.crisis_plan_of(person), "third_person": True}
    if access.can(request.user, person, Category.CRISIS_REPORTS, access.Action.CREATE):
        # "Ik zie deze signalen" (koers.crisisplans.report_views): the form, and their own reports only.
        context["can_report"] = True
        context["my_reports"] = crisis_selectors.reports_of(person, reporter=request.user, limit=5)
    return render(request, "workspace/relative_crisis_plan.html", context)


@require_safe
@relative_view(Category.DECISIONS, object_type="decisions.SharedDecision")
def decisions(request, person):
    """The person's shared decisions: open ones, then decided and withdrawn; with their options."""
    found = list(decision_selectors.decision_queryset().filter(person=person).order_by("-created_at", "-id"))
    for decision in found:
        decision.option_list = list(decision.options.all())  # prefetched, in their order
    groups = [
        {"key": "open", "decisions": [d for d in found if d.is_open]},
        {"key": "closed", "decisions": [d for d in found if not d.is_open]},
    ]
    context = {"person": person, "groups": [g for g in groups if g["decisions"]]}
    return render(request, "workspace/relative_decisions.html", context)


@require_safe
@relative_view(Category.QUESTIONNAIRES, object_type="questionnaires.Response")
def questionnaires(request, person):
    """The latest result of each completed questionnaire, in the portal's plain words about the
    person. Only scores (made when a questionnaire is completed): no open assignments, no answers."""
    results = questionnaire_selectors.portal_results(person, lang_of(request), name=person.given_name)
    return render(request, "workspace/relative_questionnaires.html", {"person": person, "results": results})
