"""Ending or removing clinical data on the profile asks first (issue #14, "no irreversible
one-click actions"): "Is over", "Per ongeluk vastgelegd" and "Gestopt", each with a typed reason
(issue #12).

For each: a plain POST (the old one-click form) changes nothing and shows the question; a GET
shows the same question; the confirmed POST does it and leaves the write row; another person's
object answers 404 like a missing one.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.people.models import Condition, Medication

pytestmark = pytest.mark.django_db

YES = {"bevestigd": "ja", "reden": "Besproken met de cliënt"}  # the answer, with the required reason


def url(name, person, **kwargs):
    return reverse(f"people:{name}", kwargs={"person_id": person.pk, **kwargs})


def writes(person, action):
    return AccessLogEntry.objects.filter(person=person, action=action, outcome="success").count()


@pytest.fixture
def data(cast):
    condition = Condition.objects.create(person=cast.anna, display="Diabetes mellitus type 2")
    medication = Medication.objects.create(person=cast.anna, name="Metformine")
    bas_condition = Condition.objects.create(person=cast.bas, display="Astma")
    bas_medication = Medication.objects.create(person=cast.bas, name="Salbutamol")
    return condition, medication, bas_condition, bas_medication


def _asks(response, *texts):
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="bevestigd" value="ja"' in body
    for text in texts:
        assert text in body
    return body


def test_condition_is_over_asks_first(cast, login, data):
    condition, *_ = data
    client = login(cast.noor)
    target = url("condition_resolve", cast.anna, condition_id=condition.pk)
    _asks(client.post(target), "Is ‘Diabetes mellitus type 2’ over?", "Ja, is over")
    _asks(client.get(target), "Ja, is over")
    condition.refresh_from_db()
    assert condition.clinical_status == Condition.ClinicalStatus.ACTIVE
    before = writes(cast.anna, "U")
    response = client.post(target, YES)
    assert response.status_code == 302 and response["Location"].endswith("#aandoeningen")
    condition.refresh_from_db()
    assert condition.clinical_status == Condition.ClinicalStatus.RESOLVED
    assert writes(cast.anna, "U") == before + 1


def test_condition_entered_in_error_asks_first_and_points_to_is_over(cast, login, data):
    condition, *_ = data
    client = login(cast.noor)
    target = url("condition_remove", cast.anna, condition_id=condition.pk)
    body = _asks(
        client.post(target),
        "‘Diabetes mellitus type 2’ per ongeluk vastgelegd?",
        "niet gewist",
        "Ja, per ongeluk vastgelegd",
    )
    assert url("condition_edit", cast.anna, condition_id=condition.pk) in body  # "Nee, terug"
    condition.refresh_from_db()
    assert condition.verification_status == Condition.VerificationStatus.CONFIRMED
    before = writes(cast.anna, "U")
    response = client.post(target, YES)
    assert response.status_code == 302
    condition.refresh_from_db()  # kept, marked (issue #12)
    assert condition.verification_status == Condition.VerificationStatus.ENTERED_IN_ERROR
    assert writes(cast.anna, "U") == before + 1 and writes(cast.anna, "D") == 0


def test_medication_stopped_asks_first(cast, login, data):
    _, medication, *_ = data
    client = login(cast.noor)
    target = url("medication_stop", cast.anna, medication_id=medication.pk)
    _asks(client.post(target), "Gestopt met Metformine?", "Ja, gestopt")
    medication.refresh_from_db()
    assert medication.active
    before = writes(cast.anna, "U")
    response = client.post(target, YES)
    assert response.status_code == 302 and response["Location"].endswith("#medicatie")
    medication.refresh_from_db()
    assert not medication.active
    assert writes(cast.anna, "U") == before + 1


def test_confirming_someone_elses_condition_or_medication_is_not_found(cast, login, data):
    *_, bas_condition, bas_medication = data
    client = login(cast.noor)
    for name, kwargs in (
        ("condition_resolve", {"condition_id": bas_condition.pk}),
        ("condition_remove", {"condition_id": bas_condition.pk}),
        ("medication_stop", {"medication_id": bas_medication.pk}),
    ):
        assert client.post(url(name, cast.anna, **kwargs), YES).status_code == 404
        assert client.get(url(name, cast.anna, **kwargs)).status_code == 404
    assert Condition.objects.filter(pk=bas_condition.pk, clinical_status="active").exists()
    bas_medication.refresh_from_db()
    assert bas_medication.active
    for outsider in (cast.sam, cast.anna_user):
        client = login(outsider)
        assert client.post(url("condition_remove", cast.bas, condition_id=bas_condition.pk), YES).status_code == 404
    assert Condition.objects.filter(pk=bas_condition.pk).exists()


def test_the_profile_buttons_go_to_the_question_without_htmx(cast, login, data):
    """The row buttons are plain forms: htmx would swap the question page into the table."""
    body = login(cast.noor).get(url("profile", cast.anna)).content.decode()
    assert "hx-post" not in body.split('id="aandoeningen"')[1].split("</section>")[0]
    assert "hx-post" not in body.split('id="medicatie"')[1].split("</section>")[0]
