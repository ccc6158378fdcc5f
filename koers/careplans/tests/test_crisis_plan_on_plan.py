"""The crisis plan on the care-plan pages (issue #13): it was in the version compare but not on
the plan itself. The plan, its versions and its print page show a short "Crisisplan" section (the
phases with content: early signs and whom to call, as tel: links, and a link to the full crisis
plan), only for a reader who may read the crisis plan (``sections.visible``, category
``crisis_plan``): a peer expert or a relative without that topic never sees it."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from koers.access import Topic
from koers.accounts.models import User
from koers.crisisplans import services as crisis_services
from koers.network.services import care_team_assign, consent_set
from tests.support.testing import make_user

from .conftest import add_goal, record

pytestmark = pytest.mark.django_db

EMPTY = {"signs": [], "triggers": [], "self_care": [], "others_do": [], "others_avoid": [], "contacts": []}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _crisis(cast):
    crisis_services.crisis_plan_phase_update(
        actor=cast.anna_user,
        person=cast.anna,
        phase="early_signs",
        **{
            **EMPTY,
            "signs": ["Slecht slapen", "Piekeren"],
            "contacts": [{"name": "Noor", "relation": "praktijkondersteuner", "phone": "06 12345678"}],
        },
    )


def _pages(cast, version):
    pk = cast.anna.pk
    return [
        reverse("careplans:plan", kwargs={"person_id": pk}),
        reverse("careplans:print", kwargs={"person_id": pk}),
        reverse("careplans:version", kwargs={"person_id": pk, "number": version.number}),
    ]


def test_the_professional_sees_the_crisis_plan_on_plan_version_and_print(cast):
    _crisis(cast)
    add_goal(cast.anna, cast.noor)
    version = record(cast.anna, cast.noor)
    client = _client(cast.noor)
    full = reverse("crisisplans:plan", kwargs={"person_id": cast.anna.pk})
    for address in _pages(cast, version):
        html = client.get(address).content.decode()
        assert 'id="h-crisis"' in html or 'id="p-crisis"' in html, address
        assert "Slecht slapen" in html and "Piekeren" in html, address
        assert 'href="tel:0612345678"' in html, address
        assert f'href="{full}"' in html, address


def test_the_person_sees_it_in_the_portal_plan_version_and_print(cast):
    _crisis(cast)
    add_goal(cast.anna, cast.noor)
    version = record(cast.anna, cast.noor)
    client = _client(cast.anna_user)
    full = reverse("crisisplans:portal_plan")
    for address in (
        reverse("careplans:portal_plan"),
        reverse("careplans:portal_print"),
        reverse("careplans:portal_version", kwargs={"number": version.number}),
    ):
        html = client.get(address).content.decode()
        assert "Crisisplan" in html and "Slecht slapen" in html, address
        assert 'href="tel:0612345678"' in html, address
        assert f'href="{full}"' in html, address


def test_a_peer_expert_without_the_topic_never_sees_it_and_with_it_does(cast):
    _crisis(cast)
    peer = make_user("jeroen", organisation=cast.gp_practice, discipline=User.Discipline.PEER_EXPERT)
    care_team_assign(actor=cast.noor, person=cast.anna, professional=peer)
    # A peer expert reads the crisis plan by default (docs/access.md); the person withdraws it.
    consent_set(actor=cast.anna_user, person=cast.anna, member=peer, topic=Topic.CRISIS_PLAN, granted=False)
    add_goal(cast.anna, cast.noor)
    version = record(cast.anna, cast.noor)
    client = _client(peer)
    pages = _pages(cast, version)
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert "Slecht slapen" not in html and "tel:0612345678" not in html, address
    consent_set(actor=cast.anna_user, person=cast.anna, member=peer, topic=Topic.CRISIS_PLAN, granted=True)
    assert "Slecht slapen" in client.get(pages[0]).content.decode()


def test_a_relative_without_the_topic_never_sees_it(cast):
    _crisis(cast)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.CAREPLAN, granted=True)
    client = _client(cast.rob)
    address = reverse("workspace:relative_plan", kwargs={"person_id": cast.anna.pk})
    assert "Slecht slapen" not in client.get(address).content.decode()
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.CRISIS_PLAN, granted=True)
    html = client.get(address).content.decode()
    assert "Slecht slapen" in html and 'href="tel:0612345678"' in html


def _pdf_text(client, address) -> str:
    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


def _crisis_with_what_to_do(cast):
    crisis_services.crisis_plan_phase_update(
        actor=cast.anna_user,
        person=cast.anna,
        phase="crisis",
        **{
            **EMPTY,
            "signs": ["Niet meer eten"],
            "self_care": ["Bellen met Noor"],
            "others_do": ["Rustig blijven praten"],
            "contacts": [{"name": "Crisisdienst", "relation": "GGZ", "phone": "088 1234567"}],
        },
    )


def test_the_plan_pdf_has_the_short_crisis_plan_for_readers_who_may_read_it(cast):
    """The PDF (plan.txt) left the crisis plan out while the print page had it. Now a short
    section: per phase with content its signs, what to do, whom to call."""
    _crisis(cast)
    _crisis_with_what_to_do(cast)
    for client, address in (
        (_client(cast.noor), reverse("careplans:pdf", kwargs={"person_id": cast.anna.pk})),
        (_client(cast.anna_user), reverse("careplans:portal_pdf")),
    ):
        text = _pdf_text(client, address)
        assert "Crisisplan" in text, address
        assert "Vroege signalen" in text and "Slecht slapen" in text and "Piekeren" in text, address
        assert "Noor (praktijkondersteuner): 06 12345678" in text, address
        assert "Niet meer eten" in text and "Bellen met Noor" in text and "Rustig blijven praten" in text, address
        assert "Crisisdienst (GGZ): 088 1234567" in text, address
        # The first phase with content comes first, in the plan's own order.
        assert text.index("Slecht slapen") < text.index("Niet meer eten"), address


def test_the_plan_pdf_leaves_the_crisis_plan_out_for_a_reader_without_the_topic(cast):
    _crisis(cast)
    peer = make_user("jeroen", organisation=cast.gp_practice, discipline=User.Discipline.PEER_EXPERT)
    care_team_assign(actor=cast.noor, person=cast.anna, professional=peer)
    consent_set(actor=cast.anna_user, person=cast.anna, member=peer, topic=Topic.CRISIS_PLAN, granted=False)
    text = _pdf_text(_client(peer), reverse("careplans:pdf", kwargs={"person_id": cast.anna.pk}))
    assert "Uw doelen" in text  # the plan itself is there
    assert "Crisisplan" not in text and "Slecht slapen" not in text and "12345678" not in text
