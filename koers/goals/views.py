"""Views of koers.goals. Thin: parse input, call a service or selector, render.

Every htmx action is also a plain POST that redirects.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.goals import forms, selectors, services
from koers.goals.models import Action, Goal
from koers.lib import confirm
from koers.lib.forms import NOT_SAVED, save_form, submit_form

GOALS = access.Category.GOALS
GOAL = "goals.Goal"
ACTION = "goals.Action"
READ, UPDATE, CREATE = access.Action.READ, access.Action.UPDATE, access.Action.CREATE
PORTAL_STATUSES = (
    Goal.LifecycleStatus.ACTIVE,
    Goal.LifecycleStatus.PROPOSED,
    Goal.LifecycleStatus.ON_HOLD,
    Goal.LifecycleStatus.COMPLETED,
)


def _goal(request, person, goal_id, action=READ) -> Goal:
    return access.object_for(
        request.user, Goal.objects.prefetch_related("gas_levels"), goal_id, person=person, action=action
    )


def _action(request, person, action_id, action=READ) -> Action:
    return access.object_for(
        request.user, Action.objects.select_related("goal"), action_id, person=person, action=action
    )


def _write_action(request) -> str:
    return UPDATE if request.method == "POST" else READ


def _data(request):
    return request.POST if request.method == "POST" else None


def _detail_url(person, goal_id) -> str:
    return reverse("goals:detail", kwargs={"person_id": person.pk, "goal_id": goal_id})


def _portal_goal_url(goal_id) -> str:
    return reverse("goals:portal_goal", kwargs={"goal_id": goal_id})


# --- professional pages ----------------------------------------------------------------------


@require_safe
@person_view(GOALS, object_type=GOAL)
def goal_list(request, person):
    goals = selectors.goals_for_person(person)
    gas_rows = selectors.gas_rows_of(goals)  # from the goals' reviews: no query of their own
    history = selectors.gas_history(person, rows=gas_rows)
    context = {
        "person": person,
        "groups": selectors.group_by_status(goals),
        "gas_now": selectors.gas_now(person, rows=gas_rows),
        "history": history,
        "chart": selectors.gas_chart(history),
    }
    return render(request, "goals/list.html", context)


@person_view(GOALS, object_type=GOAL)
def goal_create(request, person):
    previous = None
    previous_id = request.GET.get("vorige") or request.POST.get("vorige")
    if previous_id:
        previous = _goal(request, person, previous_id)
    if request.method != "POST":
        initial = {"life_domain": previous.life_domain, "owner": previous.owner} if previous else {}
        form = forms.GoalForm(initial=initial)
    else:
        form = forms.GoalForm(request.POST)
    return submit_form(
        request,
        form,
        save=lambda _data: services.goal_create(actor=request.user, person=person, **form.service_kwargs()),
        problems=lambda: services.goal_problems(**form.service_kwargs()),
        success_url=lambda goal: _detail_url(person, goal.pk),
        success_message=_("Het doel is toegevoegd aan het zorgplan."),
        template="goals/goal_form.html",
        context={"person": person, "previous": previous},
    )


@require_safe
@person_view(GOALS, object_type=GOAL, object_kwarg="goal_id")
def goal_detail(request, person, goal_id):
    goal = selectors.goal_detail(_goal(request, person, goal_id))
    context = {
        "person": person,
        "goal": goal,
        "status_form": forms.StatusForm(allowed=services.allowed_transitions(goal)),
        "open": goal.lifecycle_status in services.OPEN_STATUSES,
    }
    return render(request, "goals/detail.html", context)


@person_view(GOALS, object_type=GOAL, object_kwarg="goal_id")
def goal_edit(request, person, goal_id):
    goal = _goal(request, person, goal_id, action=_write_action(request))
    if goal.lifecycle_status not in services.OPEN_STATUSES:
        messages.info(request, _("Dit doel is afgerond of gestopt. U kunt het niet meer wijzigen."))
        return redirect("goals:detail", person_id=person.pk, goal_id=goal.pk)
    if request.method != "POST":
        form = forms.GoalForm(initial=forms.GoalForm.initial_for(goal), new=False)
    else:
        form = forms.GoalForm(request.POST, new=False)
    return submit_form(
        request,
        form,
        save=lambda _data: services.goal_update(actor=request.user, goal=goal, **form.service_kwargs()),
        problems=lambda: services.goal_update_problems(goal=goal, **form.service_kwargs()),
        success_url=_detail_url(person, goal.pk),
        success_message=_("Het doel is gewijzigd."),
        template="goals/goal_form.html",
        context={"person": person, "goal": goal},
    )


def _closing_question(person, goal, data: dict) -> confirm.Question:
    """Completing or stopping a goal is final (the goal can no longer be changed): ask first."""
    stopping = data["lifecycle_status"] == Goal.LifecycleStatus.CANCELLED
    return confirm.Question(
        title=_("Doel stoppen?") if stopping else _("Doel afronden?"),
        consequence=_(
            "Daarna kunt u dit doel en de acties niet meer wijzigen. Het doel en wat erbij is "
            "vastgelegd blijven bewaard. Wilt u er later weer aan werken? Dan maakt u een nieuw doel."
        ),
        confirm_label=_("Ja, stoppen") if stopping else _("Ja, afronden"),
        back_url=reverse("goals:detail", args=[person.pk, goal.pk]),
        hidden={name: value for name, value in data.items() if value},
    )


@confirm.asks_first
@person_view(GOALS, object_type=GOAL, object_kwarg="goal_id")
@require_POST
def goal_status(request, person, goal_id):
    goal = _goal(request, person, goal_id, action=UPDATE)
    form = forms.StatusForm(request.POST, allowed=services.allowed_transitions(goal))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("goals:detail", person_id=person.pk, goal_id=goal.pk)
    if form.cleaned_data["lifecycle_status"] in services.CLOSED_STATUSES and not confirm.is_confirmed(request):
        question = _closing_question(person, goal, form.cleaned_data)
        return confirm.confirm_page(request, person=person, question=question, active_tab="goals")
    try:
        goal = services.goal_set_status(actor=request.user, goal=goal, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if goal.achievement_status == Goal.AchievementStatus.ACHIEVED:
            messages.success(request, _("Het doel is bereikt. Gefeliciteerd! Wilt u samen een volgend doel stellen?"))
        else:
            messages.success(
                request, _("De status is gewijzigd: %(status)s.") % {"status": goal.get_lifecycle_status_display()}
            )
    return redirect("goals:detail", person_id=person.pk, goal_id=goal.pk)


@person_view(GOALS, object_type=GOAL, object_kwarg="goal_id")
def goal_review(request, person, goal_id):
    goal = _goal(request, person, goal_id, action=CREATE if request.method == "POST" else READ)
    return submit_form(
        request,
        forms.ReviewForm(_data(request), goal=goal),
        save=lambda data: services.goal_review_record(
            actor=request.user, goal=goal, gas_level=data.get("gas_level"), note=data["note"]
        ),
        success_url=_detail_url(person, goal.pk),
        success_message=_("De evaluatie is bewaard."),
        template="goals/review_form.html",
        context={"person": person, "goal": goal},
    )


@person_view(GOALS, object_type=GOAL, object_kwarg="goal_id")
def action_create(request, person, goal_id):
    goal = _goal(request, person, goal_id, action=CREATE if request.method == "POST" else READ)
    form = forms.ActionForm(_data(request))
    return submit_form(
        request,
        form,
        save=lambda data: services.action_create(actor=request.user, goal=goal, **data),
        problems=lambda: services.action_problems(**form.cleaned_data),
        success_url=_detail_url(person, goal.pk),
        success_message=_("De actie is toegevoegd."),
        template="goals/action_form.html",
        context={"person": person, "goal": goal},
    )


@person_view(GOALS, object_type=ACTION, object_kwarg="action_id")
def action_edit(request, person, action_id):
    action = _action(request, person, action_id, action=_write_action(request))
    if request.method != "POST":
        form = forms.ActionForm(initial=forms.ActionForm.initial_for(action))
    else:
        form = forms.ActionForm(request.POST)
    return submit_form(
        request,
        form,
        save=lambda data: services.action_update(actor=request.user, action=action, **data),
        problems=lambda: services.action_problems(action=action, **form.cleaned_data),
        success_url=_detail_url(person, action.goal_id),
        success_message=_("De actie is gewijzigd."),
        template="goals/action_form.html",
        context={"person": person, "goal": action.goal, "action": action},
    )


@person_view(GOALS, object_type=ACTION, object_kwarg="action_id")
@require_POST
def action_status(request, person, action_id):
    action = _action(request, person, action_id, action=UPDATE)
    form = forms.ActionStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Kies een geldige status."))
        action = services.action_set_status(actor=request.user, action=action, status=form.cleaned_data["status"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De actie is nu: %(status)s.") % {"status": action.get_status_display()})
    return redirect("goals:detail", person_id=person.pk, goal_id=action.goal_id)


@person_view(GOALS, object_type=ACTION, object_kwarg="action_id")
def progress(request, person, action_id):
    action = _action(request, person, action_id, action=CREATE if request.method == "POST" else READ)
    return submit_form(
        request,
        forms.ProgressForm(_data(request)),
        save=lambda data: services.action_progress_record(actor=request.user, action=action, **data),
        success_url=_detail_url(person, action.goal_id),
        success_message=_("De voortgang is bewaard."),
        template="goals/progress_form.html",
        context={"person": person, "action": action},
    )


# --- the person's own pages (portal) ---------------------------------------------------------


@portal_view(GOALS, object_type=GOAL)
def portal_goals(request, person):
    goals = selectors.goals_for_person(person)
    context = {"person": person, "groups": selectors.group_by_status(goals, PORTAL_STATUSES)}
    return render(request, "goals/portal_goals.html", context)


@portal_view(GOALS, object_type=GOAL, object_kwarg="goal_id")
def portal_goal(request, person, goal_id):
    goal = selectors.goal_detail(_goal(request, person, goal_id))
    context = {"person": person, "goal": goal, "open": goal.lifecycle_status in services.OPEN_STATUSES}
    return render(request, "goals/portal_goal.html", context)


@portal_view(GOALS, object_type=GOAL)
def portal_goal_create(request, person):
    return submit_form(
        request,
        forms.PortalGoalForm(_data(request)),
        save=lambda data: services.goal_create(actor=request.user, person=person, **data),
        success_url=lambda goal: _portal_goal_url(goal.pk),
        success_message=_("Uw doel is bewaard. U bespreekt het met uw zorgverlener."),
        template="goals/portal_goal_form.html",
        context={"person": person},
    )


@portal_view(GOALS, object_type=GOAL, object_kwarg="goal_id")
def portal_action_create(request, person, goal_id):
    goal = _goal(request, person, goal_id, action=CREATE if request.method == "POST" else READ)
    form = forms.ActionForm(_data(request))
    return submit_form(
        request,
        form,
        save=lambda data: services.action_create(actor=request.user, goal=goal, **data),
        problems=lambda: services.action_problems(**form.cleaned_data),
        success_url=_portal_goal_url(goal.pk),
        success_message=_("Uw actie is bewaard."),
        template="goals/portal_action_form.html",
        context={"person": person, "goal": goal},
    )


@portal_view(GOALS, object_type=ACTION, object_kwarg="action_id")
def portal_progress(request, person, action_id):
    """Quick "gelukt / niet gelukt": with htmx the action's card is swapped in place."""
    action = _action(request, person, action_id, action=CREATE if request.method == "POST" else READ)
    auto_id = f"progress-{action.pk}-%s"  # unique when several cards share the goal page
    form = forms.ProgressForm(_data(request), auto_id=auto_id)
    saved = False
    if request.method == "POST":
        result = save_form(
            form, lambda data: services.action_progress_record(actor=request.user, action=action, **data)
        )
        saved = result is not NOT_SAVED
    if saved:
        if not request.htmx:
            messages.success(request, _("Bewaard. Goed dat u het bijhoudt!"))
            return redirect("goals:portal_goal", goal_id=action.goal_id)
        form = forms.ProgressForm(auto_id=auto_id)
    action.latest_progress = action.progress.order_by("-recorded_at", "-id").first()
    context = {"person": person, "action": action, "form": form, "saved": saved, "card_heading": "h2"}
    if request.htmx:
        context["card_heading"] = "h3"  # the card sits under "Wat ik doe" (h2) on the goal page
    template = "goals/portal_progress.html#card" if request.htmx else "goals/portal_progress.html"
    return render(request, template, context)
