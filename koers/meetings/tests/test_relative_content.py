"""Issue #13 leftovers: what an invited relative sees of a meeting's content.

The invitation itself (kind, date, place) is opened by the invitation (``MEETING_INVITATION``).
The content — agenda, who is invited, what was decided — is the care team's record
(``CONSULT_RECORDS``, topic "consulten en voorbereiding"), and a decision's "who does what" is an
action of a goal (``GOALS``). A relative sees each exactly as far as the person's consent reaches,
read fresh on every request, and every part shown leaves its own READ row.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.access.policy import Category, Relationship, Topic
from koers.audit.models import AccessLogEntry
from koers.meetings import services
from koers.network.models import CareTeamMember, RelativeLink
from koers.network.services import consent_set

AGENDA = "Werk zoeken"
DECISION = "Slaaptraining starten"
ACTION = "Aanmelden voor slaaptraining"
GOAL = "Ik wil weer uitgerust wakker worden"
PLACE = "Wijkcentrum De Linde, kamer 3"


@pytest.fixture
def meeting(cast):
    pieter = CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    meeting = services.meeting_plan(
        actor=cast.noor,
        person=cast.anna,
        kind="network",
        starts_at=timezone.now() + dt.timedelta(days=7),
        place=PLACE,
        agenda=f"Slaap\n{AGENDA}",
        relatives=[RelativeLink.objects.get(person=cast.anna, user=cast.rob)],
        members=[pieter],
    )
    services.meeting_decision_record(
        actor=cast.pieter,
        meeting=meeting,
        text=DECISION,
        what=ACTION,
        responsible="professional",
        responsible_name="Pieter",
        new_goal=GOAL,
        life_domain="health",
    )
    return meeting


def _share(cast, topic, granted=True):
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=topic, granted=granted)


def _page(client, cast, meeting) -> str:
    client.force_login(cast.rob)
    response = client.get(reverse("meetings:relative_invitation", args=[cast.anna.pk, meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _rows(cast, object_type):
    return AccessLogEntry.objects.filter(
        user=cast.rob, person=cast.anna, action="R", outcome="success", object_type=object_type
    ).count()


@pytest.mark.django_db
def test_with_the_consults_topic_the_relative_sees_agenda_invitees_and_decisions(cast, meeting, client):
    _share(cast, Topic.CONSULTS)
    text = _page(client, cast, meeting)
    assert PLACE in text
    assert AGENDA in text and DECISION in text and "Pieter" in text
    # The "who does what" is an action of a goal: the goals topic, not shared.
    assert ACTION not in text and GOAL not in text
    # The content read is logged as such (beside the invitation's own row).
    assert _rows(cast, "meetings.Meeting") == 1 and _rows(cast, "meetings.Participant") == 1


@pytest.mark.django_db
def test_with_goals_as_well_the_relative_sees_who_does_what(cast, meeting, client):
    _share(cast, Topic.CONSULTS)
    _share(cast, Topic.GOALS)
    text = _page(client, cast, meeting)
    assert DECISION in text and ACTION in text and GOAL in text


@pytest.mark.django_db
def test_without_consent_only_the_invitation_and_no_content_row(cast, meeting, client):
    _share(cast, Topic.GOALS)  # something else shared: still no meeting content
    text = _page(client, cast, meeting)
    assert PLACE in text
    assert AGENDA not in text and DECISION not in text and ACTION not in text and "Pieter" not in text
    assert _rows(cast, "meetings.Meeting") == 0


@pytest.mark.django_db
def test_a_withdrawal_hides_the_content_on_the_next_request(cast, meeting, client):
    _share(cast, Topic.CONSULTS)
    assert DECISION in _page(client, cast, meeting)
    _share(cast, Topic.CONSULTS, granted=False)
    text = _page(client, cast, meeting)
    assert PLACE in text and DECISION not in text and AGENDA not in text


TOPIC_SETS = [frozenset(c) for n in range(3) for c in itertools.combinations((Topic.CONSULTS, Topic.GOALS), n)]


@pytest.mark.django_db
@pytest.mark.parametrize("topics", TOPIC_SETS, ids=lambda t: "+".join(sorted(t)) or "nothing")
def test_the_invitation_page_follows_the_access_matrix(cast, meeting, client, topics):
    """The matrix rows for both: the invitation by the invitation, the content by
    ``CONSULT_RECORDS`` and the "who does what" by ``GOALS``, as ``policy.allowed`` says."""
    for topic in topics:
        _share(cast, topic)
    text = _page(client, cast, meeting)
    allowed = {c: access.policy.allowed(Relationship.RELATIVE, c, "R", topics=topics) for c in Category}
    assert allowed[Category.MEETING_INVITATION] and PLACE in text
    assert (AGENDA in text) is (DECISION in text) is allowed[Category.CONSULT_RECORDS]
    assert (ACTION in text) is (allowed[Category.CONSULT_RECORDS] and allowed[Category.GOALS])
