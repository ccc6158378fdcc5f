"""The professional's self-monitoring pages about a person, and who may open them.

Noor (Anna's care team) sees what Anna keeps, enters values, agrees a target with signalling,
marks a treatment change and reads the full N=1 analysis: every section with its explanation,
change points with dates, the lagged associations as a table, early warning with its
uncertainty. Everyone else gets 404 and a refused row; every page shown leaves a READ row.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.monitoring import services
from koers.monitoring.entries import Entry
from koers.monitoring.models import ImportBatch, MeasurementType, Observation, Phase, Target
from tests.support.testing import make_full_record

pytestmark = pytest.mark.django_db


def mtype(code: str) -> MeasurementType:
    return MeasurementType.objects.get(code=code, person__isnull=True)


def url(name: str, person, **kwargs) -> str:
    return reverse(f"monitoring:{name}", kwargs={"person_id": person.pk, **kwargs})


def rows(**filters) -> int:
    return AccessLogEntry.objects.filter(**filters).count()


def diary_days(person, actor, *, days: int, seed: int = 5, shift_at: int | None = None, end: int = 0):
    """``days`` days of mood and sleep quality, 3 prompts a day, ending ``end`` days before yesterday; with
    ``shift_at`` mood rises by 3 points from that day on (a clear change point)."""
    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    entries = []
    sleep_prev = 5.0
    for day in range(days):
        date = today - dt.timedelta(days=days - day + end)
        sleep = float(np.clip(round(5 + rng.normal(0, 1.5)), 0, 10))
        level = 4.0 + (3.0 if shift_at is not None and day >= shift_at else 0.0) + 0.4 * (sleep_prev - 5)
        for slot, hour in enumerate((8, 13, 20)):
            when = timezone.make_aware(dt.datetime.combine(date, dt.time(hour)))
            mood = float(np.clip(round(level + rng.normal(0, 0.8)), 0, 10))
            entries.append(Entry(type=mtype("mood"), value=mood, effective_at=when))
            if slot == 0:
                entries.append(Entry(type=mtype("sleep_quality"), value=sleep, effective_at=when))
        sleep_prev = sleep
    services.observations_record(actor=actor, person=person, entries=entries, source=Observation.Source.PROMPT)


# --- overview, entry, one item ---------------------------------------------------------------------


def test_overview_shows_the_tabs_and_what_the_person_keeps(cast, login):
    diary_days(cast.anna, cast.anna_user, days=10)
    response = login(cast.noor).get(url("overview", cast.anna))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="page">Bijhouden</a>' in html  # the person tab
    assert "Stemming" in html and "Kwaliteit van de slaap" in html
    assert url("target", cast.anna, code="mood") in html
    assert url("analysis", cast.anna) in html


def test_professional_entry_is_marked_as_entered_by_the_professional(cast, login):
    client = login(cast.noor)
    response = client.post(
        url("entry", cast.anna),
        {
            "effective_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "v_systolic_bp": "142",
            "v_diastolic_bp": "88",
        },
    )
    assert response.status_code == 302 and response["Location"] == url("overview", cast.anna)
    stored = Observation.objects.filter(person=cast.anna)
    assert {o.type.code: o.value for o in stored} == {"systolic_bp": 142, "diastolic_bp": 88}
    assert {o.source for o in stored} == {Observation.Source.PROFESSIONAL}


def test_detail_shows_target_band_usual_range_change_points_and_phase_marks(cast, login):
    diary_days(cast.anna, cast.anna_user, days=60, shift_at=30)
    start = timezone.localdate() - dt.timedelta(days=30)
    services.phase_create(actor=cast.noor, person=cast.anna, starts_on=start, label="Start slaaptraining")
    services.target_set(actor=cast.noor, person=cast.anna, type=mtype("mood"), low=5, signal_target=True)
    response = login(cast.noor).get(url("detail", cast.anna, code="mood"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="mon-band mon-band-target"' in html and 'class="mon-band mon-band-usual"' in html
    assert "mon-marker-phase" in html and "Start slaaptraining" in html
    assert "mon-marker-change" in html  # the shift of 3 points is found
    assert "Elke stip is het gemiddelde van één dag." in html  # 180 values: one dot per day
    assert "Stemming per dag, nieuwste eerst" in html


# --- targets and phases ------------------------------------------------------------------------


def test_target_is_set_and_removed_by_the_care_team(cast, login):
    client = login(cast.noor)
    target_url = url("target", cast.anna, code="systolic_bp")
    assert client.get(target_url).status_code == 200
    response = client.post(
        target_url, {"high": "140", "signal_target": "on", "agreed_with_person": "on", "note": "Afgesproken in consult"}
    )
    assert response.status_code == 302
    target = Target.objects.get(person=cast.anna)
    assert (target.low, target.high, target.signal_target, target.agreed_with_person) == (None, 140, True, True)
    html = client.get(url("detail", cast.anna, code="systolic_bp")).content.decode()
    assert "hoogstens 140 mmHg" in html
    assert client.post(target_url, {"remove": "1", "bevestigd": "ja"}).status_code == 302
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"low": "150", "high": "120"}, "De ondergrens moet lager zijn dan de bovengrens."),
        ({"low": "hoog"}, "Vul een getal in"),
        ({}, "Vul een ondergrens, een bovengrens of allebei in"),
        ({"high": "900"}, "kan niet kloppen"),
    ],
)
def test_bad_targets_are_refused_with_a_message(cast, login, data, message):
    response = login(cast.noor).post(url("target", cast.anna, code="systolic_bp"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_a_target_says_every_problem_at_once(cast, login):
    """Noor typed a word as the lower bound and 900 mmHg as the upper: she heard about the word,
    fixed it, and only then that 900 cannot be right. Both in one answer; what needs both bounds
    (lower below upper) waits until both can be read."""
    response = login(cast.noor).post(url("target", cast.anna, code="systolic_bp"), {"low": "hoog", "high": "900"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"low", "high"} and "kan niet kloppen" in errors["high"][0]
    response = login(cast.noor).post(url("target", cast.anna, code="systolic_bp"), {"low": "hoog"})
    assert set(response.context["form"].errors) == {"low"}  # not also "fill in a bound": one was
    assert not Target.objects.exists()


def test_phases_are_marked_listed_and_removed(cast, login):
    client = login(cast.noor)
    phases_url = url("phases", cast.anna)
    response = client.post(phases_url, {"starts_on": "2026-03-01", "label": "Start sertraline 50 mg"})
    assert response.status_code == 302
    phase = Phase.objects.get(person=cast.anna)
    html = client.get(phases_url).content.decode()
    assert "Start sertraline 50 mg" in html and "1-3-2026" in html
    assert client.post(phases_url, {"remove": str(phase.pk), "bevestigd": "ja"}).status_code == 302
    assert not Phase.objects.exists()


def test_a_phase_without_a_label_or_date_is_refused(cast, login):
    response = login(cast.noor).post(url("phases", cast.anna), {"starts_on": "", "label": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vul een datum in." in html and "Schrijf op wat er veranderde." in html
    assert not Phase.objects.exists()


def test_removing_another_persons_phase_is_not_found(cast, login):
    other = services.phase_create(actor=cast.noor, person=cast.bas, starts_on=dt.date(2026, 3, 1), label="Bas")
    response = login(cast.noor).post(url("phases", cast.anna), {"remove": str(other.pk)})
    assert response.status_code == 404
    assert Phase.objects.filter(pk=other.pk).exists()


# --- the analysis ------------------------------------------------------------------------------


def test_analysis_page_shows_every_section_with_its_explanation(cast, login):
    diary_days(cast.anna, cast.anna_user, days=90, shift_at=45)
    services.phase_create(
        actor=cast.noor,
        person=cast.anna,
        starts_on=timezone.localdate() - dt.timedelta(days=45),
        label="Nieuwe therapie",
    )
    response = login(cast.noor).get(url("analysis", cast.anna), {"periode": "alles"})
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Beschrijving", "Trend", "Omslagpunten", "Voor en na een verandering in de behandeling",
                  "Vroege signalen", "Samenhang van dag tot dag"):  # fmt: skip
        assert f"{title}</h" in html, title
    assert "Stemming: omslagpunten" in html  # the change with its date in a table
    assert "Kwaliteit van de slaap gisteren → Stemming vandaag" in html  # lagged, as a table row
    assert "Stemming: vroege signalen" in html and "Bij toeval (90%)" in html  # with its uncertainty
    assert html.count('role="img"') >= 3  # charts with their text alternative
    assert "veroorzaakt" in html  # association, not cause


def test_analysis_of_one_chosen_item_and_without_data(cast, login):
    client = login(cast.noor)
    html = client.get(url("analysis", cast.anna)).content.decode()
    assert "Er zijn nog geen gegevens om te analyseren." in html
    diary_days(cast.anna, cast.anna_user, days=5)
    html = client.get(url("analysis", cast.anna), {"item": "mood"}).content.decode()
    assert '<h2 id="h-mood">' in html and '<h2 id="h-sleep_quality">' not in html
    assert "Samenhang van dag tot dag" not in html  # one item: nothing to relate


def test_analysis_names_a_scale_once_and_a_unit_after_every_number(cast, login):
    diary_days(cast.anna, cast.anna_user, days=30)
    html = login(cast.noor).get(url("analysis", cast.anna), {"item": "mood"}).content.decode()
    heading = html[html.index('<h2 id="h-mood">') :]
    assert heading[: heading.index("</h2>")].count("op een schaal van 0 tot 10") == 1
    describe = html[html.index("Beschrijving</h") :]
    describe = describe[: describe.index("</p>")]
    assert "De helft van de waarden ligt tussen" in describe
    assert "op een schaal van" not in describe  # not after every number in the text


def test_analysis_shows_a_change_in_day_to_day_variability_as_a_table(cast, login):
    rng = np.random.default_rng(3)
    values = np.r_[5 + rng.normal(0, 0.5, 40), 5 + rng.normal(0, 2.5, 40)].round().clip(0, 10)
    start = timezone.now().replace(hour=11, minute=0, second=0, microsecond=0) - dt.timedelta(days=80)
    entries = [
        Entry(type=mtype("mood"), value=float(v), effective_at=start + dt.timedelta(days=i))
        for i, v in enumerate(values)
    ]
    services.observations_record(
        actor=cast.anna_user, person=cast.anna, entries=entries, source=Observation.Source.PORTAL
    )
    html = login(cast.noor).get(url("analysis", cast.anna), {"item": "mood", "periode": "alles"}).content.decode()
    assert "Stemming: veranderingen in schommeling van dag tot dag" in html
    table = html[html.index("Stemming: veranderingen in schommeling") :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row">') == 1  # one change, dated
    assert "Keer zo groot" in table


def test_one_visit_is_one_row_in_who_looked(cast, login):
    diary_days(cast.anna, cast.anna_user, days=10)
    client = login(cast.noor)
    for page in ("overview", "analysis"):
        before = AccessLogEntry.objects.count()
        assert client.get(url(page, cast.anna)).status_code == 200
        assert AccessLogEntry.objects.count() - before == 1, page
    before = AccessLogEntry.objects.count()
    assert client.get(url("detail", cast.anna, code="mood")).status_code == 200
    assert list(AccessLogEntry.objects.filter(pk__gt=0).order_by("id").values_list("user", "person", "object_type"))[
        before:
    ] == [(cast.noor.pk, cast.anna.pk, "monitoring.Observation")]


def test_analysis_query_count_does_not_grow_with_the_data(cast, login, django_assert_max_num_queries):
    client = login(cast.noor)
    diary_days(cast.anna, cast.anna_user, days=20, end=40)
    with django_assert_max_num_queries(40) as few:
        client.get(url("analysis", cast.anna))
    diary_days(cast.anna, cast.anna_user, days=40, seed=9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("analysis", cast.anna))


# --- access ------------------------------------------------------------------------------------


def monitoring_record(person, professional) -> dict:
    """make_full_record plus one of each monitoring object, by the URL keywords of these pages."""
    record = make_full_record(person, professional=professional)
    own = services.custom_type_create(
        actor=professional, person=person, name="Last van stemmen", anchor_low="geen", anchor_high="veel"
    )
    Observation.objects.create(
        person=person, type=own, value=4, effective_at=timezone.now(), source="portal", recorded_by=professional
    )
    batch = ImportBatch.objects.create(
        person=person,
        kind=ImportBatch.Kind.CSV,
        status=ImportBatch.Status.FAILED,
        filename="export.csv",
        total_rows=1,
        processed_rows=1,
        errors=[{"row": 2, "column": "Datum", "message": "Deze datum kan Koers niet lezen."}],
        created_by=professional,
    )
    return record | {"code": SimpleNamespace(pk=own.code), "batch_id": batch}


def monitoring_urls(record, scope: str):
    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == "monitoring":
                yield p

    for pattern in walk(get_resolver().url_patterns):
        if pattern.callback.koers_access["scope"] != scope:
            continue
        kwargs = {key: record[key].pk for key in pattern.pattern.regex.groupindex}
        yield pattern.name, reverse(f"monitoring:{pattern.name}", kwargs=kwargs)


def test_every_professional_page_for_the_care_team_only(cast, client):
    anna = monitoring_record(cast.anna, cast.noor)
    urls = list(monitoring_urls(anna, "person"))
    assert len(urls) >= 10
    for name, page in urls:
        client.force_login(cast.noor)
        before = rows(person=cast.anna, user=cast.noor, action="R", outcome="success")
        status = client.get(page).status_code
        assert status in (200, 405), name  # 405: an action that is only a POST ("bespreek dit")
        if status == 200:
            assert rows(person=cast.anna, user=cast.noor, action="R", outcome="success") > before, name
        for outsider in (cast.sam, cast.cor, cast.pieter, cast.rob, cast.anna_user, cast.bas_user):
            client.force_login(outsider)
            refused = rows(user=outsider, outcome="refused")
            assert client.get(page).status_code == 404, (name, outsider)
            assert rows(user=outsider, outcome="refused") == refused + 1, (name, outsider)


def test_every_portal_page_for_the_person_only_and_foreign_ids_are_not_found(cast, client):
    anna = monitoring_record(cast.anna, cast.noor)
    bas = monitoring_record(cast.bas, cast.noor)
    for name, page in monitoring_urls(anna, "portal"):
        client.force_login(cast.anna_user)
        assert client.get(page).status_code in (200, 405), name  # 405: an action only POSTed ("bespreek dit")
        for outsider in (cast.noor, cast.rob):
            client.force_login(outsider)
            assert client.get(page).status_code == 404, (name, outsider)
    client.force_login(cast.anna_user)
    foreign = {k: v for k, v in bas.items() if k != "person_id"}
    plain = dict(monitoring_urls(anna, "portal"))
    for name, page in monitoring_urls(foreign | {"person_id": cast.anna}, "portal"):
        if plain[name] != page:
            assert client.get(page).status_code == 404, name


def test_another_persons_items_and_imports_under_annas_record_are_not_found(cast, login):
    bas = monitoring_record(cast.bas, cast.noor)
    client = login(cast.noor)
    code, batch = bas["code"].pk, bas["batch_id"].pk
    for page in (
        url("detail", cast.anna, code=code),
        url("target", cast.anna, code=code),
        url("import_mapping", cast.anna, batch_id=batch),
        url("import_progress", cast.anna, batch_id=batch),
    ):
        before = rows(user=cast.noor, outcome="refused")
        assert client.get(page).status_code == 404, page
        assert rows(user=cast.noor, outcome="refused") == before + 1, page


def test_read_only_pages_refuse_a_post_before_reading_anything(cast, login):
    client = login(cast.noor)
    for page in (url("overview", cast.anna), url("detail", cast.anna, code="mood"), url("analysis", cast.anna)):
        logged = AccessLogEntry.objects.count()
        assert client.post(page, {"anything": "x"}).status_code == 405, page
        assert AccessLogEntry.objects.count() == logged
