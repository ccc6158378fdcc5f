"""Search in one record and across a caseload: the access layer filters before anything is
matched or ranked. Another person's matching text never appears and never changes what is
found, how many or in which order; consent withdrawn takes a kind of data out; every search is
in the access log. Runs on SQLite (icontains) and PostgreSQL (full text, 'dutch')."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.documents import search, services
from koers.documents.tests.conftest import pdf_bytes, upload
from koers.goals.models import Goal
from koers.network.services import consent_set

pytestmark = pytest.mark.django_db


def _goal(person, text, by):
    return Goal.objects.create(person=person, description=text, life_domain="health", created_by=by)


def _pdf(cast, person, title, text):
    return services.document_upload(
        actor=cast.noor,
        person=person,
        upload=upload(pdf_bytes(text), "brief.pdf"),
        title=title,
        kind="letter",
        document_date=timezone.localdate(),
    )


@pytest.fixture
def records(cast):
    _goal(cast.anna, "Ik wil beter slapen", cast.noor)
    _pdf(cast, cast.anna, "Brief van de psychiater", "Advies: de slaapmedicatie langzaam afbouwen.")
    return cast


def _key(hits):
    return [(h.source, h.person_id, h.title, h.snippet, round(h.rank, 6)) for h in hits]


def _add_bas_text(cast):
    for n in range(5):
        _goal(cast.bas, f"Beter slapen en afbouwen, poging {n}", cast.noor)
    _pdf(cast, cast.bas, "Brief over slapen", "slapen afbouwen slaapmedicatie afbouwen afbouwen")


def test_one_record_finds_goals_and_pdf_text_and_nothing_of_another_person(records):
    cast = records
    before = search.search_person(cast.noor, cast.anna, "afbouwen")
    assert [h.source for h in before] == ["documents"]
    assert "slaapmedicatie" in before[0].snippet
    assert {h.person_id for h in search.search_person(cast.noor, cast.anna, "slapen")} == {cast.anna.pk}
    _add_bas_text(cast)
    for query in ("afbouwen", "slapen", "brief"):
        hits = search.search_person(cast.noor, cast.anna, query)
        assert {h.person_id for h in hits} <= {cast.anna.pk}
    assert _key(search.search_person(cast.noor, cast.anna, "afbouwen")) == _key(before)


def test_the_caseload_shows_only_persons_in_the_professionals_teams(records):
    cast = records  # Gert is in Anna's team only; Noor in Anna's and Bas's
    before = search.search_caseload(cast.gert, "slapen afbouwen")
    _add_bas_text(cast)
    after = search.search_caseload(cast.gert, "slapen afbouwen")
    assert _key(after) == _key(before)
    assert {h.person_id for h in search.search_caseload(cast.gert, "slapen")} == {cast.anna.pk}
    assert {h.person_id for h in search.search_caseload(cast.noor, "slapen")} == {cast.anna.pk, cast.bas.pk}
    assert search.search_caseload(cast.sam, "slapen") == []


def test_consent_withdrawn_takes_that_kind_of_data_out(records):
    cast = records
    assert {h.source for h in search.search_caseload(cast.gert, "slapen")} == {"goals"}
    assert {h.source for h in search.search_person(cast.gert, cast.anna, "afbouwen")} == {"documents"}
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=access.Topic.DOCUMENTS, granted=False)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=access.Topic.GOALS, granted=False)
    assert search.search_person(cast.gert, cast.anna, "afbouwen") == []
    assert search.search_caseload(cast.gert, "slapen") == []
    assert search.search_caseload(cast.gert, "afbouwen") == []


def test_a_hidden_document_is_not_found(records):
    cast = records
    document = search.search_person(cast.noor, cast.anna, "afbouwen")[0]
    assert document.source == "documents"
    services.document_hide(actor=cast.noor, document=cast.anna.documents.get(), reason="Bij de verkeerde cliënt gezet")
    assert search.search_person(cast.noor, cast.anna, "afbouwen") == []


def test_the_pages_log_each_search_and_refuse_outsiders(records, client):
    cast = records
    client.force_login(cast.gert)
    url = reverse("documents:person_search", args=[cast.anna.pk])
    page = client.get(url, {"q": "afbouwen"}).content.decode()
    assert "Brief van de psychiater" in page and 'role="status"' in page
    assert AccessLogEntry.objects.filter(
        user=cast.gert, person=cast.anna, action="R", object_type="search", detail="1 results"
    ).exists()
    page = client.get(reverse("documents:caseload_search"), {"q": "slapen"}).content.decode()
    assert "Ik wil beter slapen" in page
    assert AccessLogEntry.objects.filter(user=cast.gert, person=None, object_type="search").exists()
    assert AccessLogEntry.objects.filter(user=cast.gert, person=cast.anna, object_type="search", detail="").exists()
    for outsider in (cast.sam, cast.anna_user, cast.rob):
        client.force_login(outsider)
        refused = AccessLogEntry.objects.filter(user=outsider, outcome="refused").count()
        assert client.get(url, {"q": "afbouwen"}).status_code == 404
        assert AccessLogEntry.objects.filter(user=outsider, outcome="refused").count() == refused + 1
    client.force_login(cast.anna_user)
    assert client.get(reverse("documents:caseload_search"), {"q": "slapen"}).status_code == 404


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Dutch stemming is PostgreSQL's; SQLite matches words as typed"
)
def test_postgresql_finds_dutch_word_forms_and_ranks(records):
    cast = records
    assert [h.source for h in search.search_person(cast.noor, cast.anna, "slaap")] == ["goals"]  # slapen ~ slaap
    hits = search.search_person(cast.noor, cast.anna, "afbouw")  # afbouwen ~ afbouw
    assert [h.source for h in hits] == ["documents"] and hits[0].rank > 0
