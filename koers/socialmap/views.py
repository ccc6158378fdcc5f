"""The social map on a person's pages: suggestions with 'waarom deze', referrals and their
outcome (professional), and the same suggestions in plain words on the portal (B1).

Reading the person's goals goes through ``person_view``/``portal_view`` (category goals, one
READ row); the profile's preferences are used only when the reader may read the profile, and
then that read is logged as well.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.goals.models import Goal
from koers.goals.services import OPEN_STATUSES
from koers.socialmap import forms, selectors, services
from koers.socialmap.models import Referral, Service

GOALS = access.Category.GOALS
SUGGESTIONS = "socialmap.suggestions"


def _suggestions(request, person):
    use_profile = access.can(request.user, person, access.Category.PROFILE)
    if use_profile:
        access.record(request.user, person, access.Action.READ, object_type="people.Profile", detail="socialmap")
    return selectors.suggestions_for(person, use_profile=use_profile)


@require_safe
@person_view(GOALS, object_type=SUGGESTIONS)
def person_page(request, person):
    context = {
        "person": person,
        "goal_suggestions": _suggestions(request, person),
        "referrals": selectors.referrals_for(person),
        "outcome_choices": [c for c in Referral.Outcome.choices if c[0]],
    }
    return render(request, "socialmap/person.html", context)


@require_POST
@person_view(GOALS, object_type=SUGGESTIONS)
def referral_create(request, person):
    form = forms.ReferralForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("De verwijzing is niet opgeslagen: kies een doel en een voorziening."))
        return redirect("socialmap:person", person_id=person.pk)
    goal = access.object_for(
        request.user,
        Goal.objects.filter(lifecycle_status__in=OPEN_STATUSES),
        form.cleaned_data["goal"],
        person=person,
        action=access.Action.CREATE,
    )
    # access: the social map's active services are public information, not a person's data
    service = Service.objects.filter(status=Service.Status.ACTIVE, pk=form.cleaned_data["service"]).first()
    if service is None:
        messages.error(request, _("Deze voorziening bestaat niet (meer)."))
        return redirect("socialmap:person", person_id=person.pk)
    try:
        services.referral_create(
            actor=request.user,
            goal=goal,
            service=service,
            what=form.cleaned_data["what"],
            when=form.cleaned_data["when"],
            review_date=form.cleaned_data["review_date"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De verwijzing staat als actie in het zorgplan."))
    return redirect("socialmap:person", person_id=person.pk)


@require_POST
@person_view(GOALS, object_type=SUGGESTIONS)
def referral_outcome(request, person):
    form = forms.OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies hoe het ging."))
        return redirect("socialmap:person", person_id=person.pk)
    referral = access.object_for(
        request.user, Referral.objects.all(), form.cleaned_data["referral"], person=person, action=access.Action.UPDATE
    )
    try:
        services.referral_outcome_set(actor=request.user, referral=referral, outcome=form.cleaned_data["outcome"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De uitkomst van de verwijzing is opgeslagen."))
    return redirect("socialmap:person", person_id=person.pk)


@require_safe
@portal_view(GOALS, object_type=SUGGESTIONS)
def portal_page(request, person):
    context = {"person": person, "goal_suggestions": _suggestions(request, person)}
    return render(request, "socialmap/portal.html", context)
