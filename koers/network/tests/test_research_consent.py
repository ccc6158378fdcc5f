"""The person's choice about research use (issue #16): on "Wie mag wat zien", opt-in, with
history, logged; a professional records it with the person; nobody else can."""

from __future__ import annotations

import pytest

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.network import selectors, services
from koers.network.models import ResearchConsentDecision

pytestmark = pytest.mark.django_db
URL = "/mijn/wie-mag-wat-zien/"


def test_no_decision_means_no(cast):
    assert selectors.research_consent(cast.anna) is False
    assert cast.anna.pk not in selectors.research_consented_person_ids()


def test_the_person_says_yes_and_withdraws_on_their_page(cast, client):
    client.force_login(cast.anna_user)
    page = client.get(URL).content.decode()
    assert "Ik doe mee aan onderzoek, zonder mijn naam" in page and 'id="id_research_granted"' in page
    response = client.post(URL, {"research_form": "1", "granted": "on"})
    assert response.status_code == 302
    assert selectors.research_consent(cast.anna) is True
    assert selectors.research_consented_person_ids() == {cast.anna.pk}
    assert AccessLogEntry.objects.filter(
        user=cast.anna_user, person=cast.anna, action="U", object_type="network.ResearchConsentDecision"
    ).exists()
    client.post(URL, {"research_form": "1"})  # the box unticked: withdrawn
    assert selectors.research_consent(cast.anna) is False
    assert cast.anna.pk not in selectors.research_consented_person_ids()
    history = selectors.research_consent_history(cast.anna)
    assert [d.granted for d in history] == [False, True]  # newest first, both kept
    assert "nee, niet voor onderzoek" in client.get(URL).content.decode()


def test_saving_the_same_choice_again_writes_nothing(cast):
    services.research_consent_set(actor=cast.anna_user, person=cast.anna, granted=True)
    assert services.research_consent_set(actor=cast.anna_user, person=cast.anna, granted=True) is None
    assert ResearchConsentDecision.objects.filter(person=cast.anna).count() == 1


def test_a_professional_records_it_with_the_person(cast, client):
    client.force_login(cast.noor)
    client.post(f"/personen/{cast.anna.pk}/wie-mag-wat-zien/", {"research_form": "1", "granted": "on"})
    decision = ResearchConsentDecision.objects.get(person=cast.anna)
    assert decision.granted and decision.recorded_with_person and decision.decided_by == cast.noor


def test_others_cannot_decide_and_get_the_missing_record_answer(cast, client):
    for outsider in (cast.rob, cast.sam):  # a relative; a professional outside the network
        with pytest.raises(NotFound):
            services.research_consent_set(actor=outsider, person=cast.anna, granted=True)
    client.force_login(cast.sam)
    response = client.post(f"/personen/{cast.anna.pk}/wie-mag-wat-zien/", {"research_form": "1", "granted": "on"})
    assert response.status_code == 404
    assert not ResearchConsentDecision.objects.exists()
    assert AccessLogEntry.objects.filter(user=cast.sam, person=cast.anna, outcome="refused").exists()
