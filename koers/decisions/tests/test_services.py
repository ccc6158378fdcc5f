"""Services of shared decisions: each talk, each invalid transition, the agreement rule, log rows
and the care-plan version on deciding and withdrawing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlanVersion
from koers.careplans.services import care_plan_record_change
from koers.consults.models import Consult
from koers.decisions import services
from koers.decisions.models import DecisionOption, SharedDecision

from .conftest import TODAY, XSS, decided, in_option_talk, new_decision

pytestmark = pytest.mark.django_db


def log_rows(**filters):
    return AccessLogEntry.objects.filter(**filters).count()


def versions(person):
    return CarePlanVersion.objects.filter(care_plan__person=person).count()


def fresh(decision):
    return SharedDecision.objects.get(pk=decision.pk)


def field_errors(excinfo):
    return excinfo.value.message_dict


# --- create -----------------------------------------------------------------------------------


def test_create_starts_the_choice_talk_and_logs(cast):
    decision = new_decision(cast, question="  Wel of niet opereren?  ")
    assert decision.status == SharedDecision.Status.CHOICE_TALK
    assert decision.question == "Wel of niet opereren?"
    assert decision.created_by == cast.noor
    assert log_rows(user=cast.noor, person=cast.anna, action="C", object_type="decisions.SharedDecision") == 1


def test_create_with_a_consult_of_the_same_person(cast):
    consult = Consult.objects.create(
        person=cast.anna,
        professional=cast.noor,
        created_by=cast.noor,
        scheduled_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    decision = services.decision_create(actor=cast.noor, person=cast.anna, question="Vraag", consult=consult)
    assert decision.consult == consult


def test_create_refuses_a_consult_of_another_person(cast):
    other = Consult.objects.create(
        person=cast.bas,
        professional=cast.noor,
        created_by=cast.noor,
        scheduled_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.decision_create(actor=cast.noor, person=cast.anna, question="Vraag", consult=other)
    assert "consult" in field_errors(excinfo)
    assert not SharedDecision.objects.exists()


@pytest.mark.parametrize("question", ["", "   ", None, "x" * 301])
def test_create_refuses_empty_or_too_long_questions(cast, question):
    with pytest.raises(ValidationError) as excinfo:
        services.decision_create(actor=cast.noor, person=cast.anna, question=question)
    assert "question" in field_errors(excinfo)
    assert not SharedDecision.objects.exists()


@pytest.mark.parametrize("who", ["sam", "cor", "rob", "anna_user", "bas_user"])
def test_create_by_someone_without_access_is_refused_and_logged(cast, who):
    actor = getattr(cast, who)
    with pytest.raises(NotFound):
        services.decision_create(actor=actor, person=cast.anna, question="Vraag")
    assert log_rows(user=actor, outcome="refused") == 1
    assert not SharedDecision.objects.exists()


# --- choice talk ------------------------------------------------------------------------------


def test_choice_talk_records_participation_and_moves_on(cast):
    decision = new_decision(cast)
    services.decision_update_choice_talk(
        actor=cast.noor, decision=decision, wants_to_participate=True, participation="together"
    )
    saved = fresh(decision)
    assert (saved.wants_to_participate, saved.participation, saved.status) == (True, "together", "option_talk")
    assert log_rows(user=cast.noor, action="U", detail="choice_talk") == 1


def test_the_person_can_answer_the_choice_talk_herself(cast):
    decision, _options = in_option_talk(cast)
    services.decision_update_choice_talk(
        actor=cast.anna_user, decision=decision, wants_to_participate=True, participation="self"
    )
    assert fresh(decision).participation == "self"
    assert fresh(decision).status == "option_talk"
    assert log_rows(user=cast.anna_user, person=cast.anna, action="U") == 1


def test_not_wanting_to_take_part_means_leaving_it_to_the_professional(cast):
    decision = new_decision(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_update_choice_talk(
            actor=cast.noor, decision=decision, wants_to_participate=False, participation="together"
        )
    assert "participation" in field_errors(excinfo)
    assert fresh(decision).status == "choice_talk"
    services.decision_update_choice_talk(
        actor=cast.noor, decision=decision, wants_to_participate=False, participation="professional"
    )
    assert fresh(decision).participation == "professional"


@pytest.mark.parametrize(
    ("wants", "participation", "field"),
    [
        ("ja", "together", "wants_to_participate"),
        (None, "self", "wants_to_participate"),
        (True, "wie", "participation"),
    ],
)
def test_choice_talk_refuses_wrong_values(cast, wants, participation, field):
    decision = new_decision(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_update_choice_talk(
            actor=cast.noor, decision=decision, wants_to_participate=wants, participation=participation
        )
    assert field in field_errors(excinfo)
    assert fresh(decision).participation == ""


def test_choice_talk_after_deciding_is_refused(cast):
    decision, _options = decided(cast)
    with pytest.raises(ValidationError, match="al besloten"):
        services.decision_update_choice_talk(
            actor=cast.anna_user, decision=decision, wants_to_participate=False, participation="professional"
        )
    assert fresh(decision).participation == "together"


def test_choice_talk_by_a_stranger_is_refused_and_logged(cast):
    decision = new_decision(cast)
    with pytest.raises(NotFound):
        services.decision_update_choice_talk(
            actor=cast.sam, decision=decision, wants_to_participate=True, participation="self"
        )
    assert log_rows(user=cast.sam, outcome="refused", object_id=str(decision.pk)) == 1


# --- what matters and the decision aid --------------------------------------------------------


def test_the_person_writes_down_what_matters(cast):
    decision, _options = in_option_talk(cast)
    services.decision_set_what_matters(actor=cast.anna_user, decision=decision, what_matters=f"  Geen pillen {XSS} ")
    assert fresh(decision).what_matters == f"Geen pillen {XSS}"
    assert log_rows(user=cast.anna_user, action="U", detail="what_matters") == 1


def test_what_matters_too_long_or_closed_is_refused(cast):
    decision, _options = in_option_talk(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_set_what_matters(actor=cast.noor, decision=decision, what_matters="x" * 4001)
    assert "what_matters" in field_errors(excinfo)
    services.decision_withdraw(actor=cast.noor, decision=decision)
    with pytest.raises(ValidationError, match="vervallen"):
        services.decision_set_what_matters(actor=cast.anna_user, decision=decision, what_matters="Iets")
    assert fresh(decision).what_matters == ""


def test_decision_aid_is_set_and_cleared(cast):
    decision = new_decision(cast)
    services.decision_set_decision_aid(
        actor=cast.noor, decision=decision, name="Keuzehulp slapen", url="https://www.thuisarts.nl/slapen"
    )
    saved = fresh(decision)
    assert (saved.decision_aid_name, saved.decision_aid_url) == ("Keuzehulp slapen", "https://www.thuisarts.nl/slapen")
    services.decision_set_decision_aid(actor=cast.noor, decision=decision, name="", url="")
    assert fresh(decision).decision_aid_url == ""
    assert log_rows(user=cast.noor, detail="decision_aid") == 2


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/keuzehulp",
        "file:///etc/passwd",
        "www.thuisarts.nl",
        "https://",
        "https://example.org/" + "a" * 200,
    ],
)
def test_decision_aid_only_takes_http_or_https_addresses(cast, url):
    decision = new_decision(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_set_decision_aid(actor=cast.noor, decision=decision, name="Keuzehulp", url=url)
    assert "decision_aid_url" in field_errors(excinfo)
    assert fresh(decision).decision_aid_url == ""


def test_decision_aid_needs_both_name_and_address(cast):
    decision = new_decision(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_set_decision_aid(actor=cast.noor, decision=decision, name="", url="https://example.org")
    assert "decision_aid_name" in field_errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_set_decision_aid(actor=cast.noor, decision=decision, name="Keuzehulp", url="")
    assert "decision_aid_url" in field_errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_set_decision_aid(actor=cast.noor, decision=decision, name="x" * 201, url="https://a.nl")
    assert "decision_aid_name" in field_errors(excinfo)


def test_the_decision_aid_is_the_care_teams_to_record(cast):
    decision = new_decision(cast)
    with pytest.raises(NotFound):
        services.decision_set_decision_aid(
            actor=cast.anna_user, decision=decision, name="Iets", url="https://example.org"
        )


# --- options ----------------------------------------------------------------------------------


def test_options_are_added_in_order_including_outside_the_guideline(cast):
    decision, options = in_option_talk(cast)
    extra = services.option_add(
        actor=cast.noor,
        decision=decision,
        title="Niets doen en afwachten",
        within_guideline=False,
        pros="Geen bijwerkingen",
        cons="Klachten blijven misschien",
        consequences_short="Niets verandert",
        consequences_mid="Misschien vanzelf beter",
        consequences_long="Onbekend",
    )
    assert [o.order for o in options] == [0, 1]
    assert extra.order == 2
    assert extra.within_guideline is False
    assert extra.person == cast.anna
    assert log_rows(user=cast.noor, action="C", object_type="decisions.DecisionOption") == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"pros": "x" * 4001}, "pros"),
        ({"consequences_long": "x" * 2001}, "consequences_long"),
        ({"within_guideline": "misschien"}, "within_guideline"),
        ({"order": "eerst"}, "order"),
        ({"order": -1}, "order"),
        ({"order": True}, "order"),
    ],
)
def test_option_add_refuses_bad_input_and_saves_nothing(cast, changes, field):
    decision, _options = in_option_talk(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.option_add(actor=cast.noor, decision=decision, **{"title": "Optie", **changes})
    assert field in field_errors(excinfo)
    assert decision.options.count() == 2


def test_no_more_than_ten_options(cast):
    decision, _options = in_option_talk(cast, options=[f"Optie {i}" for i in range(services.MAX_OPTIONS)])
    with pytest.raises(ValidationError, match="al 10 opties"):
        services.option_add(actor=cast.noor, decision=decision, title="Nog een")


def test_option_update_and_remove(cast):
    decision, (first, second) = in_option_talk(cast)
    services.option_update(
        actor=cast.noor, option=first, title="Slaaptraining in groep", within_guideline=True, cons="Kost tijd", order=5
    )
    saved = DecisionOption.objects.get(pk=first.pk)
    assert (saved.title, saved.cons, saved.order) == ("Slaaptraining in groep", "Kost tijd", 5)
    services.option_remove(actor=cast.noor, option=second)
    assert list(decision.options.values_list("pk", flat=True)) == [first.pk]
    assert log_rows(user=cast.noor, action="U", object_type="decisions.DecisionOption", object_id=str(first.pk)) == 1
    assert log_rows(user=cast.noor, action="D", object_type="decisions.DecisionOption", object_id=str(second.pk)) == 1


def test_options_of_a_closed_decision_cannot_change(cast):
    decision, (first, second) = decided(cast)
    with pytest.raises(ValidationError, match="al besloten"):
        services.option_add(actor=cast.noor, decision=decision, title="Te laat")
    with pytest.raises(ValidationError, match="al besloten"):
        services.option_update(actor=cast.noor, option=second, title="Anders")
    with pytest.raises(ValidationError, match="al besloten"):
        services.option_remove(actor=cast.noor, option=second)
    assert decision.options.count() == 2
    assert DecisionOption.objects.get(pk=second.pk).title == "Slaapmiddel"


def test_the_person_cannot_add_or_change_options(cast):
    decision, (first, _second) = in_option_talk(cast)
    with pytest.raises(NotFound):
        services.option_add(actor=cast.anna_user, decision=decision, title="Eigen optie")
    assert log_rows(user=cast.anna_user, outcome="refused") == 1
    with pytest.raises(NotFound):
        services.option_update(actor=cast.anna_user, option=first, title="Anders")
    assert log_rows(user=cast.anna_user, outcome="refused") == 2
    with pytest.raises(NotFound):
        services.option_remove(actor=cast.anna_user, option=first)


def test_a_stranger_cannot_touch_options(cast):
    decision, (first, _second) = in_option_talk(cast)
    with pytest.raises(NotFound):
        services.option_update(actor=cast.sam, option=first, title="Anders")
    with pytest.raises(NotFound):
        services.option_remove(actor=cast.sam, option=first)
    assert log_rows(user=cast.sam, outcome="refused") == 2
    assert decision.options.count() == 2


# --- time to think ----------------------------------------------------------------------------


def test_taking_time_to_think_and_more_time(cast):
    decision, _options = in_option_talk(cast)
    services.decision_take_time(actor=cast.noor, decision=decision, think_until=TODAY + dt.timedelta(days=14))
    saved = fresh(decision)
    assert (saved.status, saved.think_until) == ("thinking", TODAY + dt.timedelta(days=14))
    services.decision_take_time(actor=cast.noor, decision=decision, think_until=TODAY)
    assert fresh(decision).think_until == TODAY
    assert log_rows(user=cast.noor, detail="thinking") == 2


@pytest.mark.parametrize(
    "think_until",
    [TODAY - dt.timedelta(days=1), "2026-12-01", None, dt.datetime(2026, 12, 1), TODAY.replace(year=2028)],
)
def test_time_to_think_needs_a_valid_date_not_in_the_past(cast, think_until):
    decision, _options = in_option_talk(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_take_time(actor=cast.noor, decision=decision, think_until=think_until)
    assert "think_until" in field_errors(excinfo)
    assert fresh(decision).status == "option_talk"


def test_time_to_think_needs_the_choice_talk_and_options_first(cast):
    decision = new_decision(cast)
    with pytest.raises(ValidationError, match="keuzegesprek"):
        services.decision_take_time(actor=cast.noor, decision=decision, think_until=TODAY)
    empty, _none = in_option_talk(cast, options=())
    with pytest.raises(ValidationError, match="opties"):
        services.decision_take_time(actor=cast.noor, decision=empty, think_until=TODAY)
    assert fresh(empty).status == "option_talk"


def test_no_time_to_think_after_deciding(cast):
    decision, _options = decided(cast)
    with pytest.raises(ValidationError, match="al besloten"):
        services.decision_take_time(actor=cast.noor, decision=decision, think_until=TODAY)


# --- the decision -----------------------------------------------------------------------------


def test_deciding_together_with_explicit_agreement_enters_the_care_plan(cast):
    decision, (first, _second) = in_option_talk(cast)
    services.decision_take_time(actor=cast.noor, decision=decision, think_until=TODAY + dt.timedelta(days=7))
    before = versions(cast.anna)
    services.decision_decide(
        actor=cast.noor, decision=decision, chosen_option=first, rationale="Geen pillen", person_agreed=True
    )
    saved = fresh(decision)
    assert saved.status == "decided"
    assert saved.chosen_option == first
    assert saved.person_agreed and saved.agreed_at is not None
    assert not saved.left_to_professional
    assert saved.decided_by == cast.noor and saved.decided_at is not None
    assert versions(cast.anna) == before + 1
    latest = CarePlanVersion.objects.filter(care_plan__person=cast.anna).latest("number")
    assert latest.snapshot["decisions"][0]["chosen_option"] == "Slaaptraining"
    assert "Slaapmiddel of slaaptraining?" in latest.summary_text
    assert log_rows(user=cast.noor, action="U", detail="decided", object_id=str(decision.pk)) == 1


def test_no_decision_without_the_persons_agreement(cast):
    decision, (first, _second) = in_option_talk(cast)
    before = versions(cast.anna)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_decide(
            actor=cast.noor, decision=decision, chosen_option=first, rationale="Zo is het", person_agreed=False
        )
    assert "person_agreed" in field_errors(excinfo)
    assert fresh(decision).status == "option_talk"
    assert versions(cast.anna) == before


def test_left_to_the_professional_is_recorded_as_such(cast):
    decision, (_first, second) = in_option_talk(cast, participation="professional")
    services.decision_decide(
        actor=cast.gert, decision=decision, chosen_option=second, rationale="Medisch het beste", person_agreed=False
    )
    saved = fresh(decision)
    assert saved.status == "decided"
    assert saved.left_to_professional is True
    assert saved.person_agreed is False and saved.agreed_at is None
    assert saved.decided_by == cast.gert
    latest = CarePlanVersion.objects.filter(care_plan__person=cast.anna).latest("number")
    assert latest.snapshot["decisions"][0]["participation"] == "professional"


def test_the_chosen_option_must_belong_to_this_decision(cast):
    decision, _options = in_option_talk(cast)
    _other, (foreign, _x) = in_option_talk(cast, person=cast.bas)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_decide(
            actor=cast.noor, decision=decision, chosen_option=foreign, rationale="Waarom", person_agreed=True
        )
    assert "chosen_option" in field_errors(excinfo)
    with pytest.raises(ValidationError):
        services.decision_decide(
            actor=cast.noor, decision=decision, chosen_option=None, rationale="Waarom", person_agreed=True
        )
    assert fresh(decision).status == "option_talk"


@pytest.mark.parametrize("rationale", ["", "   ", "x" * 4001])
def test_a_decision_needs_a_rationale(cast, rationale):
    decision, (first, _second) = in_option_talk(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_decide(
            actor=cast.noor, decision=decision, chosen_option=first, rationale=rationale, person_agreed=True
        )
    assert "rationale" in field_errors(excinfo)
    assert fresh(decision).status == "option_talk"


def test_no_decision_before_the_choice_talk(cast):
    decision = new_decision(cast)
    option = services.option_add(actor=cast.noor, decision=decision, title="Optie")
    with pytest.raises(ValidationError, match="keuzegesprek"):
        services.decision_decide(
            actor=cast.noor, decision=decision, chosen_option=option, rationale="Waarom", person_agreed=True
        )


def test_deciding_twice_or_after_withdrawing_is_refused(cast):
    decision, (first, second) = decided(cast)
    with pytest.raises(ValidationError, match="al besloten"):
        services.decision_decide(
            actor=cast.noor, decision=decision, chosen_option=second, rationale="Toch niet", person_agreed=True
        )
    assert fresh(decision).chosen_option == first
    other, (option, _o) = in_option_talk(cast)
    services.decision_withdraw(actor=cast.noor, decision=other)
    with pytest.raises(ValidationError, match="vervallen"):
        services.decision_decide(
            actor=cast.noor, decision=other, chosen_option=option, rationale="Toch", person_agreed=True
        )


def test_the_person_cannot_record_the_decision_herself(cast):
    decision, (first, _second) = in_option_talk(cast)
    with pytest.raises(NotFound):
        services.decision_decide(
            actor=cast.anna_user, decision=decision, chosen_option=first, rationale="Mijn keuze", person_agreed=True
        )
    assert fresh(decision).status == "option_talk"


def test_deciding_by_a_stranger_is_refused_and_logged(cast):
    decision, (first, _second) = in_option_talk(cast)
    with pytest.raises(NotFound):
        services.decision_decide(
            actor=cast.pieter, decision=decision, chosen_option=first, rationale="Ik", person_agreed=True
        )
    assert log_rows(user=cast.pieter, outcome="refused") == 1
    assert fresh(decision).status == "option_talk"


# --- withdrawing ------------------------------------------------------------------------------


def test_withdrawing_an_open_decision_logs_but_the_plan_stays_the_same(cast):
    decision, _options = in_option_talk(cast)
    with transaction.atomic():
        care_plan_record_change(actor=cast.noor, person=cast.anna, summary="Het plan tot nu toe")
    before = versions(cast.anna)
    services.decision_withdraw(actor=cast.noor, decision=decision, reason="Klachten zijn over")
    saved = fresh(decision)
    assert (saved.status, saved.withdrawal_reason, saved.withdrawn_by) == ("withdrawn", "Klachten zijn over", cast.noor)
    assert versions(cast.anna) == before  # an undecided question was never in the plan
    assert log_rows(user=cast.noor, detail="withdrawn") == 1


def test_withdrawing_a_decided_decision_takes_it_out_of_the_plan(cast):
    decision, _options = decided(cast)
    before = versions(cast.anna)
    services.decision_withdraw(actor=cast.noor, decision=decision, reason="Anna heeft zich bedacht")
    assert versions(cast.anna) == before + 1
    latest = CarePlanVersion.objects.filter(care_plan__person=cast.anna).latest("number")
    assert latest.snapshot["decisions"] == []
    assert fresh(decision).chosen_option is not None  # what was decided stays on record


def test_withdrawing_twice_or_with_a_too_long_reason_is_refused(cast):
    decision, _options = in_option_talk(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.decision_withdraw(actor=cast.noor, decision=decision, reason="x" * 2001)
    assert "reason" in field_errors(excinfo)
    assert fresh(decision).status == "option_talk"
    services.decision_withdraw(actor=cast.noor, decision=decision)
    with pytest.raises(ValidationError, match="al vervallen"):
        services.decision_withdraw(actor=cast.noor, decision=decision)


def test_the_person_cannot_withdraw(cast):
    decision, _options = in_option_talk(cast)
    with pytest.raises(NotFound):
        services.decision_withdraw(actor=cast.anna_user, decision=decision)
    assert log_rows(user=cast.anna_user, outcome="refused") == 1
    assert fresh(decision).status == "option_talk"


def test_the_database_refuses_a_decided_decision_without_agreement(cast):
    decision, (first, _second) = in_option_talk(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        SharedDecision.objects.filter(pk=decision.pk).update(status="decided", chosen_option=first, person_agreed=False)
