"""What every monitoring page shares: the side it is on (the person's own or the professional's),
the item named in its URL, the period asked for, and the context every template gets.

Two sides with the same pages where they make sense: the person's own (``/mijn/bijhouden/``) and
the professional's about a person (``/personen/<id>/bijhouden/``). Measurement types named in a
URL are looked up among the catalogue and the person's own items only, so another person's own
item answers like a missing one (404 and a refused row in the access log).
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from koers import access
from koers.monitoring import presenters, selectors
from koers.monitoring.models import MeasurementType

MEASUREMENTS = access.Category.MEASUREMENTS
OBSERVATION = "monitoring.Observation"
TARGET = "monitoring.Target"
PHASE = "monitoring.Phase"
IMPORT = "monitoring.ImportBatch"
TYPE = "monitoring.MeasurementType"
READ, CREATE, UPDATE, DELETE = access.Action.READ, access.Action.CREATE, access.Action.UPDATE, access.Action.DELETE
PORTAL_MENU_LABEL = gettext_lazy("Bijhouden")  # the portal menu item in templates/base.html
PERIODS = {"30": 30, "90": 90, "365": 365, "alles": None}
DEFAULT_PERIOD = "90"


class Area:
    """Which side a page is on: the names of its URLs and how they are reversed."""

    def __init__(self, person, *, portal: bool):
        self.person, self.portal = person, portal
        self.prefix = "portal_" if portal else ""

    def url(self, name: str, **kwargs) -> str:
        if not self.portal:
            kwargs["person_id"] = self.person.pk
        return reverse(f"monitoring:{self.prefix}{name}", kwargs=kwargs)

    def redirect(self, name: str, **kwargs):
        return redirect(self.url(name, **kwargs))

    def links(self) -> dict[str, str]:
        names = ["overview", "entry", "custom", "import"]
        links = {name: self.url(name) for name in names}
        if not self.portal:
            links |= {"analysis": self.url("analysis"), "phases": self.url("phases")}
        return links


def type_for(request, person, code: str, action=READ) -> MeasurementType:
    """A catalogue type or one of this person's own items, else NotFound with a refused row."""
    found = selectors.type_for(person, code)
    if found is None:
        access.refuse(
            request.user, person_id=person.pk, category=MEASUREMENTS, action=action, object_type=TYPE, object_id=code
        )
    return found


def period_asked(request, person=None) -> tuple[str, dt.datetime | None]:
    """The period asked for; without a (valid) choice the default, widened so that it includes
    the latest marked treatment change with time before it (``presenters.default_period``)."""
    key = request.GET.get("periode")
    if key not in PERIODS:
        key = DEFAULT_PERIOD
        if person is not None:
            marks = [p.starts_on for p in selectors.phases(person)]
            key = presenters.default_period(marks, timezone.localdate(), PERIODS, DEFAULT_PERIOD)
    days = PERIODS[key]
    return key, (timezone.now() - dt.timedelta(days=days)) if days else None


def base(area: Area, **context) -> dict:
    """The context every monitoring template gets."""
    return {"person": area.person, "area": area, "links": area.links(), "portal": area.portal, **context}
