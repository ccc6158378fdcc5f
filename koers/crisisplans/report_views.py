"""Pages for reports of signs (issue #13): a relative's "Ik zie deze signalen"
(``/naaste/<id>/crisisplan/signalen/``) and the person's "Ik zit nu in fase X"
(``/mijn/crisisplan/fase-nu/``). The forms also sit on the crisis-plan pages themselves; a POST
comes here, goes through ``reports``, and returns to the plan with a status message. With an
error the form is shown on its own page with the message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers import access
from koers.access.decorators import person_view, portal_view, relative_view
from koers.crisisplans import reports, selectors
from koers.crisisplans.models import Phase
from koers.lib import confirm

REPORTS = access.Category.CRISIS_REPORTS


def _errors(error: ValidationError) -> list[str]:
    return [m for messages_ in getattr(error, "message_dict", {"": error.messages}).values() for m in messages_]


@require_http_methods(["GET", "POST"])
@relative_view(REPORTS, object_type=reports.REPORT)
def relative_report(request, person):
    """A relative reports the signs they see: the person's own signs per phase, plus free text."""
    chosen, text, errors = [], "", []
    if request.method == "POST":
        chosen, text = request.POST.getlist("signs"), request.POST.get("text", "")
        try:
            reports.sign_report_send(actor=request.user, person=person, sign_ids=chosen, text=text)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(
                request,
                _("Dank u. De regiebehandelaar van %(name)s heeft uw melding nu gekregen.")
                % {"name": person.given_name},
            )
            return redirect(reverse("workspace:relative_crisis_plan", args=[person.pk]) + "#signalen-melden")
    context = {
        "person": person,
        "crisis": selectors.crisis_plan_of(person),
        "chosen": {str(c) for c in chosen},
        "text": text,
        "errors": errors,
    }
    return render(request, "crisisplans/relative_report.html", context)


@require_http_methods(["GET", "POST"])
@portal_view(REPORTS, object_type=reports.REPORT)
def portal_phase_now(request, person):
    """The person says which phase they are in now, with an optional note."""
    phase, note, errors = "", "", []
    if request.method == "POST":
        phase, note = request.POST.get("phase", ""), request.POST.get("note", "")
        try:
            report = reports.phase_say(actor=request.user, person=person, phase=phase, note=note)
        except ValidationError as error:
            errors = _errors(error)
        else:
            if report.phase in reports.SIGNALLED:
                text = _("Bewaard: %(phase)s. Uw regiebehandelaar heeft dit nu gekregen.")
            else:
                text = _("Bewaard: %(phase)s.")
            messages.success(request, text % {"phase": Phase(report.phase).label})
            return redirect(reverse("crisisplans:portal_plan") + "#fase-nu")
    context = {"person": person, "phases": Phase.choices, "phase": phase, "note": note, "errors": errors}
    return render(request, "crisisplans/phase_now.html", context)


def _record_question(person, phase: str, *, note: str = "", error: str = "") -> confirm.Question:
    label = Phase(phase).label
    if phase == Phase.CRISIS:
        consequence = _(
            "U legt vast dat %(name)s nu in de fase ‘Crisis’ zit. Dit is een afgesproken moment: de "
            "zorgverleners van andere organisaties in het netwerk die het crisisplan mogen zien, krijgen "
            "een overdrachtsbericht. Naasten krijgen geen bericht. Wat u vastlegt, blijft in het dossier."
        )
    else:
        consequence = _(
            "U legt vast dat %(name)s nu in de fase ‘%(phase)s’ zit. Het staat daarna bij het crisisplan en "
            "blijft in het dossier. Naasten krijgen geen bericht."
        )
    return confirm.Question(
        title=_("Fase ‘%(phase)s’ vastleggen?") % {"phase": label},
        consequence=consequence % {"name": person.full_name, "phase": label},
        confirm_label=_("Ja, fase vastleggen"),
        back_url=reverse("crisisplans:plan", args=[person.pk]) + "#fase-nu",
        reason_label=_("Toelichting (mag leeg blijven)"),
        reason_optional=True,
        reason=note,
        reason_error=error,
    )


@confirm.asks_first
@person_view(access.Category.CRISIS_PLAN, object_type=reports.REPORT)
@require_http_methods(["GET", "POST"])
def phase_record(request, person, phase):
    """The care team's "Fase vastleggen": a professional of the care team records the person's phase, asked first."""
    note = request.POST.get(confirm.REASON, "") if request.method == "POST" else ""
    if not confirm.is_confirmed(request):
        question = _record_question(person, phase, note=note)
        return confirm.confirm_page(request, person=person, question=question, active_tab="crisis_plan")
    try:
        reports.phase_record(actor=request.user, person=person, phase=phase, note=note)
    except ValidationError as error:
        question = _record_question(person, phase, note=note, error=" ".join(_errors(error)))
        return confirm.confirm_page(request, person=person, question=question, active_tab="crisis_plan")
    messages.success(request, _("Vastgelegd: %(phase)s.") % {"phase": Phase(phase).label})
    return redirect(reverse("crisisplans:plan", args=[person.pk]) + "#fase-nu")
