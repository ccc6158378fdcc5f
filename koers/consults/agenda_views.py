"""The agenda pages: the person's (portal) and the professional's (on the consult page).

Nothing typed is lost: on the consult page the whole agenda is one form, and every button in
it (save, up, down, remove, add, carry, undo) first saves what was typed at every item — all
or, if something is wrong, nothing (``_save_typed``). Removing offers "ongedaan maken" for
``agenda.UNDO_MINUTES``. After an htmx change the status is announced in the page's live
region (``#messages``, out of band) and focus moves to the item acted on (``focus`` in the
context becomes ``autofocus``, which htmx honours after a swap). Without JavaScript every
button is a plain POST that redirects to the item (``#item-…``) with the same message.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.consults import agenda, forms, selectors, services
from koers.consults.models import AgendaItem, Consult
from koers.lib.forms import NOT_SAVED, save_form

CONSULTS = access.Category.CONSULTS
Action = access.Action


def _focus_parts(focus: str) -> dict:
    """ "h-item-12" / "item-12" → focus the item's heading, "undo-12" → its undo button,
    "h-agenda" → the agenda's heading, "h-summary" → the summary's. The template turns this into ``autofocus``."""
    if focus == "h-summary":
        return {"focus_kind": "summary", "focus_item": None}
    kind, _sep, pk = focus.rpartition("-")
    if pk.isdigit():
        return {"focus_kind": "undo" if kind == "undo" else "item", "focus_item": int(pk)}
    return {"focus_kind": "agenda" if focus else "", "focus_item": None}


def _undo_hint() -> str:
    return _("U kunt dit nog %(minutes)d minuten ongedaan maken.") % {"minutes": agenda.UNDO_MINUTES}


# --- the agenda in the portal ---------------------------------------------------------------


def _portal_agenda_context(person, form=None, **extra):
    consult = selectors.next_planned_consult(person)
    return {
        "person": person,
        "consult": consult,
        "items": selectors.agenda(person, consult),
        "removed": [i for i in agenda.recently_removed(person, consult) if i.source == AgendaItem.Source.PERSON],
        "form": form or forms.AgendaItemForm(),
        **_focus_parts(extra.pop("focus", "")),
        **extra,
    }


def _portal_done(request, person, *, status: str, focus: str, error: str = ""):
    if request.htmx:
        context = _portal_agenda_context(person, status=status, focus=focus, error=error)
        return render(request, "consults/portal_agenda.html#agenda", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, status)
    return redirect(reverse("consults:portal_agenda") + (f"#{focus}" if focus else ""))


@portal_view(CONSULTS, object_type="consults.AgendaItem")
@require_http_methods(["GET", "POST"])
def portal_agenda(request, person):
    """The agenda of my next consult: everything on it, and I can add my own topics."""
    template = "consults/portal_agenda.html"
    if request.method == "GET":
        return render(request, template, _portal_agenda_context(person))
    form = forms.AgendaItemForm(request.POST)
    item = save_form(
        form,
        lambda data: services.agenda_item_add(
            actor=request.user, person=person, consult=selectors.next_planned_consult(person), **data
        ),
    )
    if item is NOT_SAVED:
        return render(request, template + ("#agenda" if request.htmx else ""), _portal_agenda_context(person, form))
    return _portal_done(request, person, status=_("Uw onderwerp staat op de agenda."), focus=f"item-{item.pk}")


@portal_view(CONSULTS, object_type="consults.AgendaItem", object_kwarg="item_id")
@require_POST
def portal_item_remove(request, person, item_id):
    item = access.object_for(request.user, AgendaItem.objects.select_related("consult"), item_id, person=person)
    try:
        agenda.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        return _portal_done(request, person, status="", focus="", error=" ".join(exc.messages))
    status = _("‘%(title)s’ is van de agenda gehaald.") % {"title": item.title} + " " + _undo_hint()
    return _portal_done(request, person, status=status, focus=f"undo-{item.pk}")


@portal_view(CONSULTS, object_type="consults.AgendaItem", object_kwarg="item_id")
@require_POST
def portal_item_restore(request, person, item_id):
    """Ongedaan maken: put my removed topic back on the agenda."""
    item = access.object_for(
        request.user, AgendaItem.all_objects.select_related("consult"), item_id, person=person, action=Action.UPDATE
    )
    try:
        agenda.agenda_item_restore(actor=request.user, item=item)
    except ValidationError as exc:
        return _portal_done(request, person, status="", focus="", error=" ".join(exc.messages))
    status = _("‘%(title)s’ staat weer op de agenda.") % {"title": item.title}
    return _portal_done(request, person, status=status, focus=f"item-{item.pk}")


# --- the professional's agenda on the consult page ------------------------------------------


@dataclass
class Row:
    item: AgendaItem
    form: forms.AgendaItemUpdateForm
    first: bool
    last: bool


def _item_form(item, data=None):
    initial = {"status": item.status, "discussion_notes": item.discussion_notes}
    return forms.AgendaItemUpdateForm(data, prefix=f"item-{item.pk}", initial=initial)


def _rows(items, typed: dict | None = None) -> list[Row]:
    """One row per item; ``typed`` maps an item id to its bound form (what was typed, kept)."""
    typed = typed or {}
    last = len(items) - 1
    return [
        Row(item=item, form=typed.get(item.pk) or _item_form(item), first=index == 0, last=index == last)
        for index, item in enumerate(items)
    ]


def detail_context(person, consult, *, add_form=None, typed=None, summary_form=None, **extra):
    data = selectors.consult_detail(person, consult)
    return {
        "person": person,
        **data,
        "rows": _rows(data["items"], typed),
        "removed": agenda.recently_removed(person, consult),
        "add_form": add_form or forms.AgendaItemForm(prefix="new"),
        "summary_form": summary_form or forms.SummaryForm(initial={"summary": consult.summary}),
        "now": timezone.now(),
        **_focus_parts(extra.pop("focus", "")),
        **extra,
    }


def consult_for(request, person, consult_id, action=Action.READ):
    return access.object_for(
        request.user, Consult.objects.select_related("professional"), consult_id, person=person, action=action
    )


def _item(request, person, consult, item_id, action, manager=AgendaItem.objects):
    return access.object_for(request.user, manager.filter(consult=consult), item_id, person=person, action=action)


def _typed_new(request) -> forms.AgendaItemForm | None:
    """A topic being typed in the add form, kept (not validated) when another button is used."""
    values = {name: request.POST.get(f"new-{name}", "") for name in ("title", "detail", "domain")}
    if not (values["title"].strip() or values["detail"].strip()):
        return None
    return forms.AgendaItemForm(prefix="new", initial={k: v for k, v in values.items() if v})


def _render_agenda(request, person, consult, **context):
    """The agenda again, with what was typed and why it was not done (nothing was saved)."""
    template = "consults/detail.html#agenda" if request.htmx else "consults/detail.html"
    if context.get("add_form") is None:
        context["add_form"] = _typed_new(request)
    if context.get("summary_form") is None and "summary" in request.POST:
        context["summary_form"] = forms.SummaryForm(initial={"summary": request.POST["summary"]})
    return render(request, template, detail_context(person, consult, **context))


def _done(request, person, consult, *, status: str, focus: str, keep_new: bool = True):
    """After a change: the agenda partial (htmx) with the status announced, else back to the item.

    A topic still being typed in the add form stays (without JavaScript the page is shown
    again instead of redirecting, so it is not lost either)."""
    typed_new = _typed_new(request) if keep_new else None
    if request.htmx or typed_new is not None:
        template = "consults/detail.html#agenda" if request.htmx else "consults/detail.html"
        context = detail_context(person, consult, status=status, focus=focus, add_form=typed_new)
        if not request.htmx:
            messages.success(request, status)
        return render(request, template, context)
    messages.success(request, status)
    return redirect(reverse("consults:detail", args=[person.pk, consult.pk]) + f"#{focus}")


def _save_typed(request, person, consult):
    """Save what was typed at every item of the agenda form, and the summary. None when saved
    (or nothing was posted), else the response that shows the page with the typed text and
    the errors; then nothing is saved."""
    items = selectors.agenda(person, consult)
    typed = {i.pk: _item_form(i, request.POST) for i in items if f"item-{i.pk}-status" in request.POST}
    summary = forms.SummaryForm(request.POST) if "summary" in request.POST else None
    forms_ok = all([form.is_valid() for form in typed.values()] + [summary is None or summary.is_valid()])
    if not forms_ok:
        return _render_agenda(request, person, consult, typed=typed, summary_form=summary, focus="h-agenda")
    try:
        if typed:
            changes = {pk: form.cleaned_data for pk, form in typed.items()}
            agenda.agenda_save(actor=request.user, consult=consult, changes=changes)
        if summary is not None and summary.cleaned_data["summary"] != consult.summary:
            services.consult_record_summary(
                actor=request.user, consult=consult, summary=summary.cleaned_data["summary"]
            )
    except ValidationError as error:
        message = " ".join(error.messages)
        return _render_agenda(request, person, consult, typed=typed, summary_form=summary, error=message)
    return None


@person_view(CONSULTS, object_type="consults.Consult", object_kwarg="consult_id")
@require_POST
def agenda_save(request, person, consult_id):
    """Save every item of the agenda ("Opslaan" at any item saves them all)."""
    consult = consult_for(request, person, consult_id, Action.UPDATE)
    problem = _save_typed(request, person, consult)
    if problem is not None:
        return problem
    pressed = request.POST.get("opslaan", "")
    focus = f"h-item-{pressed}" if pressed.isdigit() else ("h-summary" if pressed == "samenvatting" else "h-agenda")
    return _done(request, person, consult, status=_("Opgeslagen."), focus=focus)


@person_view(CONSULTS, object_type="consults.Consult", object_kwarg="consult_id")
@require_POST
def item_add(request, person, consult_id):
    consult = consult_for(request, person, consult_id, Action.CREATE)
    problem = _save_typed(request, person, consult)
    if problem is not None:
        return problem
    form = forms.AgendaItemForm(request.POST, prefix="new")
    item = save_form(
        form, lambda data: services.agenda_item_add(actor=request.user, person=person, consult=consult, **data)
    )
    if item is NOT_SAVED:
        return _render_agenda(request, person, consult, add_form=form)
    status = _("Het onderwerp staat op de agenda.")
    return _done(request, person, consult, status=status, focus=f"h-item-{item.pk}", keep_new=False)


@person_view(CONSULTS, object_type="consults.AgendaItem", object_kwarg="item_id")
@require_POST
def item_move(request, person, consult_id, item_id):
    consult = consult_for(request, person, consult_id, Action.UPDATE)
    item = _item(request, person, consult, item_id, Action.UPDATE)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return _render_agenda(request, person, consult, error=_("Kies omhoog of omlaag."))
    problem = _save_typed(request, person, consult)
    if problem is not None:
        return problem
    services.agenda_item_move(actor=request.user, item=item, direction=form.cleaned_data["direction"])
    status = _("‘%(title)s’ is verplaatst.") % {"title": item.title}
    return _done(request, person, consult, status=status, focus=f"h-item-{item.pk}")


@person_view(CONSULTS, object_type="consults.AgendaItem", object_kwarg="item_id")
@require_POST
def item_carry(request, person, consult_id, item_id):
    """Take a topic deferred at an earlier consult onto this consult's agenda."""
    consult = consult_for(request, person, consult_id, Action.CREATE)
    item = access.object_for(
        request.user, AgendaItem.objects.exclude(consult=consult), item_id, person=person, action=Action.CREATE
    )
    problem = _save_typed(request, person, consult)
    if problem is not None:
        return problem
    try:
        copy = services.agenda_item_carry_over(actor=request.user, item=item, consult=consult)
    except ValidationError as error:
        return _render_agenda(request, person, consult, error=" ".join(error.messages))
    status = _("‘%(title)s’ staat op deze agenda.") % {"title": item.title}
    return _done(request, person, consult, status=status, focus=f"h-item-{copy.pk}")


@person_view(CONSULTS, object_type="consults.AgendaItem", object_kwarg="item_id")
@require_http_methods(["GET", "POST"])
def item_update(request, person, consult_id, item_id):
    """One item on a page of its own: mark it discussed or for next time, with notes."""
    consult = consult_for(request, person, consult_id)
    item = _item(request, person, consult, item_id, Action.UPDATE if request.method == "POST" else Action.READ)
    form = _item_form(item, request.POST if request.method == "POST" else None)
    if request.method == "POST" and (
        save_form(form, lambda data: services.agenda_item_update(actor=request.user, item=item, **data))
        is not NOT_SAVED
    ):
        return _done(request, person, consult, status=_("Het onderwerp is bijgewerkt."), focus=f"h-item-{item.pk}")
    context = {"person": person, "consult": consult, "item": item, "form": form}
    return render(request, "consults/item_form.html", context)


@person_view(CONSULTS, object_type="consults.AgendaItem", object_kwarg="item_id")
@require_POST
def item_remove(request, person, consult_id, item_id):
    consult = consult_for(request, person, consult_id, Action.DELETE)
    item = _item(request, person, consult, item_id, Action.DELETE)
    problem = _save_typed(request, person, consult)
    if problem is not None:
        return problem
    try:
        agenda.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        return _render_agenda(request, person, consult, error=" ".join(error.messages))
    status = _("‘%(title)s’ is van de agenda gehaald.") % {"title": item.title} + " " + _undo_hint()
    return _done(request, person, consult, status=status, focus=f"undo-{item.pk}")


@person_view(CONSULTS, object_type="consults.AgendaItem", object_kwarg="item_id")
@require_POST
def item_restore(request, person, consult_id, item_id):
    """Ongedaan maken: the removed item goes back to its place on the agenda."""
    consult = consult_for(request, person, consult_id, Action.UPDATE)
    item = _item(request, person, consult, item_id, Action.UPDATE, manager=AgendaItem.all_objects)
    problem = _save_typed(request, person, consult)
    if problem is not None:
        return problem
    try:
        agenda.agenda_item_restore(actor=request.user, item=item)
    except ValidationError as error:
        return _render_agenda(request, person, consult, error=" ".join(error.messages))
    status = _("‘%(title)s’ staat weer op de agenda.") % {"title": item.title}
    return _done(request, person, consult, status=status, focus=f"h-item-{item.pk}")
