"""Pages of shared decisions, professional and portal: happy paths, bad input (nothing saved),
other people's ids (404 with a refused log row), escaping, htmx partials, query counts and
the path from a decision to a goal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlanVersion
from koers.consults.models import Consult
from koers.decisions import services
from koers.decisions.models import DecisionOption, SharedDecision
from koers.goals import services as goal_services
from koers.goals.models import Goal

from .conftest import TODAY, XSS, decided, in_option_talk, new_decision

pytestmark = pytest.mark.django_db

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
HTMX = {"HTTP_HX_REQUEST": "true"}
YES = {"bevestigd": "ja"}  # the answer on the confirmation page (koers.lib.confirm)


def url(name, decision=None, option=None, person=None):
    kwargs = {}
    if not name.startswith("portal_"):
        kwargs["person_id"] = (person or (decision.person if decision else None)).pk
    if decision is not None:
        kwargs["decision_id"] = decision.pk
    if option is not None:
        kwargs["option_id"] = option.pk
    return reverse(f"decisions:{name}", kwargs=kwargs)


def body(response):
    return response.content.decode()


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def refused(user):
    return AccessLogEntry.objects.filter(user=user, outcome="refused").count()


def option_data(**changes):
    data = {
        "title": "Afwachten",
        "description": "Niets doen en kijken hoe het gaat",
        "within_guideline": "nee",
        "pros": "Geen bijwerkingen",
        "cons": "Klachten blijven misschien",
        "consequences_short": "Niets verandert",
        "consequences_mid": "Misschien vanzelf beter",
        "consequences_long": "Onbekend",
        "order": "",
    }
    return {**data, **changes}


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def noor(cast):
    return _client_for(cast.noor)


@pytest.fixture
def anna(cast):
    return _client_for(cast.anna_user)


# --- list -------------------------------------------------------------------------------------


def test_list_shows_open_and_closed_decisions(cast, noor):
    open_one = new_decision(cast, question="Wel of niet opereren?")
    done, _options = decided(cast)
    new_decision(cast, person=cast.bas, question="Vraag van Bas")
    response = noor.get(url("list", person=cast.anna))
    assert response.status_code == 200
    text = body(response)
    assert "Wel of niet opereren?" in text and done.question in text
    assert "Vraag van Bas" not in text
    assert url("detail", open_one) in text
    assert "Slaaptraining" in text  # the chosen option of the decided one
    assert AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, action="R", outcome="success").exists()


def test_list_query_count_does_not_grow_with_the_number_of_decisions(cast, noor, django_assert_num_queries):
    in_option_talk(cast)
    address = url("list", person=cast.anna)
    with CaptureQueriesContext(connection) as ctx:
        assert noor.get(address).status_code == 200
    for _ in range(3):
        decided(cast)
        new_decision(cast)
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert noor.get(address).status_code == 200


def test_portal_list_query_count_does_not_grow(cast, anna, django_assert_num_queries):
    in_option_talk(cast)
    address = url("portal_list")
    with CaptureQueriesContext(connection) as ctx:
        assert anna.get(address).status_code == 200
    for _ in range(3):
        decided(cast)
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert anna.get(address).status_code == 200


def test_list_for_a_stranger_is_not_found_and_logged(cast, login):
    new_decision(cast)
    client = login(cast.sam)
    assert client.get(url("list", person=cast.anna)).status_code == 404
    assert refused(cast.sam) == 1


# --- create -----------------------------------------------------------------------------------


def test_create_then_the_choice_talk(cast, noor):
    response = noor.post(url("create", person=cast.anna), {"question": "Slaapmiddel of slaaptraining?"})
    decision = SharedDecision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("choice_talk", decision)
    assert decision.person == cast.anna and decision.status == "choice_talk"


def test_create_with_the_persons_consult(cast, noor):
    consult = Consult.objects.create(
        person=cast.anna,
        professional=cast.noor,
        created_by=cast.noor,
        scheduled_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    noor.post(url("create", person=cast.anna), {"question": "Vraag", "consult": consult.pk})
    assert SharedDecision.objects.get().consult == consult


@pytest.mark.parametrize(
    "data",
    [{"question": ""}, {"question": "   "}, {"question": "x" * 301}, {}],
)
def test_create_with_bad_input_saves_nothing(cast, noor, data):
    response = noor.post(url("create", person=cast.anna), data)
    assert response.status_code == 200
    assert 'class="error-summary"' in body(response)
    assert not SharedDecision.objects.exists()


def test_create_refuses_another_persons_consult(cast, noor):
    other = Consult.objects.create(
        person=cast.bas,
        professional=cast.noor,
        created_by=cast.noor,
        scheduled_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    response = noor.post(url("create", person=cast.anna), {"question": "Vraag", "consult": other.pk})
    assert response.status_code == 200
    assert "Kies een van de mogelijkheden" in body(response)
    assert not SharedDecision.objects.exists()


def test_create_by_a_stranger_saves_nothing(cast, login):
    client = login(cast.cor)
    assert client.post(url("create", person=cast.anna), {"question": "Vraag"}).status_code == 404
    assert refused(cast.cor) == 1
    assert not SharedDecision.objects.exists()


def test_script_in_the_question_is_shown_escaped(cast, noor, anna):
    decision = new_decision(cast, question=XSS)
    for client, address in ((noor, url("detail", decision)), (noor, url("list", person=cast.anna))):
        text = body(client.get(address))
        assert XSS not in text and ESCAPED in text
    for address in (url("portal_detail", decision), url("portal_list")):
        text = body(anna.get(address))
        assert XSS not in text and ESCAPED in text


# --- detail -----------------------------------------------------------------------------------


def test_detail_shows_the_three_talks_and_where_we_are(cast, noor):
    decision, _options = in_option_talk(cast)
    text = body(noor.get(url("detail", decision)))
    assert "Keuzegesprek" in text and "Optiegesprek" in text and "Besluitgesprek" in text
    assert 'aria-current="step"' in text
    assert "(nu bezig)" in text and "(klaar)" in text and "(nog te doen)" in text
    assert "De opties naast elkaar" in text
    assert "Voordeel van Slaaptraining" in text


def test_detail_of_another_persons_decision_is_not_found(cast, noor):
    other = new_decision(cast, person=cast.bas)
    address = reverse("decisions:detail", kwargs={"person_id": cast.anna.pk, "decision_id": other.pk})
    assert noor.get(address).status_code == 404
    assert refused(cast.noor) == 1


# --- choice talk, what matters, decision aid ----------------------------------------------------


def test_choice_talk_page(cast, noor):
    decision = new_decision(cast)
    assert noor.get(url("choice_talk", decision)).status_code == 200
    response = noor.post(url("choice_talk", decision), {"wants_to_participate": "ja", "participation": "self"})
    assert response.status_code == 302
    saved = fresh(decision)
    assert (saved.wants_to_participate, saved.participation, saved.status) == (True, "self", "option_talk")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"wants_to_participate": "ja", "participation": "iedereen"}, "Kies een van de mogelijkheden"),
        ({"wants_to_participate": "misschien", "participation": "self"}, "Kies een van de mogelijkheden"),
        ({}, "Kies ja of nee"),
        ({"wants_to_participate": "nee", "participation": "together"}, "laat de beslissing over"),
    ],
)
def test_choice_talk_with_bad_input_saves_nothing(cast, noor, data, message):
    decision = new_decision(cast)
    response = noor.post(url("choice_talk", decision), data)
    assert response.status_code == 200
    assert message in body(response)
    assert fresh(decision).status == "choice_talk" and fresh(decision).participation == ""


def test_what_matters_page(cast, noor):
    decision, _options = in_option_talk(cast)
    response = noor.post(url("what_matters", decision), {"what_matters": XSS})
    assert response.status_code == 302
    assert fresh(decision).what_matters == XSS
    text = body(noor.get(url("detail", decision)))
    assert XSS not in text and ESCAPED in text
    response = noor.post(url("what_matters", decision), {"what_matters": "x" * 4001})
    assert response.status_code == 200
    assert fresh(decision).what_matters == XSS


def test_decision_aid_page(cast, noor, anna):
    decision, _options = in_option_talk(cast)
    data = {"decision_aid_name": "Keuzehulp slapen", "decision_aid_url": "https://www.thuisarts.nl/slapen"}
    assert noor.post(url("decision_aid", decision), data).status_code == 302
    assert fresh(decision).decision_aid_url == "https://www.thuisarts.nl/slapen"
    text = body(anna.get(url("portal_detail", decision)))
    assert 'href="https://www.thuisarts.nl/slapen"' in text
    assert "Keuzehulp slapen" in text


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "ftp://example.org", "data:text/html,x", "thuisarts", "https://" + "a" * 200]
)
def test_decision_aid_with_a_bad_address_saves_nothing(cast, noor, address):
    decision, _options = in_option_talk(cast)
    response = noor.post(url("decision_aid", decision), {"decision_aid_name": "Hulp", "decision_aid_url": address})
    assert response.status_code == 200
    assert 'class="error-summary"' in body(response)
    assert fresh(decision).decision_aid_url == ""


# --- options ----------------------------------------------------------------------------------


def test_option_add_page_outside_the_guideline(cast, noor):
    decision, _options = in_option_talk(cast)
    assert noor.get(url("option_add", decision)).status_code == 200
    response = noor.post(url("option_add", decision), option_data(title=XSS))
    assert response.status_code == 302
    option = decision.options.get(title=XSS)
    assert option.within_guideline is False and option.order == 2
    text = body(noor.get(url("detail", decision)))
    assert XSS not in text and ESCAPED in text
    assert "buiten de richtlijn" in text
    assert "Klachten blijven misschien" in text


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"order": "eerst"},
        {"order": "-1"},
        {"within_guideline": "soms"},
        {"pros": "x" * 4001},
        {"consequences_short": "x" * 2001},
    ],
)
def test_option_add_with_bad_input_saves_nothing(cast, noor, changes):
    decision, _options = in_option_talk(cast)
    response = noor.post(url("option_add", decision), option_data(**changes))
    assert response.status_code == 200
    assert 'class="error-summary"' in body(response)
    assert decision.options.count() == 2


def test_option_edit_page(cast, noor):
    decision, (first, _second) = in_option_talk(cast)
    response = noor.get(url("option_edit", decision, first))
    assert response.status_code == 200
    assert 'value="Slaaptraining"' in body(response)
    response = noor.post(url("option_edit", decision, first), option_data(title="Slaaptraining online", order="7"))
    assert response.status_code == 302
    saved = fresh(first)
    assert (saved.title, saved.order, saved.within_guideline) == ("Slaaptraining online", 7, False)


def test_option_edit_with_bad_input_saves_nothing(cast, noor):
    decision, (first, _second) = in_option_talk(cast)
    response = noor.post(url("option_edit", decision, first), option_data(title=""))
    assert response.status_code == 200
    assert fresh(first).title == "Slaaptraining"


def test_options_of_another_person_or_decision_are_not_found(cast, noor):
    decision, (first, _second) = in_option_talk(cast)
    other_decision, (other_option, _x) = in_option_talk(cast)
    _bas_decision, (bas_option, _y) = in_option_talk(cast, person=cast.bas)
    for option in (other_option, bas_option):
        before = refused(cast.noor)
        assert noor.get(url("option_edit", decision, option)).status_code == 404
        assert noor.post(url("option_edit", decision, option), option_data()).status_code == 404
        assert noor.post(url("option_remove", decision, option), YES).status_code == 404
        assert refused(cast.noor) == before + 3
    assert DecisionOption.objects.filter(pk__in=[other_option.pk, bas_option.pk], title="Slaaptraining").count() == 2


def test_option_remove_asks_first_then_redirects(cast, noor):
    """ "Weghalen" was one click without JavaScript (hx-confirm asks only with it)."""
    decision, (first, second) = in_option_talk(cast)
    for response in (noor.post(url("option_remove", decision, first)), noor.get(url("option_remove", decision, first))):
        assert response.status_code == 200
        assert "Optie ‘Slaaptraining’ weghalen?" in body(response) and 'name="bevestigd" value="ja"' in body(response)
    assert decision.options.count() == 2
    page = body(noor.get(url("detail", decision)))
    assert "hx-confirm" not in page  # the page asks, for everyone, not a script dialog
    before = AccessLogEntry.objects.filter(person=cast.anna, action="D", object_id=str(first.pk)).count()
    response = noor.post(url("option_remove", decision, first), YES)
    assert response.status_code == 302 and response["Location"].endswith("#opties")
    assert list(decision.options.all()) == [second]
    assert AccessLogEntry.objects.filter(person=cast.anna, action="D", object_id=str(first.pk)).count() == before + 1


def test_option_remove_with_htmx_returns_the_options_partial(cast, noor):
    decision, (first, second) = in_option_talk(cast)
    response = noor.post(url("option_remove", decision, first), YES, **HTMX)
    assert response.status_code == 200
    text = body(response)
    assert 'id="opties"' in text and "<html" not in text
    assert "Slaapmiddel" in text and "Voordeel van Slaaptraining" not in text


def test_option_remove_after_deciding_is_refused_with_a_message(cast, noor):
    decision, (first, _second) = decided(cast)
    response = noor.post(url("option_remove", decision, first), YES, **HTMX)
    assert response.status_code == 200
    assert "al besloten" in body(response)
    assert decision.options.count() == 2


# --- time to think ----------------------------------------------------------------------------


def test_take_time_page(cast, noor, anna):
    decision, _options = in_option_talk(cast)
    assert noor.get(url("take_time", decision)).status_code == 200
    response = noor.post(url("take_time", decision), {"think_until": "2026-12-06"})
    assert response.status_code == 302
    assert fresh(decision).status == "thinking" and fresh(decision).think_until == dt.date(2026, 12, 6)
    assert "bedenktijd tot en met" in body(anna.get(url("portal_detail", decision)))


@pytest.mark.parametrize("value", ["", "morgen", "2026-11-21", "2026-02-30", "2030-01-01"])
def test_take_time_with_a_bad_date_saves_nothing(cast, noor, value):
    decision, _options = in_option_talk(cast)
    response = noor.post(url("take_time", decision), {"think_until": value})
    assert response.status_code == 200
    assert 'class="error-summary"' in body(response)
    assert fresh(decision).status == "option_talk"


# --- the decision -----------------------------------------------------------------------------


def test_decide_with_agreement_then_make_a_goal(cast, noor):
    decision, (first, _second) = in_option_talk(cast)
    services.decision_set_what_matters(actor=cast.noor, decision=decision, what_matters="Geen pillen")
    assert noor.get(url("decide", decision)).status_code == 200
    versions_before = CarePlanVersion.objects.filter(care_plan__person=cast.anna).count()
    response = noor.post(
        url("decide", decision), {"chosen_option": first.pk, "rationale": "Past bij Anna", "person_agreed": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("to_goal", decision)
    saved = fresh(decision)
    assert saved.status == "decided" and saved.person_agreed and saved.chosen_option == first
    assert CarePlanVersion.objects.filter(care_plan__person=cast.anna).count() == versions_before + 1

    page = body(noor.get(url("to_goal", decision)))
    assert "Slaaptraining</textarea>" in page  # prefilled from the chosen option
    assert "Geen pillen</textarea>" in page  # and what mattered
    response = noor.post(
        url("to_goal", decision),
        {
            "description": "Ik wil weer goed slapen zonder pillen",
            "life_domain": "health",
            "why_it_matters": "Geen pillen",
            "owner": "person",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.person, goal.decision, goal.lifecycle_status) == (cast.anna, saved, "active")
    assert "Ik wil weer goed slapen zonder pillen" in body(noor.get(url("detail", decision)))


def test_decide_without_agreement_saves_nothing(cast, noor):
    decision, (first, _second) = in_option_talk(cast)
    response = noor.post(url("decide", decision), {"chosen_option": first.pk, "rationale": "Zo is het"})
    assert response.status_code == 200
    assert "uitdrukkelijk instemt" in body(response)
    assert fresh(decision).status == "option_talk"
    assert not CarePlanVersion.objects.filter(care_plan__person=cast.anna).exists()


def test_decide_says_every_problem_at_once(cast, noor):
    """Noor chose no option, wrote no reason and did not tick Anna's agreement: she was told about
    the option and the reason, did both, and only then heard the agreement was missing."""
    decision, _options = in_option_talk(cast)
    response = noor.post(url("decide", decision), {"chosen_option": "", "rationale": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"chosen_option", "rationale", "person_agreed"}
    assert fresh(decision).status == "option_talk"


def test_decide_when_left_to_the_professional(cast, noor):
    decision, (_first, second) = in_option_talk(cast, participation="professional")
    assert "laat de beslissing over aan de zorgverlener" in body(noor.get(url("decide", decision)))
    response = noor.post(url("decide", decision), {"chosen_option": second.pk, "rationale": "Medisch het beste"})
    assert response.status_code == 302
    saved = fresh(decision)
    assert saved.status == "decided" and saved.left_to_professional and not saved.person_agreed
    assert "liet de beslissing over aan de zorgverlener" in body(noor.get(url("detail", decision)))


@pytest.mark.parametrize("which", ["other_decision", "other_person", "nonsense", "empty"])
def test_decide_refuses_an_option_of_another_decision(cast, noor, which):
    decision, _options = in_option_talk(cast)
    _d, (other_option, _x) = in_option_talk(cast)
    _b, (bas_option, _y) = in_option_talk(cast, person=cast.bas)
    value = {"other_decision": other_option.pk, "other_person": bas_option.pk, "nonsense": "abc", "empty": ""}[which]
    response = noor.post(
        url("decide", decision), {"chosen_option": value, "rationale": "Waarom", "person_agreed": "on"}
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in body(response)
    assert not SharedDecision.objects.filter(status="decided").exists()


@pytest.mark.parametrize("rationale", ["", "x" * 4001])
def test_decide_needs_a_rationale(cast, noor, rationale):
    decision, (first, _second) = in_option_talk(cast)
    response = noor.post(
        url("decide", decision), {"chosen_option": first.pk, "rationale": rationale, "person_agreed": "on"}
    )
    assert response.status_code == 200
    assert fresh(decision).status == "option_talk"


def test_decide_before_the_choice_talk_says_what_to_do_first(cast, noor):
    decision = new_decision(cast)
    text = body(noor.get(url("decide", decision)))
    assert "Voer eerst het keuzegesprek" in text
    option = services.option_add(actor=cast.noor, decision=decision, title="Optie")
    response = noor.post(url("decide", decision), {"chosen_option": option.pk, "rationale": "W", "person_agreed": "on"})
    assert response.status_code == 200
    assert "keuzegesprek" in body(response)
    assert fresh(decision).status == "choice_talk"


def test_a_decided_decision_cannot_be_decided_again(cast, noor):
    decision, (first, second) = decided(cast)
    assert "al besloten" in body(noor.get(url("decide", decision)))
    response = noor.post(url("decide", decision), {"chosen_option": second.pk, "rationale": "W", "person_agreed": "on"})
    assert response.status_code == 200
    assert fresh(decision).chosen_option == first


def test_to_goal_before_deciding_makes_no_goal(cast, noor):
    decision, _options = in_option_talk(cast)
    assert "Neem eerst samen een besluit" in body(noor.get(url("to_goal", decision)))
    data = {"description": "Doel", "life_domain": "health", "why_it_matters": "", "owner": "person"}
    response = noor.post(url("to_goal", decision), data)
    assert response.status_code == 200
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    "changes", [{"description": ""}, {"description": "x" * 1001}, {"life_domain": "maan"}, {"owner": "buurman"}]
)
def test_to_goal_with_bad_input_makes_no_goal(cast, noor, changes):
    decision, _options = decided(cast)
    data = {"description": "Doel", "life_domain": "health", "why_it_matters": "", "owner": "person", **changes}
    response = noor.post(url("to_goal", decision), data)
    assert response.status_code == 200
    assert 'class="error-summary"' in body(response)
    assert not Goal.objects.exists()


def test_to_goal_by_a_stranger_makes_no_goal(cast, login):
    decision, _options = decided(cast)
    client = login(cast.pieter)
    data = {"description": "Doel", "life_domain": "health", "owner": "person"}
    assert client.post(url("to_goal", decision), data).status_code == 404
    assert refused(cast.pieter) == 1
    assert not Goal.objects.exists()


# --- withdrawing ------------------------------------------------------------------------------


def test_withdraw_page(cast, noor):
    decision, _options = decided(cast)
    assert noor.get(url("withdraw", decision)).status_code == 200
    response = noor.post(url("withdraw", decision), {"reason": "Anna heeft zich bedacht"})
    assert response.status_code == 302
    assert fresh(decision).status == "withdrawn"
    text = body(noor.get(url("detail", decision)))
    assert "Deze beslissing is vervallen." in text and "Anna heeft zich bedacht" in text


def test_withdraw_with_a_too_long_reason_saves_nothing(cast, noor):
    decision, _options = in_option_talk(cast)
    response = noor.post(url("withdraw", decision), {"reason": "x" * 2001})
    assert response.status_code == 200
    assert fresh(decision).status == "option_talk"


# --- the portal -------------------------------------------------------------------------------


def test_portal_list_shows_only_my_decisions(cast, anna):
    new_decision(cast, question="Mijn vraag")
    new_decision(cast, person=cast.bas, question="Vraag van Bas")
    text = body(anna.get(url("portal_list")))
    assert "Mijn vraag" in text and "Vraag van Bas" not in text


def test_portal_detail_in_plain_language(cast, anna):
    decision, _options = in_option_talk(cast)
    services.option_add(
        actor=cast.noor,
        decision=decision,
        title="Afwachten",
        within_guideline=False,
        consequences_long="Misschien gaat het vanzelf over",
    )
    response = anna.get(url("portal_detail", decision))
    assert response.status_code == 200
    text = body(response)
    for expected in (
        decision.question,
        "Wat kunt u kiezen?",
        "Misschien gaat het vanzelf over",
        "buiten de richtlijn",
        "Hoe wilt u meebeslissen?",
        "Wat is voor u belangrijk?",
    ):
        assert expected in text, expected
    assert AccessLogEntry.objects.filter(user=cast.anna_user, person=cast.anna, action="R").exists()


def test_portal_detail_of_someone_elses_decision_is_not_found(cast, anna):
    other = new_decision(cast, person=cast.bas)
    assert anna.get(url("portal_detail", other)).status_code == 404
    assert anna.post(url("portal_what_matters", other), {"what_matters": "Van mij"}).status_code == 404
    assert anna.post(url("portal_participation", other), {"participation": "self"}).status_code == 404
    assert refused(cast.anna_user) == 3
    assert fresh(other).what_matters == "" and fresh(other).participation == ""


def test_the_person_writes_what_matters_in_the_portal(cast, anna, noor):
    decision, _options = in_option_talk(cast)
    response = anna.post(url("portal_what_matters", decision), {"what_matters": f"Blijven fietsen {XSS}"})
    assert response.status_code == 302
    assert fresh(decision).what_matters == f"Blijven fietsen {XSS}"
    for client, address in ((anna, url("portal_detail", decision)), (noor, url("detail", decision))):
        text = body(client.get(address))
        assert XSS not in text and ESCAPED in text


def test_what_matters_in_the_portal_with_htmx(cast, anna):
    decision, _options = in_option_talk(cast)
    response = anna.post(url("portal_what_matters", decision), {"what_matters": "Zelfstandig blijven"}, **HTMX)
    assert response.status_code == 200
    text = body(response)
    assert 'id="wat-belangrijk-is"' in text and "<html" not in text
    assert "Opgeslagen" in text
    assert fresh(decision).what_matters == "Zelfstandig blijven"


def test_what_matters_in_the_portal_too_long_saves_nothing(cast, anna):
    decision, _options = in_option_talk(cast)
    for extra in ({}, HTMX):
        response = anna.post(url("portal_what_matters", decision), {"what_matters": "x" * 4001}, **extra)
        assert response.status_code == 200
        assert 'class="error-summary"' in body(response)
    assert fresh(decision).what_matters == ""


def test_the_person_chooses_how_to_take_part(cast, anna):
    decision = new_decision(cast)
    response = anna.post(url("portal_participation", decision), {"participation": "professional"})
    assert response.status_code == 302
    saved = fresh(decision)
    assert (saved.participation, saved.wants_to_participate, saved.status) == ("professional", False, "option_talk")
    response = anna.post(url("portal_participation", decision), {"participation": "together"}, **HTMX)
    assert response.status_code == 200 and 'id="meebeslissen"' in body(response)
    assert fresh(decision).participation == "together"


@pytest.mark.parametrize("value", ["", "iedereen", "<script>"])
def test_participation_in_the_portal_with_bad_input_saves_nothing(cast, anna, value):
    decision = new_decision(cast)
    response = anna.post(url("portal_participation", decision), {"participation": value})
    assert response.status_code == 200
    assert 'class="error-summary"' in body(response)
    assert fresh(decision).participation == ""


def test_after_deciding_the_portal_shows_the_decision_and_no_forms(cast, anna):
    decision, _options = decided(cast)
    goal_services.goal_create(
        actor=cast.noor,
        person=cast.anna,
        description="Zonder pillen goed slapen",
        life_domain="health",
        why_it_matters="",
        owner="person",
        decision=decision,
        lifecycle_status="active",
    )
    text = body(anna.get(url("portal_detail", decision)))
    assert "Wat is besloten" in text and "U heeft met deze keuze ingestemd." in text
    assert "Zonder pillen goed slapen" in text
    assert url("portal_what_matters", decision) not in text
    response = anna.post(url("portal_what_matters", decision), {"what_matters": "Te laat"})
    assert response.status_code == 200
    assert "al besloten" in body(response)
    assert fresh(decision).what_matters == ""


def test_portal_pages_are_not_for_professionals(cast, noor):
    decision = new_decision(cast)
    assert noor.get(url("portal_list")).status_code == 404
    assert noor.get(url("portal_detail", decision)).status_code == 404
    assert noor.post(url("portal_what_matters", decision), {"what_matters": "x"}).status_code == 404
    assert fresh(decision).what_matters == ""


def test_the_person_cannot_use_the_professional_pages(cast, anna):
    decision, (first, _second) = in_option_talk(cast)
    assert anna.get(url("detail", decision)).status_code == 404
    response = anna.post(url("decide", decision), {"chosen_option": first.pk, "rationale": "Ik", "person_agreed": "on"})
    assert response.status_code == 404
    assert fresh(decision).status == "option_talk"


def test_thinking_shows_until_when(cast, noor):
    decision, _options = in_option_talk(cast)
    services.decision_take_time(actor=cast.noor, decision=decision, think_until=TODAY + dt.timedelta(days=3))
    text = body(noor.get(url("list", person=cast.anna)))
    assert "tot en met 25 november 2026" in text


def test_pages_and_messages_are_translated_to_english(cast, noor):
    from django.utils import translation

    decision, _options = in_option_talk(cast)
    noor.cookies["django_language"] = "en"
    text = body(noor.get(url("detail", decision), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Choice talk" in text and "The options side by side" in text
    with translation.override("en"):
        response = noor.post(url("decide", decision), {"chosen_option": "", "rationale": ""})
        assert "Choose an option." in body(response)
