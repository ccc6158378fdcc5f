"""The person's portal: prepare the next consult step by step, and its agenda."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from koers.consults import services
from koers.consults.models import AgendaItem, Preparation, SphereAnswer
from koers.consults.tests.conftest import log_rows

pytestmark = pytest.mark.django_db

PREPARE = reverse("consults:portal_prepare")
STEP = reverse("consults:portal_prepare_step")
SUBMIT = reverse("consults:portal_prepare_submit")
AGENDA = reverse("consults:portal_agenda")


def step_url(slug: str) -> str:
    return f"{STEP}?stap={slug}"


@pytest.fixture
def anna(cast, login):
    return login(cast.anna_user)


@pytest.fixture
def draft(cast, consult):
    return services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)


def test_prepare_page_explains_and_shows_the_next_consult(cast, consult, anna):
    response = anna.get(PREPARE)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Uw volgende gesprek" in body and "30 minuten" in body and "Noor Bakker" in body
    assert "Begin met voorbereiden" in body and "7 stappen" in body
    assert log_rows(user=cast.anna_user, person=cast.anna, action="R", object_type="consults.Preparation") == 1


def test_starting_makes_one_draft_and_goes_to_step_one(cast, consult, anna):
    response = anna.post(PREPARE)
    assert response.status_code == 302 and response["Location"] == step_url("hoe-gaat-het")
    anna.post(PREPARE)
    drafts = Preparation.objects.filter(person=cast.anna, status="draft")
    assert drafts.count() == 1 and drafts.get().consult == consult
    assert "Verder met voorbereiden" in anna.get(PREPARE).content.decode()


def test_a_step_without_a_draft_sends_the_person_to_the_start(cast, anna):
    response = anna.get(STEP)
    assert response.status_code == 302 and response["Location"] == PREPARE


def test_every_step_shows_its_place_in_the_flow(draft, anna):
    for number, slug in enumerate(
        ["hoe-gaat-het", "gezondheid", "eigen-manier", "activiteiten", "omgeving", "onderwerpen", "overzicht"], start=1
    ):
        body = anna.get(step_url(slug)).content.decode()
        assert f"Stap {number} van 7" in body, slug
        assert f'value="{number}"' in body
    body = anna.get(step_url("eigen-manier")).content.decode()
    assert "Mijn eigen manier" in body and "Ik wens ondersteuning bij…" in body
    assert "Zo gaat het nu" in body and "Zo zou ik het willen" in body
    assert "Terug naar: Mijn gezondheid" in body


def test_the_first_step_is_the_default_and_an_unknown_step_is_not_found(draft, anna):
    assert "Stap 1 van 7" in anna.get(STEP).content.decode()
    assert anna.get(step_url("werk")).status_code == 404


def test_how_are_you_saves_and_moves_on(draft, anna):
    response = anna.post(
        step_url("hoe-gaat-het"), {"how_are_you": "6", "most_important": "Mijn slaap", "actie": "verder"}
    )
    assert response.status_code == 302 and response["Location"] == step_url("gezondheid")
    draft.refresh_from_db()
    assert (draft.how_are_you, draft.most_important) == (6, "Mijn slaap")
    body = anna.get(step_url("hoe-gaat-het")).content.decode()
    assert re.search(r'<input type="radio" name="how_are_you" value="6"[^>]*checked', body)


@pytest.mark.parametrize("bad", ["abc", "11", "-1", "5.5"])
def test_how_are_you_bad_input_is_explained_and_nothing_is_saved(draft, anna, bad):
    response = anna.post(step_url("hoe-gaat-het"), {"how_are_you": bad, "most_important": "Iets", "actie": "verder"})
    assert response.status_code == 200
    assert "Kies een cijfer van 0 tot en met 10." in response.content.decode()
    draft.refresh_from_db()
    assert draft.how_are_you is None and draft.most_important == ""


def test_too_long_text_is_refused(draft, anna):
    response = anna.post(step_url("hoe-gaat-het"), {"most_important": "x" * 4001})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    draft.refresh_from_db()
    assert draft.most_important == ""


def test_save_and_continue_later(draft, anna):
    response = anna.post(step_url("gezondheid"), {"current_situation": "Moe", "actie": "later"}, follow=True)
    assert response.redirect_chain[-1][0] == PREPARE
    assert "U kunt later verder gaan" in response.content.decode()
    assert SphereAnswer.objects.get(preparation=draft).current_situation == "Moe"


def test_a_sphere_step_stores_prompts_and_shows_what_was_written_escaped(draft, anna):
    response = anna.post(
        step_url("gezondheid"),
        {
            "current_situation": "<script>alert(1)</script> moe",
            "desired_situation": "Uitgerust",
            "prompt_bothered_by": "'s nachts",
            "prompt_like_to_do": "hoort bij een andere bol",
            "prompt_nonsense": "x",
            "actie": "verder",
        },
    )
    assert response["Location"] == step_url("eigen-manier")
    answer = SphereAnswer.objects.get(preparation=draft, sphere="health")
    assert answer.prompt_answers == {"bothered_by": "'s nachts"}
    body = anna.get(step_url("gezondheid")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; moe" in body and "<script>alert(1)" not in body
    review = anna.get(step_url("overzicht")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; moe" in review and "<script>alert(1)" not in review


def test_a_too_long_prompt_answer_saves_nothing(draft, anna):
    response = anna.post(step_url("omgeving"), {"current_situation": "Ok", "prompt_would_like_changed": "x" * 2001})
    assert response.status_code == 200
    assert not SphereAnswer.objects.exists()


def test_topics_can_be_added_and_removed(draft, anna):
    response = anna.post(step_url("onderwerpen"), {"title": "Slapen", "domain": "gg", "actie": "toevoegen"})
    assert response["Location"] == step_url("onderwerpen")
    anna.post(
        step_url("onderwerpen"), {"title": "Pillen", "detail": "Bijwerkingen", "domain": "zz", "actie": "toevoegen"}
    )
    draft.refresh_from_db()
    assert [t["title"] for t in draft.own_topics] == ["Slapen", "Pillen"]
    anna.post(step_url("onderwerpen"), {"verwijder": "0"})
    draft.refresh_from_db()
    assert [t["title"] for t in draft.own_topics] == ["Pillen"]
    for bad in ("9", "-1", "abc"):
        assert anna.post(step_url("onderwerpen"), {"verwijder": bad}).status_code == 404
    draft.refresh_from_db()
    assert [t["title"] for t in draft.own_topics] == ["Pillen"]


def test_adding_an_empty_or_bad_topic_explains_and_saves_nothing(draft, anna):
    for data in (
        {"title": "", "domain": "gg", "actie": "toevoegen"},
        {"title": "x" * 201, "domain": "gg", "actie": "toevoegen"},
        {"title": "Ok", "domain": "xx", "actie": "toevoegen"},
    ):
        response = anna.post(step_url("onderwerpen"), data)
        assert response.status_code == 200 and "error-summary" in response.content.decode()
    draft.refresh_from_db()
    assert draft.own_topics == []
    # Going on without a title simply goes on.
    response = anna.post(step_url("onderwerpen"), {"title": "", "domain": "gg", "actie": "verder"})
    assert response["Location"] == step_url("overzicht")


def test_the_topic_title_is_not_marked_optional_but_going_on_without_one_is_fine(draft, anna):
    body = anna.get(step_url("onderwerpen")).content.decode()
    assert 'for="id_title">Onderwerp</label>' in body
    response = anna.post(step_url("onderwerpen"), {"title": "  ", "actie": "later"})
    assert response["Location"] == PREPARE


def test_topics_with_htmx_return_only_the_list(draft, anna):
    response = anna.post(
        step_url("onderwerpen"), {"title": "<b>Werk</b>", "domain": "gg", "actie": "toevoegen"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="topics"' in body
    assert "&lt;b&gt;Werk&lt;/b&gt;" in body


def test_submitting_an_empty_preparation_explains_why_not(draft, anna):
    response = anna.post(SUBMIT)
    assert response.status_code == 200
    assert "minstens één vraag" in response.content.decode()
    assert Preparation.objects.get(pk=draft.pk).status == "draft"


def test_submit_is_post_only(draft, anna):
    assert anna.get(SUBMIT).status_code == 405


def test_the_whole_flow_from_start_to_the_consult_agenda(cast, consult, anna, login):
    services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="HbA1c-uitslag", domain="zz")
    assert anna.post(PREPARE)["Location"] == step_url("hoe-gaat-het")
    location = anna.post(step_url("hoe-gaat-het"), {"how_are_you": "4", "most_important": "Moe"})["Location"]
    sphere_data = {
        "gezondheid": {
            "current_situation": "Slaap slecht",
            "desired_situation": "Uitgerust",
            "prompt_bothered_by": "’s nachts",
        },
        "eigen-manier": {"prompt_find_important": "Zelf beslissen"},
        "activiteiten": {"prompt_like_to_do": "Fietsen"},
        "omgeving": {"prompt_would_like_changed": "Mijn buren"},
    }
    for slug, data in sphere_data.items():
        assert location == step_url(slug)
        location = anna.post(location, {**data, "actie": "verder"})["Location"]
    assert location == step_url("onderwerpen")
    anna.post(location, {"title": "Slecht slapen", "domain": "gg", "actie": "toevoegen"})
    location = anna.post(location, {"title": "Medicijnen", "domain": "zz", "actie": "verder"})["Location"]
    assert location == step_url("overzicht")
    review = anna.get(location).content.decode()
    assert "Slaap slecht" in review and "Fietsen" in review and "Medicijnen" in review and "4 van de 10" in review
    response = anna.post(SUBMIT, follow=True)
    assert response.redirect_chain[-1][0] == AGENDA
    body = response.content.decode()
    assert "Uw voorbereiding is verstuurd" in body and "Slecht slapen" in body and "HbA1c-uitslag" in body

    preparation = Preparation.objects.get(person=cast.anna)
    assert preparation.status == "submitted" and preparation.consult == consult
    items = list(AgendaItem.objects.filter(consult=consult))
    assert [(i.title, i.source, i.priority) for i in items] == [
        ("HbA1c-uitslag", "professional", 1),
        ("Slecht slapen", "person", 2),
        ("Medicijnen", "person", 3),
    ]
    assert SphereAnswer.objects.filter(preparation=preparation).count() == 4

    detail = login(cast.noor).get(reverse("consults:detail", args=[cast.anna.pk, consult.pk])).content.decode()
    assert "Slaap slecht" in detail and "Uitgerust" in detail and "Zelf beslissen" in detail
    assert "Slecht slapen" in detail and "Medicijnen" in detail


# --- the portal agenda ----------------------------------------------------------------------


def test_portal_agenda_shows_everything_on_my_next_consult(cast, consult, anna):
    services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="<script>x</script>Bloeddruk")
    response = anna.get(AGENDA)
    body = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;x&lt;/script&gt;Bloeddruk" in body and "<script>x</script>" not in body
    assert "van uw zorgverlener" in body and "van de cliënt" not in body
    assert log_rows(user=cast.anna_user, person=cast.anna, action="R", object_type="consults.AgendaItem") == 1


def test_portal_agenda_add_my_own_item(cast, consult, anna):
    response = anna.post(AGENDA, {"title": "Werk", "detail": "Te druk", "domain": "gg"})
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.consult, item.source, item.created_by) == (consult, "person", cast.anna_user)


@pytest.mark.parametrize(
    "data", [{}, {"title": "", "domain": "gg"}, {"title": "x" * 201, "domain": "gg"}, {"title": "Ok", "domain": "qq"}]
)
def test_portal_agenda_bad_input_saves_nothing(consult, anna, data):
    response = anna.post(AGENDA, data)
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_portal_agenda_with_htmx_returns_the_partial(consult, anna):
    response = anna.post(AGENDA, {"title": "Werk", "domain": "gg"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "Werk" in body


def test_portal_agenda_without_a_consult_keeps_items_for_the_next_one(cast, anna):
    assert "nog geen gesprek gepland" in anna.get(AGENDA).content.decode()
    anna.post(AGENDA, {"title": "Werk", "domain": "gg"})
    assert AgendaItem.objects.get().consult is None


def test_i_remove_my_own_item_but_not_the_professionals(cast, consult, anna):
    mine = services.agenda_item_add(actor=cast.anna_user, person=cast.anna, consult=consult, title="Werk")
    theirs = services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Bloeddruk")
    response = anna.post(reverse("consults:portal_item_remove", args=[theirs.pk]), follow=True)
    assert "U kunt alleen uw eigen onderwerpen verwijderen." in response.content.decode()
    assert AgendaItem.objects.filter(pk=theirs.pk).exists()
    response = anna.post(reverse("consults:portal_item_remove", args=[theirs.pk]), HTTP_HX_REQUEST="true")
    assert "U kunt alleen uw eigen onderwerpen verwijderen." in response.content.decode()
    anna.post(reverse("consults:portal_item_remove", args=[mine.pk]))
    assert not AgendaItem.objects.filter(pk=mine.pk).exists()
    assert log_rows(user=cast.anna_user, action="D", object_id=str(mine.pk)) == 1


def test_another_persons_item_is_not_found_and_logged(cast, bas_consult, anna):
    bas_item = services.agenda_item_add(actor=cast.bas_user, person=cast.bas, consult=bas_consult, title="Van Bas")
    response = anna.post(reverse("consults:portal_item_remove", args=[bas_item.pk]))
    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=bas_item.pk).exists()
    assert log_rows(user=cast.anna_user, outcome="refused", object_id=str(bas_item.pk)) == 1


def test_professionals_and_relatives_do_not_see_the_portal(cast, consult, login):
    for user in (cast.noor, cast.rob):
        client = login(user)
        for url in (PREPARE, STEP, AGENDA):
            assert client.get(url).status_code == 404
        assert log_rows(user=user, outcome="refused") >= 3


def test_portal_agenda_query_count_does_not_grow_with_the_items(cast, consult, anna, django_assert_num_queries):
    services.agenda_item_add(actor=cast.anna_user, person=cast.anna, consult=consult, title="Eerste")
    with CaptureQueriesContext(connection) as few:
        assert anna.get(AGENDA).status_code == 200
    for n in range(10):
        services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title=f"Punt {n}", domain="zz")
    with django_assert_num_queries(len(few.captured_queries)):
        assert anna.get(AGENDA).status_code == 200


def test_the_portal_speaks_english_too(cast, draft, anna):
    # LocaleMiddleware leaves the request's language active in this thread; the override
    # restores the one before, so later tests still see Dutch.
    with translation.override(translation.get_language()):
        body = anna.get(PREPARE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Prepare your consult" in body and "Continue preparing" in body
        body = anna.get(step_url("omgeving"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Step 5 of 7" in body and "My environment" in body and "It would be nice if … changed." in body


def test_the_error_summary_links_to_the_radio_group(draft, anna):
    body = anna.post(step_url("hoe-gaat-het"), {"how_are_you": "11"}).content.decode()
    assert 'href="#id_how_are_you_0"' in body and 'id="id_how_are_you_0"' in body
