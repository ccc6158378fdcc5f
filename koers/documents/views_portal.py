"""The person's own documents ("Mijn documenten", B1) and a relative's view of what the person
shares with them. Both see only documents shared with the person (their own uploads always are)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from koers import access
from koers.access.decorators import portal_view, relative_view
from koers.documents import forms, selectors, services
from koers.documents.delivery import file_response, version_of
from koers.lib.forms import add_service_error

DOCUMENTS = access.Category.DOCUMENTS


def _mb() -> str:
    return services._megabytes(services.max_bytes())


def _shared(request, person):
    categories = access.categories_for(request.user, person)
    documents = list(selectors.with_versions(selectors.documents_of(person, shared_only=True, categories=categories)))
    return [(d, selectors.latest_versions([d])[d.pk]) for d in documents]


@portal_view(DOCUMENTS, object_type=services.DOCUMENT)
def portal_list(request, person):
    """What the care team shares with the person, and what they added themself; the form to add one."""
    form = forms.PortalUploadForm(mb=_mb())
    if request.method == "POST":
        form = forms.PortalUploadForm(request.POST, request.FILES, mb=_mb())
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.document_upload(
                    actor=request.user,
                    person=person,
                    upload=data["file"],
                    title=data["title"],
                    kind="own",
                    document_date=data["document_date"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Uw document is bewaard. Uw zorgverleners kunnen het nu ook zien."))
                return redirect("documents:portal_list")
    context = {"person": person, "items": _shared(request, person), "form": form}
    return render(request, "documents/portal_list.html", context)


@portal_view(DOCUMENTS, object_type=services.VERSION, object_kwarg="document_version_id")
@require_safe
def portal_download(request, person, document_id, document_version_id):
    return file_response(version_of(request, person, document_id, document_version_id, shared_only=True))


@relative_view(DOCUMENTS, object_type=services.DOCUMENT)
@require_safe
def relative_list(request, person):
    return render(request, "documents/relative_list.html", {"person": person, "items": _shared(request, person)})


@relative_view(DOCUMENTS, object_type=services.VERSION)
@require_safe
def relative_download(request, person, document_id, document_version_id):
    return file_response(version_of(request, person, document_id, document_version_id, shared_only=True))
