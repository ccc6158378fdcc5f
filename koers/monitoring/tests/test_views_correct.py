"""Fixing a mistake from the pages: correct one value, remove one (care team), stop an own item.

Anna typed a 7 where she meant a 5; Noor entered a weight in pounds as if it were kilograms.
Both correct it from the item's page (the moment stays; the access log names the change). A
wrong value is refused with a message next to the field and nothing changes. Only the care team
removes a value, after a confirmation. An own item can be stopped by Anna or by Noor. Another
person's value answers 404 with a refused row, like a missing one.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.monitoring import services
from koers.monitoring.entries import Entry
from koers.monitoring.models import MeasurementType, Observation
from tests.test_aria_references import region_problems, unlinked_messages
from tests.test_shared_templates import Tree, reference_problems

pytestmark = pytest.mark.django_db


def mtype(code: str) -> MeasurementType:
    return MeasurementType.objects.get(code=code, person__isnull=True)


def record(person, actor, code, value, *, days_ago: int = 1, unit=None, note: str = "") -> Observation:
    when = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) - dt.timedelta(days=days_ago)
    kind = mtype(code) if isinstance(code, str) else code
    entry = Entry(type=kind, value=value, effective_at=when, unit=unit, note=note)
    (obs,) = services.observations_record(actor=actor, person=person, entries=[entry], source=Observation.Source.PORTAL)
    return Observation.objects.get(pk=obs.pk)


def portal_edit(obs) -> str:
    return reverse("monitoring:portal_observation_edit", kwargs={"observation_id": obs.pk})


def pro_edit(person, obs) -> str:
    return reverse("monitoring:observation_edit", kwargs={"person_id": person.pk, "observation_id": obs.pk})


def pro_remove(person, obs) -> str:
    return reverse("monitoring:observation_remove", kwargs={"person_id": person.pk, "observation_id": obs.pk})


def rows(**filters) -> int:
    return AccessLogEntry.objects.filter(**filters).count()


def update_rows(obs, **filters):
    return AccessLogEntry.objects.filter(
        action="U", object_type="monitoring.Observation", object_id=str(obs.pk), outcome="success", **filters
    )


def problems(html: str) -> list[str]:
    found = reference_problems(html) + unlinked_messages(html) + region_problems(html)
    if len(Tree(html).all("h1")) != 1:
        found.append("not exactly one h1")
    return found


# --- correcting --------------------------------------------------------------------------------


def test_the_item_page_links_each_recent_value_to_its_correction(cast, login):
    obs = record(cast.anna, cast.anna_user, "mood", 7)
    older = record(cast.anna, cast.anna_user, "mood", 6, days_ago=3)
    client = login(cast.anna_user)
    html = client.get(reverse("monitoring:portal_detail", args=["mood"])).content.decode()
    assert portal_edit(obs) in html and portal_edit(older) in html
    assert html.index(portal_edit(obs)) < html.index(portal_edit(older))  # newest first
    assert problems(html) == []
    assert "stoppen/" not in html  # a catalogue item has no stop action
    client = login(cast.noor)
    html = client.get(reverse("monitoring:detail", args=[cast.anna.pk, "mood"])).content.decode()
    assert pro_edit(cast.anna, obs) in html


def test_the_person_corrects_a_value_and_the_log_names_the_change(cast, login):
    obs = record(cast.anna, cast.anna_user, "mood", 7, note="na het werk")
    client = login(cast.anna_user)
    page = client.get(portal_edit(obs))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('name="value"') == 11  # the 0-10 scale
    assert re.search(r'value="7"[^>]*checked', html)  # the stored answer is chosen
    assert "weghalen/" not in html  # the person corrects; only the care team removes
    assert problems(html) == []

    response = client.post(portal_edit(obs), {"value": "5", "note": "na het werk, verkeerd getikt"})
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:portal_detail", args=["mood"])
    fixed = Observation.objects.get(pk=obs.pk)
    assert fixed.value == 5.0
    assert fixed.note == "na het werk, verkeerd getikt"
    assert fixed.effective_at == obs.effective_at  # the moment stays
    (logged,) = update_rows(obs, user=cast.anna_user, person=cast.anna)
    assert logged.detail == "value 7 -> 5"
    followed = client.get(response["Location"]).content.decode()
    assert "De waarde is aangepast." in followed


def test_the_professional_corrects_a_weight_given_in_pounds(cast, login):
    obs = record(cast.anna, cast.noor, "weight", 160)  # Noor typed pounds as kilograms
    client = login(cast.noor)
    html = client.get(pro_edit(cast.anna, obs)).content.decode()
    assert 'name="unit"' in html and 'value="160"' in html
    assert pro_remove(cast.anna, obs) in html  # the care team may remove too
    assert problems(html) == []
    response = client.post(pro_edit(cast.anna, obs), {"value": "160", "unit": "[lb_av]", "note": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:detail", args=[cast.anna.pk, "weight"])
    fixed = Observation.objects.get(pk=obs.pk)
    assert fixed.value == pytest.approx(160 * 0.45359237, abs=1e-4)
    assert fixed.effective_at == obs.effective_at
    (logged,) = update_rows(obs, user=cast.noor, person=cast.anna)
    assert logged.detail.startswith("value 160 -> 72.57")


def test_a_decimal_comma_is_read_and_an_unchanged_form_changes_nothing(cast, login):
    obs = record(cast.anna, cast.anna_user, "weight", 72.5)
    client = login(cast.anna_user)
    response = client.post(portal_edit(obs), {"value": "72,5", "unit": "kg", "note": ""})
    assert response.status_code == 302
    assert not update_rows(obs).exists()  # nothing changed: no write, no row
    assert "Er is niets veranderd." in client.get(response["Location"]).content.decode()
    client.post(portal_edit(obs), {"value": "71,8", "unit": "kg", "note": ""})
    assert Observation.objects.get(pk=obs.pk).value == pytest.approx(71.8)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "7000", "unit": "kg"}, "kan niet kloppen"),  # the service's plausible range
        ({"value": "75", "unit": "g"}, "kan niet kloppen"),  # 75 g is 0.075 kg
        ({"value": "abc", "unit": "kg"}, "Vul een getal in"),
        ({"value": "", "unit": "kg"}, "Vul de juiste waarde in"),
        ({"value": "70", "unit": "stone"}, "Kies een van de mogelijkheden"),
        ({"value": "70", "unit": "kg", "note": "x" * 301}, "te lang"),
    ],
)
def test_a_wrong_value_is_refused_with_a_message_and_nothing_changes(cast, login, data, message):
    obs = record(cast.anna, cast.anna_user, "weight", 72.5, note="ochtend")
    client = login(cast.anna_user)
    response = client.post(portal_edit(obs), {"note": "ochtend", **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html and message in html
    assert problems(html) == []
    same = Observation.objects.get(pk=obs.pk)
    assert (same.value, same.note) == (72.5, "ochtend")
    assert not update_rows(obs).exists()


def test_a_scale_answer_outside_0_to_10_is_refused(cast, login):
    obs = record(cast.anna, cast.anna_user, "mood", 7)
    client = login(cast.anna_user)
    response = client.post(portal_edit(obs), {"value": "12"})
    assert response.status_code == 200
    assert "Kies een van de mogelijkheden" in response.content.decode()
    assert problems(response.content.decode()) == []
    assert Observation.objects.get(pk=obs.pk).value == 7.0


# --- access ------------------------------------------------------------------------------------


def test_another_persons_value_answers_404_with_a_refused_row(cast, login):
    bas_obs = record(cast.bas, cast.noor, "mood", 3)
    client = login(cast.anna_user)  # Bas's value id in Anna's portal
    for method in ("get", "post"):
        before = rows(user=cast.anna_user, outcome="refused")
        response = getattr(client, method)(portal_edit(bas_obs), {"value": "9"})
        assert response.status_code == 404
        assert rows(user=cast.anna_user, outcome="refused") == before + 1
    client = login(cast.noor)  # Bas's value under Anna's record
    for page in (pro_edit(cast.anna, bas_obs), pro_remove(cast.anna, bas_obs)):
        before = rows(user=cast.noor, outcome="refused", object_type="monitoring.Observation")
        assert client.post(page, {"value": "9"}).status_code == 404
        assert rows(user=cast.noor, outcome="refused", object_type="monitoring.Observation") == before + 1
    assert Observation.objects.get(pk=bas_obs.pk).value == 3.0


def test_outsiders_get_404_and_a_refused_row(cast, login):
    obs = record(cast.anna, cast.anna_user, "mood", 7)
    for outsider in (cast.sam, cast.rob, cast.bas_user):
        client = login(outsider)
        for page in (pro_edit(cast.anna, obs), pro_remove(cast.anna, obs)):
            before = rows(user=outsider, outcome="refused")
            assert client.post(page, {"value": "1"}).status_code == 404, (outsider, page)
            assert rows(user=outsider, outcome="refused") == before + 1
    assert Observation.objects.filter(pk=obs.pk, value=7.0).exists()


def test_wrong_methods_are_refused_before_anything_is_read(cast, login):
    obs = record(cast.anna, cast.anna_user, "mood", 7)
    client = login(cast.noor)
    own = services.custom_type_create(
        actor=cast.noor, person=cast.anna, name="Rust", anchor_low="geen", anchor_high="veel"
    )
    stop = reverse("monitoring:custom_stop", args=[cast.anna.pk, own.code])
    for page in (pro_edit(cast.anna, obs), pro_remove(cast.anna, obs), stop):
        logged = AccessLogEntry.objects.count()
        assert client.put(page).status_code == 405
        assert client.delete(page).status_code == 405
        assert AccessLogEntry.objects.count() == logged


# --- removing ----------------------------------------------------------------------------------


def test_the_person_cannot_remove_a_value(cast, login):
    obs = record(cast.anna, cast.anna_user, "mood", 7)
    client = login(cast.anna_user)
    html = client.get(portal_edit(obs)).content.decode()
    assert 'href="/personen/' not in html and "weghalen/" not in html  # no remove button
    before = rows(user=cast.anna_user, outcome="refused")
    assert client.post(pro_remove(cast.anna, obs)).status_code == 404
    assert rows(user=cast.anna_user, outcome="refused") == before + 1
    with pytest.raises(NotFound):  # nor through the service: the person has no DELETE
        services.observation_remove(actor=cast.anna_user, observation=obs)
    assert Observation.objects.filter(pk=obs.pk).exists()


def test_the_professional_removes_a_value_after_confirming(cast, login):
    obs = record(cast.anna, cast.noor, "weight", 27.2)  # meant 72,7
    client = login(cast.noor)
    page = client.get(pro_remove(cast.anna, obs))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Weet u zeker" in html and "27,2 kg" in html
    assert problems(html) == []
    assert Observation.objects.filter(pk=obs.pk).exists()  # asking removes nothing
    response = client.post(pro_remove(cast.anna, obs), {"bevestigd": "ja"})
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:detail", args=[cast.anna.pk, "weight"])
    assert not Observation.objects.filter(pk=obs.pk).exists()
    assert rows(action="D", user=cast.noor, person=cast.anna, object_id=str(obs.pk), outcome="success") == 1
    assert "De waarde is weggehaald." in client.get(response["Location"]).content.decode()


# --- stopping an own item ----------------------------------------------------------------------


@pytest.mark.parametrize("side", ["portal", "professional"])
def test_an_own_item_can_be_stopped_after_confirming(cast, login, side):
    own = services.custom_type_create(
        actor=cast.anna_user, person=cast.anna, name="Last van stemmen", anchor_low="geen", anchor_high="veel"
    )
    obs = record(cast.anna, cast.anna_user, own, 4)
    if side == "portal":
        actor = cast.anna_user
        detail = reverse("monitoring:portal_detail", args=[own.code])
        stop = reverse("monitoring:portal_custom_stop", args=[own.code])
    else:
        actor = cast.noor
        detail = reverse("monitoring:detail", args=[cast.anna.pk, own.code])
        stop = reverse("monitoring:custom_stop", args=[cast.anna.pk, own.code])
    client = login(actor)
    assert stop in client.get(detail).content.decode()
    page = client.get(stop)
    assert page.status_code == 200 and "Ja, stop met bijhouden" in page.content.decode()
    assert problems(page.content.decode()) == []
    assert MeasurementType.objects.get(pk=own.pk).active  # asking stops nothing
    response = client.post(stop, {"bevestigd": "ja"})
    assert response.status_code == 302 and response["Location"] == detail
    own.refresh_from_db()
    assert not own.active
    assert Observation.objects.filter(pk=obs.pk).exists()  # the answers stay
    assert rows(action="U", user=actor, object_type="monitoring.MeasurementType", detail="retired") == 1
    html = client.get(detail).content.decode()
    assert "wordt niet meer gevraagd" in html and stop not in html
    assert problems(html) == []
    again = client.post(stop, {"bevestigd": "ja"})  # a second stop changes nothing
    assert again.status_code == 302
    assert rows(action="U", user=actor, object_type="monitoring.MeasurementType", detail="retired") == 1


def test_catalogue_items_and_other_persons_items_cannot_be_stopped(cast, login):
    bas_own = services.custom_type_create(
        actor=cast.noor, person=cast.bas, name="Rust", anchor_low="geen", anchor_high="veel"
    )
    client = login(cast.noor)
    for code in ("mood", bas_own.code):
        before = rows(user=cast.noor, outcome="refused")
        assert client.post(reverse("monitoring:custom_stop", args=[cast.anna.pk, code])).status_code == 404
        assert rows(user=cast.noor, outcome="refused") == before + 1
    assert MeasurementType.objects.get(code="mood", person=None).active
    assert MeasurementType.objects.get(pk=bas_own.pk).active
    client = login(cast.anna_user)
    assert client.get(reverse("monitoring:portal_custom_stop", args=[bas_own.code])).status_code == 404


def test_values_of_a_stopped_item_are_shown_without_correction_for_the_person(cast, login):
    own = services.custom_type_create(
        actor=cast.anna_user, person=cast.anna, name="Rust", anchor_low="geen", anchor_high="veel"
    )
    obs = record(cast.anna, cast.anna_user, own, 4)
    services.custom_type_retire(actor=cast.anna_user, mtype=own)
    client = login(cast.anna_user)
    html = client.get(reverse("monitoring:portal_detail", args=[own.code])).content.decode()
    assert "Laatst ingevuld" in html and portal_edit(obs) not in html
    response = client.post(portal_edit(obs), {"value": "2"})
    assert response.status_code == 302
    assert Observation.objects.get(pk=obs.pk).value == 4.0
    client = login(cast.noor)  # the care team can still remove a mistaken value
    assert (
        pro_edit(cast.anna, obs)
        in client.get(reverse("monitoring:detail", args=[cast.anna.pk, own.code])).content.decode()
    )
    assert pro_remove(cast.anna, obs) in client.get(pro_edit(cast.anna, obs)).content.decode()
