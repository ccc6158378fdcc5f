"""Issue #14 on the pages: the person reads their own values in B1 words (no intervals, no test
words, "nog niet zeker" rather than "klein", "wat gewoon is voor u" only when it says
something); the professional's analysis counts a once-a-day item per day and opens on a period
that includes the marked treatment change."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from koers.monitoring import services
from koers.monitoring.entries import Entry
from koers.monitoring.models import DiarySchedule, MeasurementType, Observation

pytestmark = pytest.mark.django_db

STATISTICS_WORDS = re.compile(r"\b(p|SD|τ|tau|NAP|RCI|interval|betrouwbaarheidsinterval|toevalstreffers)\b|%")


def mtype(code: str) -> MeasurementType:
    return MeasurementType.objects.get(code=code, person__isnull=True)


def record(person, actor, code: str, values, *, hours=(9,), days_ago_start: int | None = None):
    """One value per listed hour a day, ending yesterday."""
    today = timezone.localdate()
    per_day = len(hours)
    days = len(values) // per_day
    start = days if days_ago_start is None else days_ago_start
    entries = []
    for i, value in enumerate(values):
        d, slot = divmod(i, per_day)
        date = today - dt.timedelta(days=start - d)
        when = timezone.make_aware(dt.datetime.combine(date, dt.time(hours[slot])))
        entries.append(Entry(type=mtype(code), value=float(value), effective_at=when))
    services.observations_record(actor=actor, person=person, entries=entries, source=Observation.Source.PORTAL)


def portal_detail(client, code: str, **params) -> str:
    response = client.get(reverse("monitoring:portal_detail", args=[code]), params)
    assert response.status_code == 200
    return response.content.decode()


def explanations(html: str) -> str:
    return " ".join(re.findall(r'<p class="explain">(.*?)</p>', html, flags=re.S))


# --- the person's own page -----------------------------------------------------------------------


def test_the_person_reads_a_trend_and_a_treatment_change_without_statistics(cast, login):
    rng = np.random.default_rng(3)
    record(cast.anna, cast.anna_user, "mood", np.clip(np.round(4 + 0.05 * np.arange(60) + rng.normal(0, 1, 60)), 0, 10))
    services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=timezone.localdate() - dt.timedelta(days=30), label="Therapie"
    )
    text = explanations(portal_detail(login(cast.anna_user), "mood", periode="alles"))
    assert "Therapie" in text  # the before-and-after is told ...
    assert STATISTICS_WORDS.search(text) is None, STATISTICS_WORDS.search(text)  # ... without statistics
    assert "tussen" not in text and "keer zo groot" not in text and "schommeling" not in text
    assert "klein" not in text


def test_an_unproven_change_is_not_yet_certain_for_the_person(cast, login):
    """A jump after the mark with only five noisy days after it: not proven, so "nog niet zeker"."""
    rng = np.random.default_rng(4)
    before = np.clip(np.round(5 + rng.normal(0, 2.5, 20)), 0, 10)
    after = np.clip(np.round(6 + rng.normal(0, 2.5, 5)), 0, 10)
    record(cast.anna, cast.anna_user, "mood", np.concatenate([before, after]))
    services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=timezone.localdate() - dt.timedelta(days=5), label="Nieuw"
    )
    text = explanations(portal_detail(login(cast.anna_user), "mood", periode="alles"))
    assert "nog niet zeker" in text
    assert "toeval" not in text and "klein" not in text


def test_wat_gewoon_is_voor_u_only_when_it_says_something(cast, login):
    client = login(cast.anna_user)
    record(cast.anna, cast.anna_user, "mood", [5, 6] * 5)  # ten values on ten days: too few days
    assert "Wat gewoon is voor u" not in portal_detail(client, "mood")
    record(cast.anna, cast.anna_user, "anxiety", [0, 10, 1, 9, 2, 8, 0, 10, 5, 3] * 2)  # anything goes
    assert "Wat gewoon is voor u" not in portal_detail(client, "anxiety")
    record(cast.anna, cast.anna_user, "stress", [4, 5, 5, 6, 5, 4, 5, 6, 5, 5] * 2)  # 20 days, narrow
    html = portal_detail(client, "stress")
    assert "Wat gewoon is voor u (laatste 4 weken)" in html
    assert 'class="mon-band mon-band-usual"' in html


def test_the_professional_keeps_the_statistics(cast, login):
    rng = np.random.default_rng(5)
    record(cast.anna, cast.anna_user, "mood", np.clip(np.round(5 + rng.normal(0, 1, 40)), 0, 10))
    services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=timezone.localdate() - dt.timedelta(days=20), label="Start"
    )
    response = login(cast.noor).get(reverse("monitoring:detail", args=[cast.anna.pk, "mood"]), {"periode": "alles"})
    text = explanations(response.content.decode())
    assert "Daarna was het gemiddelde waarschijnlijk" in text and "%" in text


# --- the professional's analysis ------------------------------------------------------------------


def test_adherence_of_a_once_a_day_item_counts_days_on_the_analysis_page(cast, login):
    DiarySchedule.objects.create(person=cast.anna, times=["08:00", "13:00", "20:00"], updated_by=cast.noor)
    cast.anna.diary_schedule.types.set([mtype("mood"), mtype("sleep_quality")])
    record(cast.anna, cast.anna_user, "mood", [5] * 60, hours=(8, 13, 20))  # 20 days, every prompt
    record(cast.anna, cast.anna_user, "sleep_quality", [6] * 20, hours=(8,))  # 20 days, once a day
    html = login(cast.noor).get(reverse("monitoring:analysis", args=[cast.anna.pk])).content.decode()
    assert "Van de 60 geplande momenten zijn er 60 ingevuld (100%)." in html  # mood: per prompt
    assert "Van de 60 geplande momenten zijn er 20" not in html  # sleep was never asked three times
    assert "Kwaliteit van de slaap is ingevuld op 20 van de 20 dagen." in html


def test_the_default_period_includes_the_marked_treatment_change(cast, login):
    today = timezone.localdate()
    record(cast.anna, cast.anna_user, "mood", [5, 6] * 100)  # 200 days
    services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=today - dt.timedelta(days=150), label="Start medicatie"
    )
    client = login(cast.noor)
    html = client.get(reverse("monitoring:analysis", args=[cast.anna.pk])).content.decode()
    assert '<option value="365" selected>' in html
    assert "nog niet te vergelijken" not in html and "Sinds " in html  # the comparison is made
    chosen = client.get(reverse("monitoring:analysis", args=[cast.anna.pk]), {"periode": "30"}).content.decode()
    assert '<option value="30" selected>' in chosen  # a choice made is kept
    detail = client.get(reverse("monitoring:detail", args=[cast.anna.pk, "mood"])).content.decode()
    assert '<option value="365" selected>' in detail


def test_default_period_rule():
    from koers.monitoring.presenters import default_period

    periods = {"30": 30, "90": 90, "365": 365, "alles": None}
    today = dt.date(2026, 12, 3)
    assert default_period([], today, periods, "90") == "90"
    assert default_period([today - dt.timedelta(days=60)], today, periods, "90") == "90"
    assert default_period([today - dt.timedelta(days=80)], today, periods, "90") == "365"  # 14 days before it
    assert default_period([today - dt.timedelta(days=400)], today, periods, "90") == "alles"
    marks = [today - dt.timedelta(days=400), today - dt.timedelta(days=10)]
    assert default_period(marks, today, periods, "90") == "90"  # the latest mark counts


# --- jargon explained, Dutch dates ------------------------------------------------------------------


def assert_every_term_is_explained(html: str, *expected: str) -> None:
    links = set(re.findall(r'<a class="term" href="#(begrip-[a-z-]+)" title="[^"]+">', html))
    defined = set(re.findall(r'<dfn id="(begrip-[a-z-]+)" tabindex="-1">', html))
    assert links, "no statistics word is explained"
    assert links <= defined, links - defined  # every link lands on its explanation
    for anchor in expected:
        assert anchor in links, anchor


def test_the_analysis_explains_its_jargon_and_uses_dutch_dates(cast, login):
    rng = np.random.default_rng(6)
    record(cast.anna, cast.anna_user, "mood", np.clip(np.round(5 + rng.normal(0, 1.5, 240)), 0, 10), hours=(9, 15))
    record(cast.anna, cast.anna_user, "stress", np.clip(np.round(5 + rng.normal(0, 1.5, 120)), 0, 10))
    with_changes = np.concatenate([np.full(30, 3.0), np.full(30, 8.0)]) + rng.normal(0, 0.5, 60)
    record(cast.anna, cast.anna_user, "energy", np.clip(np.round(with_changes), 0, 10))
    html = login(cast.noor).get(reverse("monitoring:analysis", args=[cast.anna.pk]), {"periode": "alles"}).content
    html = html.decode()
    assert "Uitleg van de vaktermen" in html
    assert_every_term_is_explained(html, "begrip-kendall-tau", "begrip-p", "begrip-sd", "begrip-ci")
    assert '<dfn id="begrip-lag" tabindex="-1">lag</dfn>' in html
    first = timezone.localdate() - dt.timedelta(days=120)
    months = ("januari februari maart april mei juni juli augustus september oktober november december").split()
    assert f"{first.day} {months[first.month - 1]} {first.year} tot en met" in html  # not 2026-08-05
