"""The social map's own pages for staff: the resources (list, new, change, archive), HSDS
import and export, and two aggregates (referral outcomes per service, gaps per area and life
domain). No page shows a person: the aggregates are counted, suppressed and logged
(``access.record_aggregate``); anyone who is not staff of an organisation gets a 404 and a
refused row, like every other refusal.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from koers import access
from koers.access.decorators import no_person_data
from koers.goals.models import LifeDomain
from koers.lib.forms import submit_form
from koers.socialmap import forms, hsds, hsds_import, selectors, services
from koers.socialmap.models import Provider, Referral, Service

READ = access.Action.READ


def staff_page(view=None, *, aggregate: bool = False, maintain: bool = False):
    """Only staff of an organisation (``aggregate``: who may see aggregates; ``maintain``: who
    may keep the map, ``services.may_maintain``); others 404 + refused row."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if aggregate:
                allowed = access.may_see_aggregates(user)
            else:
                allowed = services.may_maintain(user) if maintain else services.is_map_staff(user)
            if not allowed:
                action = READ if request.method in ("GET", "HEAD") else access.Action.UPDATE
                access.refuse(
                    user, person_id=None, category=access.Category.DEMOGRAPHICS, action=action, object_type="socialmap"
                )
            return view(request, *args, **kwargs)

        return no_person_data(wrapper)

    return decorator(view) if view is not None else decorator


def _own_service(request, service_id) -> Service:
    service = selectors.services(include_archived=True).filter(pk=service_id).first()
    if service is None or not services.may_edit(request.user, service.provider):
        access.refuse(
            request.user,
            person_id=None,
            category=access.Category.DEMOGRAPHICS,
            action=access.Action.UPDATE,
            object_type="socialmap.Service",
            object_id=service_id,
        )
    return service


@require_safe
@staff_page
def service_list(request):
    show_archived = request.GET.get("gearchiveerd") == "1"
    qs = selectors.services(include_archived=show_archived)
    context = {
        "services": qs,
        "show_archived": show_archived,
        "organisation_id": request.user.organisation_id,
        "has_providers": selectors.providers_of(request.user.organisation_id, include_archived=False).exists(),
        "may_maintain": services.may_maintain(request.user),
        "providers": selectors.providers_of(request.user.organisation_id),
    }
    return render(request, "socialmap/list.html", context)


@staff_page(maintain=True)
def provider_create(request):
    form = forms.ProviderForm(request.POST or None)
    return submit_form(
        request,
        form,
        save=lambda _d: services.provider_create(actor=request.user, **form.service_kwargs()),
        success_url=lambda p: reverse("socialmap:provider", args=[p.pk]),
        success_message=_("De aanbieder is toegevoegd. Voeg nu het aanbod toe."),
        template="socialmap/provider_form.html",
        context={},
        field_map={"postal_code": "postal_code"},
    )


@staff_page(maintain=True)
def service_create(request):
    form = forms.ServiceForm(
        request.POST or None,
        organisation_id=request.user.organisation_id,
        initial={"provider": request.GET.get("aanbieder", "")},
    )
    return submit_form(
        request,
        form,
        save=lambda d: services.service_create(actor=request.user, provider=d["provider"], **form.service_kwargs()),
        problems=lambda: services.service_problems(values=form.service_kwargs()["values"]),
        success_url=lambda s: reverse("socialmap:service", args=[s.pk]),
        success_message=_("Het aanbod staat op de sociale kaart."),
        template="socialmap/service_form.html",
        context={"service": None},
    )


def _initial(service: Service) -> dict:
    initial = {f: getattr(service, f) for f in services.SERVICE_FIELDS}
    return initial | {
        "provider": service.provider_id,
        "life_domains": service.life_domains,
        "taxonomy_terms": list(service.taxonomy_terms.all()),
        "locations": list(service.locations.all()),
    }


@staff_page
def service_edit(request, service_id):
    service = _own_service(request, service_id)
    form = forms.ServiceForm(
        request.POST or None, organisation_id=request.user.organisation_id, initial=_initial(service), service=service
    )
    return submit_form(
        request,
        form,
        save=lambda _d: services.service_update(actor=request.user, service=service, **form.service_kwargs()),
        problems=lambda: services.service_problems(values=form.service_kwargs()["values"], service=service),
        success_url=reverse("socialmap:service", args=[service.pk]),
        success_message=_("De wijzigingen zijn opgeslagen."),
        template="socialmap/service_form.html",
        context={"service": service},
    )


@staff_page
def service_archive(request, service_id):
    """Archive (or bring back) after a confirmation page: never in one click."""
    service = _own_service(request, service_id)
    archive = service.status == Service.Status.ACTIVE
    if request.method == "POST" and request.POST.get("bevestigd") == "ja":
        status = Service.Status.INACTIVE if archive else Service.Status.ACTIVE
        services.service_set_status(actor=request.user, service=service, status=status)
        messages.success(
            request, _("Het aanbod is gearchiveerd.") if archive else _("Het aanbod staat weer op de kaart.")
        )
        return redirect("socialmap:list")
    return render(request, "socialmap/archive_confirm.html", {"service": service, "archive": archive})


@require_safe
@staff_page
def export_package(request, fmt):
    """The whole social map as HSDS: a zip of CSV files with datapackage.json, or JSON."""
    tables = hsds.export_tables(Provider.objects.all())
    services.log_change(
        request.user, action=READ, object_type="socialmap.Provider", object_id="", detail=f"hsds-export:{fmt}"
    )
    if fmt == "json":
        response = HttpResponse(hsds.to_json(tables), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sociale-kaart-hsds.json"'
    else:
        response = HttpResponse(hsds.to_zip(tables), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="sociale-kaart-hsds.zip"'
    return response


def imported_text(counts: dict) -> str:
    """What an import read in, one or more of each ("1 aanbieder", not "1 aanbieders")."""
    providers = ngettext("%(n)s aanbieder", "%(n)s aanbieders", counts["organization"]) % {"n": counts["organization"]}
    services = ngettext("%(n)s soort aanbod", "%(n)s soorten aanbod", counts["service"]) % {"n": counts["service"]}
    return _("Ingelezen: %(providers)s en %(services)s.") % {"providers": providers, "services": services}


@staff_page(maintain=True)
def import_package(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            tables = hsds.read_package(upload.read(), upload.name)
            counts = hsds_import.import_tables(actor=request.user, tables=tables)
        except hsds.FormatError as error:
            errors = [str(error)]
        except hsds_import.ImportErrors as error:
            errors = error.messages
        else:
            messages.success(request, imported_text(counts))
            return redirect("socialmap:list")
    status = 400 if errors else 200
    return render(request, "socialmap/import.html", {"form": form, "errors": errors}, status=status)


@require_safe
@staff_page(aggregate=True)
def referral_counts(request):
    table = selectors.referral_outcomes(request.user.organisation_id)
    access.record_aggregate(
        request.user,
        object_type="socialmap.referral_outcomes",
        cohort=f"organisatie {request.user.organisation_id} · verwijzingen per voorziening",
    )
    columns = [(value, label) for value, label in Referral.Outcome.choices]
    return render(request, "socialmap/referral_counts.html", {"table": table, "columns": columns})


@require_safe
@staff_page(aggregate=True)
def gaps(request):
    table = selectors.gaps(request.user.organisation_id)
    access.record_aggregate(
        request.user,
        object_type="socialmap.gaps",
        cohort=f"organisatie {request.user.organisation_id} · doelen zonder passend aanbod",
    )
    context = {"table": table, "columns": LifeDomain.choices, "unknown_row": selectors.UNKNOWN_AREA}
    return render(request, "socialmap/gaps.html", context)
