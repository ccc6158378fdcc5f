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
from koers.crisisplans import lists, pdf, selectors, services, sign_links
from koers.crisisplans.forms import AgreementsForm, ContactFormSet, PhaseForm
from koers.crisisplans.models import Phase
from koers.lib import confirm
from koers.lib.forms import add_service_error, submit_form
from koers.people import hooks

CRISIS_PLAN = access.Category.CRISIS_PLAN
PLAN = services.PLAN
PHASE = services.PHASE
REPORTS_SHOWN = 20

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
        "links": {
            code: reverse(f"{prefix}links_{slug.replace('-', '_')}", args=args) for code, slug in PHASE_SLUGS.items()
        },
        # "Fase vastleggen" (the care team only; asked first).
        "record": []
        if portal
        else [
            (label, reverse(f"crisisplans:record_{PHASE_SLUGS[code].replace('-', '_')}", args=args))
            for code, label in Phase.choices
        ],
    }


def _plan_page(request, person, *, portal: bool):
    crisis, urls = selectors.crisis_plan_of(person), _urls(person, portal=portal)
    for phase in crisis.phases:
        phase.edit_url = urls["phases"][phase.code]
        phase.links_url = urls["links"][phase.code] if sign_links.provider() and phase.signs else ""
    _see_also(request.user, person, crisis, portal=portal)
    context = {"person": person, "crisis": crisis, "urls": urls, "portal": portal, "phases": Phase.choices}
    if crisis.plan is not None:  # the plan as last filed as a document, for a reader who may see it
        origin = f"crisisplans.CrisisPlan:{crisis.plan.pk}"
        context["filed"] = hooks.filed_document(reader=request.user, person=person, origin=origin)
    if access.can(request.user, person, access.Category.CRISIS_REPORTS):
        context["reports"] = selectors.reports_of(person, limit=REPORTS_SHOWN)
        context["current"] = selectors.current_phase(person)
        context["show_reports"] = True
    return render(request, "crisisplans/plan.html", context)


def _see_also(user, person, crisis, *, portal: bool) -> None:
    """Give each linked sign its "Zie ook" link, for a reader who may see the measurements."""
    provider = sign_links.provider()
    if provider is None or not access.can(user, person, access.Category.MEASUREMENTS):
        return
    for phase in crisis.phases:
        for sign in phase.signs:
            label = provider.label(person, sign.see_also) if sign.see_also else ""
            if label:
                sign.see_also_label, sign.see_also_url = label, provider.url(person.pk, sign.see_also, portal)


def _links_page(request, person, phase: str, *, portal: bool):
    """Link each sign of one phase to one of the person's measurements (or to none)."""
    urls, provider = _urls(person, portal=portal), sign_links.provider()
    current = selectors.crisis_plan_of(person).phase(phase)
    choices = provider.choices(person) if provider else []
    errors = []
    if request.method == "POST":
        links = {s.pk: request.POST.get(f"see_also-{s.pk}", "") for s in current.signs}
        try:
            services.crisis_sign_links_update(actor=request.user, person=person, phase=phase, links=links)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("De koppelingen met metingen zijn bewaard: %(phase)s.") % {"phase": current.label}
            )
            return redirect(f"{urls['plan']}#fase-{phase}")
    context = {"person": person, "phase": current, "choices": choices, "urls": urls, "portal": portal}
    return render(request, "crisisplans/links_form.html", {**context, "errors": errors})


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
    else:
        form = AgreementsForm(initial=selectors.crisis_plan_of(person).agreements)
    return submit_form(
        request,
        form,
        save=lambda data: services.crisis_plan_agreements_update(actor=request.user, person=person, **data),
        success_url=f"{urls['plan']}#afspraken",
        success_message=_("De afspraken vooraf zijn bewaard."),
        template="crisisplans/agreements_form.html",
        context={"person": person, "urls": urls, "portal": portal},
    )


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
@person_view(CRISIS_PLAN, object_type=services.SIGN)
def links_edit(request, person, phase):
    return _links_page(request, person, phase, portal=False)


@require_http_methods(["GET", "POST"])
@person_view(CRISIS_PLAN, object_type=PLAN)
def agreements_edit(request, person):
    return _agreements_page(request, person, portal=False)


def _file_question(person, crisis) -> confirm.Question:
    refusal = _("Het crisisplan is nog leeg. Er is niets om vast te leggen.") if crisis.is_empty else ""
    return confirm.Question(
        title=_("Crisisplan vastleggen als document?"),
        consequence=_(
            "Het crisisplan zoals het nu is, komt als PDF bij de documenten van %(name)s. %(name)s kan het "
            "zien. Verandert het plan later? Leg het dan opnieuw vast. Dan komt er een nieuwe versie bij."
        )
        % {"name": person.full_name},
        confirm_label=_("Ja, vastleggen"),
        back_url=reverse("crisisplans:plan", args=[person.pk]) + "#document",
        refusal=refusal,
    )


@confirm.asks_first
@person_view(CRISIS_PLAN, object_type=PLAN)
@require_http_methods(["GET", "POST"])
def plan_file(request, person):
    """The crisis plan's "Vastleggen als document": the plan as it is now, filed as a PDF in the person's record."""
    if not confirm.is_confirmed(request):
        question = _file_question(person, selectors.crisis_plan_of(person))
        return confirm.confirm_page(request, person=person, question=question, active_tab="crisis_plan")
    try:
        services.crisis_plan_file(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Het crisisplan staat bij de documenten."))
    return redirect(reverse("crisisplans:plan", args=[person.pk]) + "#document")


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
@portal_view(CRISIS_PLAN, object_type=services.SIGN)
def portal_links_edit(request, person, phase):
    return _links_page(request, person, phase, portal=True)


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
