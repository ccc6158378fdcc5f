"""Members of another organisation in a person's network, in real Chromium (issue #12).

(a) Wendy, a social worker of the neighbourhood team (wijkteam), joined Anna's network by the
coordinator's invitation; (b) Piet, a peer expert (ervaringsdeskundige) of another organisation,
likewise. Each sees exactly what Anna allows: the allowed pages work, a category that is not
allowed answers like a missing page, and when Anna withdraws a topic on "Wie mag wat zien" the
very next request of that professional is refused (404 and a refused row in the access log).
(c) Noor records a decision together with Anna on the care team's "Wie mag wat zien".
Every page passes axe-core (WCAG 2.1 A/AA), with no CSP violations and no script errors.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.accounts.models import Organisation, User
from koers.audit.models import AccessLogEntry
from koers.network import invitations
from koers.network.models import ConsentDecision
from tests.support.testing import make_full_record, make_org, make_user

from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser
CONSENT = "/mijn/wie-mag-wat-zien/"


def _join(cast, user):
    """The coordinator invites, with Anna's consent; the professional accepts."""
    invitation, _code = invitations.invitation_create(
        actor=cast.noor, person=cast.anna, kind="professional", delivery="code", invitee=user, consent_given=True
    )
    invitations.invitation_accept(actor=user, invitation=invitation)
    return user


@pytest.fixture
def wendy(cast):
    wijkteam = make_org("Wijkteam Centrum", Organisation.Kind.NEIGHBOURHOOD_TEAM)
    user = make_user(
        "wendy",
        organisation=wijkteam,
        discipline=User.Discipline.SOCIAL_WORKER,
        first_name="Wendy",
        last_name="Hoekstra",
    )
    return _join(cast, user)


@pytest.fixture
def piet(cast):
    academie = make_org("Herstelacademie", Organisation.Kind.OTHER)
    user = make_user(
        "piet", organisation=academie, discipline=User.Discipline.PEER_EXPERT, first_name="Piet", last_name="Jansen"
    )
    return _join(cast, user)


@pytest.fixture
def record(cast):
    return make_full_record(cast.anna, professional=cast.noor)


def _missing(page, url):
    """The page answers exactly like a missing one."""
    response = page.goto(url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")


def _withdraw(anna, name: str, topic: str):
    anna.goto(CONSENT)
    switch = anna.get_by_role("switch", name=f"{name} mag zien: {topic}")
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    expect(anna.get_by_role("switch", name=f"{name} mag zien: {topic}")).to_have_attribute("aria-checked", "false")
    expect(anna.locator("#consent-status")).to_have_text(f"{name} mag dit niet meer zien: {topic}.")


def test_a_wijkteam_professional_sees_what_anna_allows_until_she_withdraws(
    cast, wendy, record, new_page, log_in, problems
):
    page = log_in(new_page(), "wendy")
    goals = reverse("goals:list", args=[cast.anna.pk])
    page.goto(goals)
    expect(page.get_by_text(record["goal_id"].description).first).to_be_visible()
    assert axe_violations(page) == []
    # A social worker sees no conditions and medication without Anna's consent.
    condition = record["condition_id"]
    _missing(page, reverse("people:condition_edit", args=[cast.anna.pk, condition.pk]))
    profile = reverse("people:profile", args=[cast.anna.pk])
    assert page.goto(profile).status == 200
    expect(page.get_by_text(condition.display)).to_have_count(0)

    anna = log_in(new_page(), "anna")
    _withdraw(anna, "Wendy Hoekstra", "Doelen en acties")
    assert axe_violations(anna) == []

    before = AccessLogEntry.objects.filter(user=wendy, outcome="refused").count()
    _missing(page, goals)  # the very next request
    assert AccessLogEntry.objects.filter(user=wendy, outcome="refused").count() == before + 1
    assert page.goto(profile).status == 200  # what is still allowed keeps working
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_a_peer_expert_sees_what_anna_allows_until_she_withdraws(cast, piet, record, new_page, log_in, problems):
    page = log_in(new_page(), "piet")
    plan = reverse("careplans:plan", args=[cast.anna.pk])
    assert page.goto(plan).status == 200
    expect(page.get_by_text(record["follow_up_id"].what).first).to_be_visible()
    assert axe_violations(page) == []
    # A peer expert sees no questionnaires without Anna's consent.
    _missing(page, reverse("questionnaires:list", args=[cast.anna.pk]))
    goals = reverse("goals:list", args=[cast.anna.pk])
    assert page.goto(goals).status == 200

    anna = log_in(new_page(), "anna")
    _withdraw(anna, "Piet Jansen", "Zorgplan")

    before = AccessLogEntry.objects.filter(user=piet, outcome="refused").count()
    _missing(page, plan)  # the very next request
    assert AccessLogEntry.objects.filter(user=piet, outcome="refused").count() == before + 1
    assert page.goto(goals).status == 200
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_the_coordinator_records_a_decision_together_with_anna(cast, piet, new_page, log_in, problems):
    page = log_in(new_page(), "noor")
    page.goto(reverse("network:network", args=[cast.anna.pk]))
    with page.expect_navigation():
        page.get_by_role("link", name="Wie mag wat zien: samen met de cliënt vastleggen").click()
    expect(page.locator("main")).to_contain_text("U legt vast wat Anna de Boer samen met u besluit.")
    assert axe_violations(page) == []
    switch = page.get_by_role("switch", name="Rob de Boer mag zien: Doelen en acties")
    switch.focus()
    page.keyboard.press("Enter")
    switch = page.get_by_role("switch", name="Rob de Boer mag zien: Doelen en acties")
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(switch).to_be_focused()
    expect(page.locator("#consent-history")).to_contain_text("vastgelegd door Noor Bakker, samen met Anna de Boer")
    decision = ConsentDecision.objects.get()
    assert decision.decided_by == cast.noor and decision.recorded_with_person
    assert axe_violations(page) == []

    anna = log_in(new_page(), "anna")
    anna.goto(CONSENT)
    expect(anna.locator("#consent-history")).to_contain_text("vastgelegd door Noor Bakker, samen met u")
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_anna_removes_a_relative_after_confirming_on_a_phone(cast, record, new_page, log_in, problems):
    from koers.network.services import consent_set

    from .conftest import MOBILE

    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="careplan", granted=True)
    rob = log_in(new_page(MOBILE), "rob")
    expect(rob.get_by_role("heading", level=2, name="Anna de Boer")).to_be_visible()

    anna = log_in(new_page(MOBILE), "anna")
    anna.goto("/mijn/netwerk/")
    with anna.expect_navigation():
        anna.get_by_role("button", name="Uit het netwerk halen Rob de Boer").click()
    expect(anna.get_by_role("heading", level=1)).to_have_text("Rob de Boer uit het netwerk halen?")
    assert anna.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert axe_violations(anna) == []
    anna.get_by_label("Reden (niet verplicht)").fill("Dat wil ik nu even niet.")
    with anna.expect_navigation():
        anna.get_by_role("button", name="Ja, uit het netwerk halen").click()
    expect(anna.locator("#messages")).to_contain_text("Rob de Boer hoort niet meer bij het netwerk.")
    assert axe_violations(anna) == []

    rob.goto("/naaste/")  # the very next request
    expect(rob.get_by_role("heading", level=2, name="Anna de Boer")).to_have_count(0)
    _missing(rob, reverse("workspace:relative_plan", args=[cast.anna.pk]))
    anna.goto(CONSENT)
    expect(anna.locator("#consent-history")).to_contain_text("naaste uit het netwerk gehaald door uzelf")
    assert problems.csp_violations() == [] and problems.page_errors == []
