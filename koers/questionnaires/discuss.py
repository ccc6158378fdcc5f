"""“Bespreek dit” for questionnaires: a person's trajectory on one instrument becomes an agenda
item of the next consult (koers.consults.discussion); the agenda draws the trajectory's chart
from the stored reference (the instrument's id and the period of the results)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from koers import access
from koers.consults import discussion
from koers.consults.models import AgendaItem
from koers.questionnaires import results, selectors
from koers.questionnaires.chart import trajectory_chart
from koers.questionnaires.models import Score


def _lang() -> str:
    return (get_language() or "nl").split("-")[0]


def _scores(person, instrument_id: str, since: dt.date | None = None, until: dt.date | None = None):
    qs = Score.objects.filter(person=person, instrument_id=instrument_id)
    rows = list(qs.select_related("response", "response__imported").order_by("authored_at", "id"))
    return [
        s
        for s in rows
        if (since is None or timezone.localtime(s.authored_at).date() >= since)
        and (until is None or timezone.localtime(s.authored_at).date() <= until)
    ]


def label(person, instrument_id: str) -> str | None:
    """The instrument's title, when this person has results on it (else None)."""
    found = selectors.trajectory(person, instrument_id, _lang())
    return str(found.title) if found is not None else None


def period(person, instrument_id: str) -> tuple[dt.date | None, dt.date | None]:
    """From the first to the latest result: the period a trajectory shows."""
    rows = _scores(person, instrument_id)
    if not rows:
        return None, None
    return timezone.localtime(rows[0].authored_at).date(), timezone.localtime(rows[-1].authored_at).date()


def chart(user, person, item) -> dict | None:
    rows = _scores(person, item.about_key, item.about_from, item.about_until)
    if not rows:
        return None
    lang = _lang()
    found = results.build_trajectory(selectors.instrument_for(rows[-1].response), item.about_key, rows, lang)
    built = trajectory_chart(found, lang)
    if built is None:
        return None
    return {
        "template": "questionnaires/includes/chart.html",
        "chart": built,
        "chart_id": f"discussed-{item.pk}",
        "css": "questionnaires/questionnaires.css",
    }


def link(person, item) -> str:
    return reverse("questionnaires:trajectory", kwargs={"person_id": person.pk, "instrument": item.about_key})


def register() -> None:
    discussion.register(
        discussion.Source(
            kind=AgendaItem.About.QUESTIONNAIRE,
            category=access.Category.QUESTIONNAIRES,
            label=label,
            chart=chart,
            link=link,
        )
    )
