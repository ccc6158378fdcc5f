"""The care plan gains two sections of the individual care plan reference model (issue #13): the
health situation (conditions, medication, support level — from koers.people) and the network and
whom to contact (coordinator, first contact, relatives — from koers.network). Registered through
the PlanSection registry, so they are in the plan, its print/PDF text and the version compare.
Who sees them: a reader without conditions and medication (CLINICAL: a social worker by default,
a relative without that topic) never gets the health section; the network section follows the
care plan itself (CAREPLAN)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koers.access import Topic
from koers.accounts.models import User
from koers.careplans import sections
from koers.careplans.pdf import plan_text
from koers.careplans.presentation import describe
from koers.careplans.snapshot import build_snapshot, compare
from koers.network.models import RelativeLink
from koers.network.services import care_team_assign, consent_set
from koers.people.models import Condition, Medication, SupportLevelDecision
from koers.workspace import relative_views
from tests.support.testing import make_user

from .conftest import add_goal, record

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _health(cast, person=None):
    person = person or cast.anna
    Condition.objects.create(person=person, display="Diabetes type 2", category="somatic")
    Condition.objects.create(person=person, display="Oude enkelbreuk", clinical_status="resolved")
    Condition.objects.create(person=person, display="Vergissing", verification_status="entered_in_error")
    Medication.objects.create(person=person, name="Metformine", dosage="2x daags 500 mg", reason="suiker")
    Medication.objects.create(person=person, name="Oxazepam", active=False)
    SupportLevelDecision.objects.create(
        person=person,
        level="chain_care",
        suggested_level="chain_care",
        decided_by=cast.noor,
        decided_at=timezone.now(),
    )
    RelativeLink.objects.filter(person=person, user=cast.rob).update(first_contact=True)


def test_the_snapshot_holds_the_health_situation_and_the_network(cast):
    _health(cast)
    snapshot = build_snapshot(cast.anna)
    health = snapshot["health"]
    assert [c["condition"] for c in health["conditions"]] == ["Diabetes type 2"]  # not resolved, no mistakes
    assert [m["medicine"] for m in health["medications"]] == ["Metformine"]  # only what is used now
    assert health["support_level"]["support_level"] == "chain_care"
    network = snapshot["network"]
    assert network["coordinator"]["name"] == "Noor Bakker"
    assert network["first_contact"]["name"] == "Rob de Boer"
    assert [(r["relative"], r["relationship"], r["is_first_contact"]) for r in network["relatives"]] == [
        ("Rob de Boer", "partner", True)
    ]


def test_the_sections_are_registered_after_the_existing_ones():
    keys = [s.key for s in sections.sections()]
    assert keys[-2:] == ["health", "network"]
    names = {p.name for _s, p in sections.parts()}
    assert {"conditions", "medications", "support_level", "contacts", "relatives"} <= names


def test_a_comparison_names_a_stopped_medicine_and_a_new_first_contact(cast):
    _health(cast)
    old = build_snapshot(cast.anna)
    Medication.objects.filter(name="Metformine").update(active=False)
    RelativeLink.objects.filter(user=cast.rob).update(first_contact=False)
    new = build_snapshot(cast.anna)
    text = describe(compare(old, new), old, new)
    titles = {s["title"]: s["rows"] for s in text["sections"]}
    assert titles["Medicijnen"][0] == {"kind": "removed", "title": "Metformine", "fields": []}
    assert "Wie u kunt bellen" in titles or "Naasten" in titles


def test_the_professional_plan_and_the_pdf_text_show_both(cast):
    _health(cast)
    html = _client(cast.noor).get(reverse("careplans:plan", kwargs={"person_id": cast.anna.pk})).content.decode()
    for text in ("Diabetes type 2", "Metformine", "Ketenzorg", "Rob de Boer", "eerste contactpersoon"):
        assert text in html, text
    assert "Oxazepam" not in html and "Vergissing" not in html
    from koers.careplans.views import _current_context

    body = plan_text({**_current_context(cast.anna, cast.anna_user), "portal": True})
    for text in ("Uw gezondheid", "Diabetes type 2", "Metformine", "Wie u kunt bellen", "Rob de Boer"):
        assert text in body, text


def test_the_person_sees_both_in_their_portal_plan(cast):
    _health(cast)
    html = _client(cast.anna_user).get(reverse("careplans:portal_plan")).content.decode()
    for text in ("Uw gezondheid", "Diabetes type 2", "Metformine", "Wie u kunt bellen", "Noor Bakker", "Rob de Boer"):
        assert text in html, text


def test_a_social_worker_without_the_clinical_topic_never_sees_the_health_section(cast):
    _health(cast)
    social = make_user(
        "saskia", organisation=cast.gp_practice, discipline=User.Discipline.SOCIAL_WORKER, first_name="Saskia"
    )
    care_team_assign(actor=cast.noor, person=cast.anna, professional=social)
    add_goal(cast.anna, cast.noor)
    version = record(cast.anna, cast.noor)
    client = _client(social)
    pages = [
        reverse("careplans:plan", kwargs={"person_id": cast.anna.pk}),
        reverse("careplans:print", kwargs={"person_id": cast.anna.pk}),
        reverse("careplans:version", kwargs={"person_id": cast.anna.pk, "number": version.number}),
    ]
    for address in pages:
        html = client.get(address).content.decode()
        assert "Metformine" not in html and "Diabetes type 2" not in html, address
        assert "Rob de Boer" in html, address  # the network follows the plan itself
    # The person grants conditions and medication: then they are shown.
    consent_set(actor=cast.anna_user, person=cast.anna, member=social, topic=Topic.CLINICAL, granted=True)
    assert "Metformine" in client.get(pages[0]).content.decode()


def test_the_compare_page_leaves_out_health_for_a_reader_without_clinical(cast):
    _health(cast)
    social = make_user(
        "saskia", organisation=cast.gp_practice, discipline=User.Discipline.SOCIAL_WORKER, first_name="Saskia"
    )
    care_team_assign(actor=cast.noor, person=cast.anna, professional=social)
    add_goal(cast.anna, cast.noor)
    record(cast.anna, cast.noor)
    Medication.objects.filter(name="Metformine").update(active=False)
    add_goal(cast.anna, cast.noor, description="Tweede doel")
    record(cast.anna, cast.noor)
    html = _client(social).get(reverse("careplans:compare", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "Tweede doel" in html and "Metformine" not in html
    html = _client(cast.noor).get(reverse("careplans:compare", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "Metformine" in html


def test_relatives_see_the_network_with_the_plan_and_health_only_with_clinical(cast):
    _health(cast)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.CAREPLAN, granted=True)
    client = _client(cast.rob)
    address = reverse("workspace:relative_plan", kwargs={"person_id": cast.anna.pk})
    html = client.get(address).content.decode()
    assert "Noor Bakker" in html  # whom to contact: part of the plan itself
    assert "Metformine" not in html and "Diabetes type 2" not in html
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.CLINICAL, granted=True)
    html = client.get(address).content.decode()
    assert "Metformine" in html and "Diabetes type 2" in html


def test_the_relative_map_decides_the_new_sections():
    assert relative_views.PLAN_SECTION_CATEGORIES["health"] == "clinical"
    assert relative_views.PLAN_SECTION_CATEGORIES["network"] == "careplan"


def test_a_new_first_contact_makes_a_plan_version_that_names_it(cast):
    from koers.careplans.models import CarePlanVersion
    from koers.network.relatives import first_contact_set

    add_goal(cast.anna, cast.noor)
    record(cast.anna, cast.noor)
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    first_contact_set(actor=cast.anna_user, person=cast.anna, link=link)
    latest = CarePlanVersion.objects.filter(care_plan__person=cast.anna).order_by("-number").first()
    assert latest.snapshot["network"]["first_contact"]["name"] == "Rob de Boer"
    assert "Eerste contactpersoon gewijzigd" in latest.summary_text


def test_a_relative_leaving_the_network_makes_a_plan_version_without_them(cast):
    """Main's ended relative links (merged into issue #13's network section): ending one tells the
    plan like a relative joining, and the version no longer names them (nor as first contact)."""
    from koers.careplans.models import CarePlanVersion
    from koers.network.relatives import first_contact_set, relative_link_end

    add_goal(cast.anna, cast.noor)
    record(cast.anna, cast.noor)
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    first_contact_set(actor=cast.anna_user, person=cast.anna, link=link)
    before = CarePlanVersion.objects.filter(care_plan__person=cast.anna).order_by("-number").first()
    assert [r["relative"] for r in before.snapshot["network"]["relatives"]] == ["Rob de Boer"]
    relative_link_end(actor=cast.anna_user, link=link, reason="Verhuisd")
    latest = CarePlanVersion.objects.filter(care_plan__person=cast.anna).order_by("-number").first()
    assert latest.number > before.number
    assert latest.snapshot["network"]["relatives"] == [] and latest.snapshot["network"]["first_contact"] is None
    assert "Naaste niet meer in het netwerk: Rob de Boer" in latest.summary_text
