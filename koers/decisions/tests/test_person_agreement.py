"""The person confirms a shared decision in the portal (issue #13): "Ik ben het eens met dit
besluit" or "Ik ben het nog niet eens" with a comment. Recorded with who and when, kept as
history (never overwritten), shown to the professional beside their own recorded agreement,
access-logged, and undoable. Only the person gives it: the care team reads it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from koers import access
from koers.audit.models import AccessLogEntry
from koers.decisions import agreement
from koers.decisions.models import DecisionConfirmation

from .conftest import XSS, decided, in_option_talk

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CONFIRMATION = "decisions.DecisionConfirmation"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def portal_url(decision):
    return reverse("decisions:portal_agreement", kwargs={"decision_id": decision.pk})


def detail_url(decision):
    return reverse("decisions:detail", kwargs={"person_id": decision.person_id, "decision_id": decision.pk})


# --- pure: how the two agreements relate -------------------------------------------------------


@pytest.mark.parametrize(
    ("decided_", "professional", "answer", "expected"),
    [
        (False, False, "", None),
        (True, True, "", "waiting"),
        (True, True, "agree", "together"),
        (True, True, "not_yet", "not_yet"),
        (True, True, "taken_back", "waiting"),
        (True, False, "agree", "waiting"),  # the person's word alone is not "agreed together"
    ],
)
def test_agreed_together_only_when_both_agreed(decided_, professional, answer, expected):
    assert agreement.state(decided=decided_, professional_recorded=professional, person_answer=answer) == expected


# --- the service ------------------------------------------------------------------------------


def test_the_person_confirms_and_it_is_recorded_with_who_and_when(cast):
    decision, _options = decided(cast)
    given = agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="agree")
    assert (given.given_by, given.person, given.answer) == (cast.anna_user, cast.anna, "agree")
    assert given.given_at is not None
    row = AccessLogEntry.objects.get(user=cast.anna_user, action="C", object_type=CONFIRMATION)
    assert row.outcome == "success" and row.person_id == cast.anna.pk and row.object_id == str(given.pk)
    assert agreement.current(decision).answer == "agree"
    assert agreement.state_of(decision) == "together"


def test_not_yet_needs_a_comment_and_saves_nothing_without(cast):
    decision, _options = decided(cast)
    with pytest.raises(ValidationError):
        agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="not_yet", comment="  ")
    assert not DecisionConfirmation.objects.exists()
    agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="not_yet", comment="Ik twijfel nog")
    assert agreement.state_of(decision) == "not_yet"


def test_every_answer_is_kept_as_history_and_can_be_taken_back(cast):
    decision, _options = decided(cast)
    agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="agree")
    agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="taken_back")
    agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="not_yet", comment="Toch eerst praten")
    assert [c.answer for c in agreement.history(decision)] == ["not_yet", "taken_back", "agree"]
    assert agreement.state_of(decision) == "not_yet"


def test_nothing_to_take_back_is_refused(cast):
    decision, _options = decided(cast)
    with pytest.raises(ValidationError):
        agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="taken_back")


def test_only_a_decided_decision_can_be_confirmed(cast):
    decision, _options = in_option_talk(cast)
    with pytest.raises(ValidationError):
        agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="agree")
    assert not DecisionConfirmation.objects.exists()


@pytest.mark.parametrize("who", ["noor", "gert", "rob", "sam", "bas_user"])
def test_nobody_but_the_person_gives_the_persons_word(cast, who):
    decision, _options = decided(cast)
    actor = getattr(cast, who)
    with pytest.raises(access.NotFound):
        agreement.decision_confirm(actor=actor, decision=decision, answer="agree")
    assert not DecisionConfirmation.objects.exists()
    assert AccessLogEntry.objects.filter(user=actor, outcome="refused").count() == 1


# --- the pages ----------------------------------------------------------------------------------


def test_the_person_confirms_on_the_portal_page_and_the_professional_sees_it(cast):
    decision, _options = decided(cast)
    anna, noor = _client(cast.anna_user), _client(cast.noor)
    page = anna.get(reverse("decisions:portal_detail", kwargs={"decision_id": decision.pk})).content.decode()
    assert "Ik ben het eens met dit besluit" in page and portal_url(decision) in page
    response = anna.post(portal_url(decision), {"answer": "agree"})
    assert response.status_code == 302
    assert DecisionConfirmation.objects.get().answer == "agree"
    text = noor.get(detail_url(decision)).content.decode()
    assert "Samen eens" in text
    assert "Anna de Boer" in text  # who confirmed, beside the professional's own recorded agreement


def test_confirming_with_htmx_says_so_and_offers_undo(cast):
    decision, _options = decided(cast)
    anna = _client(cast.anna_user)
    response = anna.post(portal_url(decision), {"answer": "agree"}, **HTMX)
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert 'role="status"' in text and 'id="instemming"' in text
    assert 'value="taken_back"' in text  # undo: one click back, kept in the history
    anna.post(portal_url(decision), {"answer": "taken_back"}, **HTMX)
    assert agreement.state_of(decision) == "waiting"


def test_not_yet_with_a_comment_is_escaped_for_the_professional(cast):
    decision, _options = decided(cast)
    anna, noor = _client(cast.anna_user), _client(cast.noor)
    anna.post(portal_url(decision), {"answer": "not_yet", "comment": f"Eerst praten {XSS}"})
    text = noor.get(detail_url(decision)).content.decode()
    assert XSS not in text and "&lt;script&gt;" in text
    assert "nog niet eens" in text


def test_not_yet_without_comment_shows_an_error_and_saves_nothing(cast):
    decision, _options = decided(cast)
    anna = _client(cast.anna_user)
    for extra in ({}, HTMX):
        response = anna.post(portal_url(decision), {"answer": "not_yet", "comment": ""}, **extra)
        assert response.status_code == 200
        assert 'class="error-summary"' in response.content.decode()
    assert not DecisionConfirmation.objects.exists()


def test_another_persons_decision_answers_like_a_missing_one(cast):
    other, _options = decided(cast, person=cast.bas)
    anna = _client(cast.anna_user)
    assert anna.post(portal_url(other), {"answer": "agree"}).status_code == 404
    assert AccessLogEntry.objects.filter(user=cast.anna_user, outcome="refused").count() == 1
    assert not DecisionConfirmation.objects.exists()
