"""Meetings about a person (MDO / netwerkberaad): plan, invite, record decisions that become
actions in the plan through the goals' services; who sees what of them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.access.policy import Category, Relationship
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlanVersion
from koers.goals import services as goal_services
from koers.goals.models import Action, Goal
from koers.meetings import services
from koers.meetings.models import Decision, Meeting
from koers.network.models import CareTeamMember, RelativeLink
from tests.support.testing import make_user


@pytest.fixture
def pieter_member(cast):
    """A psychiatrist of another organisation in Anna's network."""
    return CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )


@pytest.fixture
def meeting(cast, pieter_member):
    return services.meeting_plan(
        actor=cast.noor,
        person=cast.anna,
        kind="network",
        starts_at=timezone.now() + dt.timedelta(days=7),
        place="Wijkcentrum De Linde, kamer 3",
        agenda="Slaap\nWerk zoeken",
        relatives=[RelativeLink.objects.get(person=cast.anna, user=cast.rob)],
        members=[pieter_member, CareTeamMember.objects.get(person=cast.anna, professional=cast.noor)],
    )


def rows(**filters):
    return AccessLogEntry.objects.filter(**filters).count()


@pytest.mark.django_db
def test_planning_invites_the_person_a_linked_relative_and_professionals_of_two_organisations(cast, meeting):
    invited = {(p.kind, p.user_id) for p in meeting.participants.all()}
    assert invited == {
        ("person", cast.anna_user.pk),
        ("relative", cast.rob.pk),
        ("professional", cast.pieter.pk),
        ("professional", cast.noor.pk),
    }
    assert {p.organisation_name for p in meeting.participants.filter(kind="professional")} == {
        "GGZ-team Oost",
        "Huisartsenpraktijk De Linde",
    }
    assert meeting.agenda_points() == ["Slaap", "Werk zoeken"]
    assert rows(user=cast.noor, person=cast.anna, action="C", object_type="meetings.Meeting", outcome="success") == 1


@pytest.mark.django_db
def test_only_relatives_the_person_linked_and_members_now_in_the_network_are_invited(cast, pieter_member):
    tom = make_user("tom", role=User.Role.RELATIVE)
    bas_link = RelativeLink.objects.create(person=cast.bas, user=tom, relationship="broer")
    plan = dict(actor=cast.noor, person=cast.anna, kind="mdo", starts_at=timezone.now(), place="Kamer 1")
    with pytest.raises(ValidationError) as error:
        services.meeting_plan(**plan, relatives=[bas_link])
    assert "relatives" in error.value.message_dict
    pieter_member.ended_at = timezone.now()
    pieter_member.save()
    with pytest.raises(ValidationError) as error:
        services.meeting_plan(**plan, members=[pieter_member])
    assert "members" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.meeting_plan(**{**plan, "place": " "})
    assert "place" in error.value.message_dict
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_an_outsider_cannot_plan_and_leaves_a_refused_row(cast):
    for outsider in (cast.sam, cast.cor, cast.rob, cast.anna_user):
        before = rows(user=outsider, outcome="refused")
        with pytest.raises(access.NotFound):
            services.meeting_plan(
                actor=outsider, person=cast.anna, kind="mdo", starts_at=timezone.now(), place="Kamer 1"
            )
        assert rows(user=outsider, outcome="refused") == before + 1
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_who_does_what_becomes_an_action_in_the_plan_under_a_new_goal(cast, meeting):
    versions = CarePlanVersion.objects.filter(care_plan__person=cast.anna).count()
    decision = services.meeting_decision_record(
        actor=cast.pieter,
        meeting=meeting,
        text="Anna start met slaaptraining bij de GGZ.",
        what="Aanmelden voor slaaptraining",
        responsible="professional",
        responsible_name="Pieter",
        new_goal="Ik wil weer uitgerust wakker worden",
        life_domain="health",
    )
    action = decision.action
    assert action is not None and action.person == cast.anna and action.what == "Aanmelden voor slaaptraining"
    assert action.goal.description == "Ik wil weer uitgerust wakker worden"
    assert action.goal.lifecycle_status == "active" and action.responsible_name == "Pieter"
    # The same services as the goals page: their log rows and a new version of the plan.
    assert rows(user=cast.pieter, action="C", object_type="goals.Goal") == 1
    assert rows(user=cast.pieter, action="C", object_type="goals.Action") == 1
    assert rows(user=cast.pieter, action="C", object_type="meetings.Decision") == 1
    latest = CarePlanVersion.objects.filter(care_plan__person=cast.anna).order_by("-number").first()
    assert CarePlanVersion.objects.filter(care_plan__person=cast.anna).count() > versions
    assert "Aanmelden voor slaaptraining" in json.dumps(latest.snapshot, ensure_ascii=False)


@pytest.mark.django_db
def test_a_decision_under_an_existing_goal_and_one_without_an_action(cast, meeting):
    goal = goal_services.goal_create(
        actor=cast.noor, person=cast.anna, description="Werk vinden", life_domain="work", lifecycle_status="active"
    )
    with_action = services.meeting_decision_record(
        actor=cast.noor,
        meeting=meeting,
        text="Rob helpt zoeken",
        what="Vacatures bekijken",
        responsible="relative",
        goal=goal,
    )
    assert with_action.action.goal == goal and with_action.action.responsible == "relative"
    plain = services.meeting_decision_record(actor=cast.noor, meeting=meeting, text="Over drie maanden weer overleg")
    assert plain.action is None
    assert list(meeting.decisions.values_list("text", flat=True)) == [
        "Rob helpt zoeken",
        "Over drie maanden weer overleg",
    ]


@pytest.mark.django_db
def test_an_action_needs_a_goal_and_nothing_is_written_without_one(cast, meeting):
    with pytest.raises(ValidationError) as error:
        services.meeting_decision_record(actor=cast.noor, meeting=meeting, text="Besluit", what="Iets doen")
    assert "goal" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # the goal's own check, on the form's field
        services.meeting_decision_record(
            actor=cast.noor, meeting=meeting, text="Besluit", what="Iets doen", new_goal="Nieuw doel", life_domain="x"
        )
    assert "life_domain" in error.value.message_dict
    bas_goal = Goal.objects.create(
        person=cast.bas, description="Van Bas", life_domain="health", lifecycle_status="active", created_by=cast.noor
    )
    with pytest.raises(ValidationError):
        services.meeting_decision_record(actor=cast.noor, meeting=meeting, text="B", what="Iets", goal=bas_goal)
    assert not Decision.objects.exists() and not Action.objects.exists()
    assert Goal.objects.filter(person=cast.anna).count() == 0


@pytest.mark.django_db
def test_a_relative_cannot_record_a_decision(cast, meeting):
    before = rows(user=cast.rob, outcome="refused")
    with pytest.raises(access.NotFound):
        services.meeting_decision_record(actor=cast.rob, meeting=meeting, text="Besluit")
    assert rows(user=cast.rob, outcome="refused") == before + 1


@pytest.mark.django_db
def test_planning_and_recording_through_the_pages(cast, pieter_member, client):
    client.force_login(cast.noor)
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    response = client.post(
        reverse("meetings:plan", args=[cast.anna.pk]),
        {
            "kind": "mdo",
            "date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "time": "14:30",
            "place": "Beeldbellen via de link in uw mail",
            "agenda": "Medicatie",
            "invite_person": "on",
            "relatives": [link.pk],
            "members": [pieter_member.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/overleg/{meeting.pk}/")
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "14:30"
    page = reverse("meetings:detail", args=[cast.anna.pk, meeting.pk])
    response = client.post(page, {"text": "Medicatie blijft gelijk", "what": "", "responsible": "professional"})
    assert response.status_code == 302
    response = client.post(
        page, {"text": "Zin in werk", "what": "Gesprek met de wijkcoach", "responsible": "community"}
    )
    assert response.status_code == 200 and "Kies onder welk doel" in response.content.decode()
    assert Decision.objects.count() == 1
    response = client.get(page)
    assert "Medicatie blijft gelijk" in response.content.decode()
    assert rows(user=cast.noor, person=cast.anna, action="R", object_type="meetings.Meeting", object_id=str(meeting.pk))


@pytest.mark.django_db
def test_planning_says_every_problem_at_once(cast, pieter_member, client):
    """Noor left the place empty and invited nobody: she heard about the place, wrote it, and only
    then that someone has to be invited. Both in one answer, from the page and from the service."""
    client.force_login(cast.noor)
    date = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    data = {"kind": "mdo", "date": date, "time": "14:30", "place": ""}
    response = client.post(reverse("meetings:plan", args=[cast.anna.pk]), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"place", "members"}
    with pytest.raises(ValidationError) as raised:
        services.meeting_plan(
            actor=cast.noor, person=cast.anna, kind="mdo", starts_at=timezone.now(), place="", invite_person=False
        )
    assert set(raised.value.message_dict) == {"place", "members"}
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_the_person_sees_their_meetings_and_what_was_decided(cast, meeting, client):
    services.meeting_decision_record(actor=cast.noor, meeting=meeting, text="Slaaptraining starten")
    client.force_login(cast.anna_user)
    before = rows(user=cast.anna_user, action="R", outcome="success")
    text = client.get(reverse("meetings:portal_list")).content.decode()
    assert "Wijkcentrum De Linde, kamer 3" in text and "Slaaptraining starten" in text and "Werk zoeken" in text
    assert rows(user=cast.anna_user, action="R", outcome="success") == before + 1


@pytest.mark.django_db
def test_an_invited_relative_sees_when_and_where_and_nothing_else(cast, meeting, client):
    services.meeting_decision_record(actor=cast.noor, meeting=meeting, text="Slaaptraining starten")
    client.force_login(cast.rob)  # nothing shared with Rob
    url = reverse("meetings:relative_invitation", args=[cast.anna.pk, meeting.pk])
    response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Wijkcentrum De Linde, kamer 3" in text and "uitgenodigd" in text
    assert "Slaaptraining" not in text and "Werk zoeken" not in text and "Pieter" not in text
    assert rows(user=cast.rob, person=cast.anna, action="R", outcome="success") == 1
    # The meeting pages of the care team and the person stay closed to him.
    assert client.get(reverse("meetings:detail", args=[cast.anna.pk, meeting.pk])).status_code == 404


@pytest.mark.django_db
def test_a_relative_not_invited_gets_the_missing_record_answer(cast, meeting, client):
    ria = make_user("ria", role=User.Role.RELATIVE)
    RelativeLink.objects.create(person=cast.anna, user=ria, relationship="dochter")
    client.force_login(ria)
    before = rows(user=ria, outcome="refused")
    response = client.get(reverse("meetings:relative_invitation", args=[cast.anna.pk, meeting.pk]))
    assert response.status_code == 404
    assert rows(user=ria, outcome="refused") == before + 1


def test_the_invitation_is_opened_by_the_invitation_not_by_consent():
    assert access.policy.allowed(Relationship.RELATIVE, Category.MEETING_INVITATION, "R", topics=frozenset())
    assert not access.policy.allowed(Relationship.RELATIVE, Category.CONSULT_RECORDS, "R", topics=frozenset())
    assert not access.policy.allowed(Relationship.NONE, Category.MEETING_INVITATION, "R")
    assert not access.policy.allowed(Relationship.RELATIVE, Category.MEETING_INVITATION, "C", topics=frozenset())


@pytest.mark.django_db
def test_the_relatives_home_lists_their_invitations_and_logs_them(cast, meeting, client):
    client.force_login(cast.rob)  # nothing shared with Rob: only the invitation
    text = client.get(reverse("workspace:relative_home")).content.decode()
    assert reverse("meetings:relative_invitation", args=[cast.anna.pk, meeting.pk]) in text
    assert rows(user=cast.rob, person=cast.anna, object_type="meeting_invitation", outcome="success") == 1
    ria = make_user("ria", role=User.Role.RELATIVE)
    RelativeLink.objects.create(person=cast.anna, user=ria, relationship="dochter")
    client.force_login(ria)
    assert "/overleg/" not in client.get(reverse("workspace:relative_home")).content.decode()
    # When Anna no longer names Rob, the invitation is gone from his home too.
    RelativeLink.objects.filter(person=cast.anna, user=cast.rob).delete()
    client.force_login(cast.rob)
    assert "/overleg/" not in client.get(reverse("workspace:relative_home")).content.decode()
