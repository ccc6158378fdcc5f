"""The person's word list, "Woordenlijst" (issue #17): every word has an entry with an anchor,
pages link their words to it, and it reads in English too. No one's data on it."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from koers.lib.glossary import WORDS

pytestmark = pytest.mark.django_db

EXPECTED = {"zorgplan", "rom", "signaleringsplan", "crisisplan", "gas", "samen-beslissen", "naaste", "regiebehandelaar"}


def test_the_word_list_explains_each_word_with_an_anchor_to_link_to(client):
    response = client.get(reverse("workspace:glossary"))
    assert response.status_code == 200
    html = response.content.decode()
    assert EXPECTED <= {w.key for w in WORDS}
    for word in WORDS:
        assert f'<dfn id="{word.anchor}"' in html
    assert "Routine Outcome Monitoring" in html and "Goal Attainment Scaling" in html


def test_the_word_list_in_english(client):
    html = client.get(reverse("workspace:glossary"), headers={"accept-language": "en"}).content.decode()
    assert "Word list" in html and "signalling plan" in html.lower()


def test_explain_links_to_the_entry_and_an_unknown_word_is_an_error():
    html = Template('{% load glossary_tags %}{% explain "zorgplan" %}').render(Context())
    assert 'href="/woordenlijst/#woord-zorgplan"' in html and "Wat betekent ‘zorgplan’?" in html
    with pytest.raises((KeyError, TemplateSyntaxError)):
        Template('{% load glossary_tags %}{% explain "zorgpaln" %}').render(Context())


def test_the_persons_pages_link_their_words_to_the_list(client, cast):
    client.force_login(cast.anna_user)
    pages = {
        "careplans:portal_plan": "woord-zorgplan",
        "questionnaires:portal_list": "woord-rom",
        "decisions:portal_list": "woord-samen-beslissen",
        "network:portal_network": "woord-naaste",
        "journey:portal_map": "woord-route",
    }
    for name, anchor in pages.items():
        html = client.get(reverse(name)).content.decode()
        assert f"/woordenlijst/#{anchor}" in html, name
