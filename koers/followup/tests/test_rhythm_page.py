"""The rhythm page: a suggestion with reasons, agreed with the person, saved through careplans' service."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlanVersion, FollowUpAgreement
from koers.careplans.services import follow_up_create
from koers.people.models import SupportLevelDecision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def follow_up(cast):
    return follow_up_create(actor=cast.noor, person=cast.anna, what="Hoe het gaat met slapen", who="Noor")


def url(person, follow_up):
    return f"/personen/{person.pk}/zorgplan/vervolg/{follow_up.pk}/ritme/"


def test_suggestion_from_the_support_level_and_the_preference(cast, login, follow_up):
    from django.utils import timezone

    SupportLevelDecision.objects.create(
        person=cast.anna,
        level="case_management",
        suggested_level="case_management",
        decided_by=cast.noor,
        decided_at=timezone.now(),
    )
    client = login(cast.noor)
    page = client.get(url(cast.anna, follow_up))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Voorstel: elke 4 weken." in text
    assert "Casemanagement: er is veel ondersteuning nodig" in text
    assert 'value="elke 4 weken"' in text
    assert 'value="2026-12-20"' in text  # four weeks from today

    more = client.get(url(cast.anna, follow_up), {"voorkeur": "more_often"}).content.decode()
    assert "Voorstel: elke 2 weken." in more
    assert "De cliënt wil graag vaker contact" in more


def test_agreeing_saves_frequency_and_date_as_a_plan_change(cast, login, follow_up):
    client = login(cast.noor)
    versions = CarePlanVersion.objects.count()
    response = client.post(
        url(cast.anna, follow_up), {"frequency": "elke 3 maanden", "next_date": "2027-02-22", "agreed": "on"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.frequency, follow_up.next_date) == ("elke 3 maanden", dt.date(2027, 2, 22))
    assert CarePlanVersion.objects.count() == versions + 1
    assert AccessLogEntry.objects.filter(
        user=cast.noor,
        action=AccessLogEntry.Action.UPDATE,
        object_type="careplans.FollowUpAgreement",
        object_id=str(follow_up.pk),
    ).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"frequency": "elke maand", "next_date": "2027-01-01"}, "Spreek het ritme eerst samen met de cliënt af."),
        ({"frequency": "", "next_date": "2027-01-01", "agreed": "on"}, "Schrijf op hoe vaak u het samen bekijkt."),
        ({"frequency": "x" * 201, "next_date": "2027-01-01", "agreed": "on"}, "Dit is te lang."),
        ({"frequency": "elke maand", "next_date": "morgen", "agreed": "on"}, "Vul een geldige datum in"),
        ({"frequency": "elke maand", "next_date": "2020-01-01", "agreed": "on"}, "niet in het verleden"),
    ],
)
def test_bad_input_says_why_and_saves_nothing(cast, login, follow_up, data, message):
    client = login(cast.noor)
    response = client.post(url(cast.anna, follow_up), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    follow_up.refresh_from_db()
    assert (follow_up.frequency, follow_up.next_date) == ("", None)


def test_script_stays_escaped(cast, login, follow_up):
    FollowUpAgreement.objects.filter(pk=follow_up.pk).update(what="<script>alert(1)</script>")
    text = login(cast.noor).get(url(cast.anna, follow_up)).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text


def test_strangers_and_other_persons_ids_get_404(cast, login, follow_up):
    assert login(cast.sam).get(url(cast.anna, follow_up)).status_code == 404
    assert login(cast.noor).get(url(cast.bas, follow_up)).status_code == 404
    response = login(cast.sam).post(
        url(cast.anna, follow_up), {"frequency": "x", "next_date": "2027-01-01", "agreed": "on"}
    )
    assert response.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.frequency == ""


def test_ended_agreement_cannot_be_changed(cast, login, follow_up):
    FollowUpAgreement.objects.filter(pk=follow_up.pk).update(active=False)
    response = login(cast.noor).get(url(cast.anna, follow_up))
    assert response.status_code == 302


# --- the rhythm is entered once: on this page, not again in the follow-up form ----------------


def test_the_follow_up_form_does_not_ask_how_often_again(cast, login, follow_up):
    client = login(cast.noor)
    create = client.get(f"/personen/{cast.anna.pk}/zorgplan/vervolg/nieuw/").content.decode()
    assert 'name="frequency"' not in create
    assert "Hoe vaak?" not in create
    client.post(url(cast.anna, follow_up), {"frequency": "elke 2 weken", "next_date": "2026-12-06", "agreed": "on"})
    edit_url = f"/personen/{cast.anna.pk}/zorgplan/vervolg/{follow_up.pk}/wijzigen/"
    edit = client.get(edit_url).content.decode()
    assert 'name="frequency"' not in edit
    assert "elke 2 weken" in edit and f'href="{url(cast.anna, follow_up)}"' in edit  # shown, changed in one place


def test_editing_the_follow_up_keeps_the_agreed_rhythm(cast, login, follow_up):
    client = login(cast.noor)
    client.post(url(cast.anna, follow_up), {"frequency": "elke 2 weken", "next_date": "2026-12-06", "agreed": "on"})
    edit_url = f"/personen/{cast.anna.pk}/zorgplan/vervolg/{follow_up.pk}/wijzigen/"
    data = {"what": "Slapen en piekeren", "who": "Noor", "method": "phone", "next_date": "2026-12-06"}
    assert client.post(edit_url, data).status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.what, follow_up.frequency) == ("Slapen en piekeren", "elke 2 weken")
