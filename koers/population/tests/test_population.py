"""The population view (issue #16): counts, scope, suppression on the page and in the exports,
one aggregate access-log row per page or export, and no person anywhere in them."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from koers.accounts.models import Team
from koers.audit.models import AccessLogEntry
from koers.network.models import CareTeamMember
from koers.people.models import Condition, Person, Profile, SupportLevelDecision
from koers.population import compose, selectors
from koers.population.filters import PopulationFilter
from koers.population.models import Cohort
from tests.support.svg import bad_geometry
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db


def add_people(n, *, organisation, professional, prefix="Popul", smoking="never", level=None, condition=None, **kw):
    """``n`` persons with an active care-team member ``professional`` (ORM only: fast, no services)."""
    now = timezone.now()
    persons = []
    for i in range(n):
        person = Person(
            given_name=f"{prefix}{i}x",
            family_name=f"Achter{prefix}",
            birth_date=kw.get("birth_date", dt.date(1960, 1, 1)),
        )
        person.gender = kw.get("gender", "female")
        person.postcode_area = kw.get("postcode", "3511")
        person.save()
        CareTeamMember.objects.create(
            person=person,
            professional=professional,
            organisation=organisation,
            assigned_by=professional,
            started_at=now,
        )
        Profile.objects.create(person=person, smoking=smoking, prefers_group=True)
        if level:
            decide(person, level, by=professional, at=now - dt.timedelta(days=1))
        if condition:
            Condition.objects.create(
                person=person, display="Diabetes", code_system=Condition.CodeSystem.ICPC, code=condition
            )
        persons.append(person)
    return persons


def decide(person, level, *, by, at):
    return SupportLevelDecision.objects.create(
        person=person, level=level, suggested_level=level, decided_by=by, decided_at=at
    )


@pytest.fixture
def people(cast):
    """``people(n, **kw)``: ``add_people`` with the GP practice and noor (its professional) unless
    told otherwise."""

    def make(n, **kw):
        kw.setdefault("organisation", cast.gp_practice)
        kw.setdefault("professional", cast.noor)
        return add_people(n, **kw)

    return make


def aggregate_rows(user):
    return AccessLogEntry.objects.filter(user=user, object_type="population", outcome="success", person=None)


@pytest.fixture
def population(cast, people):
    """35 people of the GP practice (cast.noor's clients): 3 smoke, 10 do not say, 12 have diabetes."""
    Person.objects.filter(pk__in=[cast.anna.pk, cast.bas.pk]).update(gender="male")  # and born 1970, no profile
    old, young = dt.date(1960, 1, 1), dt.date(1995, 1, 1)
    people(10, level="self_management", condition="T90", birth_date=old)
    people(2, prefix="Dia", condition="T90", level="chain_care", gender="male", birth_date=young)
    people(10, prefix="Rest", level="self_management", gender="male", birth_date=young)
    people(3, prefix="Rook", smoking="current", birth_date=old)
    people(8, prefix="Stil", smoking="", birth_date=dt.date(1980, 1, 1))
    return cast


def test_a_manager_sees_the_organisations_counts_with_one_aggregate_row(population, client):
    cast = population
    client.force_login(cast.mia)
    before = aggregate_rows(cast.mia).count()
    response = client.get(reverse("population:organisation"))
    assert response.status_code == 200
    body = response.content.decode()
    # anna and bas (cast) + 33: 35 people in the practice's population
    assert "35 mensen in deze groep" in body
    rows = aggregate_rows(cast.mia)
    assert rows.count() == before + 1
    entry = rows.latest("id")
    assert entry.purpose == AccessLogEntry.Purpose.QUALITY
    assert entry.detail.startswith(f"organisatie {cast.gp_practice.pk}")
    assert entry.action == "R"


def test_small_cells_are_shown_as_under_k_and_never_as_a_number(population, client):
    client.force_login(population.mia)
    report = client.get(reverse("population:organisation")).context["report"]
    smoking = next(t for _title, tables in report.sections for t in tables if t.key == "smoking")
    counts = {row.key: row.count for row in smoking.rows}
    assert counts["current"] is None  # 3 smoke: hidden
    assert (
        counts["unknown"] is None
    )  # 10 (anna and bas have no profile, 8 did not say): hidden with it, so together >= k
    assert counts["never"] == 22
    body = client.get(reverse("population:organisation")).content.decode()
    assert "&lt;10" in body


def test_exports_are_suppressed_like_the_page_and_each_writes_one_row(population, client):
    cast = population
    client.force_login(cast.mia)
    page = client.get(reverse("population:organisation"), {"periode": "12"}).context["report"]
    for fmt in ("csv", "xlsx"):
        before = aggregate_rows(cast.mia).count()
        response = client.get(reverse("population:export", kwargs={"fmt": fmt}), {"periode": "12"})
        assert response.status_code == 200
        assert aggregate_rows(cast.mia).count() == before + 1
        assert f"export {fmt}" in aggregate_rows(cast.mia).latest("id").detail
        if fmt == "csv":
            text = response.content.decode("utf-8-sig")
            lines = [line.split(";") for line in text.splitlines()]
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            lines = [[str(c) if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
        smoking = {line[2]: line[4] for line in lines if len(line) > 4 and line[1] == "Roken"}
        assert smoking["rookt"] == "<10" and smoking["nooit gerookt"] == "22"
        smoking_page = next(t for _s, tables in page.sections for t in tables if t.key == "smoking")
        assert smoking["Totaal"] == str(smoking_page.total)


def test_no_name_or_id_of_a_person_appears_in_the_page_or_the_exports(population, client):
    cast = population
    client.force_login(cast.mia)
    outputs = [client.get(reverse("population:organisation")).content.decode()]
    outputs.append(client.get(reverse("population:export", kwargs={"fmt": "csv"})).content.decode("utf-8-sig"))
    sheet = load_workbook(io.BytesIO(client.get(reverse("population:export", kwargs={"fmt": "xlsx"})).content)).active
    outputs.append(" ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None))
    for person in Person.objects.all():
        for text in outputs:
            assert person.given_name not in text and person.family_name not in text
            assert f"/personen/{person.pk}/" not in text
    for text in outputs[:1]:
        assert not re.search(r"/personen/\d+", text), "an aggregate links to a person"


def test_a_person_outside_the_population_never_changes_a_number(population, people, client):
    cast = population
    client.force_login(cast.mia)

    def everything():
        return client.get(reverse("population:export", kwargs={"fmt": "csv"})).content

    before = everything()
    # Outside: another organisation's clients, and a client whose membership here has ended.
    people(
        15,
        organisation=cast.elsewhere,
        professional=cast.sam,
        prefix="Elders",
        smoking="current",
        level="case_management",
    )
    gone = people(12, prefix="Weg", condition="T90")
    CareTeamMember.objects.filter(person__in=gone).update(ended_at=timezone.now())
    # Inside another organisation too, through a second care-team member, changes nothing here either.
    assert everything() == before


def test_scope_other_organisations_and_teams_answer_404_with_a_refused_row(population, client):
    cast = population
    mine = Team.objects.create(organisation=cast.gp_practice, name="Chronisch")
    theirs = Team.objects.create(organisation=cast.elsewhere, name="Elders")
    client.force_login(cast.mia)
    assert client.get(reverse("population:team", kwargs={"team_id": mine.pk})).status_code == 200
    for url in (
        reverse("population:team", kwargs={"team_id": theirs.pk}),
        reverse("population:team", kwargs={"team_id": 999999}),
        reverse("population:team_export", kwargs={"team_id": theirs.pk, "fmt": "csv"}),
    ):
        refused = AccessLogEntry.objects.filter(user=cast.mia, outcome="refused").count()
        missing = client.get(url)
        assert missing.status_code == 404
        assert AccessLogEntry.objects.filter(user=cast.mia, outcome="refused").count() == refused + 1
    # A professional: only their own team's page.
    client.force_login(cast.noor)
    assert client.get(reverse("population:organisation")).status_code == 404
    assert client.get(reverse("population:team", kwargs={"team_id": mine.pk})).status_code == 404
    cast.noor.team = mine
    cast.noor.save()
    response = client.get(reverse("population:team", kwargs={"team_id": mine.pk}))
    assert response.status_code == 200
    assert response.context["report"].size == 35  # noor is in the team: her clients are its population
    assert client.get(reverse("population:organisation")).status_code == 404


def test_a_team_counts_only_the_clients_of_its_professionals(population, people):
    cast = population
    team = Team.objects.create(organisation=cast.gp_practice, name="GGZ-hoek")
    cast.cor.team = team
    cast.cor.save()
    people(11, professional=cast.cor, prefix="Cor")
    unit = selectors.Unit(cast.gp_practice, team)
    persons = selectors.population(unit, PopulationFilter(), today=timezone.localdate())
    assert persons.count() == 11
    assert (
        selectors.population(selectors.Unit(cast.gp_practice), PopulationFilter(), today=timezone.localdate()).count()
        == 46
    )


def test_filters_narrow_the_population(population):
    cast = population
    today = timezone.localdate()
    unit = selectors.Unit(cast.gp_practice)
    count = lambda **f: selectors.population(unit, PopulationFilter(**f), today=today).count()  # noqa: E731
    assert count(condition="dm2") == 12
    assert count(level="chain_care") == 2
    assert count(level="self_management", condition="dm2") == 10
    assert count(postcode="3511") == 33
    assert count(professional=cast.gert.pk) == 1  # anna
    assert (count(age_band="18-39"), count(age_band="40-64"), count(age_band="65-74"), count(age_band="75+")) == (
        12,
        10,
        13,
        0,
    )


def test_a_bad_filter_counts_nothing_and_logs_nothing(population, client):
    cast = population
    client.force_login(cast.mia)
    before = aggregate_rows(cast.mia).count()
    response = client.get(reverse("population:organisation"), {"postcode": "35AB"})
    assert response.status_code == 200
    assert "Vul vier cijfers in" in response.content.decode()
    assert "report" not in response.context or response.context.get("report") is None
    response = client.get(reverse("population:organisation"), {"professional": cast.sam.pk})
    assert response.context.get("report") is None
    assert aggregate_rows(cast.mia).count() == before


def test_people_without_a_role_for_aggregates_are_refused(population, client):
    cast = population
    for user in (cast.anna_user, cast.rob, cast.ada):
        client.force_login(user)
        refused = AccessLogEntry.objects.filter(user=user, outcome="refused").count()
        assert client.get(reverse("population:organisation")).status_code == 404
        assert AccessLogEntry.objects.filter(user=user, outcome="refused").count() == refused + 1
    client.logout()
    assert client.get(reverse("population:organisation")).status_code == 302


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_size(population, people):
    cast = population
    unit = selectors.Unit(cast.gp_practice)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            compose.build(unit, PopulationFilter(), months=12, k=10)
        return len([q for q in captured if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))])

    small = queries()
    people(30, prefix="Meer", condition="K86", level="case_management")
    assert queries() == small == 1  # one statement over the kept per-person rows (counting_kept)


def test_transitions_between_levels_in_the_period(population, people):
    cast = population
    now = timezone.now()
    for person in people(11, prefix="Mover"):
        decide(person, "chain_care", by=cast.noor, at=now - dt.timedelta(days=400))
        decide(person, "case_management", by=cast.noor, at=now - dt.timedelta(days=10))
    persons = selectors.population(selectors.Unit(cast.gp_practice), PopulationFilter(), today=now.date())
    table = selectors.transitions(persons, start=now - dt.timedelta(days=365), end=now)
    assert table["chain_care"]["case_management"] == 11
    assert table["none"]["self_management"] == 20
    assert table["none"]["none"] == 13 + 0
    assert table["none"]["chain_care"] == 2


# --- saved cohorts --------------------------------------------------------------------------------


def test_a_cohort_is_saved_validated_changed_and_deleted_after_confirming(population, client):
    cast = population
    client.force_login(cast.mia)
    url = reverse("population:cohorts")
    assert client.post(url, {"name": "Diabetes", "condition": "dm2", "postcode": "3511"}).status_code == 302
    cohort = Cohort.objects.get(owner=cast.mia)
    assert cohort.filters == {"condition": "dm2", "postcode": "3511"}
    # Another organisation's professional in the filter: refused, nothing written.
    response = client.post(url, {"name": "Elders", "professional": cast.sam.pk})
    assert response.status_code == 400 and Cohort.objects.filter(owner=cast.mia).count() == 1
    assert client.post(url, {"name": ""}).status_code == 400
    edit = reverse("population:cohort_edit", kwargs={"cohort_id": cohort.pk})
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"name": "Diabetes 3511", "condition": "dm2"}).status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Diabetes 3511" and cohort.filters == {"condition": "dm2"}
    assert client.post(edit, {"name": "x", "postcode": "12"}).status_code == 400
    listing = client.get(url).content.decode()
    assert "condition=dm2" in listing
    delete = reverse("population:cohort_delete", kwargs={"cohort_id": cohort.pk})
    assert 'name="bevestigd" value="ja"' in client.get(delete).content.decode()
    assert client.post(delete).status_code == 200 and Cohort.objects.filter(pk=cohort.pk).exists()
    assert client.post(delete, {"bevestigd": "ja"}).status_code == 302
    assert not Cohort.objects.filter(pk=cohort.pk).exists()


def test_someone_elses_cohort_answers_like_a_missing_one(population, client):
    cast = population
    cohort = Cohort.objects.create(name="Van Mia", owner=cast.mia, organisation=cast.gp_practice, filters={})
    other = make_user("manon", role="manager", organisation=cast.gp_practice)
    client.force_login(other)
    for name in ("population:cohort_edit", "population:cohort_delete"):
        assert client.get(reverse(name, kwargs={"cohort_id": cohort.pk})).status_code == 404
    assert (
        client.post(
            reverse("population:cohort_delete", kwargs={"cohort_id": cohort.pk}), {"bevestigd": "ja"}
        ).status_code
        == 404
    )
    assert Cohort.objects.filter(pk=cohort.pk).exists()


def test_the_managers_home_links_to_the_population(cast, client):
    client.force_login(cast.mia)
    body = client.get(reverse("home")).content.decode()
    assert reverse("population:organisation") in body
    assert "komt later" not in body


def test_the_charts_draw_their_bars_in_dutch(population, client):
    """In Dutch (the default) a bar's width was written ``320,0``: no SVG length, so the browser
    drew none of the page's bars (seen in Chromium: 'Expected length, "320,0"')."""
    client.force_login(population.mia)
    body = client.get(reverse("population:organisation"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'class="pop-bar"' in body
    assert bad_geometry(body) == []
