"""Removing or stopping in "bijhouden" asks first (issue #14, no irreversible one-click actions):
a target ("Afspraak weghalen"), a treatment-change mark ("Weghalen"), a value, an own item.

A plain POST (an old one-click form, or a form that forgets the answer) changes nothing and
shows the question; the confirmed POST does it and leaves the write row; another person's
object answers 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.monitoring import services
from koers.monitoring.entries import Entry
from koers.monitoring.models import MeasurementType, Observation, Phase, Target

pytestmark = pytest.mark.django_db

YES = {"bevestigd": "ja"}


def url(name, person, **kwargs):
    return reverse(f"monitoring:{name}", kwargs={"person_id": person.pk, **kwargs})


def writes(person, action):
    return AccessLogEntry.objects.filter(person=person, action=action, outcome="success").count()


def asks(response, *texts):
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="bevestigd" value="ja"' in body
    for text in texts:
        assert text in body
    return body


def test_removing_a_target_asks_first(cast, login):
    client = login(cast.noor)
    target_url = url("target", cast.anna, code="systolic_bp")
    client.post(target_url, {"high": "140", "agreed_with_person": "on"})
    assert Target.objects.filter(person=cast.anna).count() == 1
    body = asks(client.post(target_url, {"remove": "1"}), "Afspraak weghalen?", "De waarden zelf blijven bewaard")
    assert 'name="remove" value="1"' in body  # posted again with the answer
    assert Target.objects.filter(person=cast.anna).count() == 1
    before = writes(cast.anna, "D")
    response = client.post(target_url, {"remove": "1"} | YES)
    assert response.status_code == 302
    assert not Target.objects.filter(person=cast.anna).exists()
    assert writes(cast.anna, "D") == before + 1


def test_removing_a_phase_asks_first(cast, login):
    phase = services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=dt.date(2026, 3, 1), label="Start sertraline"
    )
    bas_phase = services.phase_create(actor=cast.noor, person=cast.bas, starts_on=dt.date(2026, 3, 1), label="Bas")
    client = login(cast.noor)
    phases_url = url("phases", cast.anna)
    body = asks(client.post(phases_url, {"remove": str(phase.pk)}), "Verandering ‘Start sertraline’ weghalen?")
    assert f'name="remove" value="{phase.pk}"' in body
    assert Phase.objects.filter(pk=phase.pk).exists()
    assert client.post(phases_url, {"remove": str(bas_phase.pk)} | YES).status_code == 404
    assert client.post(phases_url, {"remove": str(bas_phase.pk)}).status_code == 404  # not even the question
    assert Phase.objects.filter(pk=bas_phase.pk).exists()
    before = writes(cast.anna, "D")
    assert client.post(phases_url, {"remove": str(phase.pk)} | YES).status_code == 302
    assert not Phase.objects.filter(pk=phase.pk).exists()
    assert writes(cast.anna, "D") == before + 1


def _value(person, actor):
    when = timezone.now() - dt.timedelta(days=1)
    kind = MeasurementType.objects.get(code="weight", person__isnull=True)
    (obs,) = services.observations_record(
        actor=actor,
        person=person,
        entries=[Entry(type=kind, value=27.2, effective_at=when)],
        source=Observation.Source.PORTAL,
    )
    return obs


def test_a_plain_post_does_not_remove_a_value(cast, login):
    obs = _value(cast.anna, cast.noor)
    client = login(cast.noor)
    target = url("observation_remove", cast.anna, observation_id=obs.pk)
    asks(client.post(target), "Ja, weghalen")
    assert Observation.objects.filter(pk=obs.pk).exists()
    assert client.post(target, YES).status_code == 302
    assert not Observation.objects.filter(pk=obs.pk).exists()


@pytest.mark.parametrize("side", ["portal", "professional"])
def test_a_plain_post_does_not_stop_an_own_item(cast, login, side):
    own = services.custom_type_create(
        actor=cast.anna_user, person=cast.anna, name="Onrust", anchor_low="geen", anchor_high="veel"
    )
    if side == "portal":
        client, stop = login(cast.anna_user), reverse("monitoring:portal_custom_stop", args=[own.code])
    else:
        client, stop = login(cast.noor), url("custom_stop", cast.anna, code=own.code)
    asks(client.post(stop), "Ja, stop met bijhouden")
    own.refresh_from_db()
    assert own.active
    assert client.post(stop, YES).status_code == 302
    own.refresh_from_db()
    assert not own.active
