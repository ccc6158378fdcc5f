"""The person signs off a care-plan version (issue #13): "Ik ben het hiermee eens" or their comment
on the current version, from the portal plan page. Kept per version (history, never
overwritten), shown in the version history of the workspace and the portal; a version made after
the sign-off says it is not signed off yet; a signed version is never changed afterwards (the
professional's next change starts a new version). Only the person signs; logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers import access
from koers.audit.models import AccessLogEntry
from koers.careplans import selectors, signoff
from koers.careplans.models import CarePlanSignOff, CarePlanVersion
from koers.lib.compiled import compiled

from .conftest import add_goal, record

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
XSS = "<script>alert(1)</script>"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def plan_with_a_version(cast, person=None):
    person = person or cast.anna
    add_goal(person, cast.noor, description="Weer fietsen")
    return record(person, cast.noor)


def test_the_person_agrees_with_the_current_version(cast):
    version = plan_with_a_version(cast)
    given = signoff.care_plan_sign_off(actor=cast.anna_user, person=cast.anna, number=version.number, answer="agree")
    assert (given.version, given.given_by, given.answer) == (version, cast.anna_user, "agree")
    row = AccessLogEntry.objects.get(user=cast.anna_user, action="C", object_type="careplans.CarePlanSignOff")
    assert row.outcome == "success" and row.person_id == cast.anna.pk
    assert signoff.current_for(version).answer == "agree"


def test_a_comment_needs_words(cast):
    version = plan_with_a_version(cast)
    with pytest.raises(ValidationError):
        signoff.care_plan_sign_off(actor=cast.anna_user, person=cast.anna, number=version.number, answer="comment")
    assert not CarePlanSignOff.objects.exists()


def test_only_the_latest_version_can_be_signed(cast):
    old = plan_with_a_version(cast)
    add_goal(cast.anna, cast.noor, description="Beter slapen")
    record(cast.anna, cast.noor)
    with pytest.raises(ValidationError):
        signoff.care_plan_sign_off(actor=cast.anna_user, person=cast.anna, number=old.number, answer="agree")
    assert not CarePlanSignOff.objects.exists()


def test_a_signed_version_is_never_changed_afterwards(cast, sessions):
    version = plan_with_a_version(cast)
    signoff.care_plan_sign_off(actor=cast.anna_user, person=cast.anna, number=version.number, answer="agree")
    add_goal(cast.anna, cast.noor, description="Beter slapen")
    newer = record(cast.anna, cast.noor)  # same professional, within the session window
    assert newer.number == version.number + 1
    assert "Beter slapen" not in str(CarePlanVersion.objects.get(pk=version.pk).snapshot)
    assert signoff.current_for(newer) is None  # the new version is not signed off yet


def test_changes_not_in_a_version_yet_are_folded_in_before_signing(cast):
    version = plan_with_a_version(cast)
    add_goal(cast.anna, cast.noor, description="Zonder versie")  # the page shows it already
    given = signoff.care_plan_sign_off(actor=cast.anna_user, person=cast.anna, number=version.number, answer="agree")
    assert given.version.number == version.number + 1
    assert "Zonder versie" in str(given.version.snapshot)


def test_taking_back_is_kept_as_history(cast):
    version = plan_with_a_version(cast)
    signoff.care_plan_sign_off(actor=cast.anna_user, person=cast.anna, number=version.number, answer="agree")
    signoff.care_plan_sign_off(actor=cast.anna_user, person=cast.anna, number=version.number, answer="taken_back")
    assert signoff.current_for(version) is None
    assert CarePlanSignOff.objects.filter(version=version).count() == 2


@pytest.mark.parametrize("who", ["noor", "gert", "rob", "sam", "bas_user"])
def test_nobody_but_the_person_signs(cast, who):
    version = plan_with_a_version(cast)
    actor = getattr(cast, who)
    with pytest.raises(access.NotFound):
        signoff.care_plan_sign_off(actor=actor, person=cast.anna, number=version.number, answer="agree")
    assert not CarePlanSignOff.objects.exists()


# --- pages -------------------------------------------------------------------------------------


def test_sign_off_on_the_portal_and_see_it_in_both_version_histories(cast):
    version = plan_with_a_version(cast)
    anna, noor = _client(cast.anna_user), _client(cast.noor)
    page = anna.get(reverse("careplans:portal_plan")).content.decode()
    assert "Ik ben het hiermee eens" in page
    response = anna.post(reverse("careplans:portal_sign_off"), {"number": version.number, "answer": "agree"})
    assert response.status_code == 302
    for client, address in (
        (anna, reverse("careplans:portal_versions")),
        (noor, reverse("careplans:versions", kwargs={"person_id": cast.anna.pk})),
    ):
        text = client.get(address).content.decode()
        assert "eens met deze versie" in text, address
    # A new version after the sign-off shows that it is not signed off yet.
    add_goal(cast.anna, cast.noor, description="Beter slapen")
    record(cast.anna, cast.noor)
    text = noor.get(reverse("careplans:versions", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "nog niet ondertekend" in text and "eens met deze versie" in text
    # The professional's plan page says it for the latest version too.
    text = noor.get(reverse("careplans:plan", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "Akkoord van de cliënt:" in text and "nog niet ondertekend" in text


def test_a_comment_with_htmx_is_shown_escaped_and_status_is_announced(cast):
    version = plan_with_a_version(cast)
    anna, noor = _client(cast.anna_user), _client(cast.noor)
    data = {"number": version.number, "answer": "comment", "comment": f"Meer over werk {XSS}"}
    response = anna.post(reverse("careplans:portal_sign_off"), data, **HTMX)
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text and 'role="status"' in text
    assert 'id="akkoord"' in text
    text = noor.get(reverse("careplans:versions", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert XSS not in text and "Meer over werk &lt;script&gt;" in text


def test_a_comment_without_words_shows_an_error_and_saves_nothing(cast):
    version = plan_with_a_version(cast)
    anna = _client(cast.anna_user)
    for extra in ({}, HTMX):
        data = {"number": version.number, "answer": "comment", "comment": ""}
        response = anna.post(reverse("careplans:portal_sign_off"), data, **extra)
        assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()
    assert not CarePlanSignOff.objects.exists()


def test_another_persons_version_number_is_refused_like_a_missing_one(cast):
    plan_with_a_version(cast, person=cast.bas)
    anna = _client(cast.anna_user)
    response = anna.post(reverse("careplans:portal_sign_off"), {"number": 1, "answer": "agree"})
    assert response.status_code == 200  # Anna has no version 1: a message on her page, nothing saved
    assert not CarePlanSignOff.objects.exists()


def test_the_plan_page_reads_the_latest_word_with_the_version(cast):
    """The care plan shows the person's word on the latest version, read in the version's round
    trip on PostgreSQL (``current_plan(sign_offs=True)``); a word on an older version is not it."""
    version = plan_with_a_version(cast)
    signoff.care_plan_sign_off(actor=cast.anna_user, person=cast.anna, number=version.number, answer="agree")
    noor = _client(cast.noor)
    address = reverse("careplans:plan", kwargs={"person_id": cast.anna.pk})
    with CaptureQueriesContext(connection) as queries:
        text = noor.get(address).content.decode()
    assert "eens met deze versie" in text and "nog niet ondertekend" not in text
    alone = [  # a statement of its own (not one of the round trip's, joined by ";")
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "careplans_careplansignoff"')
    ]
    alone = [sql for sql in alone if ";\n" not in sql]
    assert len(alone) == (0 if connection.vendor == "postgresql" else 1), alone
    add_goal(cast.anna, cast.noor, description="Beter slapen")
    record(cast.anna, cast.noor)
    text = noor.get(address).content.decode()
    assert "nog niet ondertekend" in text and "eens met deze versie" not in text


def test_words_read_with_an_older_version_are_read_again_for_the_latest(cast):
    """Each statement of a round trip has its own snapshot: answers that belong to another version
    than the latest one read (a version added in between) are read again by the latest's id."""
    old = plan_with_a_version(cast)
    word = signoff.care_plan_sign_off(actor=cast.anna_user, person=cast.anna, number=old.number, answer="agree")
    add_goal(cast.anna, cast.noor, description="Beter slapen")
    latest = record(cast.anna, cast.noor)
    assert selectors._sign_offs_of(old, [word]) == [word]
    assert selectors._sign_offs_of(latest, [word]) == []
    assert selectors._sign_offs_of(None, []) == []


def test_a_version_made_between_the_reads_never_shows_the_older_one_without_its_sign_off(cast, monkeypatch):
    """``selectors.current_plan`` reads the latest version and the person's sign-offs in one round
    trip, and each statement sees the database as it is when it runs. A version made between the
    two (here: after the first) must not make the page show the older version as latest with no
    sign-off: the sign-offs shown are always those of the version shown."""
    version = plan_with_a_version(cast)
    signoff.care_plan_sign_off(actor=cast.anna_user, person=cast.anna, number=version.number, answer="agree")

    def a_version_made_after_the_first_statement(*queries):
        rows = [compiled(queries[0].build, **queries[0].params)]
        add_goal(cast.anna, cast.noor, description="Beter slapen")
        record(cast.anna, cast.noor)  # the professional's next change: a new version
        return rows + [compiled(query.build, **query.params) for query in queries[1:]]

    monkeypatch.setattr(selectors, "together", a_version_made_after_the_first_statement)
    found = selectors.current_plan(cast.anna, sign_offs=True)
    shown = found["latest"]
    assert CarePlanVersion.objects.filter(care_plan__person=cast.anna).count() == 2
    assert [s.pk for s in found["sign_offs"]] == [s.pk for s in signoff.history_for(shown)]
