"""The professional's pages about a person: plan consults and work through the agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.consults import services
from koers.consults.models import AgendaItem, Consult
from koers.consults.tests.conftest import begin, log_rows, soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def noor(cast, login):
    return login(cast.noor)


def url(name, *args):
    return reverse(f"consults:{name}", args=args)


def form_data(cast, **overrides):
    data = {
        "scheduled_at": soon(days=4).strftime("%Y-%m-%dT%H:%M"),
        "kind": "phone",
        "planned_minutes": "45",
        "professional": str(cast.gert.pk),
    }
    data.update(overrides)
    return data


# --- list -----------------------------------------------------------------------------------


def test_list_shows_upcoming_first_then_earlier(cast, noor):
    early = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(2), professional=cast.noor)
    late = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(20), professional=cast.noor)
    past = Consult.objects.create(
        person=cast.anna,
        professional=cast.noor,
        created_by=cast.noor,
        scheduled_at=timezone.now() - dt.timedelta(days=30),
        status="held",
    )
    response = noor.get(url("list", cast.anna.pk))
    assert response.status_code == 200
    assert response.context["upcoming"] == [early, late]
    assert response.context["earlier"] == [past]
    assert log_rows(user=cast.noor, person=cast.anna, action="R", object_type="consults.Consult") == 1


def test_list_for_a_stranger_is_not_found_and_logged(cast, consult, login):
    for user in (cast.sam, cast.cor, cast.anna_user):
        response = login(user).get(url("list", cast.anna.pk))
        assert response.status_code == 404
        assert log_rows(user=user, outcome="refused", person_id=cast.anna.pk) == 1


def test_list_query_count_does_not_grow_with_consults(cast, noor, django_assert_num_queries):
    services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(2), professional=cast.noor)
    with CaptureQueriesContext(connection) as few:
        assert noor.get(url("list", cast.anna.pk)).status_code == 200
    for day in range(3, 12):
        c = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(day), professional=cast.gert)
        services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=c, title="Punt")
    with django_assert_num_queries(len(few.captured_queries)):
        assert noor.get(url("list", cast.anna.pk)).status_code == 200


# --- create and edit ------------------------------------------------------------------------


def test_create_plans_a_consult(cast, noor):
    assert noor.get(url("create", cast.anna.pk)).status_code == 200
    response = noor.post(url("create", cast.anna.pk), form_data(cast))
    consult = Consult.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", cast.anna.pk, consult.pk)
    assert (consult.professional, consult.kind, consult.planned_minutes) == (cast.gert, "phone", 45)
    assert log_rows(user=cast.noor, action="C", object_type="consults.Consult") == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"planned_minutes": "0"}, "Een consult duurt 5 tot 240 minuten."),
        ({"planned_minutes": "999"}, "Een consult duurt 5 tot 240 minuten."),
        ({"planned_minutes": "abc"}, "Vul een heel getal in."),
        ({"scheduled_at": ""}, "verplicht"),
        ({"scheduled_at": "morgen"}, "Vul een datum en tijd in"),
        ({"scheduled_at": "2001-01-01T10:00"}, "in de toekomst"),
        ({"kind": "tarot"}, "Kies een van de mogelijkheden."),
        ({"professional": "999999"}, "Kies een van de mogelijkheden."),
    ],
)
def test_create_bad_input_explains_and_saves_nothing(cast, noor, overrides, message):
    response = noor.post(url("create", cast.anna.pk), form_data(cast, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consult.objects.exists()


def test_create_says_a_moment_in_the_past_and_a_wrong_length_at_once(cast, noor):
    """Noor typed last year's date and 999 minutes: she was told about the minutes, fixed them,
    and only then heard that the moment had passed. Both in one answer."""
    response = noor.post(
        url("create", cast.anna.pk), form_data(cast, scheduled_at="2020-01-06T10:00", planned_minutes="999")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"scheduled_at", "planned_minutes"}
    assert errors["scheduled_at"] == ["Kies een datum en tijd in de toekomst."]
    assert not Consult.objects.exists()


def test_create_with_a_colleague_outside_the_team_is_refused(cast, noor):
    response = noor.post(url("create", cast.anna.pk), form_data(cast, professional=str(cast.cor.pk)))
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not Consult.objects.exists()


def test_create_for_another_persons_record_is_not_found(cast, login):
    response = login(cast.gert).post(url("create", cast.bas.pk), form_data(cast))
    assert response.status_code == 404
    assert not Consult.objects.exists()


def test_edit_changes_the_consult(cast, consult, noor):
    assert noor.get(url("edit", cast.anna.pk, consult.pk)).status_code == 200
    response = noor.post(url("edit", cast.anna.pk, consult.pk), form_data(cast, planned_minutes="90"))
    assert response.status_code == 302
    consult.refresh_from_db()
    assert consult.planned_minutes == 90 and consult.professional == cast.gert


def test_edit_bad_input_saves_nothing(cast, consult, noor):
    response = noor.post(url("edit", cast.anna.pk, consult.pk), form_data(cast, planned_minutes="999"))
    assert response.status_code == 200
    consult.refresh_from_db()
    assert consult.planned_minutes == 30


def test_edit_says_a_moment_in_the_past_and_a_wrong_length_at_once(cast, consult, noor):
    """Moving a consult is one answer too: last year's date and 999 minutes, both said at once."""
    data = form_data(cast, scheduled_at="2020-01-06T10:00", planned_minutes="999")
    response = noor.post(url("edit", cast.anna.pk, consult.pk), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"scheduled_at", "planned_minutes"}
    consult.refresh_from_db()
    assert consult.planned_minutes == 30


def test_another_persons_consult_is_not_found_and_logged(cast, consult, bas_consult, noor):
    for name in ("detail", "edit"):
        assert noor.get(url(name, cast.anna.pk, bas_consult.pk)).status_code == 404
    response = noor.post(url("edit", cast.anna.pk, bas_consult.pk), form_data(cast))
    assert response.status_code == 404
    assert log_rows(user=cast.noor, outcome="refused", object_id=str(bas_consult.pk)) == 3
    bas_consult.refresh_from_db()
    assert bas_consult.planned_minutes == 20


# --- the consult page -----------------------------------------------------------------------


@pytest.fixture
def prepared(cast, consult):
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    services.preparation_save_step(
        actor=cast.anna_user,
        preparation=draft,
        step="how_are_you",
        values={"how_are_you": 5, "most_important": "<script>alert('x')</script>"},
    )
    services.preparation_save_step(
        actor=cast.anna_user,
        preparation=draft,
        step="activities",
        values={
            "current_situation": "Ik fiets niet meer",
            "desired_situation": "Weer naar mijn werk fietsen",
            "prompt_answers": {"not_going_well": "Boodschappen doen"},
        },
    )
    services.preparation_save_step(
        actor=cast.anna_user, preparation=draft, step="topics", values={"own_topics": [{"title": "Fietsen"}]}
    )
    services.preparation_submit(actor=cast.anna_user, preparation=draft)
    return draft


def test_detail_shows_the_preparation_per_sphere_and_the_agenda_in_order(cast, consult, prepared, noor):
    services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Bloeddruk", domain="zz")
    response = noor.get(url("detail", cast.anna.pk, consult.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mijn activiteiten" in body and "Ik fiets niet meer" in body and "Weer naar mijn werk fietsen" in body
    assert "Activiteiten die mij niet goed lukken zijn…" in body and "Boodschappen doen" in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body and "<script>alert" not in body
    assert body.index("Fietsen") < body.index("Bloeddruk")
    assert "ZZ · Ziekte en zorg" in body and "GG · Gezondheid en gedrag" in body
    assert log_rows(user=cast.noor, action="R", object_type="consults.Consult", object_id=str(consult.pk)) == 1


def test_a_draft_preparation_is_not_shown_to_the_professional(cast, consult, noor):
    draft = services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)
    services.preparation_save_step(
        actor=cast.anna_user, preparation=draft, step="health", values={"current_situation": "Nog geheim"}
    )
    body = noor.get(url("detail", cast.anna.pk, consult.pk)).content.decode()
    assert "nog niet verstuurd" in body and "Nog geheim" not in body


def test_detail_query_count_does_not_grow_with_the_agenda(cast, consult, prepared, noor, django_assert_num_queries):
    with CaptureQueriesContext(connection) as few:
        assert noor.get(url("detail", cast.anna.pk, consult.pk)).status_code == 200
    for n in range(12):
        services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title=f"Punt {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert noor.get(url("detail", cast.anna.pk, consult.pk)).status_code == 200


def test_detail_for_strangers_is_not_found_and_logged(cast, consult, login):
    for user in (cast.sam, cast.pieter, cast.rob, cast.anna_user, cast.mia):
        assert login(user).get(url("detail", cast.anna.pk, consult.pk)).status_code == 404
        assert log_rows(user=user, outcome="refused") == 1


def test_mark_held_and_record_the_summary(cast, consult, noor):
    response = noor.post(url("summary", cast.anna.pk, consult.pk), {"summary": "<b>Goed gesprek</b>"})
    assert response.status_code == 302
    begin(consult)
    assert noor.post(url("status", cast.anna.pk, consult.pk), {"status": "held"}).status_code == 302
    consult.refresh_from_db()
    assert (consult.status, consult.summary) == ("held", "<b>Goed gesprek</b>")
    body = noor.get(url("detail", cast.anna.pk, consult.pk)).content.decode()
    assert "&lt;b&gt;Goed gesprek&lt;/b&gt;" in body and "Markeer als gehouden" not in body
    response = noor.post(
        url("status", cast.anna.pk, consult.pk), {"status": "cancelled", "bevestigd": "ja"}, follow=True
    )
    assert "Alleen een gepland consult" in response.content.decode()
    assert Consult.objects.get(pk=consult.pk).status == "held"


def test_bad_status_and_too_long_summary_save_nothing(cast, consult, noor):
    response = noor.post(url("status", cast.anna.pk, consult.pk), {"status": "lost"}, follow=True)
    assert "Kies ‘gehouden’ of ‘afgezegd’." in response.content.decode()
    response = noor.post(url("summary", cast.anna.pk, consult.pk), {"summary": "x" * 10001})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    consult.refresh_from_db()
    assert (consult.status, consult.summary) == ("planned", "")
    response = noor.post(url("status", cast.anna.pk, consult.pk), {"status": "planned"}, follow=True)
    assert "al gepland" in response.content.decode()


# --- the agenda -----------------------------------------------------------------------------


def test_item_add_plain_post_and_htmx(cast, consult, noor):
    response = noor.post(url("item_add", cast.anna.pk, consult.pk), {"new-title": "Bloeddruk", "new-domain": "zz"})
    item = AgendaItem.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#h-item-{item.pk}")
    response = noor.post(
        url("item_add", cast.anna.pk, consult.pk),
        {"new-title": "<script>x</script>Slaap", "new-domain": "gg"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="agenda"' in body
    assert "&lt;script&gt;x&lt;/script&gt;Slaap" in body and "<script>x" not in body
    assert list(AgendaItem.objects.values_list("title", "source", "priority")) == [
        ("Bloeddruk", "professional", 1),
        ("<script>x</script>Slaap", "professional", 2),
    ]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"new-title": "", "new-domain": "gg"},
        {"new-title": "x" * 201, "new-domain": "gg"},
        {"new-title": "Ok", "new-domain": "ab"},
    ],
)
def test_item_add_bad_input_saves_nothing(cast, consult, noor, data):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = noor.post(url("item_add", cast.anna.pk, consult.pk), data, **headers)
        assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not AgendaItem.objects.exists()


@pytest.fixture
def items(cast, consult):
    return [
        services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title=t, domain=d)
        for t, d in (("Een", "zz"), ("Twee", "gg"), ("Drie", "gg"))
    ]


def order(consult):
    return list(AgendaItem.objects.filter(consult=consult).values_list("title", flat=True))


def test_item_move_up_and_down(cast, consult, items, noor):
    response = noor.post(url("item_move", cast.anna.pk, consult.pk, items[2].pk), {"direction": "up"})
    assert response.status_code == 302
    assert order(consult) == ["Een", "Drie", "Twee"]
    response = noor.post(
        url("item_move", cast.anna.pk, consult.pk, items[0].pk), {"direction": "down"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert order(consult) == ["Drie", "Een", "Twee"]
    response = noor.post(url("item_move", cast.anna.pk, consult.pk, items[0].pk), {"direction": "left"})
    assert response.status_code == 200 and "Kies omhoog of omlaag." in response.content.decode()
    assert order(consult) == ["Drie", "Een", "Twee"]
    assert noor.get(url("item_move", cast.anna.pk, consult.pk, items[0].pk)).status_code == 405


def test_item_update_inline_and_as_a_page(cast, consult, items, noor):
    item = items[0]
    assert noor.get(url("item_update", cast.anna.pk, consult.pk, item.pk)).status_code == 200
    prefix = f"item-{item.pk}-"
    response = noor.post(
        url("item_update", cast.anna.pk, consult.pk, item.pk),
        {prefix + "status": "discussed", prefix + "discussion_notes": "<i>Metformine blijft</i>"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "&lt;i&gt;Metformine blijft&lt;/i&gt;" in body
    item.refresh_from_db()
    assert (item.status, item.discussion_notes) == ("discussed", "<i>Metformine blijft</i>")
    response = noor.post(
        url("item_update", cast.anna.pk, consult.pk, items[1].pk), {f"item-{items[1].pk}-status": "deferred"}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(pk=items[1].pk).status == "deferred"


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_item_update_bad_input_saves_nothing(cast, consult, items, noor, headers):
    item = items[0]
    prefix = f"item-{item.pk}-"
    for data in (
        {},
        {prefix + "status": "lost"},
        {prefix + "status": "discussed", prefix + "discussion_notes": "x" * 10001},
    ):
        response = noor.post(url("item_update", cast.anna.pk, consult.pk, item.pk), data, **headers)
        assert response.status_code == 200 and "error-summary" in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.discussion_notes) == ("open", "")


def test_item_remove(cast, consult, items, noor):
    response = noor.post(url("item_remove", cast.anna.pk, consult.pk, items[1].pk))
    assert response.status_code == 302
    assert list(AgendaItem.objects.values_list("title", "priority")) == [("Een", 1), ("Drie", 2)]
    assert log_rows(user=cast.noor, action="D", object_type="consults.AgendaItem") == 1


def test_items_of_another_person_or_consult_are_not_found(cast, consult, items, bas_consult, noor):
    bas_item = services.agenda_item_add(actor=cast.noor, person=cast.bas, consult=bas_consult, title="Van Bas")
    other = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(9), professional=cast.noor)
    for item_id, consult_id in ((bas_item.pk, consult.pk), (bas_item.pk, bas_consult.pk), (items[0].pk, other.pk)):
        for name in ("item_move", "item_update", "item_remove"):
            response = noor.post(url(name, cast.anna.pk, consult_id, item_id), {"direction": "up"})
            assert response.status_code == 404, (name, item_id, consult_id)
    assert AgendaItem.objects.get(pk=bas_item.pk).status == "open"
    assert AgendaItem.objects.count() == 4
    assert log_rows(user=cast.noor, outcome="refused") == 9


def test_strangers_cannot_post_to_the_agenda(cast, consult, items, login):
    client = login(cast.sam)
    assert (
        client.post(url("item_add", cast.anna.pk, consult.pk), {"new-title": "x", "new-domain": "gg"}).status_code
        == 404
    )
    assert client.post(url("item_remove", cast.anna.pk, consult.pk, items[0].pk)).status_code == 404
    assert AgendaItem.objects.count() == 3
    assert log_rows(user=cast.sam, outcome="refused") == 2


def test_deferred_items_are_offered_on_the_next_consult_and_carried_with_htmx(cast, consult, items, noor):
    services.agenda_item_update(actor=cast.noor, item=items[1], status="deferred")
    services.consult_set_status(actor=cast.noor, consult=begin(consult), status="held")
    later = services.consult_plan(actor=cast.noor, person=cast.anna, scheduled_at=soon(30), professional=cast.noor)
    body = noor.get(url("detail", cast.anna.pk, later.pk)).content.decode()
    assert "Uitgesteld bij een eerder consult" in body and "Twee" in body
    assert noor.get(url("item_carry", cast.anna.pk, later.pk, items[1].pk)).status_code == 405
    response = noor.post(url("item_carry", cast.anna.pk, later.pk, items[1].pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Uitgesteld bij een eerder consult" not in response.content.decode()
    assert list(AgendaItem.objects.filter(consult=later).values_list("title", flat=True)) == ["Twee"]
    response = noor.post(url("item_carry", cast.anna.pk, later.pk, items[1].pk))
    assert response.status_code == 200 and "al op een latere agenda" in response.content.decode()
    assert AgendaItem.objects.filter(consult=later).count() == 1


def test_carrying_another_persons_item_is_not_found(cast, consult, bas_consult, noor):
    bas_item = services.agenda_item_add(actor=cast.noor, person=cast.bas, consult=bas_consult, title="Van Bas")
    services.agenda_item_update(actor=cast.noor, item=bas_item, status="deferred")
    assert noor.post(url("item_carry", cast.anna.pk, consult.pk, bas_item.pk)).status_code == 404
    assert not AgendaItem.objects.filter(person=cast.anna).exists()
    assert log_rows(user=cast.noor, outcome="refused", object_id=str(bas_item.pk)) == 1


def test_an_empty_post_to_plan_or_edit_a_consult_shows_errors_and_saves_nothing(cast, noor):
    """An empty form sent is a bad form, not a fresh one: the page says what is missing."""
    before = Consult.objects.count()
    response = noor.post(url("create", cast.anna.pk), {})
    assert response.status_code == 200
    assert response.context["form"].errors and "scheduled_at" in response.context["form"].errors
    assert Consult.objects.count() == before
    consult = services.consult_plan(
        actor=cast.noor,
        person=cast.anna,
        scheduled_at=soon(days=2),
        kind="phone",
        planned_minutes=20,
        professional=cast.noor,
    )
    response = noor.post(url("edit", cast.anna.pk, consult.pk), {})
    assert response.status_code == 200 and response.context["form"].errors
    consult.refresh_from_db()
    assert consult.kind == "phone" and consult.planned_minutes == 20
