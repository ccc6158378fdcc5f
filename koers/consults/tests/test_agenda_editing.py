"""Agenda editing never loses what was typed, removing can be undone, and every htmx change
announces its status and says where focus goes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.consults import services
from koers.consults.models import AgendaItem
from koers.consults.tests.conftest import log_rows

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def items(cast, consult):
    return [
        services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title=title)
        for title in ("Bloeddruk", "Slapen")
    ]


def url(name, *args):
    return reverse(f"consults:{name}", args=args)


def typed(items, first="Metformine blijft", second="Slaapdagboek bijhouden"):
    return {
        f"item-{items[0].pk}-status": "discussed",
        f"item-{items[0].pk}-discussion_notes": first,
        f"item-{items[1].pk}-status": "open",
        f"item-{items[1].pk}-discussion_notes": second,
    }


def notes(item):
    return AgendaItem.objects.get(pk=item.pk).discussion_notes


def test_saving_one_item_keeps_what_was_typed_in_the_other(cast, consult, items, login):
    noor = login(cast.noor)
    page = noor.get(url("detail", cast.anna.pk, consult.pk)).content.decode()
    assert page.count('id="agenda-form"') == 1 and "bewaart eerst alles wat u hier hebt getypt" in page
    data = {**typed(items), "opslaan": str(items[0].pk)}
    response = noor.post(url("agenda_save", cast.anna.pk, consult.pk), data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert (notes(items[0]), notes(items[1])) == ("Metformine blijft", "Slaapdagboek bijhouden")
    assert "Slaapdagboek bijhouden" in body  # still on the page
    assert 'hx-swap-oob="innerHTML"' in body and "Opgeslagen." in body  # announced in #messages
    assert f'id="h-item-{items[0].pk}" tabindex="-1" autofocus' in body  # focus on the item saved


def test_saving_without_javascript_saves_all_and_returns_to_the_item(cast, consult, items, login):
    noor = login(cast.noor)
    data = {**typed(items), "opslaan": str(items[1].pk)}
    response = noor.post(url("agenda_save", cast.anna.pk, consult.pk), data)
    assert response.status_code == 302 and response["Location"].endswith(f"#h-item-{items[1].pk}")
    assert (notes(items[0]), notes(items[1])) == ("Metformine blijft", "Slaapdagboek bijhouden")


def test_a_bad_value_saves_nothing_and_keeps_everything_typed(cast, consult, items, login):
    noor = login(cast.noor)
    data = typed(items, second="x" * 10001)
    response = noor.post(url("agenda_save", cast.anna.pk, consult.pk), data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "error-summary" in body and "Metformine blijft" in body
    assert (notes(items[0]), notes(items[1])) == ("", "")


def test_moving_an_item_saves_what_was_typed_first(cast, consult, items, login):
    noor = login(cast.noor)
    data = {**typed(items), "direction": "up"}
    response = noor.post(url("item_move", cast.anna.pk, consult.pk, items[1].pk), data, **HTMX)
    assert response.status_code == 200
    assert [i.title for i in AgendaItem.objects.filter(consult=consult)] == ["Slapen", "Bloeddruk"]
    assert (notes(items[0]), notes(items[1])) == ("Metformine blijft", "Slaapdagboek bijhouden")
    assert f'id="h-item-{items[1].pk}" tabindex="-1" autofocus' in response.content.decode()


def test_remove_then_undo_with_htmx(cast, consult, items, login):
    noor = login(cast.noor)
    response = noor.post(url("item_remove", cast.anna.pk, consult.pk, items[0].pk), **HTMX)
    body = response.content.decode()
    assert "‘Bloeddruk’ is van de agenda gehaald. U kunt dit nog 15 minuten ongedaan maken." in body
    assert f'id="undo-{items[0].pk}"' in body and "autofocus" in body.split(f'id="undo-{items[0].pk}"')[1][:300]
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Slapen"]
    response = noor.post(url("item_restore", cast.anna.pk, consult.pk, items[0].pk), **HTMX)
    body = response.content.decode()
    assert "‘Bloeddruk’ staat weer op de agenda." in body
    assert f'id="h-item-{items[0].pk}" tabindex="-1" autofocus' in body
    assert list(AgendaItem.objects.values_list("title", flat=True)) == ["Bloeddruk", "Slapen"]
    assert log_rows(user=cast.noor, action="U", detail="restored", object_id=str(items[0].pk)) == 1


def test_undo_without_javascript_is_offered_on_the_page(cast, consult, items, login):
    noor = login(cast.noor)
    response = noor.post(url("item_remove", cast.anna.pk, consult.pk, items[0].pk), follow=True)
    body = response.content.decode()
    assert "ongedaan maken" in body and url("item_restore", cast.anna.pk, consult.pk, items[0].pk) in body
    noor.post(url("item_restore", cast.anna.pk, consult.pk, items[0].pk))
    assert AgendaItem.objects.filter(pk=items[0].pk).exists()


def test_undo_of_another_persons_item_is_not_found(cast, consult, bas_consult, login):
    from koers.consults import agenda

    bas_item = services.agenda_item_add(actor=cast.noor, person=cast.bas, consult=bas_consult, title="Van Bas")
    agenda.agenda_item_remove(actor=cast.noor, item=bas_item)
    noor = login(cast.noor)
    assert noor.post(url("item_restore", cast.anna.pk, consult.pk, bas_item.pk)).status_code == 404
    assert noor.post(url("item_restore", cast.anna.pk, bas_consult.pk, bas_item.pk)).status_code == 404
    assert login(cast.anna_user).post(url("portal_item_restore", bas_item.pk)).status_code == 404
    assert not AgendaItem.objects.filter(pk=bas_item.pk).exists()


def test_the_person_removes_and_undoes_on_the_portal(cast, consult, login):
    anna = login(cast.anna_user)
    anna.post(url("portal_agenda"), {"title": "Slapen", "domain": "gg"})
    item = AgendaItem.objects.get()
    response = anna.post(url("portal_item_remove", item.pk), **HTMX)
    body = response.content.decode()
    assert "‘Slapen’ is van de agenda gehaald." in body and 'hx-swap-oob="innerHTML"' in body
    assert url("portal_item_restore", item.pk) in body
    assert not AgendaItem.objects.exists()
    response = anna.post(url("portal_item_restore", item.pk), follow=True)
    assert "‘Slapen’ staat weer op de agenda." in response.content.decode()
    assert AgendaItem.objects.get().title == "Slapen"


def test_the_summary_and_a_topic_being_added_are_never_lost(cast, consult, items, login):
    noor = login(cast.noor)
    # The summary is saved by any button of the page, with the items.
    data = {**typed(items), "summary": "Goed gesprek", "opslaan": "samenvatting"}
    response = noor.post(url("agenda_save", cast.anna.pk, consult.pk), data, **HTMX)
    assert 'id="h-summary" tabindex="-1" autofocus' in response.content.decode()
    consult.refresh_from_db()
    assert consult.summary == "Goed gesprek" and notes(items[1]) == "Slaapdagboek bijhouden"
    # A topic half-typed in the add form stays when an item is moved, with or without htmx.
    for headers in (HTMX, {}):
        data = {**typed(items), "summary": "Goed gesprek", "direction": "down", "new-title": "Werk half getypt"}
        response = noor.post(url("item_move", cast.anna.pk, consult.pk, items[0].pk), data, **headers)
        assert response.status_code == 200 and 'value="Werk half getypt"' in response.content.decode()
    # A bad item keeps the typed summary on the page, and nothing is saved.
    data = {**typed(items, second="x" * 10001), "summary": "Nieuwe samenvatting"}
    response = noor.post(url("agenda_save", cast.anna.pk, consult.pk), data, **HTMX)
    assert "Nieuwe samenvatting" in response.content.decode()
    consult.refresh_from_db()
    assert consult.summary == "Goed gesprek"
