"""“Bespreek dit” for self-monitoring: an item of the N=1 analysis over a period becomes an
agenda item of the next consult (koers.consults.discussion), and its chart is drawn on the
agenda from the stored reference (the item's code and the period)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.consults import discussion
from koers.consults.models import AgendaItem
from koers.lib import charts as plots
from koers.monitoring import catalogue, presenters, selectors

MAX_POINTS = 400


def label(person, code: str) -> str | None:
    mtype = selectors.type_for(person, code)
    return str(catalogue.label(mtype)) if mtype is not None else None


def _bounds(item) -> tuple[dt.datetime | None, dt.datetime | None]:
    def at(day: dt.date | None, end: bool) -> dt.datetime | None:
        if day is None:
            return None
        moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time.min)
        return timezone.make_aware(moment) - (dt.timedelta(microseconds=1) if end else dt.timedelta(0))

    return at(item.about_from, False), at(item.about_until, True)


def chart(user, person, item) -> dict | None:
    """The item's values over the stored period as a chart (None: no values in that period)."""
    mtype = selectors.type_for(person, item.about_key)
    if mtype is None:
        return None
    since, until = _bounds(item)
    (series,) = selectors.series_for(user, person, [mtype], since=since, until=until, name="code") or [None]
    if series is None or not len(series):
        return None
    times = presenters._to_datetimes(series)
    points = list(zip(times, [float(v) for v in series.values], strict=True))[-MAX_POINTS:]
    name = catalogue.label(mtype)
    first, last = (timezone.localtime(points[0][0]).date(), timezone.localtime(points[-1][0]).date())
    phases = [
        plots.Marker(p.starts_on, "phase", p.label) for p in selectors.phases(person) if first <= p.starts_on <= last
    ]
    low, high = presenters._scale(mtype)
    built = plots.build(
        plots.Chart(
            title=_("%(name)s over de tijd") % {"name": name},
            description=_one_or_more(points)
            % {
                "count": len(points),
                "first": plots.day_text(first),
                "last": plots.day_text(last),
                "min": presenters.value_text(mtype, min(v for _t, v in points)),
                "max": presenters.value_text(mtype, max(v for _t, v in points)),
                "unit": presenters.unit_text(mtype),
            },
            points=points,
            decimals=presenters.decimals_for(mtype),
            low=low,
            high=high,
            markers=phases,
        ),
        chart_id=f"discussed-{item.pk}",
    )
    return {
        "template": "monitoring/includes/chart.html",
        "chart": built,
        "chart_id": f"discussed-{item.pk}",
        "css": "monitoring/monitoring.css",
    }


def _one_or_more(points: list) -> str:
    """The chart's description: one value is named as one, on its day (not "1 waarden van … tot")."""
    if len(points) == 1:
        return _("1 waarde, op %(first)s: %(min)s %(unit)s.")
    return _("%(count)s waarden van %(first)s tot %(last)s, van %(min)s tot %(max)s %(unit)s.")


def link(person, item) -> str:
    """The analysis page showing this item, over the period that was chosen."""
    query = {"item": item.about_key}
    if item.about_from:
        days = (timezone.localdate() - item.about_from).days
        query["periode"] = next((key for key, n in (("30", 30), ("90", 90), ("365", 365)) if days <= n), "alles")
    url = reverse("monitoring:analysis", kwargs={"person_id": person.pk})
    return f"{url}?{urlencode(query)}#h-{item.about_key}"


def portal_link(item) -> str:
    """The person's own page of this item."""
    return reverse("monitoring:portal_detail", kwargs={"code": item.about_key})


def register() -> None:
    discussion.register(
        discussion.Source(
            kind=AgendaItem.About.MONITORING,
            category=access.Category.MEASUREMENTS,
            label=label,
            chart=chart,
            link=link,
            portal_link=portal_link,
        )
    )
