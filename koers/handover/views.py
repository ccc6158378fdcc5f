"""Pages of the summaries: the professional's "Berichten uit het netwerk", one summary (with
its PDF) and the person's own "Berichten over mij". Thin: the access layer, a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers import access
from koers.access.decorators import caseload_view, person_view, portal_view
from koers.handover import content, selectors, services
from koers.handover.forms import NoteForm
from koers.handover.models import HandoverSummary
from koers.lib.forms import add_service_error
from koers.lib.pdf import report_pdf

DOCUMENTS = access.Category.DOCUMENTS
SUMMARY = "handover.HandoverSummary"


@caseload_view(object_type="handover_inbox")
@require_safe
def inbox(request):
    """What the network sent this professional (newest first, unread marked) and what they sent."""
    received, sent = selectors.inbox(request.user)
    persons = {d.summary.person.pk: d.summary.person for d in received} | {s.person.pk: s.person for s in sent}
    access.record_list(request.user, persons.values(), object_type=SUMMARY)
    unread = sum(1 for d in received if d.read_at is None)
    return render(request, "handover/inbox.html", {"received": received, "sent": sent, "unread": unread})


def _summary(request, person, summary_id, *, mark_read: bool = True) -> HandoverSummary:
    """The summary, if it is this person's and the reader may read the moment's kind of data now
    (else the missing-record 404 and a refused row)."""
    summary = access.object_for(
        request.user, HandoverSummary.objects.select_related("sender", "sender_organisation"), summary_id, person=person
    )
    if summary.category not in access.categories_for(request.user, person):
        access.refuse(
            request.user,
            person_id=person.pk,
            category=summary.category,
            action=access.Action.READ,
            object_type=SUMMARY,
            object_id=summary.pk,
        )
    if mark_read:
        services.delivery_mark_read(actor=request.user, summary=summary)
    return summary


def _parts(request, person, summary):
    categories = access.categories_for(request.user, person)
    return content.present(summary.content, moment_category=summary.category, categories=categories, note=summary.note)


def _summary_page(request, person, item, *, note_form=None, status=200):
    is_sender = item.sender_id == request.user.pk
    context = {
        "person": person,
        "summary": item,
        "parts": _parts(request, person, item),
        # The sender sees who received it and who read it, and adds a note while nobody read it.
        "deliveries": selectors.deliveries_of(item) if is_sender else None,
        "is_sender": is_sender,
        "note_open": is_sender and services.note_open(item),
        "note_form": note_form or NoteForm(initial={"note": item.note}),
    }
    return render(request, "handover/summary.html", context, status=status)


@person_view(DOCUMENTS, object_type=SUMMARY, object_kwarg="summary_id")
@require_safe  # reading only (the first read is noted as a receipt)
def summary(request, person, summary_id):
    return _summary_page(request, person, _summary(request, person, summary_id))


@person_view(DOCUMENTS, object_type=SUMMARY, object_kwarg="summary_id")
@require_POST
def summary_note(request, person, summary_id):
    """The sender's "Toelichting toevoegen": a short note on their summary, while nobody read it."""
    item = _summary(request, person, summary_id, mark_read=False)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.summary_note_add(actor=request.user, summary=item, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De toelichting is bij het bericht gezet."))
            return redirect(reverse("handover:summary", args=[person.pk, item.pk]) + "#h-note")
    return _summary_page(request, person, item, note_form=form)


@person_view(DOCUMENTS, object_type=SUMMARY, object_kwarg="summary_id")
@require_safe
def summary_pdf(request, person, summary_id):
    item = _summary(request, person, summary_id)
    parts = _parts(request, person, item)
    title = _("Overdrachtsbericht: %(kind)s") % {"kind": item.get_kind_display()}
    intro = _("Over %(person)s (geboren %(birth)s). Van %(sender)s%(organisation)s, %(date)s.") % {
        "person": person.full_name,
        "birth": person.birth_date.strftime("%d-%m-%Y") if person.birth_date else "—",
        "sender": item.sender.display_name(),
        "organisation": f", {item.sender_organisation.name}" if item.sender_organisation else "",
        "date": timezone.localtime(item.created_at).strftime("%d-%m-%Y %H:%M"),
    }
    footer = _(
        "Gemaakt met Koers. Dit bericht bevat alleen wat de cliënt met u deelt. Bewaar het niet langer dan nodig."
    )
    pdf = report_pdf(title=title, intro=intro, sections=[(p.title, p.lines) for p in parts], footer=footer)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="overdrachtsbericht-{item.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@portal_view(DOCUMENTS, object_type=SUMMARY)
@require_safe
def portal_list(request, person):
    """The person's own list: when, which moment, which organisations received it, read or not."""
    items = [(item, selectors.organisations_read(item)) for item in selectors.about(person)]
    return render(request, "handover/portal_list.html", {"items": items})
