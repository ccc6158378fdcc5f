"""Pages of the crisis plan: the person's own (portal, ``/mijn/crisisplan/``) and the care
team's (``/personen/<id>/crisisplan/``), each to read, edit a phase, edit the agreements made
beforehand, and print as a one-page PDF or a pocket card. Thin: forms → services, selectors →
templates. Plain pages without a script: they print and save as they are.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.crisisplans import lists, pdf, selectors, services
from koers.crisisplans.forms import AgreementsForm, ContactFormSet, PhaseForm
from koers.crisisplans.models import Phase
from koers.lib.forms import add_service_error

CRISIS_PLAN = access.Category.CRISIS_PLAN
PLAN = services.PLAN
PHASE = services.PHASE

# How the person notices each phase: the first question of its form.
SIGNS_LABELS = {
    Phase.GOING_WELL: gettext_lazy("Hieraan merkt u dat het goed gaat"),
    Phase.EARLY_SIGNS: gettext_lazy("Hieraan merkt u dat het minder goed gaat"),
    Phase.CRISIS: gettext_lazy("Hieraan merkt u dat het een crisis is"),
}
PHASE_SLUGS = {Phase.GOING_WELL: "goed", Phase.EARLY_SIGNS: "vroege-signalen", Phase.CRISIS: "crisis"}


def _urls(person, *, portal: bool) -> dict:
    """Where the plan's pages are, on this side (the person's portal or the workspace)."""
    prefix, args = ("crisisplans:portal_", []) if portal else ("crisisplans:", [person.pk])
    return {
        "plan": reverse(f"{prefix}plan", args=args),
        "agreements": reverse(f"{prefix}agreements", args=args),
        "pdf": reverse(f"{prefix}pdf", args=args),
        "card": reverse(f"{prefix}card", args=args),
        "phases": {
            code: reverse(f"{prefix}phase_{slug.replace('-', '_')}", args=args) for code, slug in PHASE_SLUGS.items()
        },
    }


def _plan_page(request, person, *, portal: bool):
    crisis, urls = selectors.crisis_plan_of(person), _urls(person, portal=portal)
    for phase in crisis.phases:
        phase.edit_url = urls["phases"][phase.code]
    context = {"person": person, "crisis": crisis, "urls": urls, "portal": portal}
    return render(request, "crisisplans/plan.html", context)


def _phase_initial(current) -> tuple[dict, list[dict]]:
    initial = {name: lists.to_lines(getattr(current, name)) for name in selectors.LISTS}
    initial["signs"] = lists.to_lines([s.text for s in current.signs])
    contacts = [{k: c[k] for k in ("name", "relation", "phone")} for c in current.contacts]
    return initial, contacts


def _phase_page(request, person, phase: str, *, portal: bool):
    """Edit one phase as a whole. A POST saves through the service; errors stay on the page."""
    urls = _urls(person, portal=portal)
    labels = {"signs": SIGNS_LABELS[phase]}
    current = selectors.crisis_plan_of(person).phase(phase)
    if request.method == "POST":
        form = PhaseForm(request.POST, phase_labels=labels)
        contacts = ContactFormSet(request.POST, prefix="contacts")
        if form.is_valid() and contacts.is_valid():
            try:
                services.crisis_plan_phase_update(
                    actor=request.user,
                    person=person,
                    phase=phase,
                    contacts=[c for c in contacts.cleaned_data if c],
                    **form.lists(),
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Het crisisplan is bewaard: %(phase)s.") % {"phase": current.label})
                return redirect(f"{urls['plan']}#fase-{phase}")
    else:
        initial, contact_rows = _phase_initial(current)
        form = PhaseForm(initial=initial, phase_labels=labels)
        contacts = ContactFormSet(initial=contact_rows, prefix="contacts")
    context = {"person": person, "phase": current, "form": form, "contacts": contacts, "urls": urls, "portal": portal}
    return render(request, "crisisplans/phase_form.html", context)


def _agreements_page(request, person, *, portal: bool):
    urls = _urls(person, portal=portal)
    if request.method == "POST":
        form = AgreementsForm(request.POST)
        if form.is_valid():
            try:
                services.crisis_plan_agreements_update(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("De afspraken vooraf zijn bewaard."))
                return redirect(f"{urls['plan']}#afspraken")
    else:
        form = AgreementsForm(initial=selectors.crisis_plan_of(person).agreements)
    context = {"person": person, "form": form, "urls": urls, "portal": portal}
    return render(request, "crisisplans/agreements_form.html", context)


# --- the care team's pages (workspace) -----------------------------------------------------


@require_safe
@person_view(CRISIS_PLAN, object_type=PLAN)
def plan(request, person):
    return _plan_page(request, person, portal=False)


@require_http_methods(["GET", "POST"])
@person_view(CRISIS_PLAN, object_type=PHASE)
def phase_edit(request, person, phase):
    return _phase_page(request, person, phase, portal=False)


@require_http_methods(["GET", "POST"])
@person_view(CRISIS_PLAN, object_type=PLAN)
def agreements_edit(request, person):
    return _agreements_page(request, person, portal=False)


@require_safe
@person_view(CRISIS_PLAN, object_type=PLAN)
def plan_pdf(request, person):
    return pdf.plan_pdf_response(person, selectors.crisis_plan_of(person))


@require_safe
@person_view(CRISIS_PLAN, object_type=PLAN)
def card_pdf(request, person):
    return pdf.card_pdf_response(person, selectors.crisis_plan_of(person))


# --- the person's own pages (portal) -------------------------------------------------------


@require_safe
@portal_view(CRISIS_PLAN, object_type=PLAN)
def portal_plan(request, person):
    return _plan_page(request, person, portal=True)


@require_http_methods(["GET", "POST"])
@portal_view(CRISIS_PLAN, object_type=PHASE)
def portal_phase_edit(request, person, phase):
    return _phase_page(request, person, phase, portal=True)


@require_http_methods(["GET", "POST"])
@portal_view(CRISIS_PLAN, object_type=PLAN)
def portal_agreements_edit(request, person):
    return _agreements_page(request, person, portal=True)


@require_safe
@portal_view(CRISIS_PLAN, object_type=PLAN)
def portal_pdf(request, person):
    return pdf.plan_pdf_response(person, selectors.crisis_plan_of(person))


@require_safe
@portal_view(CRISIS_PLAN, object_type=PLAN)
def portal_card(request, person):
    return pdf.card_pdf_response(person, selectors.crisis_plan_of(person))
