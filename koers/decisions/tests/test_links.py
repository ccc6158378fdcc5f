"""Loops that close: from an agenda item a shared decision starts (with the item's topic, and
it points back to the item); goals and decisions on the person overview are links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.consults import services as consult_services
from koers.decisions import services
from koers.decisions.models import SharedDecision
from koers.goals import services as goal_services

from .conftest import XSS, new_decision

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def noor(cast):
    return _client(cast.noor)


def _item(cast, person=None, title="Slecht slapen"):
    person = person or cast.anna
    consult = consult_services.consult_plan(
        actor=cast.noor,
        person=person,
        professional=cast.noor,
        scheduled_at=timezone.now() + dt.timedelta(days=3),
        planned_minutes=20,
    )
    item = consult_services.agenda_item_add(actor=cast.noor, person=person, consult=consult, title=title)
    return consult, item


def create_url(person, item=None):
    url = reverse("decisions:create", kwargs={"person_id": person.pk})
    return f"{url}?agendapunt={item.pk}" if item is not None else url


def test_the_agenda_offers_to_start_a_shared_decision_from_an_item(cast, noor):
    consult, item = _item(cast)
    page = noor.get(reverse("consults:detail", kwargs={"person_id": cast.anna.pk, "consult_id": consult.pk}))
    assert f'href="{create_url(cast.anna, item)}"' in page.content.decode()


def test_starting_from_an_agenda_item_prefills_the_topic_and_links_back(cast, noor):
    consult, item = _item(cast, title=f"Slecht slapen {XSS}")
    page = noor.get(create_url(cast.anna, item)).content.decode()
    assert "Slecht slapen &lt;script&gt;" in page and XSS not in page
    assert f'name="agenda_item" value="{item.pk}"' in page
    response = noor.post(
        create_url(cast.anna), {"question": "Slaapmiddel of slaaptraining?", "agenda_item": item.pk, "consult": ""}
    )
    assert response.status_code == 302
    decision = SharedDecision.objects.get()
    assert decision.agenda_item == item and decision.consult == consult  # the item's consult
    detail = noor.get(
        reverse("decisions:detail", kwargs={"person_id": cast.anna.pk, "decision_id": decision.pk})
    ).content.decode()
    item_url = reverse("consults:detail", kwargs={"person_id": cast.anna.pk, "consult_id": consult.pk})
    assert f'href="{item_url}#item-{item.pk}"' in detail


def test_another_persons_agenda_item_answers_404_and_saves_nothing(cast, noor):
    _consult, bas_item = _item(cast, person=cast.bas)
    assert noor.get(create_url(cast.anna, bas_item)).status_code == 404
    response = noor.post(create_url(cast.anna), {"question": "Vraag?", "agenda_item": bas_item.pk})
    assert response.status_code == 404
    assert not SharedDecision.objects.exists()
    assert AccessLogEntry.objects.filter(user=cast.noor, outcome="refused").exists()


def test_a_bad_agenda_item_id_is_a_clear_message(cast, noor):
    response = noor.post(create_url(cast.anna), {"question": "Vraag?", "agenda_item": "abc"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not SharedDecision.objects.exists()


def test_the_service_refuses_an_agenda_item_of_someone_else(cast):
    _consult, bas_item = _item(cast, person=cast.bas)
    with pytest.raises(ValidationError):
        services.decision_create(actor=cast.noor, person=cast.anna, question="Vraag?", agenda_item=bas_item)
    assert not SharedDecision.objects.exists()


def test_goals_and_decisions_on_the_person_overview_are_links(cast, noor):
    decision = new_decision(cast)
    goal = goal_services.goal_create(
        actor=cast.noor, person=cast.anna, description="Weer wandelen", life_domain="health", lifecycle_status="active"
    )
    page = noor.get(reverse("workspace:person", kwargs={"person_id": cast.anna.pk})).content.decode()
    goal_url = reverse("goals:detail", kwargs={"person_id": cast.anna.pk, "goal_id": goal.pk})
    decision_url = reverse("decisions:detail", kwargs={"person_id": cast.anna.pk, "decision_id": decision.pk})
    assert f'href="{goal_url}"' in page
    assert f'href="{decision_url}"' in page
