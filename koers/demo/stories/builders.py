"""Small builders the stories are written with: a goal, an action, a shared decision and its
options, a follow-up agreement, the five GAS levels; ``D`` is a date and ``ICPC`` a code system."""

from __future__ import annotations

import datetime as dt


def goal(
    description,
    domain,
    why="",
    *,
    status="active",
    stage=1,
    owner="person",
    gas=None,
    weight=1,
    reviews=(),
    actions=(),
    completed_at=None,
    target_in=None,
    decision=None,
):
    return {
        "description": description,
        "domain": domain,
        "why": why,
        "status": status,
        "stage": stage,
        "owner": owner,
        "gas": gas,
        "weight": weight,
        "reviews": list(reviews),
        "actions": list(actions),
        "completed_at": completed_at,
        "target_in": target_in,
        "decision": decision,
    }


def action(
    what,
    *,
    when="",
    how_often="",
    where="",
    with_whom="",
    obstacles="",
    plan="",
    confidence=None,
    responsible="person",
    name="",
    review_in=None,
    stage=None,
    done_at=None,
    changes=None,
    progress=(),
):
    return {
        "what": what,
        "when": when,
        "how_often": how_often,
        "where": where,
        "with_whom": with_whom,
        "obstacles": obstacles,
        "plan": plan,
        "confidence": confidence,
        "responsible": responsible,
        "name": name,
        "review_in": review_in,
        "stage": stage,
        "done_at": done_at,
        "changes": changes or {},
        "progress": list(progress),
    }


def option(title, *, description="", pros="", cons="", short="", mid="", long="", guideline=True):
    return {
        "title": title,
        "description": description,
        "pros": pros,
        "cons": cons,
        "consequences_short": short,
        "consequences_mid": mid,
        "consequences_long": long,
        "within_guideline": guideline,
    }


def decision(
    question,
    *,
    status,
    options=(),
    chosen=None,
    participation="together",
    what_matters="",
    rationale="",
    think_days=None,
    aid=("", ""),
    stage=2,
    key=None,
    consult=0,
):
    return {
        "question": question,
        "status": status,
        "options": list(options),
        "chosen": chosen,
        "participation": participation,
        "what_matters": what_matters,
        "rationale": rationale,
        "think_days": think_days,
        "aid": aid,
        "stage": stage,
        "key": key,
        "consult": consult,
    }


def follow_up(what, who, *, method="consult", frequency="", next_in=None, stage=2):
    return {"what": what, "who": who, "method": method, "frequency": frequency, "next_in": next_in, "stage": stage}


def gas(m2, m1, zero, p1, p2):
    return {-2: m2, -1: m1, 0: zero, 1: p1, 2: p2}


ICPC = "icpc"

D = dt.date
