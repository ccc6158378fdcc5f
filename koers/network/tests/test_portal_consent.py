"""The person's page "Wie mag wat zien" (issue #12): a table of the network × topics, each cell a
switch changed in place (htmx) or by a plain form, with the history below and every change logged."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from koers import access
from koers.access import Topic
from koers.audit.models import AccessLogEntry
from koers.network.models import Consent, ConsentDecision

pytestmark = pytest.mark.django_db
URL = "/mijn/wie-mag-wat-zien/"


def _switch(html: str, member, topic) -> str:
    match = re.search(rf'<button[^>]*id="switch-{member.pk}-{topic}"[^>]*>', html)
    assert match, f"no switch for {member} / {topic}"
    return match.group(0)


def test_the_page_shows_the_network_and_what_each_member_may_see(cast, client):
    assert reverse("network:portal_consent") == URL
    client.force_login(cast.anna_user)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for member in (cast.noor, cast.gert, cast.rob):
        assert member.display_name() in html
    assert "Huisartsenpraktijk De Linde" in html  # the professionals' organisation
    assert 'aria-checked="true"' in _switch(html, cast.noor, Topic.CLINICAL)  # care team: what treatment needs
    assert 'aria-checked="false"' in _switch(html, cast.rob, Topic.CAREPLAN)  # relatives: nothing by default
    assert AccessLogEntry.objects.filter(
        user=cast.anna_user, person=cast.anna, action="R", object_type="network.Consent", outcome="success"
    ).exists()


def test_a_switch_changed_in_place_returns_the_cell_the_status_and_the_history(cast, client):
    client.force_login(cast.anna_user)
    data = {"member": cast.rob.pk, "topic": "careplan", "granted": "1"}
    response = client.post(URL, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-checked="true"' in _switch(html, cast.rob, Topic.CAREPLAN)  # same id: focus stays on it
    assert 'id="consent-status" hx-swap-oob="innerHTML"' in html
    assert "Rob de Boer mag nu zien: Zorgplan." in html
    assert 'id="consent-history" hx-swap-oob="innerHTML"' in html
    assert "door uzelf" in html
    assert access.can(cast.rob, cast.anna, access.Category.CAREPLAN)
    row = AccessLogEntry.objects.get(user=cast.anna_user, action="U", object_type="network.Consent")
    assert row.detail == f"member={cast.rob.pk} topic=careplan granted"
    # Switching back is the undo: the history keeps both.
    client.post(URL, {**data, "granted": "0"}, headers={"HX-Request": "true"})
    assert not access.can(cast.rob, cast.anna, access.Category.CAREPLAN)
    assert list(ConsentDecision.objects.order_by("pk").values_list("granted", flat=True)) == [True, False]


def test_without_javascript_the_form_redirects_back_with_a_message(cast, client):
    client.force_login(cast.anna_user)
    response = client.post(URL, {"member": cast.gert.pk, "topic": "goals", "granted": "0"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    html = response.content.decode()
    assert "Gert de Vries mag dit niet meer zien: Doelen en acties." in html
    assert 'aria-checked="false"' in _switch(html, cast.gert, Topic.GOALS)
    assert Consent.objects.get(member=cast.gert).granted is False


@pytest.mark.parametrize(
    "data",
    [
        {"member": "sam", "topic": "goals", "granted": "1"},  # not in the network
        {"member": "rob", "topic": "research", "granted": "1"},  # not a member topic
        {"member": "rob", "topic": "goals", "granted": "misschien"},
        {},
    ],
)
def test_anything_outside_the_network_answers_like_a_missing_record(cast, client, data):
    client.force_login(cast.anna_user)
    data = {k: getattr(cast, v).pk if k == "member" else v for k, v in data.items()}
    response = client.post(URL, data)
    assert response.status_code == 404
    assert not ConsentDecision.objects.exists()
    assert AccessLogEntry.objects.filter(user=cast.anna_user, outcome="refused").count() == 1


def test_the_english_page_is_translated(cast, client):
    client.force_login(cast.anna_user)
    html = client.get(URL, headers={"Accept-Language": "en"}).content.decode()
    assert "Who may see what" in html
    assert "Crisis plan" in html
