"""The caseload's badges and its "needs attention" filter follow the access policy and consent.

Tried as Jeroen, a peer expert in the demo: Daan's row on his caseload had the badge "zelfmeting
buiten streefgebied", a link to Daan's self-monitoring, which answered 404 — a peer expert does not
see self-measurements. The badge itself told him what the page would not: a fact from Daan's
measurements. Likewise a person who withdrew a topic from a professional still had that topic's
badges on that professional's caseload. A badge is data of its category: shown only where the
reader may read that category of that person, and "needs attention" counts only such reasons.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.accounts.models import User
from koers.monitoring import services as monitoring
from koers.monitoring.entries import Entry
from koers.monitoring.models import Observation
from koers.network.models import CareTeamMember
from koers.network.services import consent_set
from koers.workspace import selectors
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db

BADGE = "zelfmeting buiten streefgebied"


def _outside_target(cast, person, user):
    monitoring.target_set(actor=cast.noor, person=person, type="systolic_bp", high=140, signal_target=True)
    monitoring.observations_record(
        actor=user,
        person=person,
        entries=[Entry(type="systolic_bp", value=165, effective_at=timezone.now() - dt.timedelta(hours=2))],
        source=Observation.Source.PORTAL,
    )


@pytest.fixture
def jeroen(cast):
    peer = make_user("jeroen", organisation=cast.ggz, discipline=User.Discipline.PEER_EXPERT, first_name="Jeroen")
    for person in (cast.anna, cast.bas):
        CareTeamMember.objects.create(
            person=person, professional=peer, organisation=cast.ggz, assigned_by=cast.noor, started_at=timezone.now()
        )
    return peer


def _caseload(client, **params):
    response = client.get(reverse("workspace:caseload"), params)
    assert response.status_code == 200
    return response


def test_a_peer_expert_sees_no_badge_from_measurements_and_no_link_to_them(cast, login, jeroen):
    _outside_target(cast, cast.anna, cast.anna_user)
    nurse = _caseload(login(cast.noor)).content.decode()
    assert BADGE in nurse, "the practice nurse sees it"
    body = _caseload(login(jeroen)).content.decode()
    assert BADGE not in body
    assert reverse("monitoring:overview", args=[cast.anna.pk]) not in body
    flagged = _caseload(login(jeroen), aandacht="1").context["persons"]
    assert cast.anna.pk not in {p.pk for p in flagged}, "no reason he may see: not on his 'needs attention'"


def test_a_withdrawn_topic_takes_its_badges_with_it(cast, login):
    _outside_target(cast, cast.anna, cast.anna_user)
    _outside_target(cast, cast.bas, cast.bas_user)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.noor, topic="measurements", granted=False)
    response = _caseload(login(cast.noor))
    rows = {row["url"]: row for row in response.context["rows"]}
    anna = rows[reverse("workspace:person", args=[cast.anna.pk])]
    bas = rows[reverse("workspace:person", args=[cast.bas.pk])]
    assert [b["label"] for b in bas["badges"]] == [BADGE]
    assert anna["badges"] == []
    flagged = _caseload(login(cast.noor), aandacht="1").context["persons"]
    assert [p.pk for p in flagged] == [cast.bas.pk]
    # Given back: the badge is back.
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.noor, topic="measurements", granted=True)
    flagged = _caseload(login(cast.noor), aandacht="1").context["persons"]
    assert {p.pk for p in flagged} == {cast.anna.pk, cast.bas.pk}


def test_a_granted_topic_opens_its_badges_for_a_peer_expert(cast, login, jeroen):
    _outside_target(cast, cast.anna, cast.anna_user)
    consent_set(actor=cast.anna_user, person=cast.anna, member=jeroen, topic="measurements", granted=True)
    response = _caseload(login(jeroen), aandacht="1")
    assert [p.pk for p in response.context["persons"]] == [cast.anna.pk]
    assert BADGE in response.content.decode()


@pytest.mark.parametrize("discipline", [User.Discipline.PEER_EXPERT, User.Discipline.GP, "social_worker"])
def test_readable_by_category_agrees_with_the_lists_of_the_access_layer(cast, discipline):
    """The one-query answer equals visible_person_ids per category, with consent both ways."""
    professional = make_user(f"pro-{discipline}", organisation=cast.ggz, discipline=discipline)
    people = [cast.anna, cast.bas]
    for person in people:
        CareTeamMember.objects.create(
            person=person, professional=professional, organisation=cast.ggz, assigned_by=cast.noor,
            started_at=timezone.now(),
        )  # fmt: skip
    consent_set(actor=cast.anna_user, person=cast.anna, member=professional, topic="measurements", granted=False)
    consent_set(actor=cast.bas_user, person=cast.bas, member=professional, topic="measurements", granted=True)
    consent_set(actor=cast.bas_user, person=cast.bas, member=professional, topic="goals", granted=False)
    ids = access.visible_person_ids(professional, include_self=False)
    categories = list(selectors.ATTENTION_CATEGORIES.values()) + [access.Category.CLINICAL]
    readable = access.readable_by_category(professional, ids, categories)
    for category in categories:
        expected = set(access.visible_person_ids(professional, category=category, include_self=False))
        assert readable[category] == expected, category


def test_every_reason_has_its_category():
    from koers.people import attention

    assert set(selectors.ATTENTION_CATEGORIES) == set(attention.needs_attention())


def test_consult_dates_and_support_level_follow_their_categories(cast, login):
    from koers.consults.services import consult_plan
    from koers.people import services as people_services

    for person, days in ((cast.anna, 3), (cast.bas, 5)):
        consult_plan(
            actor=cast.noor, person=person, professional=cast.noor,
            scheduled_at=timezone.now() + dt.timedelta(days=days),
        )  # fmt: skip
        people_services.support_level_decide(
            actor=cast.noor, person=person, level="chain_care", agreed_with_person=True
        )
    client = login(cast.noor)
    by_next = [p.pk for p in _caseload(client, sorteer_op="volgend-consult").context["persons"]]
    assert by_next.index(cast.anna.pk) < by_next.index(cast.bas.pk)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.noor, topic="consults", granted=False)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.noor, topic="careplan", granted=False)
    response = _caseload(client, sorteer_op="volgend-consult")
    rows = {row["url"]: row for row in response.context["rows"]}
    anna = rows[reverse("workspace:person", args=[cast.anna.pk])]
    bas = rows[reverse("workspace:person", args=[cast.bas.pk])]
    assert anna["next"] is None and anna["last"] is None and anna["support"] is None and anna["support_hidden"]
    assert bas["next"] and bas["support"] == "Ketenzorg" and not bas["support_hidden"]
    by_next = [p.pk for p in response.context["persons"]]
    assert by_next.index(cast.bas.pk) < by_next.index(cast.anna.pk), "her hidden date sorts as empty: last"
    body = response.content.decode()
    row = body[body.index(f'href="{anna["url"]}"') :]
    row = row[: row.index("</tr>")]
    assert "nog niet bepaald" not in row, "hidden is not 'not decided yet'"


def test_a_professional_who_may_see_no_consults_sorts_everyone_as_empty(cast, login):
    for person in (cast.anna, cast.bas):
        consent_set(actor=person.user, person=person, member=cast.noor, topic="consults", granted=False)
    persons = _caseload(login(cast.noor), sorteer_op="laatst-gezien").context["persons"]
    assert {p.pk for p in persons} >= {cast.anna.pk, cast.bas.pk}
