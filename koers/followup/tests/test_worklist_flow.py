"""A worklist that flows: filter, sort, group, mark as handled with undo; no false "not seen"
from a portal diary-sharing agreement; the yearly somatic screening as a due item."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.careplans.models import FollowUpAgreement
from koers.consults.models import Consult
from koers.followup.models import WorklistMark
from koers.screening.models import SomaticScreening

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


def follow_up(cast, person, days, what, method=FollowUpAgreement.Method.CONSULT, frequency=""):
    return FollowUpAgreement.objects.create(
        person=person,
        what=what,
        who="Noor",
        method=method,
        frequency=frequency,
        next_date=TODAY + dt.timedelta(days=days),
        created_by=cast.noor,
    )


def seen(cast, person, days_ago):
    Consult.objects.create(
        person=person,
        professional=cast.noor,
        created_by=cast.noor,
        scheduled_at=timezone.now() - dt.timedelta(days=days_ago),
        status=Consult.Status.HELD,
    )


@pytest.fixture
def two_people(cast):
    seen(cast, cast.anna, 1)
    seen(cast, cast.bas, 1)
    follow_up(cast, cast.anna, -3, "Bloeddruk bespreken")
    follow_up(cast, cast.bas, -1, "Slaap bespreken")
    follow_up(cast, cast.anna, 5, "Medicatie bespreken")
    return cast


def whats(response):
    return [item.what for item in response.context["items"]]


# --- filter, sort, group -----------------------------------------------------------------------


def test_filter_by_kind_person_and_overdue(two_people, login):
    cast = two_people
    client = login(cast.noor)
    SomaticScreening.objects.create(person=cast.bas, due_date=TODAY - dt.timedelta(days=2), created_by=cast.noor)
    assert {i.kind for i in client.get("/werklijst/?soort=follow_up").context["items"]} == {"follow_up"}
    assert whats(client.get("/werklijst/?client=Anna")) == ["Bloeddruk bespreken", "Medicatie bespreken"]
    assert whats(client.get("/werklijst/?client=boer+anna&soort=follow_up")) == [
        "Bloeddruk bespreken",
        "Medicatie bespreken",
    ]
    overdue = client.get("/werklijst/?te_laat=1")
    assert all(i.overdue for i in overdue.context["items"]) and "Medicatie bespreken" not in whats(overdue)
    text = overdue.content.decode()
    assert "gefilterd" in text and 'name="te_laat"' in text and "checked" in text


def test_sort_by_client_and_group_by_person(two_people, login):
    cast = two_people
    client = login(cast.noor)
    by_date = whats(client.get("/werklijst/"))
    assert by_date == ["Bloeddruk bespreken", "Slaap bespreken", "Medicatie bespreken"]
    from tests.support.testing import make_person

    piet = make_person(actor=cast.noor, given_name="Piet", family_name="van Aalst")
    follow_up(cast, piet, 9, "Werk bespreken")
    by_client = client.get("/werklijst/?sorteer=client")
    # Dutch order: "van Aalst" under A, "de Boer" under B, then Smit.
    order = [cast.anna.pk, cast.anna.pk, cast.bas.pk]
    assert [i.person_id for i in by_client.context["items"] if i.kind == "follow_up"] == [piet.pk, *order]
    grouped = client.get("/werklijst/?groeperen=1&soort=follow_up")
    assert [i.person_id for i in grouped.context["items"]] == [*order, piet.pk]
    assert 'scope="colgroup"' in grouped.content.decode()


def test_bad_filter_values_show_the_whole_list(two_people, login):
    client = login(two_people.noor)
    response = client.get("/werklijst/?soort=<script>&sorteer=x&client=" + "a" * 500)
    assert response.status_code == 200
    assert len(response.context["items"]) == 3
    assert "<script>" not in response.content.decode()


def test_pages_keep_the_filters(cast, login):
    from tests.support.testing import make_person

    for i in range(27):
        person = make_person(actor=cast.noor, given_name=f"P{i}")
        follow_up(cast, person, 0, f"Punt {i}")
    text = login(cast.noor).get("/werklijst/?soort=follow_up").content.decode()
    assert "?soort=follow_up&amp;pagina=2" in text


# --- mark as handled, with undo ----------------------------------------------------------------


def mark_form(response, what):
    item = next(i for i in response.context["items"] if i.what == what)
    return item, {"item": item.key, "terug": "/werklijst/?soort=follow_up"}


def test_mark_as_handled_leaves_the_list_and_can_be_undone(two_people, login):
    cast = two_people
    client = login(cast.noor)
    item, data = mark_form(client.get("/werklijst/"), "Bloeddruk bespreken")

    marked = client.post(f"/personen/{cast.anna.pk}/werklijst/afgehandeld/", data)
    mark = WorklistMark.objects.get()
    assert marked.status_code == 302
    assert marked["Location"] == f"/werklijst/?soort=follow_up&afgehandeld={mark.pk}"
    assert (mark.person, mark.handled_by, mark.what) == (cast.anna, cast.noor, "Bloeddruk bespreken")
    assert AccessLogEntry.objects.filter(
        object_type="followup.WorklistMark", object_id=str(mark.pk), action="C"
    ).exists()

    page = client.get(marked["Location"])
    assert "Bloeddruk bespreken" not in whats(page)
    assert "Bloeddruk bespreken" not in whats(login(cast.gert).get("/werklijst/team/"))  # handled for the team too
    client = login(cast.noor)  # the test client is shared: back to Noor
    text = page.content.decode()
    status = text[text.index('id="worklist-status"') :]
    status = status[: status.index('id="worklist-body"')]
    assert 'role="status"' in text and "Afgehandeld: Bloeddruk bespreken" in status and "Ongedaan maken" in status

    undone = client.post(f"/personen/{cast.anna.pk}/werklijst/ongedaan/", {"mark": mark.pk, "terug": "/werklijst/"})
    assert undone["Location"] == "/werklijst/?ongedaan=1"
    mark.refresh_from_db()
    assert mark.undone_at is not None
    after = client.get(undone["Location"])
    assert "Bloeddruk bespreken" in whats(after)
    assert "weer op de werklijst" in after.content.decode()
    # And it can be marked again.
    _item, data = mark_form(after, "Bloeddruk bespreken")
    client.post(f"/personen/{cast.anna.pk}/werklijst/afgehandeld/", data)
    assert WorklistMark.objects.filter(undone_at__isnull=True).count() == 1


def test_undo_only_for_a_while(two_people, login):
    cast = two_people
    client = login(cast.noor)
    _item, data = mark_form(client.get("/werklijst/"), "Bloeddruk bespreken")
    client.post(f"/personen/{cast.anna.pk}/werklijst/afgehandeld/", data)
    mark = WorklistMark.objects.get()
    WorklistMark.objects.filter(pk=mark.pk).update(handled_at=timezone.now() - dt.timedelta(hours=1))
    assert "Net afgehandeld" not in client.get("/werklijst/").content.decode()
    client.post(f"/personen/{cast.anna.pk}/werklijst/ongedaan/", {"mark": mark.pk})
    mark.refresh_from_db()
    assert mark.undone_at is None


def test_a_moved_date_brings_the_item_back(two_people, login):
    cast = two_people
    client = login(cast.noor)
    _item, data = mark_form(client.get("/werklijst/"), "Slaap bespreken")
    client.post(f"/personen/{cast.bas.pk}/werklijst/afgehandeld/", data)
    assert "Slaap bespreken" not in whats(client.get("/werklijst/"))
    FollowUpAgreement.objects.filter(what="Slaap bespreken").update(next_date=TODAY + dt.timedelta(days=2))
    assert "Slaap bespreken" in whats(client.get("/werklijst/"))


def test_marking_bad_or_foreign_items_writes_nothing(two_people, login):
    cast = two_people
    client = login(cast.noor)
    item, data = mark_form(client.get("/werklijst/"), "Bloeddruk bespreken")
    for key in ("", "rubbish", "follow_up|careplans.FollowUpAgreement|999999|2026-11-19", "<script>"):
        response = client.post(f"/personen/{cast.anna.pk}/werklijst/afgehandeld/", {"item": key})
        assert response.status_code == 302 and "fout=1" in response["Location"]
    # Anna's item posted under Bas's address is not Bas's item.
    client.post(f"/personen/{cast.bas.pk}/werklijst/afgehandeld/", data)
    # A stranger cannot mark it.
    assert login(cast.sam).post(f"/personen/{cast.anna.pk}/werklijst/afgehandeld/", data).status_code == 404
    assert not WorklistMark.objects.exists()
    # A return address elsewhere is not followed.
    client = login(cast.noor)
    response = client.post(f"/personen/{cast.anna.pk}/werklijst/afgehandeld/", {**data, "terug": "https://x.example/"})
    assert response["Location"].startswith("/werklijst/?afgehandeld=")


def test_undo_of_someone_elses_mark_id_is_404(two_people, login):
    cast = two_people
    client = login(cast.noor)
    _item, data = mark_form(client.get("/werklijst/"), "Bloeddruk bespreken")
    client.post(f"/personen/{cast.anna.pk}/werklijst/afgehandeld/", data)
    mark = WorklistMark.objects.get()
    assert client.post(f"/personen/{cast.bas.pk}/werklijst/ongedaan/", {"mark": mark.pk}).status_code == 404
    assert login(cast.sam).post(f"/personen/{cast.anna.pk}/werklijst/ongedaan/", {"mark": mark.pk}).status_code == 404
    mark.refresh_from_db()
    assert mark.undone_at is None


# --- "not seen for long" and the diary-sharing agreement ------------------------------------------


def test_a_portal_diary_sharing_agreement_does_not_make_someone_not_seen(cast, login):
    seen(cast, cast.anna, 20)  # seen 20 days ago; the agreed consult rhythm is every three months
    follow_up(cast, cast.anna, 60, "Controle", frequency="elke drie maanden")
    follow_up(cast, cast.anna, 60, "Dagboek delen", method=FollowUpAgreement.Method.PORTAL, frequency="elke week")
    seen(cast, cast.bas, 1)
    items = login(cast.noor).get("/werklijst/").context["items"]
    assert [i for i in items if i.kind == "not_seen"] == []


# --- the yearly somatic screening ----------------------------------------------------------------


def test_the_somatic_screening_due_is_on_the_worklist(cast, login):
    seen(cast, cast.anna, 1)
    seen(cast, cast.bas, 1)
    SomaticScreening.objects.create(person=cast.anna, due_date=TODAY - dt.timedelta(days=3), created_by=cast.noor)
    SomaticScreening.objects.create(person=cast.bas, due_date=TODAY + dt.timedelta(days=60), created_by=cast.noor)
    response = login(cast.noor).get("/werklijst/")
    rows = [(i.person_id, i.kind, i.overdue) for i in response.context["items"]]
    assert rows == [(cast.anna.pk, "somatic_screening", True)]
    assert f'href="/personen/{cast.anna.pk}/metingen/"' in response.content.decode()
    assert "Jaarlijkse lichamelijke controle" in response.content.decode()


def test_the_somatic_screening_due_is_flagged_on_the_caseload(cast, login):
    SomaticScreening.objects.create(person=cast.anna, due_date=TODAY, created_by=cast.noor)
    SomaticScreening.objects.create(
        person=cast.bas, due_date=TODAY - dt.timedelta(days=400), done_on=TODAY, created_by=cast.noor
    )
    response = login(cast.noor).get("/clienten/")
    rows = {p.pk: p.screening_due for p in response.context["persons"]}
    assert rows == {cast.anna.pk: True, cast.bas.pk: False}
    assert "lichamelijke controle" in response.content.decode()
    only = login(cast.noor).get("/clienten/?aandacht=1")
    assert [p.pk for p in only.context["persons"]] == [cast.anna.pk]
