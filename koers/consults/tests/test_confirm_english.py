"""The confirmation pages and the agenda's undo and status texts are translated."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.consults import agenda, services
from koers.network.models import CareTeamMember
from tests.test_i18n import VisibleText, dutch_words, english

pytestmark = pytest.mark.django_db


def test_confirmation_pages_and_undo_in_english(cast, consult, login):
    item = services.agenda_item_add(actor=cast.noor, person=cast.anna, consult=consult, title="Bloeddruk")
    agenda.agenda_item_remove(actor=cast.noor, item=item)
    client = english(login(cast.noor))
    gert = CareTeamMember.objects.get(person=cast.anna, professional=cast.gert)
    pages = {
        "Cancel this consult?": client.get(reverse("consults:status", args=[cast.anna.pk, consult.pk])),
        "no longer involved?": client.post(
            reverse("network:care_team", args=[cast.anna.pk]), {"do": "end", "membership": gert.pk}
        ),
        "has been taken off the agenda": client.get(reverse("consults:detail", args=[cast.anna.pk, consult.pk])),
    }
    for expected, response in pages.items():
        html = response.content.decode()
        assert expected in VisibleText(html).text
        data = ("Nederlands", "Anna de Boer", "Bloeddruk", "Gert de Vries", "Noor Bakker")
        assert dutch_words(html, data=data) == [], expected
