"""The crisis plan's pages: the person's portal, the care team's workspace, a relative's view,
the one-page PDF and the pocket card. Each page shown leaves a READ row; everyone else gets the
missing-record 404 with a refused row; a bad phone number stays on the page with its message."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlanVersion
from koers.crisisplans.models import CrisisPhase, CrisisPlan
from koers.crisisplans.tests.conftest import save_phase
from koers.network.services import consent_set

pytestmark = pytest.mark.django_db


def rows(**filters):
    return AccessLogEntry.objects.filter(**filters).count()


def phase_post(phone="06 12345678", **lines):
    data = {
        "signs": "Slecht slapen\nPiekeren",
        "triggers": "",
        "self_care": "Wandelen",
        "others_do": "",
        "others_avoid": "Niet in discussie gaan",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10",
        "contacts-0-name": "Noor",
        "contacts-0-relation": "praktijkondersteuner",
        "contacts-0-phone": phone,
        "contacts-1-name": "",
        "contacts-1-relation": "",
        "contacts-1-phone": "",
    }
    return {**data, **lines}


def test_the_person_reads_their_plan_with_tel_links(cast, login, early):
    client = login(cast.anna_user)
    response = client.get(reverse("crisisplans:portal_plan"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mijn crisisplan" in html
    assert "Het gaat goed" in html and "Vroege signalen" in html and "Crisis" in html
    assert '<a href="tel:0612345678">06 12345678</a>' in html
    assert "<script" not in html.split("</head>")[1]  # nothing on the page needs a script
    assert rows(user=cast.anna_user, action="R", object_type="crisisplans.CrisisPlan", outcome="success") == 1


def test_the_person_edits_a_phase_from_the_portal(cast, login):
    client = login(cast.anna_user)
    url = reverse("crisisplans:portal_phase_vroege_signalen")
    page = client.get(url)
    assert page.status_code == 200
    assert "Hieraan merkt u dat het minder goed gaat" in page.content.decode()
    response = client.post(url, phase_post())
    assert response.status_code == 302
    assert response["Location"] == reverse("crisisplans:portal_plan") + "#fase-early_signs"
    phase = CrisisPhase.objects.get(plan__person=cast.anna, phase="early_signs")
    assert phase.self_care == ["Wandelen"] and phase.others_avoid == ["Niet in discussie gaan"]
    assert phase.contacts == [{"name": "Noor", "relation": "praktijkondersteuner", "phone": "06 12345678"}]
    assert CarePlanVersion.objects.filter(care_plan__person=cast.anna).count() == 1
    follow = client.get(response["Location"])
    assert "Het crisisplan is bewaard: Vroege signalen." in follow.content.decode()


def test_a_bad_phone_number_stays_on_the_page_with_a_clear_message_and_nothing_is_saved(cast, login):
    client = login(cast.anna_user)
    response = client.post(reverse("crisisplans:portal_phase_crisis"), phase_post(phone="06 123"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit telefoonnummer klopt niet. Schrijf het bijvoorbeeld zo: 06 12345678 of 010 1234567." in html
    assert 'role="alert"' in html
    assert 'value="06 123"' in html  # what was typed is kept
    assert not CrisisPlan.objects.exists()


def test_the_person_edits_the_agreements(cast, login):
    client = login(cast.anna_user)
    url = reverse("crisisplans:portal_agreements")
    assert client.get(url).status_code == 200
    data = {"takeover": "Mijn zus", "medication_wishes": "", "where_to_go": "Thuis", "care_for_others": "De kat: buren"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert CrisisPlan.objects.get(person=cast.anna).care_for_others == "De kat: buren"
    assert "De kat: buren" in client.get(reverse("crisisplans:portal_plan")).content.decode()


def test_the_care_team_reads_and_edits_the_plan(cast, login, early):
    client = login(cast.noor)
    page = client.get(reverse("crisisplans:plan", args=[cast.anna.pk]))
    assert page.status_code == 200
    assert "Slecht slapen" in page.content.decode()
    assert rows(user=cast.noor, action="R", person=cast.anna, object_type="crisisplans.CrisisPlan") == 1
    url = reverse("crisisplans:phase_goed", args=[cast.anna.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, phase_post(signs="Ik slaap goed"))
    assert response.status_code == 302
    assert CrisisPhase.objects.get(plan__person=cast.anna, phase="going_well").plan.updated_by == cast.noor
    response = client.post(
        reverse("crisisplans:agreements", args=[cast.anna.pk]),
        {"takeover": "Zus", "medication_wishes": "", "where_to_go": "", "care_for_others": ""},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("outsider", ["sam", "cor", "mia", "rob", "bas_user"])
def test_outsiders_get_the_missing_record_answer(cast, login, early, outsider):
    user = getattr(cast, outsider)
    client = login(user)
    for name in ("crisisplans:plan", "crisisplans:phase_crisis", "crisisplans:pdf", "crisisplans:card"):
        before = rows(user=user, outcome="refused")
        assert client.get(reverse(name, args=[cast.anna.pk])).status_code == 404
        assert rows(user=user, outcome="refused") == before + 1
    assert client.post(reverse("crisisplans:phase_crisis", args=[cast.anna.pk]), phase_post()).status_code == 404
    assert not CrisisPhase.objects.filter(phase="crisis").exists()


def _pdf(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def test_the_plan_prints_on_one_page_and_the_card_is_small(cast, login, early):
    save_phase(
        cast.anna_user,
        cast.anna,
        phase="crisis",
        signs=[f"Signaal nummer {n} dat ik merk als het echt niet meer gaat" for n in range(20)],
        others_do=[f"Iets wat anderen kunnen doen, nummer {n}" for n in range(20)],
    )
    client = login(cast.anna_user)
    plan = _pdf(client.get(reverse("crisisplans:portal_pdf")))
    assert len(plan.pages) == 1
    text = plan.pages[0].extract_text()
    assert "Crisisplan van Anna de Boer" in text and "Slecht slapen" in text and "06 12345678" in text
    card = _pdf(client.get(reverse("crisisplans:portal_card")))
    assert len(card.pages) <= 2
    box = card.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (74, 105)
    card_text = " ".join(p.extract_text() for p in card.pages)
    assert "Vroege signalen" in card_text and "Slecht slapen" in card_text and "Noor" in card_text
    assert rows(user=cast.anna_user, action="R", object_type="crisisplans.CrisisPlan") == 2
    assert _pdf(login(cast.noor).get(reverse("crisisplans:pdf", args=[cast.anna.pk])))


def test_a_relative_with_consent_reads_the_plan_and_without_it_gets_404(cast, login, early):
    client = login(cast.rob)
    url = reverse("workspace:relative_crisis_plan", args=[cast.anna.pk])
    assert client.get(url).status_code == 404
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="crisis_plan", granted=True)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Crisisplan van Anna" in html and '<a href="tel:0612345678">' in html
    assert "/crisisplan/fase/" not in html and "/crisisplan/afspraken/" not in html  # read-only: no edit links
    assert rows(user=cast.rob, action="R", outcome="success", object_type="crisisplans.CrisisPlan") == 1
    home = client.get(reverse("workspace:relative_home")).content.decode()
    assert url in home
    assert client.post(url).status_code == 405


def test_the_care_plan_comparison_shows_the_crisis_plan_only_to_who_may_read_it(cast, login, early):
    save_phase(cast.noor, cast.anna, signs=["Slecht slapen", "Boos worden"])
    url = reverse("careplans:compare", args=[cast.anna.pk]) + "?van=1&naar=2"
    assert "Crisisplan: vroege signalen" in login(cast.noor).get(url).content.decode()
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic="crisis_plan", granted=False)
    html = login(cast.gert).get(url).content.decode()
    assert "Crisisplan: vroege signalen" not in html and "Boos worden" not in html
    assert (
        "Boos worden"
        in login(cast.anna_user).get(reverse("careplans:portal_compare") + "?van=1&naar=2").content.decode()
    )
