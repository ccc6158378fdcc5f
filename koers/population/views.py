"""Pages of the population view (issue #16): the organisation's and a team's counts, their
exports, and saved cohorts. Thin: scope (``koers.population.scope``), filter, ``compose.build``,
one ``access.record_aggregate`` row per page or export served, render.

No page here links to a person or a list of persons: the counts are the end of the road.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from koers import access
from koers.access.decorators import aggregate_view
from koers.lib import confirm
from koers.population import compose, exports, report, scope, services
from koers.population.filters import FIELDS, FilterForm, PopulationFilter
from koers.population.models import Cohort

PERIODS = (3, 6, 12, 24)  # months over which the transitions between support levels are counted
DEFAULT_PERIOD = 12


def _months(request) -> int:
    try:
        months = int(request.GET.get("periode", DEFAULT_PERIOD))
    except ValueError:
        return DEFAULT_PERIOD
    return months if months in PERIODS else DEFAULT_PERIOD


def _filter(request, unit):
    return FilterForm(request.GET or None, organisation=unit.organisation, team=unit.team)


def _page(request, team_id=None):
    unit = scope.unit_for(request.user, team_id=team_id)
    form = _filter(request, unit)
    months = _months(request)
    k = settings.KOERS_MIN_CELL
    context = {
        "unit": unit,
        "form": form,
        "months": months,
        "periods": PERIODS,
        "k": k,
        "teams": scope.teams_visible(request.user),
        "sees_organisation": scope.sees_organisation(request.user),
        "query": request.GET.urlencode(),
        "filter_fields": FIELDS,
    }
    if form.is_bound and not form.is_valid():
        return render(request, "population/page.html", context)  # a bad filter counts nothing
    flt = form.population_filter() if form.is_bound else PopulationFilter()
    result = compose.build(unit, flt, months=months, k=k)
    access.record_aggregate(request.user, object_type=scope.OBJECT_TYPE, cohort=result.cohort)
    context.update(report=result, sections=_sections(result), filter_json=flt.as_json())
    return render(request, "population/page.html", context)


def _sections(result):
    """The report's sections with a chart for every one-way table."""
    sections = []
    for title, tables in result.sections:
        items = []
        for table in tables:
            cross = isinstance(table, report.CrossTable)
            items.append({"table": table, "cross": cross, "chart": None if cross else report.bars(table, k=result.k)})
        sections.append({"title": title, "id": f"s-{len(sections) + 1}", "items": items})
    return sections


@aggregate_view(object_type=scope.OBJECT_TYPE)
@require_http_methods(["GET"])
def organisation(request):
    return _page(request)


@aggregate_view(object_type=scope.OBJECT_TYPE)
@require_http_methods(["GET"])
def team(request, team_id):
    return _page(request, team_id)


def _export(request, fmt, team_id=None):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    unit = scope.unit_for(request.user, team_id=team_id)
    form = _filter(request, unit)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Het filter klopt niet. Er is niets uitgevoerd."))
        return redirect(_unit_url(unit) + "?" + request.GET.urlencode())
    flt = form.population_filter() if form.is_bound else PopulationFilter()
    result = compose.build(unit, flt, months=_months(request), k=settings.KOERS_MIN_CELL)
    access.record_aggregate(request.user, object_type=scope.OBJECT_TYPE, cohort=f"{result.cohort} · export {fmt}")
    body, content_type = (
        (exports.as_csv(result), exports.CSV_TYPE) if fmt == "csv" else (exports.as_xlsx(result), exports.XLSX_TYPE)
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="populatie.{fmt}"'
    return response


@aggregate_view(object_type=scope.OBJECT_TYPE)
@require_http_methods(["GET"])
def export(request, fmt):
    return _export(request, fmt)


@aggregate_view(object_type=scope.OBJECT_TYPE)
@require_http_methods(["GET"])
def team_export(request, team_id, fmt):
    return _export(request, fmt, team_id)


def _unit_url(unit) -> str:
    if unit.team is not None:
        return reverse("population:team", kwargs={"team_id": unit.team.pk})
    return reverse("population:organisation")


# --- saved cohorts ------------------------------------------------------------------------------


def _home(request):
    unit = scope.home_unit(request.user)
    if unit is None:
        scope.unit_for(request.user, team_id=None)  # refuses: 404 and a refused row
    return unit


def _cohort(request, cohort_id) -> Cohort:
    cohort = Cohort.objects.filter(pk=cohort_id, owner=request.user).first()
    if cohort is None:
        access.refuse(
            request.user,
            person_id=None,
            category=access.Category.DEMOGRAPHICS,
            action=access.Action.READ,
            object_type="population.Cohort",
            object_id=cohort_id,
        )
    return cohort


def _posted_filters(request) -> dict:
    return {key: request.POST[key] for key in FIELDS if request.POST.get(key)}


@aggregate_view(object_type="population.Cohort")
@require_http_methods(["GET", "POST"])
def cohorts(request):
    unit = _home(request)
    errors = None
    if request.method == "POST":
        try:
            services.cohort_create(
                actor=request.user, name=request.POST.get("name", ""), filters=_posted_filters(request)
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"name": error.messages}
        else:
            messages.success(request, _("Het cohort is bewaard."))
            return redirect("population:cohorts")
    listed = [
        {"cohort": c, "url": _unit_url(unit) + "?" + urlencode(c.filters)}
        for c in Cohort.objects.filter(owner=request.user)
    ]
    return render(
        request,
        "population/cohorts.html",
        {"cohorts": listed, "errors": errors, "unit": unit},
        status=400 if errors else 200,
    )


@aggregate_view(object_type="population.Cohort")
@require_http_methods(["GET", "POST"])
def cohort_edit(request, cohort_id):
    unit = _home(request)
    cohort = _cohort(request, cohort_id)
    form = FilterForm(request.POST or cohort.filters or None, organisation=unit.organisation, team=unit.team)
    name = request.POST.get("name", cohort.name) if request.method == "POST" else cohort.name
    errors = None
    if request.method == "POST":
        try:
            services.cohort_update(actor=request.user, cohort=cohort, name=name, filters=_posted_filters(request))
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"name": error.messages}
            form.is_valid()  # the filter's own messages beside its fields
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Het cohort is gewijzigd."))
            return redirect("population:cohorts")
    context = {"cohort": cohort, "form": form, "name": name, "errors": errors, "unit": unit}
    return render(request, "population/cohort_form.html", context, status=400 if errors else 200)


@confirm.asks_first
@aggregate_view(object_type="population.Cohort")
@require_http_methods(["GET", "POST"])
def cohort_delete(request, cohort_id):
    _home(request)
    cohort = _cohort(request, cohort_id)
    if not confirm.is_confirmed(request):
        question = confirm.Question(
            title=_("Cohort verwijderen?"),
            consequence=_("Het bewaarde filter „%(name)s” verdwijnt. Er verandert niets aan gegevens van cliënten.")
            % {"name": cohort.name},
            confirm_label=_("Ja, verwijderen"),
            back_url=reverse("population:cohorts"),
        )
        return confirm.confirm_page(request, person=None, question=question, portal=True)
    services.cohort_delete(actor=request.user, cohort=cohort)
    messages.success(request, _("Het cohort is verwijderd."))
    return redirect("population:cohorts")
