"""Views of koers.questionnaires. Thin: parse input, call a service or selector, render.

Two sides: the professional's pages about a person (assign, fill in together in a consult,
results, trajectories with reliable change, attention for worrying results) and the person's
portal (fill in one question per page, save and continue later, results in plain language).
Plus one page without person data: an organisation reads in its own licensed instrument.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers import access
from koers.access.decorators import no_person_data, person_view, portal_view
from koers.accounts.models import Organisation, User
from koers.lib import confirm, jargon
from koers.lib.forms import add_problems_beside
from koers.questionnaires import forms, own_instruments, results, selectors, services, texts
from koers.questionnaires.chart import trajectory_chart
from koers.questionnaires.models import Assignment, AttentionItem, ImportedInstrument, Response

QUESTIONNAIRES = access.Category.QUESTIONNAIRES
ASSIGNMENT = services.ASSIGNMENT
RESPONSE = services.RESPONSE
READ, CREATE, UPDATE = access.Action.READ, access.Action.CREATE, access.Action.UPDATE


def _response(request, person, response_id, action=READ) -> Response:
    qs = Response.objects.select_related("imported", "assignment", "filled_by", "score")
    return access.object_for(request.user, qs, response_id, person=person, action=action)


def _assignment(request, person, assignment_id, action=READ) -> Assignment:
    qs = Assignment.objects.select_related("imported")
    return access.object_for(request.user, qs, assignment_id, person=person, action=action)


def _numbered(inst) -> list[tuple[int, object]]:
    return list(enumerate(selectors.answerable_items(inst), start=1))


# --- professional pages ----------------------------------------------------------------------


@person_view(QUESTIONNAIRES, object_type="questionnaires")
def overview(request, person):
    lang = forms.lang_of(request)
    available = selectors.available_instruments(request.user.organisation)
    scores = selectors.scores_for(person)
    context = {
        "person": person,
        "assignments": selectors.assignments_for_person(person),
        "attention": selectors.open_attention(person, lang),
        "handled": selectors.attention_history(person, lang=lang),
        "in_progress": selectors.in_progress(person, mode=Response.Mode.CONSULT),
        "trajectories": selectors.trajectories(person, lang, scores=scores),
        "recovery": selectors.recovery_overview(person, lang, scores=scores),
        "start_form": forms.StartForm(available=available, lang=lang),
        "handle_form": forms.HandleForm(),
    }
    return render(request, "questionnaires/overview.html", context)


@person_view(QUESTIONNAIRES, object_type=ASSIGNMENT)
@require_http_methods(["GET", "POST"])
def assign(request, person):
    lang = forms.lang_of(request)
    available = selectors.available_instruments(request.user.organisation)
    form = forms.AssignForm(request.POST if request.method == "POST" else None, available=available, lang=lang)
    if request.method == "POST" and not form.is_valid():
        add_problems_beside(form, services.assignment_problems(actor=request.user, **form.cleaned_data))
    elif request.method == "POST":
        try:
            assignment = services.assignment_create(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(title)s staat klaar voor %(name)s.")
                % {"title": assignment.title_shown, "name": person.given_name},
            )
            return redirect("questionnaires:list", person_id=person.pk)
    return render(request, "questionnaires/assign.html", {"person": person, "form": form, "available": available})


def _stop_question(person, assignment) -> confirm.Question:
    active = assignment.status == Assignment.Status.ACTIVE
    return confirm.Question(
        title=_("Vragenlijst stoppen?"),
        consequence=_(
            "%(name)s krijgt %(title)s dan niet meer klaargezet. Antwoorden die al zijn gegeven, blijven bewaard. "
            "Wilt u later weer een meting? Zet de vragenlijst dan opnieuw klaar."
        )
        % {"name": person.given_name, "title": assignment.title},
        confirm_label=_("Ja, stoppen"),
        back_url=reverse("questionnaires:list", args=[person.pk]),
        refusal="" if active else _("Deze vragenlijst is al ingevuld of gestopt."),
    )


@confirm.asks_first
@person_view(QUESTIONNAIRES, object_type=ASSIGNMENT, object_kwarg="assignment_id")
@require_http_methods(["GET", "POST"])
def assignment_cancel(request, person, assignment_id):
    """Stop an assignment. Asks first: GET or an unconfirmed POST shows the question."""
    assignment = _assignment(request, person, assignment_id, action=UPDATE if request.method == "POST" else READ)
    if not confirm.is_confirmed(request):
        question = _stop_question(person, assignment)
        return confirm.confirm_page(request, person=person, question=question, active_tab="questionnaires")
    try:
        services.assignment_cancel(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(title)s is gestopt.") % {"title": assignment.title_shown})
    return redirect("questionnaires:list", person_id=person.pk)


@person_view(QUESTIONNAIRES, object_type=RESPONSE)
@require_POST
def start_together(request, person):
    """Fill in a questionnaire together with the person, in a consult: from an assignment or any
    available instrument. An open one of the same kind is continued, not doubled."""
    assignment = None
    if request.POST.get("assignment"):
        assignment = _assignment(request, person, request.POST["assignment"], action=CREATE)
    try:
        response = services.response_start(
            actor=request.user,
            person=person,
            assignment=assignment,
            instrument_id=request.POST.get("instrument_id", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("questionnaires:list", person_id=person.pk)
    return redirect("questionnaires:fill", person_id=person.pk, response_id=response.pk)


@person_view(QUESTIONNAIRES, object_type=RESPONSE, object_kwarg="response_id")
@require_http_methods(["GET", "POST"])
def fill(request, person, response_id):
    """All questions on one page, for a professional and the person together."""
    response = _response(request, person, response_id, action=UPDATE if request.method == "POST" else READ)
    if response.status != Response.Status.IN_PROGRESS or response.mode != Response.Mode.CONSULT:
        if request.method == "POST":
            messages.info(request, _("Deze vragenlijst kunt u hier niet (meer) invullen."))
            return redirect("questionnaires:response", person_id=person.pk, response_id=response.pk)
        return _render_response(request, person, response)  # a finished one: show what was answered
    inst = selectors.instrument_for(response)
    lang = forms.lang_of(request)
    numbered = _numbered(inst)
    data = request.POST if request.method == "POST" else None
    form = forms.AnswersForm(data, items=numbered, lang=lang, current=response.answers, authored_at=True)
    if request.method == "POST" and form.is_valid():
        complete = request.POST.get("actie") == "versturen"
        try:
            if complete:
                services.response_complete(
                    actor=request.user,
                    response=response,
                    answers=form.answers(),
                    authored_at=form.authored_datetime(),
                )
            else:
                services.response_save(actor=request.user, response=response, answers=form.answers())
        except ValidationError as exc:
            forms.add_service_error(form, exc, field_for=form.field_for)
        else:
            if complete:
                messages.success(request, _("De vragenlijst is ingevuld en gescoord."))
                return redirect("questionnaires:response", person_id=person.pk, response_id=response.pk)
            messages.success(request, _("De antwoorden zijn bewaard. U kunt later verder gaan."))
            return redirect("questionnaires:list", person_id=person.pk)
    context = {
        "person": person,
        "response": response,
        "instrument": inst,
        "intro": texts.intro_texts(inst, lang),
        "form": form,
        "lang": lang,
    }
    return render(request, "questionnaires/fill.html", context)


@person_view(QUESTIONNAIRES, object_type=RESPONSE, object_kwarg="response_id")
def response_detail(request, person, response_id):
    response = _response(request, person, response_id)
    if response.status == Response.Status.IN_PROGRESS and response.mode == Response.Mode.CONSULT:
        return redirect("questionnaires:fill", person_id=person.pk, response_id=response.pk)
    return _render_response(request, person, response)


def _render_response(request, person, response):
    lang = forms.lang_of(request)
    inst = selectors.instrument_for(response)
    attention = list(response.attention_items.select_related("responsible", "handled_by").order_by("id"))
    for item in attention:
        item.label = texts.attention_label(item, inst, lang)
    context = {
        "person": person,
        "response": response,
        "instrument": inst,
        "rows": texts.answer_rows(inst, response.answers, lang),
        "score": texts.score_view(inst, getattr(response, "score", None), lang),
        "calculated": texts.calculated_rows(inst, response.resource, lang),
        "attention": attention,
        "has_open": any(item.handled_at is None for item in attention),
        "handle_form": forms.HandleForm(),
    }
    return render(request, "questionnaires/response.html", context)


@person_view(QUESTIONNAIRES, object_type=RESPONSE, object_kwarg="response_id")
@require_POST
def attention_handle(request, person, response_id):
    """A professional notes what was done about the worrying result(s) of one response."""
    response = _response(request, person, response_id, action=UPDATE)
    form = forms.HandleForm(request.POST)
    items = list(AttentionItem.objects.filter(response=response, handled_at__isnull=True).order_by("id"))
    target = {
        "overzicht": reverse("questionnaires:list", args=[person.pk]),
        "werklijst": reverse("followup:worklist"),
        "team": reverse("followup:team_worklist"),
    }.get(request.POST.get("terug", ""), reverse("questionnaires:response", args=[person.pk, response.pk]))
    if not items:
        messages.info(request, _("Dit was al afgehandeld."))
        return redirect(target)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(target)
    try:
        for item in items:
            services.attention_handle(actor=request.user, item=item, note=form.cleaned_data["handled_note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Vastgelegd. Het staat niet meer bij 'Aandacht nodig'."))
    return redirect(target)


@person_view(QUESTIONNAIRES, object_type="questionnaires.Score")
def trajectory(request, person, instrument):
    lang = forms.lang_of(request)
    found = selectors.trajectory(person, instrument, lang)
    if found is None:
        raise Http404
    context = {
        "person": person,
        "trajectory": found,
        "chart": trajectory_chart(found, lang),
        "rows": results.trajectory_rows(found),
        "terms": {"rci": jargon.term("rci")},  # statistics words explained at the foot of the page
        "glossary": jargon.glossary(["rci"]),
    }
    return render(request, "questionnaires/trajectory.html", context)


# --- the person's own pages (portal) ---------------------------------------------------------


@portal_view(QUESTIONNAIRES, object_type="questionnaires")
def portal_list(request, person):
    lang = forms.lang_of(request)
    context = {
        "person": person,
        "todo": selectors.portal_todo(person),
        "results": selectors.portal_results(person, lang),
    }
    return render(request, "questionnaires/portal_list.html", context)


@portal_view(QUESTIONNAIRES, object_type=ASSIGNMENT, object_kwarg="assignment_id")
@require_http_methods(["GET", "POST"])
def portal_start(request, person, assignment_id):
    """The plain-language introduction; starting (POST) opens the first unanswered question."""
    assignment = _assignment(request, person, assignment_id, action=CREATE if request.method == "POST" else READ)
    if request.method == "POST":
        try:
            response = services.response_start(actor=request.user, person=person, assignment=assignment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("questionnaires:portal_list")
        return redirect("questionnaires:portal_fill", response_id=response.pk)
    if assignment.status != Assignment.Status.ACTIVE:
        messages.info(request, _("Deze vragenlijst hoeft u nu niet in te vullen."))
        return redirect("questionnaires:portal_list")
    inst = selectors.instrument_for(assignment)
    lang = forms.lang_of(request)
    started = selectors.portal_response_for(person, assignment)
    context = {
        "person": person,
        "assignment": assignment,
        "instrument": inst,
        "title": inst.title(lang),
        "intro": texts.intro_texts(inst, lang),
        "count": len(selectors.answerable_items(inst)),
        "minutes": texts.minutes_needed(inst),
        "started": started,
    }
    return render(request, "questionnaires/portal_start.html", context)


def _portal_response(request, person, response_id, action=READ) -> Response:
    response = _response(request, person, response_id, action=action)
    if response.mode != Response.Mode.PORTAL:
        access.refuse(
            request.user,
            person_id=person.pk,
            category=QUESTIONNAIRES,
            action=action,
            object_type=RESPONSE,
            object_id=response_id,
        )
    return response


def _question_number(raw, total: int) -> int | None:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= total + 1 else None


@portal_view(QUESTIONNAIRES, object_type=RESPONSE, object_kwarg="response_id")
@require_http_methods(["GET", "POST"])
def portal_fill(request, person, response_id):
    """One question per page (``?vraag=N``); page N+1 is the overview to check and send.
    Every answer is saved at once, so the person can stop and continue later."""
    response = _portal_response(request, person, response_id, action=UPDATE if request.method == "POST" else READ)
    if response.status != Response.Status.IN_PROGRESS:
        if request.method == "POST":
            return redirect("questionnaires:portal_result", response_id=response.pk)
        return _render_result(request, person, response)  # already sent: show the result
    inst = selectors.instrument_for(response)
    lang = forms.lang_of(request)
    numbered = _numbered(inst)
    total = len(numbered)
    raw = request.GET.get("vraag")
    if raw is None:
        number = texts.first_unanswered(numbered, response.answers) or total + 1
        return redirect(_fill_url(response, number))
    number = _question_number(raw, total)
    if number is None:
        raise Http404
    if number == total + 1:
        return _render_review(request, person, response, inst, numbered, lang)
    data = request.POST if request.method == "POST" else None
    form = forms.AnswersForm(data, items=[numbered[number - 1]], lang=lang, current=response.answers)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_save(actor=request.user, response=response, answers=form.answers())
        except ValidationError as exc:
            forms.add_service_error(form, exc, field_for=form.field_for)
        else:
            action = request.POST.get("actie", "verder")
            if action == "later":
                messages.success(request, _("Bewaard. U kunt later verder gaan waar u gebleven was."))
                return redirect("questionnaires:portal_list")
            if action == "terug":
                return redirect(_fill_url(response, max(1, number - 1)))
            return redirect(_fill_url(response, number + 1))
    context = {
        "person": person,
        "response": response,
        "instrument": inst,
        "title": inst.title(lang),
        "form": form,
        "field": form[f"q{number}"],
        "stem": texts.question_stem(inst, lang) if numbered[number - 1][1].type == "choice" else "",
        "number": number,
        "total": total,
        "worry": selectors.has_open_flag(response),
    }
    return render(request, "questionnaires/portal_question.html", context)


def _fill_url(response: Response, number: int) -> str:
    return f"{reverse('questionnaires:portal_fill', args=[response.pk])}?vraag={number}"


def _render_review(request, person, response, inst, numbered, lang, *, error=None, missing=()):
    context = {
        "person": person,
        "response": response,
        "instrument": inst,
        "title": inst.title(lang),
        "rows": texts.answer_rows(inst, response.answers, lang, numbered=numbered),
        "total": len(numbered),
        "answered": sum(1 for _n, item in numbered if item.link_id in response.answers),
        "number": len(numbered) + 1,
        "error": error,
        "missing": set(missing),
        "worry": selectors.has_open_flag(response),
    }
    return render(request, "questionnaires/portal_review.html", context)


@portal_view(QUESTIONNAIRES, object_type=RESPONSE, object_kwarg="response_id")
@require_POST
def portal_complete(request, person, response_id):
    response = _portal_response(request, person, response_id, action=UPDATE)
    if response.status != Response.Status.IN_PROGRESS:
        return redirect("questionnaires:portal_result", response_id=response.pk)
    try:
        services.response_complete(actor=request.user, response=response)
    except ValidationError as exc:
        inst = selectors.instrument_for(response)
        lang = forms.lang_of(request)
        missing = getattr(exc, "error_dict", {}).keys()
        error = (
            _("Nog niet alle vragen zijn beantwoord. Beantwoord de vragen die hieronder zijn gemarkeerd.")
            if missing
            else " ".join(exc.messages)
        )
        return _render_review(request, person, response, inst, _numbered(inst), lang, error=error, missing=missing)
    messages.success(request, _("Dank u wel. Uw antwoorden zijn verstuurd."))
    return redirect("questionnaires:portal_result", response_id=response.pk)


@portal_view(QUESTIONNAIRES, object_type=RESPONSE, object_kwarg="response_id")
def portal_result(request, person, response_id):
    response = _response(request, person, response_id)
    if response.status != Response.Status.COMPLETED:
        if response.mode == Response.Mode.PORTAL:
            return redirect("questionnaires:portal_fill", response_id=response.pk)
        access.refuse(  # filled in together and not finished: nothing to show the person yet
            request.user,
            person_id=person.pk,
            category=QUESTIONNAIRES,
            action=READ,
            object_type=RESPONSE,
            object_id=response.pk,
        )
    return _render_result(request, person, response)


def _render_result(request, person, response):
    lang = forms.lang_of(request)
    inst = selectors.instrument_for(response)
    kinds = set(response.attention_items.values_list("kind", flat=True))
    context = {
        "person": person,
        "response": response,
        "instrument": inst,
        "title": inst.title(lang),
        "result": selectors.portal_result(person, response, lang),
        "rows": texts.answer_rows(inst, response.answers, lang),
        "worry": AttentionItem.Kind.FLAG in kinds,
        "severe": AttentionItem.Kind.BAND in kinds,
    }
    return render(request, "questionnaires/portal_result.html", context)


# --- an organisation's own instruments (no person data) --------------------------------------


def _import_organisations(user):
    if user.role == User.Role.ADMINISTRATOR and user.organisation_id is None:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk=user.organisation_id)


def _may_import(user) -> bool:
    return user.is_active and user.role in (User.Role.MANAGER, User.Role.ADMINISTRATOR)


@no_person_data
@require_http_methods(["GET", "POST"])
def instrument_import(request):
    """A manager or administrator reads in the organisation's own licensed Questionnaire JSON."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _may_import(request.user):
        raise Http404
    organisations = _import_organisations(request.user)
    form = forms.ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            imported = own_instruments.instrument_import(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                questionnaire=form.cleaned_data["questionnaire"],
                licence=form.cleaned_data["licence"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            forms.add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(title)s (versie %(version)s) is ingelezen. Zorgverleners van %(org)s kunnen hem nu klaarzetten.")
                % {"title": imported.title, "version": imported.version, "org": imported.organisation.name},
            )
            return redirect("questionnaires:instruments")
    return render(request, "questionnaires/import.html", {"form": form})


@no_person_data
def instrument_list(request):
    """The instruments Koers ships (with their licence) and the organisation's own imports."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_professional or _may_import(request.user)):
        raise Http404
    lang = forms.lang_of(request)
    organisations = _import_organisations(request.user)
    imported = (
        ImportedInstrument.objects.filter(organisation__in=organisations)
        .select_related("organisation", "imported_by")
        .order_by("organisation__name", "instrument_id", "-imported_at")
    )
    context = {
        "shipped": texts.shipped_catalogue(lang),
        "imported": list(imported),
        "may_import": _may_import(request.user),
    }
    return render(request, "questionnaires/instruments.html", context)
