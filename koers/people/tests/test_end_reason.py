"""Conditions and medication are ended with a reason, never hard-deleted (issue #12, "Need-to-know").

A condition entered by mistake is marked "entered in error" (FHIR Condition.verificationStatus):
it leaves every list and count but stays in the care team's history and in the export. "Is over"
and "Gestopt" also need a typed reason; who and when are kept. No reason: nothing is written.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers import access
from koers.access import Topic
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.monitoring import suggestions
from koers.monitoring.views.diary import _suggestions
from koers.network.services import care_team_assign, consent_set
from koers.people import exports, selectors, services
from koers.people.models import Condition, Medication
from koers.screening.selectors import has_severe_mental_illness
from koers.workspace.selectors import person_overview
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db

YES = {"bevestigd": "ja"}
MISTAKE = Condition.VerificationStatus.ENTERED_IN_ERROR


def url(name, person, **kwargs):
    return reverse(f"people:{name}", kwargs={"person_id": person.pk, **kwargs})


def rows(**filters) -> int:
    return AccessLogEntry.objects.filter(**filters).count()


@pytest.fixture
def data(cast):
    condition = Condition.objects.create(person=cast.anna, display="Astma", code_system="", code="")
    medication = Medication.objects.create(person=cast.anna, name="Metformine")
    return condition, medication


def _ending_services(condition, medication):
    return [
        ("condition_resolve", lambda actor, reason: services.condition_resolve(
            actor=actor, condition=condition, reason=reason)),
        ("condition_remove", lambda actor, reason: services.condition_remove(
            actor=actor, condition=condition, reason=reason)),
        ("medication_stop", lambda actor, reason: services.medication_stop(
            actor=actor, medication=medication, reason=reason)),
    ]  # fmt: skip


# --- services ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 2001])
def test_every_ending_needs_a_reason_and_writes_nothing_without_one(cast, data, reason):
    condition, medication = data
    writes = rows(outcome="success", action="U")
    for _name, end in _ending_services(condition, medication):
        with pytest.raises(ValidationError) as exc_info:
            end(cast.noor, reason)
        assert "reason" in exc_info.value.message_dict
    condition.refresh_from_db()
    medication.refresh_from_db()
    assert (condition.clinical_status, condition.verification_status, condition.end_reason) == (
        "active",
        "confirmed",
        "",
    )
    assert condition.ended_at is None and condition.ended_by is None
    assert medication.active and medication.end_reason == "" and medication.ended_at is None
    assert rows(outcome="success", action="U") == writes


def test_the_reason_is_dutch_and_plain(cast, data):
    condition, _ = data
    with pytest.raises(ValidationError) as exc_info:
        services.condition_remove(actor=cast.noor, condition=condition, reason="")
    assert exc_info.value.message_dict["reason"] == ["Vul een reden in."]


def test_a_mistake_is_marked_never_deleted_with_reason_who_and_when(cast, data):
    condition, _ = data
    count = Condition.objects.count()
    services.condition_remove(actor=cast.noor, condition=condition, reason=" Bij de verkeerde cliënt ingevuld ")
    assert Condition.objects.count() == count  # no row deleted
    condition.refresh_from_db()
    assert condition.verification_status == MISTAKE
    assert condition.end_reason == "Bij de verkeerde cliënt ingevuld"
    assert condition.ended_by == cast.noor and condition.ended_at is not None
    assert condition.clinical_status == "active"  # what was recorded stays as it was
    # One UPDATE row with what happened; no DELETE row.
    assert rows(action="U", object_type="people.Condition", object_id=str(condition.pk), detail="entered_in_error") == 1
    assert rows(action="D", object_type="people.Condition") == 0
    with pytest.raises(ValidationError):
        services.condition_remove(actor=cast.noor, condition=condition, reason="nog eens")
    with pytest.raises(ValidationError):  # a mistake is not "over" either
        services.condition_resolve(actor=cast.noor, condition=condition, reason="over")
    condition.refresh_from_db()
    assert condition.clinical_status == "active" and condition.end_reason == "Bij de verkeerde cliënt ingevuld"


def test_resolve_and_stop_keep_reason_who_and_when(cast, data):
    condition, medication = data
    services.condition_resolve(actor=cast.noor, condition=condition, reason="Genezen na behandeling")
    services.medication_stop(actor=cast.gert, medication=medication, reason="Bijwerkingen")
    condition.refresh_from_db()
    medication.refresh_from_db()
    assert (condition.clinical_status, condition.end_reason, condition.ended_by) == (
        "resolved",
        "Genezen na behandeling",
        cast.noor,
    )
    assert (medication.active, medication.end_reason, medication.ended_by) == (False, "Bijwerkingen", cast.gert)
    assert condition.ended_at and medication.ended_at
    assert rows(action="U", detail="resolved") == 1 and rows(action="U", detail="stopped") == 1


def test_a_peer_expert_with_consent_to_read_can_end_nothing(cast, data):
    condition, medication = data
    jeroen = make_user("jeroen", organisation=cast.gp_practice, discipline=User.Discipline.PEER_EXPERT)
    care_team_assign(actor=cast.noor, person=cast.anna, professional=jeroen)
    consent_set(actor=cast.anna_user, person=cast.anna, member=jeroen, topic=Topic.CLINICAL, granted=True)
    assert access.can(jeroen, cast.anna, access.Category.CLINICAL, "R")
    for _name, end in _ending_services(condition, medication):
        with pytest.raises(access.NotFound):
            end(jeroen, "Een goede reden")
    assert rows(user=jeroen, outcome="refused") == 3
    condition.refresh_from_db()
    medication.refresh_from_db()
    assert condition.verification_status == "confirmed" and condition.clinical_status == "active"
    assert medication.active


# --- lists, summaries, history and export -----------------------------------------------------


def test_a_mistake_leaves_the_lists_and_counts_but_stays_in_the_history(cast, login, data):
    condition, _ = data
    kept = Condition.objects.create(person=cast.anna, display="Diabetes mellitus type 2")
    services.condition_remove(actor=cast.noor, condition=condition, reason="Verkeerde cliënt")
    page = selectors.profile_page(cast.anna, categories={access.Category.CLINICAL, access.Category.PROFILE})
    assert page["conditions"] == [kept] and page["active_conditions"] == [kept]
    assert page["mistaken_conditions"] == [condition]
    assert selectors.support_facts(cast.anna).active_conditions == 1
    assert list(Condition.objects.recorded().filter(person=cast.anna)) == [kept]

    body = login(cast.noor).get(url("profile", cast.anna)).content.decode()
    section = body.split('id="aandoeningen"')[1].split("</section>")[0]
    current, history = section.split("Per ongeluk vastgelegd</h3>")
    assert "Astma" not in current and "Diabetes" in current
    assert "Astma" in history and "Verkeerde cliënt" in history
    # The person's own page does not list it.
    portal = login(cast.anna_user).get(reverse("people:portal_profile")).content.decode()
    assert "Astma" not in portal and "Diabetes" in portal


def test_the_overview_summary_leaves_a_mistake_out(cast, data):
    condition, _ = data
    services.condition_remove(actor=cast.noor, condition=condition, reason="Verkeerde cliënt")
    overview = person_overview(cast.anna, categories={access.Category.CLINICAL})
    assert overview["conditions"] == []


def test_the_profile_shows_why_a_condition_is_over_and_a_medicine_stopped(cast, login, data):
    condition, medication = data
    services.condition_resolve(actor=cast.noor, condition=condition, reason="Klachten weg sinds de zomer")
    services.medication_stop(actor=cast.noor, medication=medication, reason="Bijwerkingen: misselijk")
    body = login(cast.gert).get(url("profile", cast.anna)).content.decode()
    assert "Klachten weg sinds de zomer" in body and "Bijwerkingen: misselijk" in body
    assert cast.noor.display_name() in body


# --- the confirmation pages with the reason ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwarg"),
    [("condition_resolve", "condition"), ("condition_remove", "condition"), ("medication_stop", "medication")],
)
def test_confirming_without_a_reason_asks_again_with_the_error(cast, login, data, name, kwarg):
    condition, medication = data
    obj = condition if kwarg == "condition" else medication
    client = login(cast.noor)
    target = url(name, cast.anna, **{f"{kwarg}_id": obj.pk})
    question = client.get(target).content.decode()
    assert 'name="reden"' in question and 'for="id_reden"' in question
    writes = rows(outcome="success", action="U")
    response = client.post(target, YES | {"reden": "  "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vul een reden in." in body
    assert 'aria-describedby="id_reden_helptext id_reden_error"' in body and 'aria-invalid="true"' in body
    assert rows(outcome="success", action="U") == writes
    response = client.post(target, YES | {"reden": "Een reden"})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.end_reason == "Een reden" and obj.ended_by == cast.noor
    assert Condition.objects.filter(pk=condition.pk).exists()


def test_the_export_holds_a_mistake_with_its_reason(cast, data):
    condition, _ = data
    services.condition_remove(actor=cast.noor, condition=condition, reason="Verkeerde cliënt")
    [section] = [s for s in exports.sections() if s.key == "conditions"]
    [row] = [r for r in section.collect(cast.anna) if r["id"] == condition.pk]
    assert row["verification_status"]["code"] == "entered_in_error" and row["end_reason"] == "Verkeerde cliënt"
    assert row["ended_at"] and "ended_by" in row


def test_a_mistaken_mental_condition_offers_no_screening_and_no_diary_set(cast, data):
    condition = Condition.objects.create(
        person=cast.anna, display="Depressie", code="P76", code_system=Condition.CodeSystem.ICPC, category="mental"
    )
    assert has_severe_mental_illness(cast.anna)
    assert _suggestions(cast.noor, cast.anna) == suggestions.suggest([("Depressie", "P76")]) != []
    services.condition_remove(actor=cast.noor, condition=condition, reason="Verkeerde cliënt")
    assert not has_severe_mental_illness(cast.anna)
    assert _suggestions(cast.noor, cast.anna) == []
