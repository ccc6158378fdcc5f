"""The overview's summaries and small charts read with queries compiled once (issue #18) give what
the earlier per-request querysets gave: the same rows, and the same overview pages, byte for byte, in Dutch and
English, for the professional and on the person's portal.

``summaries_before`` is the earlier ``selectors.summaries`` kept as the reference; ``series_before``
the earlier read of the small charts' values.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from koers.monitoring import selectors, services
from koers.monitoring.entries import Entry
from koers.monitoring.models import Observation, Target
from koers.monitoring.selectors import USUAL_WINDOW_DAYS, TypeSummary, make_series, out_of_range, usual_before
from koers.monitoring.tests.test_views_professional import diary_days, mtype

pytestmark = pytest.mark.django_db


def summaries_before(user, person, *, now=None, include_empty=False) -> list[TypeSummary]:
    now = now or timezone.now()
    week_ago = now - dt.timedelta(days=7)
    stats = {
        row["type_id"]: row
        for row in Observation.objects.filter(person=person)
        .values("type_id")
        .annotate(n=Count("id"), last=Max("effective_at"), n7=Count("id", filter=Q(effective_at__gte=week_ago)))
    }
    agreed = {t.type_id: t for t in Target.objects.filter(person=person)}
    all_types = selectors.types_for(person, include_inactive=True)
    shown = [t for t in all_types if t.pk in stats or t.pk in agreed or (include_empty and t.active)]
    window = Q(pk__in=[])
    for type_id, row in stats.items():
        window |= Q(type_id=type_id, effective_at__gte=row["last"] - dt.timedelta(days=USUAL_WINDOW_DAYS + 1))
    recent, latest_rows = {}, {}
    if stats:
        qs = Observation.objects.filter(person=person).filter(window).order_by("type_id", "effective_at", "id")
        for pk, type_id, when, value in qs.values_list("id", "type_id", "effective_at", "value"):
            times, values, ids = recent.setdefault(type_id, ([], [], []))
            times.append(when)
            values.append(value)
            ids.append(pk)
        last_ids = [ids[-1] for _t, _v, ids in recent.values()]
        latest_rows = {o.type_id: o for o in Observation.objects.filter(pk__in=last_ids)}
    result = []
    for t in shown:
        row = stats.get(t.pk)
        times, values, _ids = recent.get(t.pk, ([], [], []))
        latest = latest_rows.get(t.pk)
        if latest is not None:
            latest.type = t
        series = make_series(t.code, times, values) if times else None
        usual = usual_before(series, latest.effective_at) if series is not None else (None, None)
        last7 = [v for when, v in zip(times, values, strict=True) if when >= week_ago]
        result.append(
            TypeSummary(
                type=t,
                label=selectors.catalogue.label(t),
                unit_label=selectors.catalogue.unit_label(t),
                latest=latest,
                count=row["n"] if row else 0,
                last7_count=row["n7"] if row else 0,
                last7_mean=(sum(last7) / len(last7)) if last7 else None,
                target=agreed.get(t.pk),
                usual_low=usual[0],
                usual_high=usual[1],
                flags=out_of_range(latest.value if latest else None, agreed.get(t.pk), usual),
            )
        )
    return result


def series_before(user, person, types, since):
    """The overview's small charts read as before: ``series_for`` (one condition on the types asked)."""
    return selectors.series_for(user, person, types, since=since, name="code")


def seen(summary: TypeSummary) -> tuple:
    latest = summary.latest
    return (
        summary.type.pk,
        summary.label,
        summary.unit_label,
        (latest.pk, latest.value, latest.effective_at, latest.type.pk) if latest else None,
        summary.count,
        summary.last7_count,
        summary.last7_mean,
        summary.target.pk if summary.target else None,
        summary.usual_low,
        summary.usual_high,
        summary.flags,
    )


def several_series(cast, *, stopped_long_ago: bool) -> None:
    """A diary (mood, sleep) of six weeks, weight and steps, an own item, a target on mood; with
    ``stopped_long_ago`` also blood pressure last measured half a year ago (an item stopped)."""
    diary_days(cast.anna, cast.anna_user, days=42, shift_at=30)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    own = services.custom_type_create(actor=cast.anna_user, person=cast.anna, name="Last van de buren")
    entries = [
        Entry(type=mtype("weight"), value=80 - d / 10, effective_at=now - dt.timedelta(days=d)) for d in range(20)
    ]
    entries += [
        Entry(type=mtype("steps"), value=4000 + 300 * d, effective_at=now - dt.timedelta(days=d, hours=3))
        for d in range(12)
    ]
    entries += [Entry(type=own, value=(d * 7) % 11, effective_at=now - dt.timedelta(days=d, hours=5)) for d in range(9)]
    if stopped_long_ago:
        entries += [
            Entry(type=mtype("systolic_bp"), value=120 + d, effective_at=now - dt.timedelta(days=180 + d))
            for d in range(8)
        ]
    services.observations_record(actor=cast.anna_user, person=cast.anna, entries=entries, source="portal")
    services.target_set(actor=cast.noor, person=cast.anna, type=mtype("mood"), low=5, high=8)
    services.target_set(
        actor=cast.noor, person=cast.anna, type=mtype("sleep_duration"), low=7
    )  # an agreement, no values


@pytest.mark.parametrize("stopped_long_ago", [False, True], ids=["one-read", "one-condition-per-type"])
def test_summaries_are_the_earlier_ones(cast, stopped_long_ago):
    several_series(cast, stopped_long_ago=stopped_long_ago)
    for include_empty in (True, False):
        now = selectors.summaries(cast.noor, cast.anna, include_empty=include_empty)
        before = summaries_before(cast.noor, cast.anna, include_empty=include_empty)
        assert [seen(s) for s in now] == [seen(s) for s in before]
    shown = {s.code: s for s in now}  # without the empty ones
    assert shown["mood"].usual_low is not None and shown["mood"].target is not None  # the comparison covers these
    assert shown["sleep_duration"].count == 0 and shown["weight"].last7_count == 7
    assert ("systolic_bp" in shown) is stopped_long_ago


CSRF = re.compile(r'(csrfmiddlewaretoken" value="|CSRFToken": ")[A-Za-z0-9]+')  # masked anew per response


def page(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return CSRF.sub(r"\1", response.content.decode())


@pytest.mark.parametrize("language", ["nl", "en"])
def test_overview_pages_are_byte_for_byte_the_earlier_ones(cast, login, monkeypatch, language):
    several_series(cast, stopped_long_ago=True)
    pages = [
        (cast.noor, reverse("monitoring:overview", kwargs={"person_id": cast.anna.pk})),
        (cast.anna_user, reverse("monitoring:portal_overview")),
    ]
    for user, url in pages:
        client = login(user)
        now = page(client, url, language)
        with monkeypatch.context() as patched:
            patched.setattr(selectors, "summaries", summaries_before)
            patched.setattr(selectors, "recent_series", series_before)
            before = page(client, url, language)
        assert now == before
        assert ("Mood" if language == "en" else "Stemming") in now
        assert now.count("small-") >= 4  # the small charts of mood, sleep, weight and steps


def test_recent_series_are_series_for(cast):
    several_series(cast, stopped_long_ago=True)
    types = [s.type for s in selectors.summaries(cast.noor, cast.anna)]
    since = timezone.now() - dt.timedelta(days=30)
    now = selectors.recent_series(cast.noor, cast.anna, types, since)
    before = series_before(cast.noor, cast.anna, types, since)
    assert [(s.name, s.times.tolist(), s.values.tolist()) for s in now] == [
        (s.name, s.times.tolist(), s.values.tolist()) for s in before
    ]
    assert sum(len(s) > 0 for s in now) >= 5 and all(len(s) == 0 for s in now if s.name == "systolic_bp")
    (only_mood,) = selectors.recent_series(cast.noor, cast.anna, types[:1], since)  # types not asked are left out
    assert only_mood.name == types[0].code and len(only_mood) == len(now[0])
