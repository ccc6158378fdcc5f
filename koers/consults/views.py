"""Views of koers.consults. Thin: parse input, call a service or selector, render.

Two sides: the person's portal (prepare a consult step by step) and the professional's pages
about a person (plan consults, set their status). The agenda pages of both sides are in
``agenda_views``. Every htmx action is also a plain POST that redirects.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.consults import forms, selectors, services, spheres
from koers.consults.agenda_views import consult_for, detail_context
from koers.consults.models import Consult
from koers.lib import confirm
from koers.lib.forms import NOT_SAVED, add_service_error, save_form, submit_form
from koers.people import hooks

CONSULTS = access.Category.CONSULTS
Action = access.Action


# --- the person's preparation (portal) ------------------------------------------------------


@dataclass(frozen=True)
class Step:
    slug: str
    title: object
    kind: str  # "how_are_you" | "sphere" | "topics" | "review"
    sphere: spheres.SphereInfo | None = None


STEPS: tuple[Step, ...] = (
    Step("hoe-gaat-het", gettext_lazy("Hoe gaat het?"), "how_are_you"),
    *(Step(s.slug, s.title, "sphere", s) for s in spheres.SPHERES),
    Step("onderwerpen", gettext_lazy("Uw onderwerpen"), "topics"),
    Step("overzicht", gettext_lazy("Overzicht en versturen"), "review"),
)
STEP_BY_SLUG = {s.slug: s for s in STEPS}


def _data(request):
    return request.POST if request.method == "POST" else None


def _detail_url(person, consult) -> str:
    return reverse("consults:detail", kwargs={"person_id": person.pk, "consult_id": consult.pk})


def _step_url(step: Step) -> str:
    return f"{reverse('consults:portal_prepare_step')}?stap={step.slug}"


def _service_step(step: Step) -> str:
    if step.kind == "sphere":
        return step.sphere.key
    return services.STEP_HOW_ARE_YOU if step.kind == "how_are_you" else services.STEP_TOPICS


@portal_view(CONSULTS, object_type="consults.Preparation")
@require_http_methods(["GET", "POST"])
def portal_prepare(request, person):
    """Start or continue preparing the next consult."""
    if request.method == "POST":
        services.preparation_start_or_continue(actor=request.user, person=person)
        return redirect(_step_url(STEPS[0]))
    next_consult = selectors.next_planned_consult(person)
    latest = selectors.latest_preparation(person)
    context = {
        "person": person,
        "next_consult": next_consult,
        "draft": latest if latest and latest.status == latest.Status.DRAFT else None,
        "submitted": latest if latest and latest.status == latest.Status.SUBMITTED else None,
        "steps": STEPS,
    }
    return render(request, "consults/portal_prepare.html", context)


def _step_form(step: Step, draft, data=None):
    if step.kind == "how_are_you":
        initial = {"how_are_you": draft.how_are_you, "most_important": draft.most_important}
        return forms.HowAreYouForm(data, initial=initial)
    if step.kind == "sphere":
        answer = next((a for a in draft.spheres.all() if a.sphere == step.sphere.key), None)
        return forms.SphereForm(data, sphere=step.sphere, initial=forms.SphereForm.initial_for(answer))
    if step.kind == "topics":
        return forms.TopicForm(data)
    return None


def _render_step(request, person, draft, step, form, *, error=None):
    index = STEPS.index(step)
    context = {
        "person": person,
        "draft": draft,
        "step": step,
        "form": form,
        "steps": STEPS,
        "number": index + 1,
        "total": len(STEPS),
        "previous": STEPS[index - 1] if index > 0 else None,
        "next": STEPS[index + 1] if index + 1 < len(STEPS) else None,
        "previous_url": _step_url(STEPS[index - 1]) if index > 0 else reverse("consults:portal_prepare"),
        "error": error,
        "next_consult": draft.consult if selectors.is_upcoming(draft.consult) else None,
    }
    if step.kind == "review":
        context["sphere_views"] = selectors.sphere_views(draft)
    template = "consults/portal_step.html"
    if request.htmx and step.kind == "topics" and request.method == "POST":
        template += "#topics"
    return render(request, template, context)


@portal_view(CONSULTS, object_type="consults.Preparation")
@require_http_methods(["GET", "POST"])
def portal_prepare_step(request, person):
    """One step of the preparation (``?stap=``). Every step saves the draft."""
    step = STEP_BY_SLUG.get(request.GET.get("stap") or STEPS[0].slug)
    if step is None:
        raise Http404
    draft = selectors.open_draft(person)
    if draft is None:
        messages.info(request, _("Begin hier met het voorbereiden van uw gesprek."))
        return redirect("consults:portal_prepare")
    if request.method == "GET":
        return _render_step(request, person, draft, step, _step_form(step, draft))

    action = request.POST.get("actie", "verder")
    form = _step_form(step, draft, request.POST)
    if step.kind == "review":
        return redirect(_step_url(step))
    if step.kind == "topics":
        return _save_topics(request, person, draft, step, form, action)
    saved = save_form(
        form,
        lambda _data: services.preparation_save_step(
            actor=request.user, preparation=draft, step=_service_step(step), values=form.values()
        ),
    )
    if saved is NOT_SAVED:
        return _render_step(request, person, draft, step, form)
    return _after_save(request, step, action)


def _after_save(request, step: Step, action: str):
    if action == "later":
        messages.success(request, _("Opgeslagen. U kunt later verder gaan waar u gebleven was."))
        return redirect("consults:portal_prepare")
    index = STEPS.index(step)
    return redirect(_step_url(STEPS[min(index + 1, len(STEPS) - 1)]))


def _save_topics(request, person, draft, step, form, action):
    topics = list(draft.own_topics)
    remove = request.POST.get("verwijder")
    if remove is not None:
        index = int(remove) if remove.isdigit() else -1
        if not 0 <= index < len(topics):
            raise Http404
        del topics[index]
        form = forms.TopicForm()
    elif action != "toevoegen" and not request.POST.get("title", "").strip():
        form = forms.TopicForm()  # going on without writing another topic
    elif not form.is_valid():
        return _render_step(request, person, draft, step, form)
    else:
        topics.append(form.topic())
        form = forms.TopicForm()
    try:
        services.preparation_save_step(
            actor=request.user, preparation=draft, step=services.STEP_TOPICS, values={"own_topics": topics}
        )
    except ValidationError as error:
        form = forms.TopicForm(request.POST)
        form.is_valid()
        add_service_error(form, error)
        return _render_step(request, person, draft, step, form)
    if request.htmx:
        return _render_step(request, person, draft, step, form)
    if remove is not None or action == "toevoegen":
        return redirect(_step_url(step))
    return _after_save(request, step, action)


@portal_view(CONSULTS, object_type="consults.Preparation")
@require_POST
def portal_prepare_submit(request, person):
    draft = selectors.open_draft(person)
    if draft is None:
        return redirect("consults:portal_prepare")
    try:
        services.preparation_submit(actor=request.user, preparation=draft)
    except ValidationError as error:
        return _render_step(request, person, draft, STEPS[-1], None, error=" ".join(error.messages))
    messages.success(request, _("Dank u wel. Uw voorbereiding is verstuurd. Uw onderwerpen staan op de agenda."))
    return redirect("consults:portal_agenda")


# --- the professional's pages ---------------------------------------------------------------


@person_view(CONSULTS, object_type="consults.Consult")
@require_http_methods(["GET"])
def consult_list(request, person):
    upcoming, earlier = selectors.consults_for(person)
    context = {"person": person, "upcoming": upcoming, "earlier": earlier}
    return render(request, "consults/list.html", context)


@person_view(CONSULTS, object_type="consults.Consult")
@require_http_methods(["GET", "POST"])
def consult_create(request, person):
    professionals = selectors.care_team_professionals(person)
    initial = {"professional": request.user.pk, "kind": Consult.Kind.IN_PERSON, "planned_minutes": 20}
    form = forms.ConsultForm(_data(request), professionals=professionals, initial=initial)
    return submit_form(
        request,
        form,
        save=lambda data: services.consult_plan(actor=request.user, person=person, **data),
        problems=lambda: services.consult_problems(person=person, **form.cleaned_data),
        success_url=lambda consult: _detail_url(person, consult),
        success_message=_("Het consult is gepland."),
        template="consults/form.html",
        context={"person": person, "consult": None},
    )


@person_view(CONSULTS, object_type="consults.Consult", object_kwarg="consult_id")
@require_http_methods(["GET", "POST"])
def consult_edit(request, person, consult_id):
    consult = access.object_for(request.user, Consult.objects, consult_id, person=person)
    professionals = selectors.care_team_professionals(person)
    initial = {
        "scheduled_at": consult.scheduled_at,
        "kind": consult.kind,
        "planned_minutes": consult.planned_minutes,
        "professional": consult.professional_id,
    }
    form = forms.ConsultForm(_data(request), professionals=professionals, initial=initial)
    return submit_form(
        request,
        form,
        save=lambda data: services.consult_update(actor=request.user, consult=consult, **data),
        problems=lambda: services.consult_problems(person=person, consult=consult, **form.cleaned_data),
        success_url=_detail_url(person, consult),
        success_message=_("Het consult is gewijzigd."),
        template="consults/form.html",
        context={"person": person, "consult": consult},
    )


@person_view(CONSULTS, object_type="consults.Consult", object_kwarg="consult_id")
@require_http_methods(["GET"])
def consult_detail(request, person, consult_id):
    """The consult: the person's preparation per sphere, the agenda to work through, the summary."""
    consult = consult_for(request, person, consult_id)
    # Its report, once filed as a document (a link only for a reader who may see that document).
    filed = hooks.filed_document(reader=request.user, person=person, origin=f"consults.Consult:{consult.pk}")
    return render(request, "consults/detail.html", detail_context(person, consult, filed=filed))


STATUS_DONE = {
    Consult.Status.HELD: gettext_lazy("Het consult is gemarkeerd als gehouden."),
    Consult.Status.CANCELLED: gettext_lazy("Het consult is afgezegd."),
    Consult.Status.PLANNED: gettext_lazy("Het consult is weer gepland."),
}


def _cancel_question(person, consult) -> confirm.Question:
    refusal = "" if consult.status == Consult.Status.PLANNED else _("Dit consult is al gehouden of afgezegd.")
    return confirm.Question(
        title=_("Consult afzeggen?"),
        consequence=_(
            "Het consult van %(when)s gaat niet door. De agenda en de voorbereiding blijven bewaard. "
            "Was dit een vergissing? Dan kunt u het consult daarna weer op ‘gepland’ zetten."
        )
        % {"when": date_format(timezone.localtime(consult.scheduled_at), "DATETIME_FORMAT")},
        confirm_label=_("Ja, afzeggen"),
        back_url=reverse("consults:detail", args=[person.pk, consult.pk]),
        hidden={"status": Consult.Status.CANCELLED},
        refusal=refusal,
    )


@confirm.asks_first
@person_view(CONSULTS, object_type="consults.Consult", object_kwarg="consult_id")
@require_http_methods(["GET", "POST"])
def consult_status(request, person, consult_id):
    """Mark held, cancel (asks first: GET or an unconfirmed POST shows the question), or back to planned."""
    consult = consult_for(request, person, consult_id, Action.UPDATE if request.method == "POST" else Action.READ)
    form = forms.StatusForm(request.POST if request.method == "POST" else None)
    wants_cancel = request.method == "GET" or request.POST.get("status") == Consult.Status.CANCELLED
    if wants_cancel and not confirm.is_confirmed(request):
        return confirm.confirm_page(
            request, person=person, question=_cancel_question(person, consult), active_tab="consults"
        )
    try:
        if not form.is_valid():
            raise ValidationError(_("Kies ‘gehouden’ of ‘afgezegd’."))
        status = form.cleaned_data["status"]
        services.consult_set_status(actor=request.user, consult=consult, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, STATUS_DONE[status])
    return redirect("consults:detail", person_id=person.pk, consult_id=consult.pk)


@person_view(CONSULTS, object_type="consults.Consult", object_kwarg="consult_id")
@require_POST
def consult_summary(request, person, consult_id):
    consult = consult_for(request, person, consult_id, Action.UPDATE)
    form = forms.SummaryForm(request.POST)
    saved = save_form(
        form,
        lambda data: services.consult_record_summary(actor=request.user, consult=consult, summary=data["summary"]),
    )
    if saved is NOT_SAVED:
        return render(request, "consults/detail.html", detail_context(person, consult, summary_form=form))
    messages.success(request, _("De samenvatting is opgeslagen."))
    return redirect(reverse("consults:detail", args=[person.pk, consult.pk]) + "#samenvatting")
