"""Pages of meetings about a person: the care team's (plan, record decisions), the person's own
(their meetings and what was decided) and a relative's invitation (date, place, invited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from koers import access
from koers.access.decorators import person_view, portal_view, relative_view
from koers.lib import confirm
from koers.lib.forms import NOT_SAVED, save_form
from koers.meetings import selectors, services
from koers.meetings.forms import DecisionForm, PlanForm

RECORDS = access.Category.CONSULT_RECORDS
INVITATION = access.Category.MEETING_INVITATION
MEETING = services.MEETING


@person_view(RECORDS, object_type=MEETING)
@require_safe
def meeting_list(request, person):
    meetings = selectors.meetings_of(person)
    return render(request, "meetings/list.html", {"person": person, "meetings": meetings})


@person_view(RECORDS, object_type=MEETING)
@require_http_methods(["GET", "POST"])
def meeting_plan(request, person):
    form = PlanForm(request.POST or None, person=person)
    if request.method == "POST":
        meeting = save_form(
            form,
            lambda _data: services.meeting_plan(actor=request.user, person=person, **form.service_arguments()),
            problems=lambda: services.meeting_plan_problems(person=person, **form.service_arguments()),
        )
        if meeting is not NOT_SAVED:
            messages.success(request, _("Het overleg is gepland en de deelnemers zijn uitgenodigd."))
            return redirect("meetings:detail", person_id=person.pk, meeting_id=meeting.pk)
    return render(request, "meetings/plan.html", {"person": person, "form": form})


@person_view(RECORDS, object_type=MEETING, object_kwarg="meeting_id")
@require_http_methods(["GET", "POST"])
def meeting_detail(request, person, meeting_id):
    """The meeting, what was decided, and the form to record a decision (and its action)."""
    meeting = selectors.meeting_of(request.user, person, meeting_id)
    form = DecisionForm(request.POST or None, person=person)
    if request.method == "POST":
        decision = save_form(
            form,
            lambda data: services.meeting_decision_record(actor=request.user, meeting=meeting, **data),
        )
        if decision is not NOT_SAVED:
            if decision.action_id:
                messages.success(request, _("Het besluit is vastgelegd en de actie staat in het zorgplan."))
            else:
                messages.success(request, _("Het besluit is vastgelegd."))
            return redirect("meetings:detail", person_id=person.pk, meeting_id=meeting.pk)
    return render(request, "meetings/detail.html", {"person": person, "meeting": meeting, "form": form})


def _cancel_question(person, meeting, *, error: str = "", reason: str = "") -> confirm.Question:
    return confirm.Question(
        title=_("Overleg afzeggen?"),
        consequence=_(
            "Het overleg gaat niet door. Iedereen die is uitgenodigd krijgt een bericht. "
            "Het overleg blijft zichtbaar, met de tekst dat het is afgezegd en waarom."
        ),
        confirm_label=_("Ja, overleg afzeggen"),
        back_url=reverse("meetings:detail", args=[person.pk, meeting.pk]),
        refusal=_("Dit overleg was al afgezegd.") if meeting.cancelled else "",
        reason_label=_("Waarom gaat het overleg niet door?"),
        reason_help=_("Schrijf geen gegevens over de gezondheid van de cliënt: ook naasten zien dat het is afgezegd."),
        reason_error=error,
        reason=reason,
    )


@confirm.asks_first
@person_view(RECORDS, object_type=MEETING, object_kwarg="meeting_id")
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, person, meeting_id):
    """Cancel a meeting. Asks first: GET or an unconfirmed POST shows the question with the reason."""
    meeting = selectors.meeting_of(request.user, person, meeting_id)
    reason = request.POST.get(confirm.REASON, "")
    if not confirm.is_confirmed(request):
        return confirm.confirm_page(request, person=person, question=_cancel_question(person, meeting, reason=reason))
    try:
        services.meeting_cancel(actor=request.user, meeting=meeting, reason=reason)
    except ValidationError as exc:
        question = _cancel_question(person, meeting, error=" ".join(exc.messages), reason=reason)
        return confirm.confirm_page(request, person=person, question=question)
    messages.success(request, _("Het overleg is afgezegd. De deelnemers krijgen een bericht."))
    return redirect("meetings:detail", person_id=person.pk, meeting_id=meeting.pk)


@portal_view(RECORDS, object_type=MEETING)
@require_safe
def portal_meetings(request, person):
    meetings = selectors.meetings_of(person)
    return render(request, "meetings/portal_list.html", {"person": person, "meetings": meetings})


@require_safe
@relative_view(INVITATION, object_type="meetings.Participant")
def relative_invitation(request, person, meeting_id):
    """What an invited relative sees: that they are invited, when and where (by the invitation),
    and the content exactly as far as the person's consent reaches: agenda, who is invited and
    what was decided with ``CONSULT_RECORDS`` (topic consults), a decision's "who does what" only
    with ``GOALS`` as well. The content read leaves its own READ row."""
    meeting = selectors.invitation_of(request.user, person, meeting_id)
    categories = access.categories_for(request.user, person)
    content = RECORDS in categories
    if content:
        access.record(request.user, person, access.Action.READ, meeting, detail="inhoud van het overleg")
    context = {
        "person": person,
        "meeting": meeting,
        "content": content,
        "hide_actions": access.Category.GOALS not in categories,
    }
    return render(request, "meetings/relative_invitation.html", context)
