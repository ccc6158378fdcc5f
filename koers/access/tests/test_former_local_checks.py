"""The checks that used to sit beside the policy table are rules of the table now (issue #10).

What the person reads but only their care team writes (planning a consult, recording a shared
decision, targets, screenings and lab letters) and what only the person has (their calendar
link) are refused like everything else: the same ``NotFound`` and a refused row in the log.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.consults import services as consult_services
from koers.decisions import services as decision_services
from koers.followup import services as followup_services
from koers.screening import services as screening_services

pytestmark = pytest.mark.django_db


def _refused_rows(user, object_type) -> int:
    return AccessLogEntry.objects.filter(user=user, outcome="refused", object_type=object_type).count()


def _refused(user, object_type, call):
    before = _refused_rows(user, object_type)
    with pytest.raises(access.NotFound):
        call()
    assert _refused_rows(user, object_type) == before + 1


def test_the_person_cannot_plan_or_change_a_consult(cast):
    anna = cast.anna_user
    soon = timezone.now() + dt.timedelta(days=3)
    consult = consult_services.consult_plan(
        actor=cast.noor, person=cast.anna, scheduled_at=soon, professional=cast.noor
    )
    kind = "consults.Consult"
    _refused(
        anna,
        kind,
        lambda: consult_services.consult_plan(actor=anna, person=cast.anna, scheduled_at=soon, professional=cast.noor),
    )
    _refused(
        anna,
        kind,
        lambda: consult_services.consult_update(
            actor=anna, consult=consult, scheduled_at=soon, professional=cast.noor, kind="in_person", planned_minutes=30
        ),
    )
    _refused(anna, kind, lambda: consult_services.consult_set_status(actor=anna, consult=consult, status="cancelled"))
    _refused(anna, kind, lambda: consult_services.consult_record_summary(actor=anna, consult=consult, summary="x"))


def test_the_person_cannot_record_a_shared_decision(cast):
    anna = cast.anna_user
    decision = decision_services.decision_create(actor=cast.noor, person=cast.anna, question="Welke behandeling?")
    option = decision_services.option_add(actor=cast.noor, decision=decision, title="Afwachten")
    kind, option_kind = "decisions.SharedDecision", "decisions.DecisionOption"
    _refused(anna, kind, lambda: decision_services.decision_create(actor=anna, person=cast.anna, question="Mag ik?"))
    _refused(
        anna, kind, lambda: decision_services.decision_set_decision_aid(actor=anna, decision=decision, name="", url="")
    )
    _refused(anna, option_kind, lambda: decision_services.option_add(actor=anna, decision=decision, title="Zelf"))
    _refused(anna, option_kind, lambda: decision_services.option_update(actor=anna, option=option, title="Anders"))
    _refused(anna, option_kind, lambda: decision_services.option_remove(actor=anna, option=option))
    _refused(
        anna,
        kind,
        lambda: decision_services.decision_take_time(
            actor=anna, decision=decision, think_until=timezone.localdate() + dt.timedelta(days=7)
        ),
    )
    _refused(
        anna,
        kind,
        lambda: decision_services.decision_decide(
            actor=anna, decision=decision, chosen_option=option, rationale="Daarom"
        ),
    )
    _refused(anna, kind, lambda: decision_services.decision_withdraw(actor=anna, decision=decision))


def test_the_person_cannot_set_targets_screenings_or_letters(cast):
    anna = cast.anna_user
    _refused(
        anna,
        "screening.PersonalTarget",
        lambda: screening_services.personal_target_set(actor=anna, person=cast.anna, measure="systolic", high=140),
    )
    _refused(
        anna,
        "screening.SomaticScreening",
        lambda: screening_services.screening_plan(
            actor=anna, person=cast.anna, due_date=timezone.localdate() + dt.timedelta(days=30)
        ),
    )
    _refused(anna, "screening.LabLetter", lambda: screening_services.letter_draft(actor=anna, person=cast.anna))


def test_only_the_person_makes_or_stops_their_calendar_link(cast):
    kind = "followup.CalendarToken"
    _refused(cast.noor, kind, lambda: followup_services.calendar_token_create(actor=cast.noor, person=cast.anna))
    _refused(cast.noor, kind, lambda: followup_services.calendar_token_revoke(actor=cast.noor, person=cast.anna))


def test_the_rules_are_in_the_table():
    SELF, TEAM = access.Relationship.SELF, access.Relationship.CARE_TEAM
    C = access.Category
    for category in (C.CONSULT_RECORDS, C.DECISION_RECORDS, C.MEASUREMENT_PLAN):
        assert access.allowed(SELF, category, "R")
        for action in "CUD":
            assert not access.allowed(SELF, category, action)
            assert access.allowed(TEAM, category, action)
    for action in "CRUD":
        assert access.allowed(SELF, C.CALENDAR_FEED, action)
        assert not access.allowed(TEAM, C.CALENDAR_FEED, action)


def test_the_calendar_feed_asks_the_guard_and_a_refusal_is_logged(cast, client, monkeypatch):
    """The feed reads by the table like any page: take the person's read of their calendar link
    out of the table and the feed answers 404 with a refused row (it used to ask ``allowed``
    about a relationship it assumed, and wrote its own row)."""
    _token, raw = followup_services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    url = f"/agenda/{raw}.ics"
    assert client.get(url).status_code == 200
    own = dict(access.POLICY[access.Relationship.SELF])
    own[access.Category.CALENDAR_FEED] = frozenset({"C", "U", "D"})
    monkeypatch.setitem(access.POLICY, access.Relationship.SELF, own)
    _refused(cast.anna_user, "followup.CalendarToken", lambda: _raise_404(client.get(url)))


def _raise_404(response):
    if response.status_code == 404:
        raise access.NotFound()
    raise AssertionError(response.status_code)
