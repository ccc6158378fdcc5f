"""Follow-up pages about what relatives write (issue #13): the care team's page of relatives'
notes, and the person asking a relative for input to the yearly evaluation. The relative's own
pages are in ``koers.workspace.relative_own`` (``/naaste/…``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.followup import relative_selectors, relatives
from koers.followup.forms import RelativeInviteForm

NOTES = access.Category.RELATIVE_NOTES
EVALUATION = access.Category.RELATIVE_EVALUATION


@require_safe
@person_view(NOTES, object_type=relatives.NOTE)
def relative_notes(request, person):
    """Every question or concern relatives sent about this person, newest first. Marking one
    handled is done on the worklist."""
    context = {"person": person, "notes": relative_selectors.notes_for_person(person)}
    return render(request, "followup/relative_notes.html", context)


@require_POST
@portal_view(EVALUATION, object_type=relatives.INPUT)
def portal_evaluation_invite(request, person):
    """The person asks one of their relatives to give input for the yearly evaluation."""
    form = RelativeInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies wie u wilt vragen."))
        return redirect("followup:portal_evaluation")
    try:
        invitation = relatives.relative_evaluation_invite(
            actor=request.user, person=person, link_id=form.cleaned_data["link"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s is gevraagd om mee te denken. U ziet hier wanneer het antwoord er is.")
            % {"name": invitation.relative.display_name()},
        )
    return redirect("followup:portal_evaluation")
