"""The tabs on a professional's pages about one person lead only to pages the reader may open.

Seen when trying Koers as a peer expert of another organisation: the tabs offered "Crisisplan",
"Vragenlijsten" and "Metingen", and each answered "niet gevonden". A tab is shown exactly when its
page would open for this reader: the category its view's decorator names (``koers_access``), asked
of the access layer for this person.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.access.policy import Topic
from koers.accounts.models import User
from koers.network.models import CareTeamMember
from koers.network.services import consent_set
from tests.support.testing import make_full_record, make_user

TABS_NAV = re.compile(r'<nav aria-label="Onderdelen van het dossier">(.*?)</nav>', re.S)
TAB_NAMES = (
    "workspace:person",
    "people:profile",
    "network:care_team",
    "network:network",
    "consults:list",
    "meetings:list",
    "decisions:list",
    "goals:list",
    "socialmap:person",
    "questionnaires:list",
    "screening:overview",
    "monitoring:overview",
    "crisisplans:plan",
    "careplans:plan",
    "journey:person_map",
    "documents:list",
    "documents:person_search",
)


def _tabs(html: str) -> set[str]:
    nav = TABS_NAV.search(html)
    assert nav, "no person tabs on the page"
    return set(re.findall(r'href="([^"]+)"', nav.group(1)))


@pytest.fixture
def readers(cast):
    make_full_record(cast.anna, professional=cast.noor)
    social = make_user("sanne", organisation=cast.ggz, discipline=User.Discipline.SOCIAL_WORKER)
    peer = make_user("peter", organisation=cast.ggz, discipline=User.Discipline.PEER_EXPERT)
    for pro in (social, peer, cast.pieter):
        CareTeamMember.objects.create(
            person=cast.anna, professional=pro, organisation=cast.ggz, assigned_by=cast.noor, started_at=timezone.now()
        )
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.pieter, topic=Topic.CRISIS_PLAN, granted=False)
    return {"coordinator": cast.noor, "social worker": social, "peer expert": peer, "withdrawn crisis": cast.pieter}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "social worker", "peer expert", "withdrawn crisis"])
def test_every_tab_shown_opens_and_every_tab_hidden_would_not(client, cast, readers, who):
    client.force_login(readers[who])
    overview = client.get(reverse("workspace:person", args=[cast.anna.pk]))
    assert overview.status_code == 200
    shown = _tabs(overview.content.decode())
    every = {reverse(name, args=[cast.anna.pk]) for name in TAB_NAMES}
    assert shown <= every, shown - every
    for url in sorted(every):
        status = client.get(url).status_code
        assert (status == 200) == (url in shown), (who, url, status)
    if who in ("peer expert", "withdrawn crisis"):
        assert shown != every, f"{who} is shown every tab"
