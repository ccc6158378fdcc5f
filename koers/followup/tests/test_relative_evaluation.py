"""Relatives in the yearly care-plan evaluation (issue #13): the person invites one of their
relatives, the relative answers a short form, the professional reads it beside the person's own
words, and the person sees that it was given (the text only when the relative chose so)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers import access
from koers.audit.models import AccessLogEntry
from koers.followup import relatives, services
from koers.followup.models import RelativeEvaluationInput
from koers.network.models import RelativeLink
from koers.network.services import consent_set
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db

Topic = access.Topic
ANSWER = {
    "how_it_went": "Het ging op en neer, de zomer was zwaar.",
    "what_helped": "Samen wandelen op zondag.",
    "own_load": 4,
    "own_load_words": "Ik slaap slecht.",
}


def share(cast, member=None):
    consent_set(actor=cast.anna_user, person=cast.anna, member=member or cast.rob, topic=Topic.GOALS, granted=True)


def rob_link(cast):
    return RelativeLink.objects.get(person=cast.anna, user=cast.rob)


def answer_url(cast):
    return reverse("workspace:relative_evaluation", kwargs={"person_id": cast.anna.pk})


def invite(cast):
    return relatives.relative_evaluation_invite(actor=cast.anna_user, person=cast.anna, link_id=rob_link(cast).pk)


def test_the_person_invites_the_relative_answers_and_the_professional_reads_it_beside_the_persons_words(cast, client):
    share(cast)
    services.evaluation_input_save(actor=cast.anna_user, person=cast.anna, went_well="Ik slaap beter")
    client.force_login(cast.anna_user)
    response = client.post(reverse("followup:portal_evaluation_invite"), {"link": rob_link(cast).pk}, follow=True)
    assert response.status_code == 200
    assert "Rob de Boer is gevraagd" in response.content.decode()
    invitation = RelativeEvaluationInput.objects.get()
    assert (invitation.person, invitation.relative, invitation.answered_at) == (cast.anna, cast.rob, None)

    client.force_login(cast.rob)
    page = client.get(answer_url(cast)).content.decode()
    assert "Anna vraagt u mee te denken" in page
    response = client.post(answer_url(cast), {**ANSWER, "share_with_person": ""}, follow=True)
    assert response.status_code == 200
    assert "Dank u wel" in response.content.decode()
    assert AccessLogEntry.objects.filter(
        user=cast.rob, action="U", object_type="followup.RelativeEvaluationInput", outcome="success"
    ).exists()

    client.force_login(cast.noor)
    html = client.get(reverse("followup:evaluation", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "Ik slaap beter" in html and "Samen wandelen op zondag." in html
    assert "Vaak zwaar" in html  # own load, in words

    client.force_login(cast.anna_user)
    html = client.get(reverse("followup:portal_evaluation")).content.decode()
    assert "Rob de Boer heeft de vragen beantwoord" in html
    assert "Samen wandelen op zondag." not in html  # Rob did not choose to share the text


def test_the_person_reads_the_answers_when_the_relative_chose_so(cast, client):
    share(cast)
    invite(cast)
    relatives.relative_evaluation_answer(actor=cast.rob, person=cast.anna, **ANSWER, share_with_person=True)
    client.force_login(cast.anna_user)
    html = client.get(reverse("followup:portal_evaluation")).content.decode()
    assert "Samen wandelen op zondag." in html
    assert "Ik slaap slecht." not in html  # their own load stays between them and the care team


def test_without_an_invitation_the_relative_reads_a_plain_line_and_cannot_answer(cast, client):
    share(cast)
    client.force_login(cast.rob)
    response = client.get(answer_url(cast))
    assert response.status_code == 200
    assert "Anna heeft u niet gevraagd" in response.content.decode()
    before = AccessLogEntry.objects.filter(user=cast.rob, outcome="refused").count()
    assert client.post(answer_url(cast), ANSWER).status_code == 404
    assert AccessLogEntry.objects.filter(user=cast.rob, outcome="refused").count() == before + 1


@pytest.mark.parametrize("who", ["ria", "noor", "anna_user", "sam"])
def test_anyone_else_is_refused_like_a_missing_record(cast, client, who):
    share(cast)
    invite(cast)
    user = {"ria": make_user("ria", role="relative"), "noor": cast.noor, "anna_user": cast.anna_user, "sam": cast.sam}[
        who
    ]
    client.force_login(user)
    before = AccessLogEntry.objects.filter(user=user, outcome="refused").count()
    assert client.get(answer_url(cast)).status_code == 404
    assert client.post(answer_url(cast), ANSWER).status_code == 404
    assert AccessLogEntry.objects.filter(user=user, outcome="refused").count() == before + 2
    assert RelativeEvaluationInput.objects.get().answered_at is None


def test_the_person_cannot_invite_someone_elses_relative_or_a_relative_who_sees_nothing(cast):
    ria = make_user("ria", role="relative")
    bas_link = RelativeLink.objects.create(person=cast.bas, user=ria, relationship="sister")
    with pytest.raises(access.NotFound):
        relatives.relative_evaluation_invite(actor=cast.anna_user, person=cast.anna, link_id=bas_link.pk)
    with pytest.raises(ValidationError):  # Rob sees nothing of Anna yet: he could not open it
        invite(cast)
    with pytest.raises(access.NotFound):  # only the person invites
        share(cast)
        relatives.relative_evaluation_invite(actor=cast.noor, person=cast.anna, link_id=rob_link(cast).pk)
    assert not RelativeEvaluationInput.objects.exists()


def test_a_relative_whose_link_ended_is_neither_listed_nor_invited(cast):
    """Ending a relative's link (issue #12) removes them from the people the person can ask."""
    from koers.followup.relative_selectors import invitable_relatives
    from koers.network.relatives import relative_link_end

    share(cast)
    link = rob_link(cast)
    assert [r.link_id for r in invitable_relatives(cast.anna)] == [link.pk]
    relative_link_end(actor=cast.anna_user, link=link)
    assert invitable_relatives(cast.anna) == []
    with pytest.raises(access.NotFound):
        relatives.relative_evaluation_invite(actor=cast.anna_user, person=cast.anna, link_id=link.pk)
    assert not RelativeEvaluationInput.objects.exists()


def test_an_answer_needs_something_and_a_load_from_one_to_five(cast):
    share(cast)
    invite(cast)
    with pytest.raises(ValidationError):
        relatives.relative_evaluation_answer(actor=cast.rob, person=cast.anna)
    with pytest.raises(ValidationError):
        relatives.relative_evaluation_answer(actor=cast.rob, person=cast.anna, own_load=6)
    assert RelativeEvaluationInput.objects.get().answered_at is None


def test_recording_the_evaluation_takes_the_relatives_input_along(cast):
    share(cast)
    invite(cast)
    relatives.relative_evaluation_answer(actor=cast.rob, person=cast.anna, **ANSWER)
    evaluation = services.yearly_evaluation_record(
        actor=cast.noor, person=cast.anna, date=dt.date.today(), went_well="Goed", participants="Anna, Rob, Noor"
    )
    assert RelativeEvaluationInput.objects.get().evaluation == evaluation
