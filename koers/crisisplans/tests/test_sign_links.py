"""A sign in the crisis plan linked to a self-monitoring measurement (issue #13): "Zie ook:
<meting>" in the plan, for the person and the care team; a relative never sees it; nothing is
sent. A sign of someone else answers like a missing record."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers import access
from koers.audit.models import AccessLogEntry
from koers.crisisplans import services
from koers.crisisplans.models import CrisisSign
from koers.crisisplans.tests.conftest import save_phase
from koers.network.services import consent_set
from koers.notifications.models import Delivery

pytestmark = pytest.mark.django_db


def piekeren():
    return CrisisSign.objects.get(text="Piekeren")


def test_the_person_links_a_sign_to_mood_and_the_plan_shows_see_also(cast, login, early):
    client = login(cast.anna_user)
    url = reverse("crisisplans:portal_links_vroege_signalen")
    form = client.get(url).content.decode()
    assert '<option value="mood"' in form
    response = client.post(url, {f"see_also-{piekeren().pk}": "mood"}, follow=True)
    html = response.content.decode()
    assert piekeren().see_also == "mood"
    mood = reverse("monitoring:portal_detail", kwargs={"code": "mood"})
    assert f'<a href="{mood}">Zie ook: ' in html
    assert AccessLogEntry.objects.filter(
        user=cast.anna_user, action="U", object_type="crisisplans.CrisisSign", outcome="success"
    ).exists()
    assert not Delivery.objects.exists()  # a link, never an alarm

    team = login(cast.noor).get(reverse("crisisplans:plan", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert reverse("monitoring:detail", kwargs={"person_id": cast.anna.pk, "code": "mood"}) in team


def test_a_relative_never_sees_the_link(cast, login, early):
    services.crisis_sign_links_update(
        actor=cast.anna_user, person=cast.anna, phase="early_signs", links={piekeren().pk: "mood"}
    )
    for topic in ("crisis_plan", "measurements"):
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=topic, granted=True)
    page = login(cast.rob).get(reverse("workspace:relative_crisis_plan", kwargs={"person_id": cast.anna.pk}))
    assert "Zie ook" not in page.content.decode()


def test_someone_elses_sign_or_an_unknown_measurement_is_refused(cast, early):
    bas_sign = save_phase(cast.bas_user, cast.bas, signs=["Bas zijn signaal"]) and CrisisSign.objects.get(
        text="Bas zijn signaal"
    )
    with pytest.raises(access.NotFound):
        services.crisis_sign_links_update(
            actor=cast.anna_user, person=cast.anna, phase="early_signs", links={bas_sign.pk: "mood"}
        )
    with pytest.raises(ValidationError):
        services.crisis_sign_links_update(
            actor=cast.anna_user, person=cast.anna, phase="early_signs", links={piekeren().pk: "no-such-thing"}
        )
    with pytest.raises(access.NotFound):  # a relative changes nothing in the plan
        services.crisis_sign_links_update(
            actor=cast.rob, person=cast.anna, phase="early_signs", links={piekeren().pk: "mood"}
        )
    assert CrisisSign.objects.get(pk=bas_sign.pk).see_also == "" and piekeren().see_also == ""
