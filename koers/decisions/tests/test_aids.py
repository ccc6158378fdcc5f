"""Decision aids (keuzehulpen): an organisation's small catalogue, kept by its manager (no person
data), and per decision whether an aid was offered and used — recorded through the access
layer and the log, and carried to the goal made from the decision and into the care plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.careplans.snapshot import build_snapshot
from koers.decisions import aids
from koers.decisions.models import DecisionAid, SharedDecision
from koers.goals import services as goal_services

from .conftest import XSS, decided, in_option_talk

pytestmark = pytest.mark.django_db

AID = {
    "name": "Keuzehulp slapeloosheid (demo)",
    "url": "https://example.org/keuzehulp-slapen",
    "topic": "Slecht slapen",
    "audience": "Volwassenen die slecht slapen",
    "summary": "U ziet wat slaaptraining en slaapmiddelen doen, en wat u zelf belangrijk vindt.",
}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _aid(cast, **changes):
    return aids.decision_aid_create(actor=cast.mia, organisation=cast.gp_practice, **{**AID, **changes})


def detail_url(decision):
    return reverse("decisions:detail", kwargs={"person_id": decision.person_id, "decision_id": decision.pk})


# --- the catalogue ------------------------------------------------------------------------------


def test_a_manager_keeps_the_catalogue_of_their_organisation(cast):
    aid = _aid(cast)
    assert (aid.organisation, aid.name, aid.active) == (cast.gp_practice, AID["name"], True)
    aids.decision_aid_update(actor=cast.mia, aid=aid, **{**AID, "topic": "Slapen"}, active=False)
    aid.refresh_from_db()
    assert aid.topic == "Slapen" and not aid.active


@pytest.mark.parametrize("who", ["noor", "sam", "anna_user"])
def test_others_cannot_change_the_catalogue(cast, who):
    with pytest.raises(PermissionDenied):
        aids.decision_aid_create(actor=getattr(cast, who), organisation=cast.gp_practice, **AID)
    assert not DecisionAid.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": ""}, "url"),
        ({"summary": "x" * 1001}, "summary"),
        ({"topic": ""}, "topic"),
    ],
)
def test_bad_catalogue_input_saves_nothing(cast, changes, field):
    with pytest.raises(ValidationError) as error:
        _aid(cast, **changes)
    assert field in error.value.message_dict
    assert not DecisionAid.objects.exists()


def test_the_catalogue_pages_for_a_manager(cast):
    mia = _client(cast.mia)
    assert mia.get(reverse("decisions:aids")).status_code == 200
    response = mia.post(reverse("decisions:aid_create"), {**AID, "name": f"Hulp {XSS}", "active": "on"})
    assert response.status_code == 302
    aid = DecisionAid.objects.get()
    page = mia.get(reverse("decisions:aids")).content.decode()
    assert "Hulp &lt;script&gt;" in page and XSS not in page
    response = mia.post(reverse("decisions:aid_edit", kwargs={"aid_id": aid.pk}), {**AID, "url": "ftp://x"})
    assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()
    assert DecisionAid.objects.get().url == AID["url"]


def test_the_catalogue_form_says_every_problem_at_once(cast):
    """Mia left the topic empty and typed an ftp address: she heard about the topic, wrote it, and
    only then about the address. Both in one answer, when adding and when changing; a second aid
    with the same name is said beside the form's own problems too."""
    mia = _client(cast.mia)
    bad = {**AID, "topic": "", "url": "ftp://x"}
    response = mia.post(reverse("decisions:aid_create"), bad)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"topic", "url"}
    aid = _aid(cast)
    response = mia.post(reverse("decisions:aid_edit", kwargs={"aid_id": aid.pk}), bad)
    assert set(response.context["form"].errors) == {"topic", "url"}
    response = mia.post(reverse("decisions:aid_create"), {**AID, "topic": ""})
    assert set(response.context["form"].errors) == {"topic", "name"}  # the name is taken
    assert DecisionAid.objects.count() == 1


def test_professionals_read_the_catalogue_and_other_organisations_see_nothing(cast):
    aid = _aid(cast)
    assert AID["name"] in _client(cast.noor).get(reverse("decisions:aids")).content.decode()
    assert _client(cast.noor).get(reverse("decisions:aid_create")).status_code == 404
    assert AID["name"] not in _client(cast.sam).get(reverse("decisions:aids")).content.decode()
    other_manager = cast.sam.__class__.objects.create(
        username="manager-elders", role="manager", organisation=cast.elsewhere
    )
    assert _client(other_manager).get(reverse("decisions:aid_edit", kwargs={"aid_id": aid.pk})).status_code == 404
    assert _client(cast.anna_user).get(reverse("decisions:aids")).status_code == 404


# --- per decision -------------------------------------------------------------------------------


def test_offering_an_aid_from_the_catalogue_is_recorded_and_logged(cast):
    aid = _aid(cast)
    decision, _options = in_option_talk(cast)
    client = _client(cast.noor)
    page = client.get(reverse("decisions:decision_aid", kwargs={"person_id": cast.anna.pk, "decision_id": decision.pk}))
    assert AID["name"] in page.content.decode() and AID["summary"] in page.content.decode()
    url = reverse("decisions:aid_offer", kwargs={"person_id": cast.anna.pk, "decision_id": decision.pk})
    assert client.post(url, {"aid": aid.pk}).status_code == 302
    saved = SharedDecision.objects.get()
    assert (saved.aid, saved.aid_use, saved.decision_aid_name, saved.decision_aid_url) == (
        aid,
        "offered",
        AID["name"],
        AID["url"],
    )
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person_id=cast.anna.pk, action="U", object_id=str(decision.pk)
    ).exists()


def test_an_aid_of_another_organisation_cannot_be_offered(cast):
    other = aids.decision_aid_create(actor=cast.ada, organisation=cast.elsewhere, **{**AID, "name": "Hulp van elders"})
    decision, _options = in_option_talk(cast)
    url = reverse("decisions:aid_offer", kwargs={"person_id": cast.anna.pk, "decision_id": decision.pk})
    response = _client(cast.noor).post(url, {"aid": other.pk})
    assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()
    assert SharedDecision.objects.get().aid is None


def test_recording_use_of_the_aid_after_the_decision_reaches_the_goal_and_the_plan(cast):
    aid = _aid(cast)
    decision, _options = in_option_talk(cast)
    aids.decision_offer_aid(actor=cast.noor, decision=decision, aid=aid)
    decision, _options = decision, _options
    from koers.decisions import services

    services.decision_decide(
        actor=cast.noor,
        decision=decision,
        chosen_option=decision.options.first(),
        rationale="Past bij mij",
        person_agreed=True,
    )
    client = _client(cast.noor)
    url = reverse("decisions:aid_use", kwargs={"person_id": cast.anna.pk, "decision_id": decision.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"aid_use": "used"}).status_code == 302
    assert SharedDecision.objects.get().aid_use == "used"
    assert "Keuzehulp gebruikt" in client.get(detail_url(decision)).content.decode()

    goal = goal_services.goal_create(
        actor=cast.noor, person=cast.anna, decision=decision, description="Beter slapen", life_domain="health"
    )
    goal_page = client.get(reverse("goals:detail", kwargs={"person_id": cast.anna.pk, "goal_id": goal.pk}))
    assert AID["name"] in goal_page.content.decode() and "gebruikt" in goal_page.content.decode()

    snapshot = build_snapshot(cast.anna)
    assert snapshot["decisions"][0]["decision_aid"] == {"name": AID["name"], "url": AID["url"], "use": "used"}
    assert snapshot["goals"][0]["decision_aid"] == {"name": AID["name"], "url": AID["url"], "use": "used"}
    plan = client.get(reverse("careplans:plan", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert AID["name"] in plan and "Keuzehulp gebruikt" in plan


def test_bad_aid_use_saves_nothing_and_a_stranger_gets_404(cast):
    decision, _options = decided(cast)
    url = reverse("decisions:aid_use", kwargs={"person_id": cast.anna.pk, "decision_id": decision.pk})
    response = _client(cast.noor).post(url, {"aid_use": "misschien"})
    assert response.status_code == 200 and 'class="error-summary"' in response.content.decode()
    assert SharedDecision.objects.get().aid_use == ""
    assert _client(cast.sam).post(url, {"aid_use": "used"}).status_code == 404
    assert SharedDecision.objects.get().aid_use == ""
    with pytest.raises(ValidationError):
        aids.decision_record_aid_use(actor=cast.noor, decision=decision, use="misschien")


def test_recording_use_on_a_decided_decision_makes_a_new_plan_version_and_a_free_text_aid_unlinks(cast):
    from koers.careplans.models import CarePlanVersion
    from koers.decisions import services

    aid = _aid(cast)
    decision, options = in_option_talk(cast)
    aids.decision_offer_aid(actor=cast.noor, decision=decision, aid=aid)
    services.decision_set_decision_aid(
        actor=cast.noor, decision=decision, name="Eigen folder", url="https://example.org/f"
    )
    saved = SharedDecision.objects.get()
    assert (saved.aid, saved.aid_use, saved.decision_aid_name) == (None, "offered", "Eigen folder")
    services.decision_decide(
        actor=cast.noor, decision=decision, chosen_option=options[0], rationale="Past", person_agreed=True
    )
    versions = CarePlanVersion.objects.filter(care_plan__person=cast.anna).count()
    aids.decision_record_aid_use(actor=cast.noor, decision=decision, use="not_used")
    assert CarePlanVersion.objects.filter(care_plan__person=cast.anna).count() == versions + 1
    latest = CarePlanVersion.objects.filter(care_plan__person=cast.anna).order_by("-number").first()
    assert latest.snapshot["decisions"][0]["decision_aid"]["use"] == "not_used"


def test_a_withdrawn_decision_takes_no_aid(cast):
    from koers.decisions import services

    aid = _aid(cast)
    decision, _options = in_option_talk(cast)
    services.decision_withdraw(actor=cast.noor, decision=decision, reason="Speelt niet meer")
    with pytest.raises(ValidationError):
        aids.decision_offer_aid(actor=cast.noor, decision=decision, aid=aid)
    assert SharedDecision.objects.get().aid is None
