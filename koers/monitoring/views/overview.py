"""Reading what was kept: the overview of all items, and one item over time.

The person's own (``/mijn/bijhouden/``, ``…/<code>/``) and the professional's about a person
(``/personen/<id>/bijhouden/``, ``…/<code>/``): the same pages. The item page also lists the
recent values with links to correct them (``views.correct.detail_extras``).
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from koers.access.decorators import person_view, portal_view
from koers.monitoring import presenters, selectors
from koers.monitoring.models import MeasurementType
from koers.monitoring.views.area import MEASUREMENTS, OBSERVATION, Area, base, period_asked, type_for
from koers.monitoring.views.correct import detail_extras


def _overview(request, person, area: Area):
    rows = presenters.summary_rows(request.user, person, area)
    context = base(
        area,
        rows=rows,
        diary_rows=[r for r in rows if r.kind != MeasurementType.Kind.PHYSICAL],
        physical_rows=[r for r in rows if r.kind == MeasurementType.Kind.PHYSICAL],
        imports=selectors.imports(person, limit=5),
        phases=selectors.phases(person) if not area.portal else [],
    )
    template = "monitoring/portal_overview.html" if area.portal else "monitoring/overview.html"
    return render(request, template, context)


@require_safe
@portal_view(MEASUREMENTS, object_type=OBSERVATION)
def portal_overview(request, person):
    return _overview(request, person, Area(person, portal=True))


@require_safe
@person_view(MEASUREMENTS, object_type=OBSERVATION)
def overview(request, person):
    return _overview(request, person, Area(person, portal=False))


def _detail(request, person, area: Area, code: str):
    mtype = type_for(request, person, code)
    period, since = period_asked(request, person)
    view = presenters.detail(request.user, person, mtype, since=since, area=area)
    view |= detail_extras(request.user, person, mtype, area)  # recent values to correct, stop an own item
    context = base(area, mtype=mtype, period=period, periods=presenters.period_choices(), **view)
    return render(request, "monitoring/detail.html", context)


@require_safe
@portal_view(MEASUREMENTS, object_type=OBSERVATION, object_kwarg="code")
def portal_detail(request, person, code):
    return _detail(request, person, Area(person, portal=True), code)


@require_safe
@person_view(MEASUREMENTS, object_type=OBSERVATION, object_kwarg="code")
def detail(request, person, code):
    return _detail(request, person, Area(person, portal=False), code)
