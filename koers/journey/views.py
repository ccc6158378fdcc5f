"""The metro map pages (issue #17): the person's own (portal), a professional's (a tab on the
person's record) and a relative's. Each goes through its access decorator, which refuses with
the missing-record 404 and a logged row, and logs a READ row for the page shown; the events on
it are only those of the categories this reader may read (``registry.collect``)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from koers import access
from koers.access.decorators import person_view, portal_view, relative_view
from koers.journey import layout, registry

OBJECT_TYPE = "journey"


def _line_label(line: registry.Line, audience: str, person) -> str:
    if line.name:
        return line.name
    if line.kind == registry.RELATIVES:
        return _("Uw naasten") if audience == registry.PORTAL else _("Naasten")
    if audience == registry.PORTAL:
        return _("U zelf")
    return _("%(name)s zelf") % {"name": person.given_name}


def _words(station: layout.Station, line_label: str) -> str:
    when = date_format(timezone.localtime(station.event.when), "j F Y")
    words = f"{when}: {station.event.title} ({line_label})"
    return words + " — " + _("gepland") if station.event.planned else words


def _context(request, person, audience: str) -> dict:
    categories = access.categories_for(request.user, person)
    events = registry.collect(person, audience, categories)
    metro = layout.layout(events, now=timezone.now())
    labels = {g.line.key: _line_label(g.line, audience, person) for g in metro.lines}
    rows = [
        {
            "station": s,
            "date": date_format(timezone.localtime(s.event.when), "j M Y"),
            "words": _words(s, labels[s.event.line.key]),
        }
        for s in metro.stations
    ]
    legend = [{"geometry": g, "label": labels[g.line.key]} for g in metro.lines]
    return {"person": person, "map": metro, "rows": rows, "legend": legend, "audience": audience}


@portal_view(access.Category.DEMOGRAPHICS, object_type=OBJECT_TYPE)
@require_safe
def portal_map(request, person):
    return render(request, "journey/portal_map.html", _context(request, person, registry.PORTAL))


@person_view(access.Category.DEMOGRAPHICS, object_type=OBJECT_TYPE)
@require_safe
def person_map(request, person):
    return render(request, "journey/person_map.html", _context(request, person, registry.WORKSPACE))


@relative_view(access.Category.DEMOGRAPHICS, object_type=OBJECT_TYPE)
@require_safe
def relative_map(request, person):
    return render(request, "journey/relative_map.html", _context(request, person, registry.RELATIVE))
