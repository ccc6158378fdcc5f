"""Builders for the decisions tests: a decision at each point of the three talks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from koers.decisions import services

TODAY = dt.date(2026, 11, 22)
XSS = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


def new_decision(cast, person=None, question="Slaapmiddel of slaaptraining?", actor=None):
    return services.decision_create(actor=actor or cast.noor, person=person or cast.anna, question=question)


def in_option_talk(cast, person=None, participation="together", options=("Slaaptraining", "Slaapmiddel")):
    decision = new_decision(cast, person)
    services.decision_update_choice_talk(
        actor=cast.noor,
        decision=decision,
        wants_to_participate=participation != "professional",
        participation=participation,
    )
    added = [
        services.option_add(actor=cast.noor, decision=decision, title=title, pros=f"Voordeel van {title}")
        for title in options
    ]
    return decision, added


def decided(cast, person=None, participation="together"):
    decision, options = in_option_talk(cast, person, participation)
    services.decision_decide(
        actor=cast.noor,
        decision=decision,
        chosen_option=options[0],
        rationale="Past bij wat ik wil: geen pillen.",
        person_agreed=participation != "professional",
    )
    return decision, options
