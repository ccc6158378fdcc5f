"""Pages of decision aids (keuzehulpen): the organisation's catalogue (no person data; its
manager keeps it, professionals read it) and, per decision, offering an aid from it and
recording whether it was used. Thin: parse, call ``koers.decisions.aids``, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers import access
from koers.access.decorators import no_person_data, person_view
from koers.decisions import aids, forms, selectors, services
from koers.decisions.models import DecisionAid
from koers.decisions.views import _data, _decision, _detail_url, _talk_context, _talk_form
from koers.lib.forms import NOT_SAVED, save_form, submit_form

DECISIONS = access.Category.DECISIONS
DECISION = "decisions.SharedDecision"


# --- the catalogue --------------------------------------------------------------------------


def _catalogue_user(request, *, manage: bool):
    """The organisation whose catalogue this user may see (professionals) or keep (manager,
    administrator of an organisation). Anyone else: 404, like a page that is not there."""
    user = request.user
    organisation = user.organisation
    if organisation is None:
        raise Http404
    if manage and not aids.may_manage(user, organisation):
        raise Http404
    if not manage and not (user.is_professional or aids.may_manage(user, organisation)):
        raise Http404
    return organisation


@no_person_data
@require_http_methods(["GET"])
def aid_list(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = _catalogue_user(request, manage=False)
    context = {
        "organisation": organisation,
        "aids": selectors.decision_aids_of(organisation, active_only=False),
        "may_manage": aids.may_manage(request.user, organisation),
    }
    return render(request, "decisions/aids.html", context)


def _aid_form(request, form, *, save, done, organisation, aid=None):
    """The catalogue's form page; a service that refuses the organisation answers 404."""
    try:
        return submit_form(
            request,
            form,
            save=save,
            problems=lambda: aids.decision_aid_problems(organisation=organisation, aid=aid, **form.cleaned_data),
            success_url=reverse("decisions:aids"),
            success_message=done,
            template="decisions/aid_form.html",
            context={"aid": aid},
        )
    except PermissionDenied:
        raise Http404 from None


@no_person_data
@require_http_methods(["GET", "POST"])
def aid_create(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = _catalogue_user(request, manage=True)
    return _aid_form(
        request,
        forms.AidForm(_data(request), initial={"active": True}),
        save=lambda data: aids.decision_aid_create(actor=request.user, organisation=organisation, **data),
        done=_("De keuzehulp staat in de lijst."),
        organisation=organisation,
    )


@no_person_data
@require_http_methods(["GET", "POST"])
def aid_edit(request, aid_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = _catalogue_user(request, manage=True)
    aid = DecisionAid.objects.filter(organisation=organisation, pk=aid_id).first()
    if aid is None:
        raise Http404
    return _aid_form(
        request,
        forms.AidForm(_data(request), initial=forms.AidForm.initial_for(aid)),
        save=lambda data: aids.decision_aid_update(actor=request.user, aid=aid, **data),
        done=_("De keuzehulp is gewijzigd."),
        organisation=organisation,
        aid=aid,
    )


# --- per decision ---------------------------------------------------------------------------


def _offer_form(request, data=None):
    organisation_id = getattr(request.user, "organisation_id", None)
    return forms.AidOfferForm(data, aids=selectors.decision_aids_for_offer(organisation_id))


AID_PAGE = "decisions/aid_choose.html"


def _aid_context(person, decision, *, offer_form):
    """The decision's aid: choose one from the organisation's catalogue, or write one down."""
    return _talk_context(
        person,
        decision,
        title=_("Keuzehulp"),
        intro=_(
            "Een keuzehulp helpt de cliënt thuis de opties rustig te bekijken. De cliënt ziet de link in het portaal."
        ),
        submit=_("Opslaan"),
        offer_form=offer_form,
    )


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET", "POST"])
def decision_aid(request, person, decision_id):
    """Choose an aid from the catalogue (posted to ``aid_offer``) or write down another one."""
    decision = _decision(request, person, decision_id)
    initial = {"decision_aid_name": decision.decision_aid_name, "decision_aid_url": decision.decision_aid_url}
    return submit_form(
        request,
        forms.DecisionAidForm(_data(request), initial=initial),
        save=lambda data: services.decision_set_decision_aid(
            actor=request.user, decision=decision, name=data["decision_aid_name"], url=data["decision_aid_url"]
        ),
        success_url=_detail_url(person, decision) + "#keuzehulp",
        success_message=_("De keuzehulp is opgeslagen."),
        template=AID_PAGE,
        context=_aid_context(person, decision, offer_form=_offer_form(request)),
    )


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_POST
def aid_offer(request, person, decision_id):
    """Offer an aid from the organisation's catalogue for this decision."""
    decision = _decision(request, person, decision_id, access.Action.UPDATE)
    offer_form = _offer_form(request, request.POST)
    saved = save_form(
        offer_form, lambda data: aids.decision_offer_aid(actor=request.user, decision=decision, aid=data["aid"])
    )
    if saved is not NOT_SAVED:
        messages.success(request, _("De keuzehulp is aangeboden. De cliënt ziet de link in het portaal."))
        return redirect(_detail_url(person, decision) + "#keuzehulp")
    initial = {"decision_aid_name": decision.decision_aid_name, "decision_aid_url": decision.decision_aid_url}
    context = {**_aid_context(person, decision, offer_form=offer_form), "form": forms.DecisionAidForm(initial=initial)}
    return render(request, AID_PAGE, context)


@person_view(DECISIONS, object_type=DECISION, object_kwarg="decision_id")
@require_http_methods(["GET", "POST"])
def aid_use(request, person, decision_id):
    """Was the decision aid used? Also after the decision: the plan shows it."""
    decision = _decision(request, person, decision_id)
    return _talk_form(
        request,
        person,
        decision,
        forms.AidUseForm(_data(request), initial={"aid_use": decision.aid_use or None}),
        save=lambda data: aids.decision_record_aid_use(actor=request.user, decision=decision, use=data["aid_use"]),
        done=_("Opgeslagen."),
        success_url=_detail_url(person, decision) + "#keuzehulp",
        title=_("Keuzehulp gebruikt?"),
        intro=decision.decision_aid_name,
        submit=_("Opslaan"),
        template="decisions/aid_use.html",
    )
