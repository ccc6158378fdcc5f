"""Importing a device export (CSV) or a FHIR Bundle: upload, choose the columns, follow the
progress. The person's own pages (CSV) and the professional's about a person (CSV and FHIR)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from koers import access
from koers.access.decorators import person_view, portal_view
from koers.lib.forms import add_service_error
from koers.monitoring import presenters_imports, selectors, services
from koers.monitoring.forms.imports import MappingForm, UploadForm
from koers.monitoring.models import ImportBatch
from koers.monitoring.views.area import IMPORT, MEASUREMENTS, READ, UPDATE, Area, base


def _batch(request, person, batch_id, action=READ) -> ImportBatch:
    return access.object_for(request.user, ImportBatch.objects.all(), batch_id, person=person, action=action)


def _import(request, person, area: Area):
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        allow_fhir=not area.portal,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.kind_value()
        try:
            batch = services.import_start(
                actor=request.user, person=person, kind=kind, filename=upload.name[:200], content=upload.read()
            )
            if kind == ImportBatch.Kind.FHIR:
                services.import_queue(actor=request.user, person=person, batch=batch)
        except ValidationError as exc:
            add_service_error(form, exc, {"content": "file", "filename": "file"})
        else:
            if kind == ImportBatch.Kind.FHIR:
                return area.redirect("import_progress", batch_id=batch.pk)
            return area.redirect("import_mapping", batch_id=batch.pk)
    recent = selectors.imports(person, limit=10)
    return render(request, "monitoring/import.html", base(area, form=form, recent=recent))


@require_http_methods(["GET", "POST"])
@portal_view(MEASUREMENTS, object_type=IMPORT)
def portal_import(request, person):
    return _import(request, person, Area(person, portal=True))


@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=IMPORT)
def import_upload(request, person):
    return _import(request, person, Area(person, portal=False))


def _import_mapping(request, person, area: Area, batch_id):
    batch = _batch(request, person, batch_id, action=UPDATE if request.method == "POST" else READ)
    progress_url = area.url("import_progress", batch_id=batch.pk)
    if batch.status != ImportBatch.Status.UPLOADED or batch.kind != ImportBatch.Kind.CSV:
        if request.method == "POST":
            return redirect(progress_url)
        # Columns are chosen once; afterwards this page only points to the progress.
        return render(request, "monitoring/import_mapping.html", base(area, batch=batch, progress_url=progress_url))
    columns, proposal, preview = presenters_imports.mapping_start(batch)
    types = list(selectors.types_for(person))
    form = MappingForm(
        request.POST if request.method == "POST" else None, columns=columns, types=types, proposal=proposal
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.import_mapping_set(actor=request.user, person=person, batch=batch, mapping=form.mapping())
            services.import_queue(actor=request.user, person=person, batch=batch)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect(progress_url)
    context = base(area, batch=batch, form=form, preview=preview, columns=columns, progress_url=progress_url)
    return render(request, "monitoring/import_mapping.html", context)


@require_http_methods(["GET", "POST"])
@portal_view(MEASUREMENTS, object_type=IMPORT, object_kwarg="batch_id")
def portal_import_mapping(request, person, batch_id):
    return _import_mapping(request, person, Area(person, portal=True), batch_id)


@require_http_methods(["GET", "POST"])
@person_view(MEASUREMENTS, object_type=IMPORT, object_kwarg="batch_id")
def import_mapping(request, person, batch_id):
    return _import_mapping(request, person, Area(person, portal=False), batch_id)


def _import_progress(request, person, area: Area, batch_id):
    batch = _batch(request, person, batch_id)
    context = base(
        area,
        batch=batch,
        poll_url=area.url("import_progress", batch_id=batch.pk),
        mapping_url=area.url("import_mapping", batch_id=batch.pk),
        **presenters_imports.progress(batch),
    )
    if request.headers.get("HX-Request"):
        return render(request, "monitoring/import_progress.html#progress", context)
    return render(request, "monitoring/import_progress.html", context)


@require_safe
@portal_view(MEASUREMENTS, object_type=IMPORT, object_kwarg="batch_id")
def portal_import_progress(request, person, batch_id):
    return _import_progress(request, person, Area(person, portal=True), batch_id)


@require_safe
@person_view(MEASUREMENTS, object_type=IMPORT, object_kwarg="batch_id")
def import_progress(request, person, batch_id):
    return _import_progress(request, person, Area(person, portal=False), batch_id)
