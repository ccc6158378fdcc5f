"""The access matrix for writes (issue #12): every POST-only view × every actor inside the network.

``tests/test_post_access.py`` sends every write as an *outsider*; ``tests/test_access_matrix.py``
walks every GET page × every actor. This module walks the writes of the people the person let in:
the person, the coordinator, a professional of another organisation, one whose consent the person
withdrew, a social worker, a peer expert, a relative with and without consent, and a professional
under emergency access (read only).

Which views only take a POST is read from their decorators (as ``test_post_access`` does). Each
declares here the write its service asks the guard (``WRITES``: category and action); a POST-only
view without an entry fails. The expected answer is derived from the policy table alone:
``policy.allowed`` for the page's read (its decorator) and for the write, with the actor's
relationship and consent as the walk set them:

- allowed → not a 404 (a redirect, a page or a form error), a success row in the access log, no
  refused row, and the guard was asked the declared write (the declaration is the code's);
- refused → the same 404 page as a missing record, one refused row, and no table of person data
  changed.

One record, one client per actor. An allowed write runs in a transaction that is rolled back after
the checks, so every actor meets the same record.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from koers.access import guard, policy
from koers.access.policy import Category
from koers.audit.models import AccessLogEntry
from tests.test_access_matrix import Consent, _expected, network  # noqa: F401  (a fixture)
from tests.test_post_access import (
    _kwargs,
    accepted_methods,
    dump,
    missing_page,
    normalised,
    person_data_models,
    signed_in,
    write_targets,
)

C, R, U, D = policy.C, policy.R, policy.U, policy.D
CONSENT_TABLES = {"network.Consent", "network.ConsentDecision"}

# The write each POST-only view asks the guard for (its service's ``access.require``): a POST-only
# view of a person or the portal without an entry here fails the walk.
WRITES: dict[str, tuple[Category, str]] = {
    "careplans:save_version": (Category.CAREPLAN, U),
    "consults:agenda_save": (Category.CONSULT_RECORDS, U),
    "consults:item_add": (Category.CONSULTS, C),
    "consults:item_carry": (Category.CONSULTS, C),
    "consults:item_move": (Category.CONSULTS, U),
    "consults:item_remove": (Category.CONSULTS, D),
    "consults:item_restore": (Category.CONSULTS, U),
    "consults:summary": (Category.CONSULT_RECORDS, U),
    "decisions:aid_offer": (Category.DECISIONS, U),
    "followup:worklist_mark": (Category.GOALS, U),
    "followup:worklist_mark_undo": (Category.GOALS, U),
    "followup:portal_evaluation_invite": (Category.RELATIVE_EVALUATION, C),
    # The sender's note on a summary (issue #13): the table allows documents updates to the care
    # team; the service lets only the sender write and tells another reader so (a form error).
    "handover:summary_note": (Category.DOCUMENTS, U),
    # A person's documents (issue #17): a new version of a document, sharing it with the person.
    "documents:version_add": (Category.DOCUMENTS, U),
    "documents:share": (Category.DOCUMENTS, U),
    "goals:action_status": (Category.GOALS, U),
    "socialmap:referral_create": (Category.GOALS, C),
    "socialmap:referral_outcome": (Category.GOALS, U),
    "goals:status": (Category.GOALS, U),
    "monitoring:discuss": (Category.CONSULTS, C),
    "questionnaires:attention_handle": (Category.QUESTIONNAIRES, U),
    "questionnaires:discuss": (Category.CONSULTS, C),
    "questionnaires:start": (Category.QUESTIONNAIRES, C),
    "screening:letter_create": (Category.MEASUREMENT_PLAN, C),
    "screening:letter_send": (Category.MEASUREMENT_PLAN, U),
    "screening:screening_plan": (Category.MEASUREMENT_PLAN, C),
    "consults:portal_item_remove": (Category.CONSULTS, D),
    "consults:portal_item_restore": (Category.CONSULTS, U),
    "consults:portal_prepare_submit": (Category.CONSULTS, U),
    "decisions:portal_participation": (Category.DECISIONS, U),
    "decisions:portal_what_matters": (Category.DECISIONS, U),
    # The person's own word (issue #13): only the person writes it, the care team reads it.
    "decisions:portal_agreement": (Category.DECISION_AGREEMENT, C),
    "careplans:portal_sign_off": (Category.CAREPLAN_SIGNOFF, C),
    "monitoring:portal_discuss": (Category.CONSULTS, C),
    "notifications:portal_mark_all_read": (Category.NOTIFICATIONS, U),
    "notifications:portal_mark_read": (Category.NOTIFICATIONS, U),
    "questionnaires:portal_complete": (Category.QUESTIONNAIRES, U),
}

# An allowed write leaves a success row: the service's row of what it changed, or (a form shown
# again) the page's read row. Two writes the walk cannot make go through, each for a reason of
# its own, with the guard's answer checked all the same:
DECIDED_BUT_NOT_WRITTEN = {
    # The guard says yes, then the service finds nothing to do in this record: no item of the
    # worklist is due today; a screening is already planned. No success row, no refused row.
    "followup:worklist_mark",
    "screening:screening_plan",
    # The person may invite a relative to the yearly evaluation, but the walk's relatives see
    # nothing of Anna when the person writes: the service answers with a message (they could not
    # open the invitation). followup/tests/test_relative_evaluation.py makes the invitation itself.
    "followup:portal_evaluation_invite",
}
# The view checks its form before the service asks the guard (the offer needs an aid of the
# actor's own organisation's catalogue, which the walk's organisations do not have): the form
# comes back (a read row), the write question is never asked. The read decides for everyone the
# walk has: the table gives no one the read of a decision without its write.
FORM_FIRST = {"decisions:aid_offer"}

# The actors inside the network (tests/test_access_matrix.py's fixture has outsiders too, whose
# POSTs tests/test_post_access.py sends).
INSIDE = (
    "person",
    "coordinator",
    "network professional, other organisation",
    "network professional, consent withdrawn",
    "social worker",
    "peer expert",
    "relative with consent",
    "relative without consent",
    "emergency access active",
)


def post_only(record, extra) -> list[tuple[str, object, str, dict]]:
    """(name, view, url, data) of every POST-only view of a person or the portal."""
    found = []
    for name, pattern, view, _url in write_targets(record):
        if view.koers_access["scope"] not in ("person", "portal") or accepted_methods(view) != ["POST"]:
            continue
        url = reverse(name, kwargs=_kwargs(name, pattern, record | extra.get(name, {}).get("url", {})))
        found.append((name, view, url, extra.get(name, {}).get("data", {})))
    return found


def _data(cast, record) -> dict:
    """Per view: the URL's objects and the form data that make the allowed write go through."""
    from koers.consults.models import AgendaItem, Consult
    from koers.followup.models import WorklistMark
    from koers.questionnaires.models import Response

    now = timezone.now()
    anna, action = cast.anna, record["action_id"]
    earlier = Consult.objects.create(
        person=anna, professional=cast.noor, created_by=cast.noor, scheduled_at=now, planned_minutes=30
    )
    deferred = AgendaItem.objects.create(
        person=anna, consult=earlier, title="Werk", source="person", domain="gg", created_by=cast.noor
    )
    removed = AgendaItem.objects.create(
        person=anna,
        consult=record["consult_id"],
        title="Eten",
        source="person",
        domain="gg",
        created_by=cast.anna_user,
        removed_at=now,
    )
    due = now.date().isoformat()
    mark = WorklistMark.objects.create(
        person=anna,
        kind="action_review",
        object_type="goals.Action",
        object_id=action.pk,
        due_date=now.date(),
        handled_by=cast.noor,
        handled_at=now,
    )
    open_response = Response.objects.create(
        person=anna,
        instrument_id="phq-9",
        instrument_version="1.0.0",
        title="PHQ-9",
        status=Response.Status.IN_PROGRESS,
        mode=Response.Mode.PORTAL,
        answers={str(n): "1" for n in range(1, 10)},
        filled_by=cast.anna_user,
        started_at=now,
    )
    from koers.screening.models import LabLetter

    draft = LabLetter.objects.create(
        person=anna, status=LabLetter.Status.REVIEWED, title="Uw uitslagen", body="Beste", created_by=cast.noor
    )
    code = record["code"].pk
    from koers.socialmap.models import Provider, Referral, Service

    provider = Provider.objects.create(maintainer=cast.noor.organisation, name="Buurthuis")
    service = Service.objects.create(provider=provider, name="Wandelgroep", life_domains=["health"], is_group=True)
    referral = Referral.objects.create(person=anna, action=action, service=service, created_by=cast.noor)
    from koers.network.models import RelativeLink

    relative = RelativeLink.objects.filter(person=anna, ended_at__isnull=True).order_by("pk").first()
    from koers.careplans.models import CarePlanVersion
    from koers.decisions.models import DecisionOption, SharedDecision

    # The person agrees with a decision that was taken, and signs off the plan's latest version.
    decided = SharedDecision.objects.create(person=anna, question="Wandelen of fietsen?", created_by=cast.noor)
    chosen = DecisionOption.objects.create(decision=decided, title="Wandelen")
    SharedDecision.objects.filter(pk=decided.pk).update(
        status=SharedDecision.Status.DECIDED, chosen_option=chosen, person_agreed=True, decided_by=cast.noor
    )
    latest = CarePlanVersion.objects.filter(care_plan__person=anna).order_by("-number").first()
    return {
        "decisions:portal_agreement": {"url": {"decision_id": decided}, "data": {"answer": "agree"}},
        "careplans:portal_sign_off": {"data": {"number": latest.number, "answer": "agree"}},
        "followup:portal_evaluation_invite": {"data": {"link": relative.pk}},
        "consults:agenda_save": {"data": {"summary": "Samen besproken"}},
        "consults:item_add": {"data": {"new-title": "Moe", "new-domain": "gg"}},
        "consults:item_carry": {"url": {"item_id": deferred}},
        "consults:item_move": {"data": {"direction": "down"}},
        "consults:item_restore": {"url": {"item_id": removed}},
        "consults:portal_item_restore": {"url": {"item_id": removed}},
        "followup:worklist_mark": {"data": {"item": f"action_review|goals.Action|{action.pk}|{due}"}},
        "followup:worklist_mark_undo": {"data": {"mark": mark.pk}},
        "goals:action_status": {"data": {"status": "done"}},
        "goals:status": {"data": {"lifecycle_status": "on-hold", "note": "Even rust"}},
        "monitoring:discuss": {"data": {"item": code, "periode": "30"}},
        "monitoring:portal_discuss": {"data": {"item": code, "periode": "30"}},
        "questionnaires:attention_handle": {"data": {"handled_note": "Gebeld"}},
        "questionnaires:start": {"data": {"instrument_id": "phq-9"}},
        "questionnaires:portal_complete": {"url": {"response_id": open_response}},
        "screening:screening_plan": {"data": {"due_date": due}},
        "screening:letter_send": {"url": {"letter_id": draft}},
        "decisions:portal_participation": {"data": {"participation": "together"}},
        "socialmap:referral_create": {"data": {"goal": record["goal_id"].pk, "service": referral.service_id}},
        "socialmap:referral_outcome": {"data": {"referral": referral.pk, "outcome": "going"}},
    }


class Asked:
    """The questions the guard was asked (category, action) during one request."""

    def __init__(self, monkeypatch):
        self.questions: set[tuple[str, str]] = set()
        real_allowed, real_table = guard.allowed, guard.table_allows

        def allowed(relationship, category, action, *, topics=None):
            self.questions.add((str(category), str(action)))
            return real_allowed(relationship, category, action, topics=topics)

        def table_allows(relationship, category, action):
            self.questions.add((str(category), str(action)))
            return real_table(relationship, category, action)

        monkeypatch.setattr(guard, "allowed", allowed)
        monkeypatch.setattr(guard, "table_allows", table_allows)


def _rows(user, outcome: str) -> int:
    return AccessLogEntry.objects.filter(user=user, outcome=outcome).count()


def _post(client, token, url, data):
    return client.post(url, {"csrfmiddlewaretoken": token, "bevestigd": "ja", **data})


def _allowed_write(client, token, actor, name, url, data, asked) -> str | None:
    """POST as an actor the table allows, inside a transaction rolled back after the checks."""
    with transaction.atomic():
        success, refused = _rows(actor.user, "success"), _rows(actor.user, "refused")
        asked.questions.clear()
        status = _post(client, token, url, data).status_code
        problem = None
        category, action = WRITES[name]
        if status == 404:
            problem = f"{name}: {actor.key} got 404, the table allows the write"
        elif _rows(actor.user, "refused") != refused:
            problem = f"{name}: {actor.key}'s allowed write left a refused row"
        elif _rows(actor.user, "success") <= success and name not in DECIDED_BUT_NOT_WRITTEN:
            problem = f"{name}: {actor.key}'s allowed write ({status}) left no success row"
        elif (str(category), action) not in asked.questions and name not in FORM_FIRST:
            problem = f"{name}: the guard was not asked {category}/{action} (asked {sorted(asked.questions)})"
        transaction.set_rollback(True)
    return problem


def _refused_write(client, token, actor, name, url, data, missing) -> tuple[str | None, int]:
    refused = _rows(actor.user, "refused")
    success = AccessLogEntry.objects.filter(outcome="success").count()
    response = _post(client, token, url, data)
    status = response.status_code
    if status != 404:
        return (
            f"{name}: {actor.key} got {status}, the table forbids the write (want the 404 of a missing record)",
            status,
        )
    if normalised(response, url) != missing:
        return f"{name}: {actor.key} got a 404 page unlike the one for a missing record", status
    if _rows(actor.user, "refused") != refused + 1:
        return f"{name}: refusing {actor.key} left no refused row (or more than one)", status
    if AccessLogEntry.objects.filter(outcome="success").count() != success:
        return f"{name}: {actor.key}'s refused POST was logged as a success", status
    return None, status


def expected_write(actor, name: str, view) -> bool:
    """The table's answer: the page's read (its decorator) and the write its service asks."""
    scope, read = view.koers_access["scope"], Category(view.koers_access["category"])
    category, action = WRITES[name]
    return _expected(actor, scope, read) and _expected(actor, scope, category, action)


@pytest.mark.django_db
def test_every_post_only_view_declares_its_write(cast):
    from tests.support.testing import make_full_record

    record = make_full_record(cast.anna, professional=cast.noor)
    names = {name for name, _view, _url, _data in post_only(record, {})}
    assert names - set(WRITES) == set(), "POST-only views the write matrix does not cover: add them to WRITES"
    assert set(WRITES) - names == set(), "WRITES names views that are gone or no longer POST-only"
    for category, action in WRITES.values():
        assert action in (C, U, D) and category in set(Category)


@pytest.mark.django_db
def test_every_write_answers_every_actor_inside_the_network_as_the_table_says(cast, network, monkeypatch):  # noqa: F811
    record, actors = network
    views = post_only(record, _data(cast, record))
    targets = list(write_targets(record))
    # The walk itself sets consent (Consent): only the decisions change there.
    models = [m for m in person_data_models() if m._meta.label not in CONSENT_TABLES]
    asked = Asked(monkeypatch)
    problems, seen = [], Counter()
    for actor in (a for a in actors if a.key in INSIDE):
        client, token = signed_in(actor.user)
        missing = missing_page(client, token, targets)
        before = dump(models)
        for name, view, url, data in views:
            category = Category(view.koers_access["category"])
            with Consent(cast, actor, category if view.koers_access["scope"] == "person" else None):
                if expected_write(actor, name, view):
                    problem, status = _allowed_write(client, token, actor, name, url, data, asked), "allowed"
                else:
                    problem, status = _refused_write(client, token, actor, name, url, data, missing)
            seen[actor.key, status] += 1
            if problem:
                problems.append(problem)
        if dump(models) != before:
            changed = [k for k, rows in dump(models).items() if rows != before[k]]
            problems.append(f"{actor.key}: refused writes changed {changed}")
    assert problems == [], f"{len(problems)} writes differ from the access matrix:\n" + "\n".join(problems)
    _assert_not_vacuous(seen, len(views))


def _assert_not_vacuous(seen: Counter, views: int) -> None:
    """Both answers where the table differs: the coordinator writes in the workspace and the person
    in the portal; relatives and emergency access write nowhere; a peer expert in part."""
    assert views >= 29, views
    person_pages = sum(1 for n in WRITES if ":portal_" not in n)
    assert seen["coordinator", "allowed"] == person_pages, seen
    assert seen["person", "allowed"] == views - person_pages, seen
    # The professional whose consent is withdrawn loses each page's topic before its POST.
    nowhere = ("relative with consent", "relative without consent", "emergency access active")
    for key in (*nowhere, "network professional, consent withdrawn"):
        assert seen[key, "allowed"] == 0 and seen[key, 404] == views, (key, seen)
    # A peer expert writes on the recovery topics, not on measurements or questionnaires.
    assert 0 < seen["peer expert", "allowed"] < person_pages and seen["peer expert", 404] > 0, seen
