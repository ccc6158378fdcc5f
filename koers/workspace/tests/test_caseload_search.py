"""Caseload search (name in any order, birth date, BSN), Dutch name sorting, column sorting and
the announced result count. The search term is sent in a POST body: it never reaches a URL, the
browser history or a server log."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.consults.models import Consult
from koers.people.models import Person
from tests.support.testing import make_person

pytestmark = pytest.mark.django_db

URL = reverse("workspace:caseload")
VALID_BSN = "111222333"


def _names(response):
    return [f"{p.given_name} {p.family_name}" for p in response.context["persons"]]


@pytest.fixture
def caseload(cast):
    """Noor's caseload: Anna de Boer and Bas Smit from the cast, and a few more."""
    make_person(actor=cast.noor, given_name="Émile", family_name="van der Meer", birth_date=dt.date(1961, 4, 3))
    make_person(actor=cast.noor, given_name="Zoë", family_name="Bakker", birth_date=dt.date(1990, 12, 24))
    make_person(actor=cast.noor, given_name="Anna", family_name="Visser", birth_date=dt.date(1955, 1, 9))
    return cast


@pytest.mark.parametrize(
    "term", ["Boer, Anna", "Anna de Boer", "de boer", "boer", "ANNA  DE BOER", "Anna Böer", "Bo An"]
)
def test_search_finds_a_name_in_any_order_and_form(caseload, login, term):
    response = login(caseload.noor).post(URL, {"q": term})
    assert response.status_code == 200
    assert _names(response) == ["Anna de Boer"]


def test_search_ignores_diacritics_both_ways(caseload, login):
    client = login(caseload.noor)
    assert _names(client.post(URL, {"q": "emile meer"})) == ["Émile van der Meer"]
    assert _names(client.post(URL, {"q": "Zoe"})) == ["Zoë Bakker"]


def test_one_word_matches_the_start_of_any_name_part(caseload, login):
    assert _names(login(caseload.noor).post(URL, {"q": "anna"})) == ["Anna de Boer", "Anna Visser"]


@pytest.mark.parametrize("term", ["03-04-1961", "3-4-1961", "3-04-1961", "03/04/1961"])
def test_search_by_birth_date(caseload, login, term):
    assert _names(login(caseload.noor).post(URL, {"q": term})) == ["Émile van der Meer"]


def test_a_birth_date_and_a_name_together(caseload, login):
    client = login(caseload.noor)
    assert _names(client.post(URL, {"q": "anna 9-1-1955"})) == ["Anna Visser"]


def test_an_impossible_date_says_so_and_finds_nobody(caseload, login):
    response = login(caseload.noor).post(URL, {"q": "31-02-1961"})
    assert response.context["persons"] == []
    assert "Deze datum bestaat niet" in response.content.decode()


def test_search_by_bsn_for_professionals(caseload, login):
    Person.objects.filter(pk=caseload.bas.pk).update(bsn=VALID_BSN)
    client = login(caseload.noor)
    assert _names(client.post(URL, {"q": VALID_BSN})) == ["Bas Smit"]
    # Only exact: part of a BSN finds nobody.
    assert _names(client.post(URL, {"q": VALID_BSN[:8]})) == []


def test_a_bsn_that_fails_the_elfproef_is_named_as_such(caseload, login):
    Person.objects.filter(pk=caseload.bas.pk).update(bsn=VALID_BSN)
    response = login(caseload.noor).post(URL, {"q": "123456789"})
    assert response.context["persons"] == []
    assert "Dit BSN klopt niet" in response.content.decode()


def test_bsn_of_someone_outside_my_care_finds_nothing(caseload, login):
    Person.objects.filter(pk=caseload.bas.pk).update(bsn=VALID_BSN)
    assert _names(login(caseload.gert).post(URL, {"q": VALID_BSN})) == []


def test_the_search_term_is_never_in_a_url_or_a_log(caseload, login, caplog):
    """GET would put the term in the address, the history and every server's request log."""
    Person.objects.filter(pk=caseload.bas.pk).update(bsn=VALID_BSN)
    client = login(caseload.noor)
    # A term in the address is not used: nothing found by it, the whole caseload shown.
    response = client.get(URL, {"q": "Smit"})
    assert len(response.context["persons"]) == 5
    html = response.content.decode()
    assert 'method="post"' in html and 'method="get"' not in html.split('id="caseload-search"')[0][-200:]
    with caplog.at_level(logging.DEBUG):
        response = client.post(URL, {"q": VALID_BSN}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not any(h.lower().startswith("hx-push") for h in response.headers)
    assert VALID_BSN not in caplog.text
    assert VALID_BSN not in response.content.decode()  # not echoed into page links or hidden fields
    details = AccessLogEntry.objects.filter(user=caseload.noor).values_list("detail", "object_type")
    assert all(VALID_BSN not in str(row) for row in details)


def test_dutch_name_sorting_in_the_database(caseload, login):
    response = login(caseload.noor).get(URL)
    assert _names(response) == ["Zoë Bakker", "Anna de Boer", "Émile van der Meer", "Bas Smit", "Anna Visser"]


def test_sort_by_birth_date_and_back(caseload, login):
    client = login(caseload.noor)
    response = client.post(URL, {"sorteer": "naam", "richting": "op", "sorteer_op": "geboren"})
    assert _names(response)[:2] == ["Anna Visser", "Émile van der Meer"]
    # The same header again turns the direction around.
    response = client.post(URL, {"sorteer": "geboren", "richting": "op", "sorteer_op": "geboren"})
    assert _names(response)[0] == "Zoë Bakker"
    html = response.content.decode()
    assert 'aria-sort="descending"' in html and html.count("aria-sort=") == 1


def test_sort_by_next_consult_puts_people_without_one_last(caseload, login):
    now = timezone.now()
    for person, days in ((caseload.bas, 5), (caseload.anna, 2)):
        Consult.objects.create(
            person=person,
            professional=caseload.noor,
            created_by=caseload.noor,
            scheduled_at=now + dt.timedelta(days=days),
        )
    client = login(caseload.noor)
    names = _names(client.post(URL, {"sorteer_op": "volgend-consult"}))
    assert names[:2] == ["Anna de Boer", "Bas Smit"]
    names = _names(client.post(URL, {"sorteer": "volgend-consult", "richting": "op", "sorteer_op": "volgend-consult"}))
    assert names[:2] == ["Bas Smit", "Anna de Boer"]


def test_sort_by_last_seen(caseload, login):
    past = timezone.now() - dt.timedelta(days=30)
    Consult.objects.create(
        person=caseload.bas,
        professional=caseload.noor,
        created_by=caseload.noor,
        scheduled_at=past,
        status=Consult.Status.HELD,
    )
    response = login(caseload.noor).post(URL, {"sorteer_op": "laatst-gezien"})
    assert _names(response)[0] == "Bas Smit"
    assert response.context["persons"][0].last_seen_at == past


def test_sort_survives_a_new_search_and_unknown_values_fall_back_to_name(caseload, login):
    client = login(caseload.noor)
    response = client.post(URL, {"q": "anna", "sorteer": "geboren", "richting": "op"})
    assert _names(response) == ["Anna Visser", "Anna de Boer"]
    response = client.post(URL, {"sorteer": "'; drop table", "richting": "sideways"})
    assert response.status_code == 200 and _names(response)[0] == "Zoë Bakker"


def test_sort_headers_are_buttons_with_aria_sort(caseload, login):
    html = login(caseload.noor).get(URL).content.decode()
    assert 'aria-sort="ascending"' in html
    for key in ("naam", "geboren", "volgend-consult", "laatst-gezien"):
        assert f'name="sorteer_op" value="{key}"' in html


def test_live_results_announce_the_count_in_a_polite_status_region(caseload, login):
    client = login(caseload.noor)
    page = client.get(URL).content.decode()
    assert 'id="caseload-status" role="status"' in page
    partial = client.post(URL, {"q": "anna"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "<table" in partial
    assert 'id="caseload-status"' in partial and 'hx-swap-oob="innerHTML"' in partial
    assert "2 personen gevonden" in partial
    one = client.post(URL, {"q": "visser"}, HTTP_HX_REQUEST="true").content.decode()
    assert "1 persoon gevonden" in one


def test_search_without_javascript_is_a_plain_post_form(caseload, login):
    client = login(caseload.noor)
    response = client.post(URL, {"q": "smit"})
    html = response.content.decode()
    assert "<html" in html and _names(response) == ["Bas Smit"]
    assert 'value="smit"' in html  # the term stays in the field
    assert "1 persoon gevonden" in html


def test_pages_keep_the_search_and_sort(cast, login):
    for i in range(30):
        make_person(actor=cast.noor, given_name=f"Zz{i:02d}", family_name="van Zwart")
    client = login(cast.noor)
    response = client.post(URL, {"q": "zwart", "sorteer": "naam", "richting": "af", "pagina": "2"})
    names = [p.given_name for p in response.context["persons"]]
    assert names == ["Zz04", "Zz03", "Zz02", "Zz01", "Zz00"]
    assert 'name="pagina" value="1"' in response.content.decode()


def test_search_writes_nothing_but_the_read_rows(caseload, login):
    client = login(caseload.noor)  # the login itself is a security event in the log
    before = AccessLogEntry.objects.count()
    response = client.post(URL, {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200 and "<script>alert(1)" not in response.content.decode()
    assert AccessLogEntry.objects.count() == before  # nothing listed, nothing logged


def test_a_stranger_cannot_post_a_search(cast, login):
    for user in (cast.anna_user, cast.rob, cast.mia):
        assert login(user).post(URL, {"q": "anna"}).status_code == 404
