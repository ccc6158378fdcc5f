"""The person's page "Mijn gegevens downloaden": ask for an export, watch it being made, download it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from koers import access
from koers.access.decorators import portal_view
from koers.exports import formats, services
from koers.exports.models import ExportRequest

HISTORY = 20
POLL_SECONDS = 2
CONTENT_TYPES = {"zip": "application/zip", "pdf": "application/pdf"}


@require_http_methods(["GET", "HEAD", "POST"])
@portal_view(access.Category.ACCESS_LOG, object_type="exports")
def portal_export(request, person):
    if request.method == "POST":
        try:
            services.export_request(actor=request.user, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Uw download wordt gemaakt. Dit kan even duren."))
        return redirect("exports:portal_export")
    history = list(ExportRequest.objects.filter(person=person).select_related("requested_by")[:HISTORY])
    context = {
        "history": history,
        "latest": history[0] if history else None,
        "poll_seconds": POLL_SECONDS,
        "formats": [(f, reverse(f"exports:format_{f.key}")) for f in formats.all_formats()],
    }
    if request.htmx:
        return render(request, "exports/portal_export.html#progress", context)
    return render(request, "exports/portal_export.html", context)


@require_safe
@portal_view(access.Category.ACCESS_LOG, object_type="exports.ExportRequest", object_kwarg="export_id")
def portal_export_file(request, person, export_id, part):
    """The zip or the PDF of one of the person's own exports; another person's id answers 404."""
    export = access.object_for(request.user, ExportRequest.objects, export_id, person=person)
    data = services.export_file(actor=request.user, person=person, export=export, part=part)
    if data is None:
        return render(request, "exports/portal_export_gone.html", {"export": export})
    stamp = export.finished_at.strftime("%Y-%m-%d")
    response = HttpResponse(data, content_type=CONTENT_TYPES[part])
    response["Content-Disposition"] = f'attachment; filename="koers-mijn-gegevens-{stamp}.{part}"'
    return response


@require_safe
@portal_view(access.Category.ACCESS_LOG, object_type="exports.ExportFormat", object_kwarg="fmt")
def portal_export_format(request, person, fmt):
    """The person's own data now, in a format another app registered (the FHIR Bundle)."""
    found = formats.get(fmt)
    if found is None:
        raise Http404()
    data = found.render(request.user, person, base_url=request.build_absolute_uri("/fhir/"))
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(data, content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="koers-mijn-gegevens-{stamp}.{found.extension}"'
    return response
