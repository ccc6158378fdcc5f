"""A professional in the network records consent together with the person (issue #12): the
workspace page ``/personen/<id>/wie-mag-wat-zien/`` shows the same members × topics table as the
person's "Wie mag wat zien", says that the decision is the person's, and marks each change in
the history as recorded by that professional with the person — in the person's own history too."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from koers import access
from koers.audit.models import AccessLogEntry
from koers.network.models import ConsentDecision

pytestmark = pytest.mark.django_db


def _url(person) -> str:
    return reverse("network:consent", args=[person.pk])


def test_the_page_says_the_person_decides_and_shows_the_same_table(cast, login):
    client = login(cast.noor)
    response = client.get(_url(cast.anna))
    assert response.status_code == 200
    html = response.content.decode()
    assert "U legt vast wat Anna de Boer samen met u besluit" in html
    switch = re.search(rf'<button[^>]*id="switch-{cast.rob.pk}-careplan"[^>]*>', html)
    assert switch and 'aria-checked="false"' in switch.group(0)
    assert f'action="{_url(cast.anna)}"' in html  # the switches post here, not to the portal
    assert reverse("network:portal_consent") not in html.split("<main", 1)[-1]
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, action="R", object_type="network.Consent", outcome="success"
    ).exists()
    # The network page leads to it.
    assert _url(cast.anna) in client.get(reverse("network:network", args=[cast.anna.pk])).content.decode()


def test_a_change_is_recorded_with_the_person_and_shown_in_both_histories(cast, login):
    client = login(cast.noor)
    data = {"member": cast.rob.pk, "topic": "goals", "granted": "1"}
    response = client.post(_url(cast.anna), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rob de Boer mag nu zien: Doelen en acties." in html
    assert "vastgelegd door Noor Bakker, samen met Anna de Boer" in html
    decision = ConsentDecision.objects.get()
    assert decision.decided_by == cast.noor and decision.recorded_with_person is True
    assert access.can(cast.rob, cast.anna, access.Category.GOALS)
    assert AccessLogEntry.objects.filter(
        user=cast.noor, action="U", object_type="network.Consent", outcome="success"
    ).exists()
    # Without htmx: back to the same page with the message.
    plain = client.post(_url(cast.anna), {**data, "granted": "0"})
    assert plain.status_code == 302 and plain.url == _url(cast.anna)
    # The person sees both entries in their own history, marked as recorded with them.
    anna = login(cast.anna_user)
    own = anna.get(reverse("network:portal_consent")).content.decode()
    assert own.count("vastgelegd door Noor Bakker, samen met u") == 2


def test_outside_the_network_the_page_answers_like_a_missing_one(cast, login):
    client = login(cast.sam)
    assert client.get(_url(cast.anna)).status_code == 404
    assert client.post(_url(cast.anna), {"member": cast.rob.pk, "topic": "goals", "granted": "1"}).status_code == 404
    assert not ConsentDecision.objects.exists()
    assert AccessLogEntry.objects.filter(user=cast.sam, person_id=cast.anna.pk, outcome="refused").exists()


def test_a_member_outside_this_persons_network_answers_like_a_missing_one(cast, login):
    client = login(cast.noor)
    answer = client.post(_url(cast.anna), {"member": cast.sam.pk, "topic": "goals", "granted": "1"})
    assert answer.status_code == 404
    assert not ConsentDecision.objects.exists()


def test_the_page_and_the_end_question_read_in_english(cast, login):
    from koers.network.models import RelativeLink
    from tests.test_i18n import english

    client = english(login(cast.noor))
    html = client.get(_url(cast.anna)).content.decode()
    assert "You record what Anna de Boer decides together with you." in html
    assert "Back to the network" in html
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    question = client.post(reverse("network:network", args=[cast.anna.pk]), {"do": "end_relative", "link": link.pk})
    body = question.content.decode()
    assert "Remove Rob de Boer from the network?" in body and "Reason (optional)" in body
    assert "Remove from the network" in client.get(reverse("network:network", args=[cast.anna.pk])).content.decode()
