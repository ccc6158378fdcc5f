"""Views of koers.people. Thin: parse input, call a service or selector, render.

Professional pages sit under ``/personen/<person_id>/profiel/`` (the care team's page is
koers.network's), the person's own pages under ``/mijn/profiel/``. Every write is a service; on a
``ValidationError`` the form is shown again with the message and nothing is saved.
"""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from koers import access
from koers.access.decorators import caseload_view, person_view, portal_view
from koers.accounts import issuing
from koers.lib import confirm
from koers.lib.forms import add_problems_beside, add_service_error
from koers.people import portal_accounts, selectors, services, support
from koers.people.forms import (
    ConditionForm,
    MedicationForm,
    PortalProfileForm,
    ProfileForm,
    RegisterForm,
    SupportLevelForm,
)
from koers.people.models import Condition, Medication, SupportLevel

Category = access.Category
Action = access.Action


def _profile_url(person, anchor: str = "") -> str:
    url = reverse("people:profile", args=[person.pk])
    return f"{url}#{anchor}" if anchor else url


def _page_context(request, person) -> dict:
    # The categories and the right to edit come from the guard, so the person's consent counts.
    categories = access.categories_for(request.user, person)
    context = {"person": person, **selectors.profile_page(person, categories=categories)}
    context["can_edit_clinical"] = Category.CLINICAL in access.categories_for(request.user, person, Action.UPDATE)
    context["level_explanations"] = support.LEVEL_EXPLANATIONS
    context["level_labels"] = dict(SupportLevel.choices)
    return context


# --- professional: the profile ----------------------------------------------------------------


@require_safe
@person_view(Category.PROFILE, object_type="people.Profile")
def profile(request, person):
    return render(request, "people/profile.html", _page_context(request, person))


@person_view(Category.PROFILE, object_type="people.Profile")
def profile_edit(request, person):
    current = selectors.profile_of(person)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Het profiel is opgeslagen."))
                return redirect(_profile_url(person))
    else:
        form = ProfileForm(initial=ProfileForm.initial_from(current))
    preference_fields = [form[name] for name in ProfileForm.PREFERENCES]
    return render(
        request, "people/profile_edit.html", {"person": person, "form": form, "preference_fields": preference_fields}
    )


# --- professional: conditions -----------------------------------------------------------------


def _clinical_action(request, person, obj, service, done: str, anchor: str, question: confirm.Question):
    """Resolve a condition, mark it entered by mistake, or stop a medicine — after the question
    with a required reason (koers.lib.confirm); then a message and back to the profile page."""
    if not confirm.is_confirmed(request):
        return confirm.confirm_page(request, person=person, question=question, active_tab="profile")
    reason = request.POST.get(confirm.REASON, "")
    try:
        service(actor=request.user, reason=reason, **obj)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
            again = dataclasses.replace(question, reason_error=" ".join(exc.message_dict["reason"]), reason=reason)
            return confirm.confirm_page(request, person=person, question=again, active_tab="profile")
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(_profile_url(person, anchor))


def _resolve_question(person, condition) -> confirm.Question:
    return confirm.Question(
        title=_("Is ‘%(name)s’ over?") % {"name": condition.display},
        consequence=_(
            "De aandoening komt bij ‘Aandoeningen die over zijn’. Zij blijft in het profiel bewaard. "
            "Kwam zij terug? Dan kunt u de status via ‘Bewerk’ weer op ‘actief’ zetten."
        ),
        confirm_label=_("Ja, is over"),
        back_url=_profile_url(person, "aandoeningen"),
        reason_label=_("Waarom is de aandoening over?"),
        reason_help=_("Bijvoorbeeld: genezen na behandeling. De reden blijft bij de geschiedenis staan."),
    )


def _remove_question(person, condition) -> confirm.Question:
    return confirm.Question(
        title=_("‘%(name)s’ per ongeluk vastgelegd?") % {"name": condition.display},
        consequence=_(
            "De aandoening staat dan niet meer in de lijsten van het profiel. Zij wordt niet gewist: "
            "het zorgteam ziet haar bij ‘Per ongeluk vastgelegd’, met uw reden, en zij staat in de export. "
            "Is de aandoening over? Kies dan ‘Nee, terug’ en zet de status op ‘over’."
        ),
        confirm_label=_("Ja, per ongeluk vastgelegd"),
        back_url=reverse("people:condition_edit", args=[person.pk, condition.pk]),
        reason_label=_("Wat ging er mis?"),
        reason_help=_("Bijvoorbeeld: bij de verkeerde cliënt ingevuld."),
    )


def _stop_question(person, medication) -> confirm.Question:
    return confirm.Question(
        title=_("Gestopt met %(name)s?") % {"name": medication.name},
        consequence=_(
            "Het medicijn komt bij ‘Gestopte medicijnen’. Het blijft in het profiel bewaard, "
            "maar staat niet meer bij de medicijnen die de cliënt nu gebruikt."
        ),
        confirm_label=_("Ja, gestopt"),
        back_url=_profile_url(person, "medicatie"),
        reason_label=_("Waarom gestopt?"),
        reason_help=_("Bijvoorbeeld: bijwerkingen, of niet meer nodig. De reden blijft bij de geschiedenis staan."),
    )


@person_view(Category.CLINICAL, object_type="people.Condition")
def condition_add(request, person):
    if request.method == "POST":
        form = ConditionForm(request.POST)
        if not form.is_valid():
            add_problems_beside(form, services.condition_problems(person=person, **form.service_kwargs()))
        else:
            try:
                services.condition_add(actor=request.user, person=person, **form.service_kwargs())
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("De aandoening is toegevoegd."))
                return redirect(_profile_url(person, "aandoeningen"))
    else:
        form = ConditionForm(initial={"category": Condition.Category.SOMATIC})
    return render(request, "people/condition_form.html", {"person": person, "form": form, "condition": None})


@person_view(Category.CLINICAL, object_type="people.Condition", object_kwarg="condition_id")
def condition_edit(request, person, condition_id):
    condition = access.object_for(request.user, Condition.objects, condition_id, person=person)
    if request.method == "POST":
        form = ConditionForm(request.POST)
        if not form.is_valid():
            add_problems_beside(form, services.condition_problems(person=person, **form.service_kwargs()))
        else:
            try:
                services.condition_update(actor=request.user, condition=condition, **form.service_kwargs())
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("De aandoening is opgeslagen."))
                return redirect(_profile_url(person, "aandoeningen"))
    else:
        form = ConditionForm(initial={name: getattr(condition, name) for name in services._CONDITION_FIELDS})
    return render(request, "people/condition_form.html", {"person": person, "form": form, "condition": condition})


@confirm.asks_first
@person_view(Category.CLINICAL, object_type="people.Condition", object_kwarg="condition_id")
@require_http_methods(["GET", "POST"])
def condition_resolve(request, person, condition_id):
    condition = access.object_for(request.user, Condition.objects, condition_id, person=person, action=Action.UPDATE)
    return _clinical_action(
        request,
        person,
        {"condition": condition},
        services.condition_resolve,
        _("De aandoening staat nu als ‘over’."),
        "aandoeningen",
        _resolve_question(person, condition),
    )


@confirm.asks_first
@person_view(Category.CLINICAL, object_type="people.Condition", object_kwarg="condition_id")
@require_http_methods(["GET", "POST"])
def condition_remove(request, person, condition_id):
    condition = access.object_for(request.user, Condition.objects, condition_id, person=person, action=Action.UPDATE)
    return _clinical_action(
        request,
        person,
        {"condition": condition},
        services.condition_remove,
        _("De aandoening staat nu als ‘per ongeluk vastgelegd’."),
        "aandoeningen",
        _remove_question(person, condition),
    )


# --- professional: medication -----------------------------------------------------------------


@person_view(Category.CLINICAL, object_type="people.Medication")
def medication_add(request, person):
    if request.method == "POST":
        form = MedicationForm(request.POST)
        if form.is_valid():
            try:
                services.medication_add(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Het medicijn is toegevoegd."))
                return redirect(_profile_url(person, "medicatie"))
    else:
        form = MedicationForm()
    return render(request, "people/medication_form.html", {"person": person, "form": form, "medication": None})


@person_view(Category.CLINICAL, object_type="people.Medication", object_kwarg="medication_id")
def medication_edit(request, person, medication_id):
    medication = access.object_for(request.user, Medication.objects, medication_id, person=person)
    if request.method == "POST":
        form = MedicationForm(request.POST)
        if form.is_valid():
            try:
                services.medication_update(actor=request.user, medication=medication, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Het medicijn is opgeslagen."))
                return redirect(_profile_url(person, "medicatie"))
    else:
        form = MedicationForm(initial={name: getattr(medication, name) for name in MedicationForm.base_fields})
    return render(request, "people/medication_form.html", {"person": person, "form": form, "medication": medication})


@confirm.asks_first
@person_view(Category.CLINICAL, object_type="people.Medication", object_kwarg="medication_id")
@require_http_methods(["GET", "POST"])
def medication_stop(request, person, medication_id):
    medication = access.object_for(request.user, Medication.objects, medication_id, person=person, action=Action.UPDATE)
    return _clinical_action(
        request,
        person,
        {"medication": medication},
        services.medication_stop,
        _("Het medicijn staat nu als gestopt."),
        "medicatie",
        _stop_question(person, medication),
    )


# --- professional: support level --------------------------------------------------------------


@person_view(Category.SUPPORT_LEVEL, object_type="people.SupportLevelDecision")
def support_level(request, person):
    context = _page_context(request, person)
    suggestion = context.get("suggestion")
    if request.method == "POST":
        form = SupportLevelForm(request.POST)
        if form.is_valid():
            try:
                services.support_level_decide(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Het ondersteuningsniveau is vastgelegd."))
                return redirect(_profile_url(person, "ondersteuning"))
    else:
        current = context.get("support_current")
        level = current.level if current else (suggestion or {}).get("level")
        form = SupportLevelForm(initial={"level": level})
    context["form"] = form
    return render(request, "people/support_level.html", context)


# --- registering a person ---------------------------------------------------------------------


@caseload_view(write=Action.CREATE, object_type="people.Person")
def register(request):
    if request.method == "POST":
        form = RegisterForm(request.POST)
        if form.is_valid():
            try:
                person, issued = services.person_register(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request, _("%(name)s is ingeschreven. U staat in het zorgteam.") % {"name": person.full_name}
                )
                if issued:
                    code, row = issued
                    return issuing.handover(
                        request,
                        row=row,
                        code=code,
                        back=reverse("workspace:person", args=[person.pk]),
                        organisation=request.user.organisation,
                    )
                return redirect("workspace:person", person_id=person.pk)
        else:
            problems = services.person_register_problems(**form.service_kwargs())
            add_problems_beside(form, problems, needs={"channel": "email"})  # every problem at once
    else:
        form = RegisterForm()
    return render(request, "people/register.html", {"form": form})


@person_view(Category.DEMOGRAPHICS, object_type="accounts.ActivationCode")
@require_http_methods(["GET", "POST"])
def portal_code(request, person):
    """The care team hands the person a new code for their portal account (lost letter, new or lost phone)."""
    if person.user is None:  # no portal account: the page says so
        return render(request, "people/portal_code.html", _page_context(request, person) | {"form": None})
    form = issuing.issue_form(request, person.user)
    if request.method == "POST" and form.is_valid():
        try:
            code, row = portal_accounts.portal_code_issue(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            back = reverse("workspace:person", args=[person.pk])
            return issuing.handover(request, row=row, code=code, back=back, organisation=request.user.organisation)
    context = _page_context(request, person) | {"form": form, "account": person.user}
    return render(request, "people/portal_code.html", context)


# --- the person's own profile (portal) --------------------------------------------------------


@portal_view(Category.PROFILE, object_type="people.Profile")
def portal_profile(request, person):
    return render(request, "people/portal_profile.html", _page_context(request, person))


@portal_view(Category.PROFILE, object_type="people.Profile")
def portal_profile_edit(request, person):
    if request.method == "POST":
        form = PortalProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Uw profiel is opgeslagen."))
                return redirect("people:portal_profile")
    else:
        form = PortalProfileForm(initial=PortalProfileForm.initial_from(selectors.profile_of(person)))
    preference_fields = [form[name] for name in PortalProfileForm.PREFERENCES]
    return render(
        request,
        "people/portal_profile_edit.html",
        {"person": person, "form": form, "preference_fields": preference_fields},
    )
