"""A treatment-change mark (phase) can point at the medication change or the shared decision it
records: optional, shown with the mark, and only that person's own records can be linked —
someone else's medication or decision answers exactly like one that does not exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers.decisions.services import decision_create
from koers.monitoring import services
from koers.monitoring.models import Phase
from koers.people.models import Medication

pytestmark = pytest.mark.django_db
START = dt.date(2026, 3, 1)


@pytest.fixture
def records(cast):
    anna_med = Medication.objects.create(person=cast.anna, name="Sertraline", dosage="50 mg")
    bas_med = Medication.objects.create(person=cast.bas, name="Lithium", dosage="400 mg")
    anna_decision = decision_create(actor=cast.noor, person=cast.anna, question="Welk medicijn tegen somberheid?")
    bas_decision = decision_create(actor=cast.noor, person=cast.bas, question="Bas zijn vraag")
    return anna_med, bas_med, anna_decision, bas_decision


def phases_url(person) -> str:
    return reverse("monitoring:phases", kwargs={"person_id": person.pk})


def test_a_mark_can_point_at_the_persons_medication_or_decision(cast, records):
    anna_med, _bas_med, anna_decision, _bas_decision = records
    phase = services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=START, label="Start sertraline", medication=anna_med
    )
    assert phase.medication == anna_med and phase.decision is None
    other = services.phase_create(
        actor=cast.noor,
        person=cast.anna,
        starts_on=START + dt.timedelta(days=7),
        label="Besluit",
        decision=anna_decision,
    )
    assert other.decision == anna_decision and other.medication is None


@pytest.mark.parametrize("which", ["medication", "decision"])
def test_someone_elses_record_is_refused_like_a_missing_one(cast, records, which):
    _anna_med, bas_med, _anna_decision, bas_decision = records
    foreign = bas_med if which == "medication" else bas_decision
    with pytest.raises(ValidationError) as other_persons:
        services.phase_create(actor=cast.noor, person=cast.anna, starts_on=START, label="Start", **{which: foreign})
    foreign.pk = 987654
    with pytest.raises(ValidationError) as missing:
        services.phase_create(actor=cast.noor, person=cast.anna, starts_on=START, label="Start", **{which: foreign})
    assert other_persons.value.message_dict == missing.value.message_dict
    assert not Phase.objects.exists()


def test_a_mark_points_at_one_record_at_most(cast, records):
    anna_med, _bas_med, anna_decision, _bas_decision = records
    with pytest.raises(ValidationError):
        services.phase_create(
            actor=cast.noor,
            person=cast.anna,
            starts_on=START,
            label="Start",
            medication=anna_med,
            decision=anna_decision,
        )
    assert not Phase.objects.exists()


def test_the_form_offers_only_the_persons_records_and_shows_the_link(cast, login, records):
    anna_med, bas_med, anna_decision, bas_decision = records
    client = login(cast.noor)
    page = client.get(phases_url(cast.anna)).content.decode()
    assert "Sertraline" in page and "Welk medicijn tegen somberheid?" in page
    assert "Lithium" not in page and "Bas zijn vraag" not in page
    response = client.post(
        phases_url(cast.anna),
        {"starts_on": "2026-03-01", "label": "Start sertraline 50 mg", "link": f"medication:{anna_med.pk}"},
    )
    assert response.status_code == 302
    assert Phase.objects.get().medication == anna_med
    page = client.get(phases_url(cast.anna)).content.decode()
    edit = reverse("people:medication_edit", kwargs={"person_id": cast.anna.pk, "medication_id": anna_med.pk})
    assert f'href="{edit}"' in page


@pytest.mark.parametrize("which", ["medication", "decision"])
def test_posting_another_persons_id_saves_nothing_and_says_so(cast, login, records, which):
    _anna_med, bas_med, _anna_decision, bas_decision = records
    foreign = bas_med if which == "medication" else bas_decision
    response = login(cast.noor).post(
        phases_url(cast.anna), {"starts_on": "2026-03-01", "label": "Start", "link": f"{which}:{foreign.pk}"}
    )
    assert response.status_code == 200
    assert "Kies" in response.content.decode()
    assert not Phase.objects.exists()


def test_the_decision_link_is_shown_with_the_mark_on_the_analysis_page(cast, login, records):
    _anna_med, _bas_med, anna_decision, _bas_decision = records
    services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=START, label="Gekozen: gesprekstherapie", decision=anna_decision
    )
    page = login(cast.noor).get(phases_url(cast.anna)).content.decode()
    detail = reverse("decisions:detail", kwargs={"person_id": cast.anna.pk, "decision_id": anna_decision.pk})
    assert f'href="{detail}"' in page


def test_the_phase_form_says_every_problem_at_once(cast, login):
    """Noor left "what changed" empty and typed a day two years ahead: she heard about the words,
    wrote them, and only then about the day. Both in one answer."""
    far = (dt.date.today() + dt.timedelta(days=800)).isoformat()
    response = login(cast.noor).post(phases_url(cast.anna), {"starts_on": far, "label": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"starts_on", "label"}
    assert not Phase.objects.exists()
