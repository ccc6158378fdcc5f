"""Views of koers.decisions. Thin: parse input, call a service or selector, render.

Two sides: the professional's pages about a person (the three talks, the options side by
side, the decision and turning it into a goal) and the person's portal (the question, the
options and their consequences, the decision aid, and their own answers: what matters to
them and how they want to take part). Every htmx action is also a plain POST that redirects.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.consults.models import AgendaItem, Consult
from koers.decisions import agreement, forms, selectors, services
from koers.decisions.models import SharedDecision
from koers.goals import selectors as goal_selectors
from koers.goals import services as goal_services
from koers.lib import confirm
from koers.lib.forms import NOT_SAVED, save_form, submit_form

DECISIONS = access.Category.DECISIONS
DECISION = "decisions.SharedDecision"
OPTION = "decisions.DecisionOption"
Action = access.Action
Status = SharedDecision.Status


def _data(request):
    """The posted data, also when it is empty (an empty POST must give errors, not a blank form)."""
    return request.POST if request.method == "POST" else None


def _decision(request, person, decision_id, action=Action.READ) -> SharedDecision:
    return access.object_for(request.user, selectors.decision_queryset(), decision_id, person=person, action=action)


def _option(request, person, decision, option_id, action=Action.READ):
    option = access.object_for(
        request.user, selectors.option_queryset(decision), option_id, person=person, action=action
    )
    option.decision = decision
    return option


def _detail_url(person, decision) -> str:
    return reverse("decisions:detail", kwargs={"person_id": person.pk, "decision_id": decision.pk})


def _detail_context(person, decision, *, portal: bool = False, **extra) -> dict:
    options = list(decision.options.all())
    answers = agreement.history(decision) if decision.status == Status.DECIDED else []
    return {
        "answers": answers,
        "person_word": agreement.current(decision, answers),
        "agreement_state": agreement.state_of(decision, answers),
        "person": person,
        "decision": decision,
        "options": options,
        "portal": portal,
        "steps": selectors.talk_steps(decision, portal=portal),
        "goals": goal_selectors.goals_from_decision(decision) if decision.status == Status.DECIDED else [],
        **extra,
    }


# --- list, create, detail ---------------------------------------------------------------------


@person_view(DECISIONS, object_type=DECISION)
@require_http_methods(["GET"])
def decision_list(request, person):
    decisions = selectors.decisions_for(person)
    context = {
        "person": person,
        "open_decisions": [d for d in decisions if d.is_open],
        "closed_decisions": [d for d in decisions if not d.is_open],
    }
    return render(request, "decisions/list.html", context)


def _agenda_item(request, person):
    """The agenda item a decision starts from (``?agendapunt=`` on the link, ``agenda_item`` in
    the form), through the access layer: another person's item answers 404. None if not given;
    a value that is no number is left to the form, which says so."""
    raw = request.POST.get("agenda_item") if request.method == "POST" else request.GET.get("agendapunt")
    if not raw or not str(raw).isdigit():
        return None
    return access.object_for(
        request.user,
        AgendaItem.objects.select_related("consult"),
        int(raw),
        person=person,
    )


@person_view(DECISIONS, object_type=DECISION)
@require_http_methods(["GET", "POST"])
def decision_create(request, person):
    """A new question to decide on; from an agenda item it starts with the item's topic."""
    consults = Consult.objects.filter(person=person).order_by("-scheduled_at")
    item = _agenda_item(request, person)
    initial = {"question": item.title, "consult": item.consult_id, "agenda_item": item.pk} if item else {}
    return submit_form(
        request,
        forms.DecisionForm(_data(request), consults=consults, initial=initial),
        save=lambda data: services.decision_create(actor=request.user, person=person, **{**data, "agenda_item": item}),
        success_url=lambda decision: reverse(
            "decisions:choice_talk", kwargs={"person_id": person.pk, "decision_id": decision.pk}
        ),
        success_message=_("De vraag staat klaar. Begin met het keuzegesprek."),
        template="decisions/create.html",
        context={"person": person, "agenda_item": item},
    )


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET"])
def decision_detail(request, person, decision_id):
    """The decision: the three talks as steps, where we are, the options side by side."""
    decision = _decision(request, person, decision_id)
    return render(request, "decisions/detail.html", _detail_context(person, decision))


# --- forms for each talk ---------------------------------------------------------------------


def _talk_context(person, decision, **page) -> dict:
    """What the form page of a step of the talks shows besides the form (``page``: title, intro,
    submit and what else the template needs)."""
    return {"person": person, "decision": decision, "intro": "", "cancel_url": _detail_url(person, decision), **page}


def _talk_form(
    request, person, decision, form, *, save, done, success_url, template="decisions/form.html", problems=None, **page
):
    """The form page of one step of the talks; saved, it shows ``done`` and goes to ``success_url``.
    ``problems`` (see ``submit_form``) finds the service's problems beside an invalid form's own."""
    return submit_form(
        request,
        form,
        save=save,
        problems=problems,
        success_url=success_url,
        success_message=done,
        template=template,
        context=_talk_context(person, decision, **page),
    )


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET", "POST"])
def choice_talk(request, person, decision_id):
    """Talk 1: there is a choice. Does the person want to take part, and how?"""
    decision = _decision(request, person, decision_id)
    initial = {"participation": decision.participation or SharedDecision.Participation.TOGETHER}
    if decision.wants_to_participate is not None:
        initial["wants_to_participate"] = "ja" if decision.wants_to_participate else "nee"
    return _talk_form(
        request,
        person,
        decision,
        forms.ChoiceTalkForm(_data(request), initial=initial),
        save=lambda data: services.decision_update_choice_talk(actor=request.user, decision=decision, **data),
        done=_("Het keuzegesprek is vastgelegd."),
        success_url=_detail_url(person, decision) + "#optiegesprek",
        title=_("Keuzegesprek"),
        intro=_(
            "Vertel dat er iets te kiezen valt en dat de mening van de cliënt telt. "
            "De cliënt mag de beslissing ook aan de zorgverlener overlaten."
        ),
        submit=_("Keuzegesprek vastleggen"),
    )


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET", "POST"])
def what_matters(request, person, decision_id):
    decision = _decision(request, person, decision_id)
    return _talk_form(
        request,
        person,
        decision,
        forms.WhatMattersForm(_data(request), initial={"what_matters": decision.what_matters}),
        save=lambda data: services.decision_set_what_matters(actor=request.user, decision=decision, **data),
        done=_("Wat belangrijk is voor de cliënt is opgeslagen."),
        success_url=_detail_url(person, decision) + "#wat-belangrijk-is",
        title=_("Wat is belangrijk voor de cliënt?"),
        submit=_("Opslaan"),
    )


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET", "POST"])
def option_add(request, person, decision_id):
    decision = _decision(request, person, decision_id)
    return _talk_form(
        request,
        person,
        decision,
        forms.OptionForm(_data(request), initial={"within_guideline": "ja"}),
        save=lambda data: services.option_add(actor=request.user, decision=decision, **data),
        done=_("De optie is toegevoegd."),
        success_url=_detail_url(person, decision) + "#opties",
        title=_("Optie toevoegen"),
        submit=_("Optie toevoegen"),
        template="decisions/option_form.html",
    )


@person_view(DECISIONS, object_type=OPTION, object_kwarg="option_id")
@require_http_methods(["GET", "POST"])
def option_edit(request, person, decision_id, option_id):
    decision = _decision(request, person, decision_id)
    option = _option(request, person, decision, option_id)
    return _talk_form(
        request,
        person,
        decision,
        forms.OptionForm(_data(request), initial=forms.OptionForm.initial_for(option)),
        save=lambda data: services.option_update(actor=request.user, option=option, **data),
        done=_("De optie is gewijzigd."),
        success_url=_detail_url(person, decision) + "#opties",
        title=_("Optie wijzigen"),
        submit=_("Opslaan"),
        template="decisions/option_form.html",
        option=option,
    )


@confirm.asks_first
@person_view(DECISIONS, object_type=OPTION, object_kwarg="option_id")
@require_http_methods(["GET", "POST"])
def option_remove(request, person, decision_id, option_id):
    decision = _decision(request, person, decision_id)
    option = _option(request, person, decision, option_id, Action.DELETE)
    if not confirm.is_confirmed(request):
        question = confirm.Question(
            title=_("Optie ‘%(title)s’ weghalen?") % {"title": option.title},
            consequence=_(
                "De optie gaat van de lijst, met de voor- en nadelen die erbij staan. "
                "Dat kunt u niet ongedaan maken; u kunt de optie wel opnieuw toevoegen."
            ),
            confirm_label=_("Ja, weghalen"),
            back_url=_detail_url(person, decision) + "#opties",
        )
        return confirm.confirm_page(request, person=person, question=question, active_tab="decisions")
    error = None
    try:
        services.option_remove(actor=request.user, option=option)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        decision = _decision(request, person, decision_id)
        return render(request, "decisions/detail.html#options", _detail_context(person, decision, error=error))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("De optie is weggehaald."))
    return redirect(_detail_url(person, decision) + "#opties")


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET", "POST"])
def take_time(request, person, decision_id):
    """The person thinks the options over at home, until a date; then the decision talk."""
    decision = _decision(request, person, decision_id)
    return _talk_form(
        request,
        person,
        decision,
        forms.TakeTimeForm(_data(request), initial={"think_until": decision.think_until}),
        save=lambda data: services.decision_take_time(actor=request.user, decision=decision, **data),
        done=_("De bedenktijd is vastgelegd."),
        success_url=_detail_url(person, decision),
        title=_("Bedenktijd"),
        intro=_(
            "De cliënt denkt thuis rustig na over de opties, eventueel met de keuzehulp of met naasten. "
            "Spreek af wanneer u de keuze samen bespreekt."
        ),
        submit=_("Bedenktijd vastleggen"),
    )


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET", "POST"])
def decide(request, person, decision_id):
    """Talk 3: what does the person choose, and why? Only with their explicit agreement,
    unless they left the decision to the professional."""
    decision = _decision(request, person, decision_id)
    form = forms.DecideForm(_data(request), decision=decision)
    return _talk_form(
        request,
        person,
        decision,
        form,
        save=lambda data: services.decision_decide(actor=request.user, decision=decision, **data),
        problems=lambda: services.decision_decide_problems(decision=decision, **form.cleaned_data),
        done=_("Het besluit is vastgelegd en staat in het zorgplan."),
        success_url=reverse("decisions:to_goal", kwargs={"person_id": person.pk, "decision_id": decision.pk}),
        title=_("Besluitgesprek"),
        submit=_("Besluit vastleggen"),
        template="decisions/decide.html",
        options=decision.options.all(),  # a queryset: read only when the page is shown
    )


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET", "POST"])
def withdraw(request, person, decision_id):
    decision = _decision(request, person, decision_id)
    return _talk_form(
        request,
        person,
        decision,
        forms.WithdrawForm(_data(request)),
        save=lambda data: services.decision_withdraw(actor=request.user, decision=decision, **data),
        done=_("De beslissing is vervallen."),
        success_url=_detail_url(person, decision),
        title=_("Beslissing laten vervallen"),
        intro=_(
            "Bijvoorbeeld omdat de vraag niet meer speelt, of omdat de cliënt zich heeft bedacht. "
            "Een genomen besluit gaat dan uit het zorgplan; eerdere versies van het plan houden het."
        ),
        submit=_("Laten vervallen"),
        danger=True,
    )


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET", "POST"])
def to_goal(request, person, decision_id):
    """A decision can lead straight to a goal in the plan: prefilled from the chosen option."""
    decision = _decision(request, person, decision_id)
    form = forms.GoalFromDecisionForm(_data(request), initial=forms.GoalFromDecisionForm.initial_for(decision))
    template = "decisions/to_goal.html"
    context = _talk_context(
        person, decision, title=_("Maak hier een doel van"), submit=_("Doel toevoegen aan het zorgplan")
    )
    if request.method == "POST" and decision.status != Status.DECIDED:
        form.is_valid()
        form.add_error(None, _("Neem eerst samen een besluit. Daarna kunt u er een doel van maken."))
        return render(request, template, {**context, "form": form})
    return submit_form(
        request,
        form,
        save=lambda _data: goal_services.goal_create(
            actor=request.user, person=person, decision=decision, lifecycle_status="active", **form.service_kwargs()
        ),
        success_url=_detail_url(person, decision) + "#doelen",
        success_message=_("Het doel staat in het zorgplan."),
        template=template,
        context=context,
    )


# --- the person's portal ----------------------------------------------------------------------


@portal_view(DECISIONS, object_type=DECISION)
@require_http_methods(["GET"])
def portal_list(request, person):
    decisions = selectors.decisions_for(person)
    context = {
        "person": person,
        "open_decisions": [d for d in decisions if d.is_open],
        "closed_decisions": [d for d in decisions if not d.is_open],
    }
    return render(request, "decisions/portal_list.html", context)


def _portal_context(person, decision, *, participation_form=None, what_matters_form=None, agreement_form=None) -> dict:
    initial = {"participation": decision.participation} if decision.participation else {}
    return {
        **_detail_context(person, decision, portal=True),
        "agreement_form": agreement_form or forms.PortalAgreementForm(),
        "participation_form": participation_form or forms.PortalChoiceForm(initial=initial),
        "what_matters_form": what_matters_form
        or forms.PortalWhatMattersForm(initial={"what_matters": decision.what_matters}),
    }


@portal_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET"])
def portal_detail(request, person, decision_id):
    decision = _decision(request, person, decision_id)
    return render(request, "decisions/portal_detail.html", _portal_context(person, decision))


def _portal_answer(
    request, person, decision_id, *, form_class, context_key, partial, anchor, call, done, action=Action.UPDATE
):
    decision = _decision(request, person, decision_id, action)
    form = form_class(request.POST)
    saved = save_form(form, lambda _data: call(decision, form)) is not NOT_SAVED
    done = done(form) if callable(done) else done
    template = "decisions/portal_detail.html"
    if request.htmx:
        context = _portal_context(person, decision, **({} if saved else {context_key: form}))
        context["saved"] = done if saved else None
        return render(request, f"{template}#{partial}", context)
    if not saved:
        return render(request, template, _portal_context(person, decision, **{context_key: form}))
    messages.success(request, done)
    return redirect(reverse("decisions:portal_detail", kwargs={"decision_id": decision.pk}) + f"#{anchor}")


@portal_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_POST
def portal_participation(request, person, decision_id):
    """How I want to take part in this choice (the choice talk, in my own words)."""
    return _portal_answer(
        request,
        person,
        decision_id,
        form_class=forms.PortalChoiceForm,
        context_key="participation_form",
        partial="participation",
        anchor="meebeslissen",
        call=lambda decision, form: services.decision_update_choice_talk(
            actor=request.user, decision=decision, **form.values()
        ),
        done=_("Opgeslagen. Uw zorgverlener ziet hoe u wilt meebeslissen."),
    )


@portal_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_POST
def portal_what_matters(request, person, decision_id):
    """What matters to me in this choice, in my own words."""
    return _portal_answer(
        request,
        person,
        decision_id,
        form_class=forms.PortalWhatMattersForm,
        context_key="what_matters_form",
        partial="what_matters",
        anchor="wat-belangrijk-is",
        call=lambda decision, form: services.decision_set_what_matters(
            actor=request.user, decision=decision, what_matters=form.cleaned_data["what_matters"]
        ),
        done=_("Opgeslagen. Uw zorgverlener ziet wat voor u belangrijk is."),
    )


AGREEMENT_DONE = {
    "agree": _("Opgeslagen: u bent het eens met dit besluit. Uw zorgverlener ziet het."),
    "not_yet": _("Opgeslagen: u bent het nog niet eens. Uw zorgverlener leest wat u schreef."),
    "taken_back": _("Uw antwoord is ingetrokken. U kunt opnieuw kiezen."),
}


@portal_view(access.Category.DECISION_AGREEMENT, object_type=DECISION, object_kwarg="decision_id")
@require_POST
def portal_agreement(request, person, decision_id):
    """My own word on a decision: I agree, I do not agree yet (with a comment), or take back what
    I said (the undo). Kept as history; the professional sees it beside their own record."""
    return _portal_answer(
        request,
        person,
        decision_id,
        form_class=forms.PortalAgreementForm,
        context_key="agreement_form",
        partial="agreement",
        anchor="instemming",
        call=lambda decision, form: agreement.decision_confirm(
            actor=request.user, decision=decision, **form.cleaned_data
        ),
        done=lambda form: str(AGREEMENT_DONE.get(form.cleaned_data.get("answer", ""), "")),
        action=Action.CREATE,
    )
