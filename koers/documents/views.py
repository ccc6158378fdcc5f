"""The professional's pages of a person's documents: the list with the upload form, one
document (its versions, sharing, a new version), removing it (asks first; hidden, never
destroyed) and the download. Thin: the access layer, a selector or service, render."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from koers import access
from koers.access.decorators import person_view
from koers.documents import forms, selectors, services
from koers.documents.delivery import file_response, version_of
from koers.documents.models import Document
from koers.lib import confirm
from koers.lib.forms import add_service_error

DOCUMENTS = access.Category.DOCUMENTS
DOCUMENT = services.DOCUMENT
VERSION = services.VERSION


def _mb() -> str:
    return services._megabytes(services.max_bytes())


def _list_page(request, person, form, *, status=200):
    categories = access.categories_for(request.user, person)
    documents = list(selectors.with_versions(selectors.documents_of(person, shared_only=False, categories=categories)))
    kind = request.GET.get("soort", "")
    shown = [d for d in documents if d.kind == kind] if kind in Document.Kind.values else documents
    context = {
        "person": person,
        "documents": shown,
        "kinds": selectors.kinds_in_use(documents),
        "kind": kind,
        "form": form,
    }
    return render(request, "documents/list.html", context, status=status)


@person_view(DOCUMENTS, object_type=DOCUMENT)
def document_list(request, person):
    """The person's documents, newest first (filter by kind), and the form to add one."""
    if request.method != "POST":
        return _list_page(request, person, forms.UploadForm(mb=_mb()))
    form = forms.UploadForm(request.POST, request.FILES, mb=_mb())
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_upload(
                actor=request.user,
                person=person,
                upload=data["file"],
                title=data["title"],
                kind=data["kind"],
                document_date=data["document_date"],
                source=data["source"],
                shared_with_person=data["shared_with_person"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Het document is bewaard."))
            return redirect("documents:detail", person_id=person.pk, document_id=document.pk)
    return _list_page(request, person, form)


def _document(request, person, document_id, *, action=access.Action.READ) -> Document:
    categories = access.categories_for(request.user, person)
    documents = selectors.with_versions(selectors.documents_of(person, shared_only=False, categories=categories))
    return access.object_for(request.user, documents, document_id, person=person, action=action)


def _detail_page(request, person, document, *, version_form=None):
    context = {
        "person": person,
        "document": document,
        "versions": list(document.versions.all()),
        "version_form": version_form or forms.VersionForm(mb=_mb()),
    }
    return render(request, "documents/detail.html", context)


@person_view(DOCUMENTS, object_type=DOCUMENT, object_kwarg="document_id")
@require_safe
def document_detail(request, person, document_id):
    return _detail_page(request, person, _document(request, person, document_id))


@person_view(DOCUMENTS, object_type=DOCUMENT, object_kwarg="document_id")
@require_POST
def version_add(request, person, document_id):
    """A new upload of the same document: version n+1, the older ones stay."""
    document = _document(request, person, document_id, action=access.Action.UPDATE)
    form = forms.VersionForm(request.POST, request.FILES, mb=_mb())
    if form.is_valid():
        try:
            version = services.document_version_add(
                actor=request.user, document=document, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Versie %(n)s is bewaard. De oudere versies blijven bewaard.") % {"n": version.number}
            )
            return redirect("documents:detail", person_id=person.pk, document_id=document.pk)
    return _detail_page(request, person, document, version_form=form)


@person_view(DOCUMENTS, object_type=DOCUMENT, object_kwarg="document_id")
@require_POST
def share(request, person, document_id):
    document = _document(request, person, document_id, action=access.Action.UPDATE)
    shared = request.POST.get("shared") == "1"
    try:
        services.document_share(actor=request.user, document=document, shared=shared)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if shared:
            messages.success(request, _("De cliënt ziet dit document nu in het eigen portaal."))
        else:
            messages.success(request, _("Dit document is niet meer gedeeld met de cliënt."))
    return redirect("documents:detail", person_id=person.pk, document_id=document.pk)


@confirm.asks_first
@person_view(DOCUMENTS, object_type=DOCUMENT, object_kwarg="document_id")
def remove(request, person, document_id):
    """ "Verwijderen" asks first, with a reason; the document is hidden, not destroyed (WGBO)."""
    document = _document(request, person, document_id, action=access.Action.DELETE)
    back = reverse("documents:detail", args=[person.pk, document.pk])
    question = confirm.Question(
        title=_("Document “%(title)s” verwijderen?") % {"title": document.title},
        consequence=_(
            "Het document verdwijnt uit de lijst, uit het zoeken en uit het portaal van de cliënt. "
            "Koers bewaart het wel in het dossier, zoals de wet (WGBO) vraagt. Zo kan het later nog "
            "worden ingezien als dat nodig is."
        ),
        confirm_label=_("Ja, verwijderen"),
        back_url=back,
        reason_label=_("Waarom moet dit document weg?"),
        reason_help=_("Bijvoorbeeld: bij de verkeerde cliënt gezet, of dubbel."),
    )
    if not confirm.is_confirmed(request):
        return confirm.confirm_page(request, person=person, question=question, active_tab="documents")
    reason = request.POST.get(confirm.REASON, "")
    try:
        services.document_hide(actor=request.user, document=document, reason=reason)
    except ValidationError as error:
        question = dataclasses.replace(question, reason_error=" ".join(error.messages), reason=reason[:2000])
        return confirm.confirm_page(request, person=person, question=question, active_tab="documents")
    messages.success(request, _("Het document is verwijderd uit de lijst. Het blijft bewaard in het dossier."))
    return redirect("documents:list", person_id=person.pk)


@person_view(DOCUMENTS, object_type=VERSION, object_kwarg="document_version_id")
@require_safe
def download(request, person, document_id, document_version_id):
    return file_response(version_of(request, person, document_id, document_version_id, shared_only=False))
