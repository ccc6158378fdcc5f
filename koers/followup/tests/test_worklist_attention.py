"""A worrying answer (PHQ-9 item 9 > 0) on top of the responsible professional's worklist, in red
with a text label, until someone records what was done — read straight from the database, so it is
true when no background worker has run."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from koers.audit.models import AccessLogEntry
from koers.careplans.models import FollowUpAgreement
from koers.notifications.models import Delivery, Notification
from koers.questionnaires import services as q_services
from koers.questionnaires.models import AttentionItem

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def worrying(cast):
    """Anna answers PHQ-9 item 9 with "several days" in her portal (no worker runs)."""
    assignment = q_services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    response = q_services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assignment)
    q_services.response_save(actor=cast.anna_user, response=response, answers={"9": "1"})
    return response


def overdue_follow_up(cast):
    return FollowUpAgreement.objects.create(
        person=cast.anna,
        what="Bloeddruk bespreken",
        who="Noor",
        next_date=TODAY - dt.timedelta(days=30),
        created_by=cast.noor,
    )


def test_a_worrying_answer_is_first_on_the_worklist_in_red_with_a_label(cast, login, worrying):
    overdue_follow_up(cast)  # a month overdue: still below the worrying answer
    assert not Delivery.objects.exists() and not Notification.objects.exists()  # no worker ran

    response = login(cast.noor).get("/werklijst/")

    items = list(response.context["items"])
    assert items[0].kind == "worrying_answer"
    assert items[0].person_id == cast.anna.pk and items[0].urgent
    assert "Zorgelijk antwoord" in items[0].what
    text = response.content.decode()
    assert 'class="urgent"' in text
    assert "Dringend" in text  # not by colour alone
    assert text.index("Dringend") < text.index("Bloeddruk bespreken")


def test_the_worrying_answer_stays_on_top_whatever_the_sort_or_filter(cast, login, worrying):
    overdue_follow_up(cast)
    client = login(cast.noor)
    for query in ("?sorteer=client", "?sorteer=soort", "?te_laat=1", "?soort=follow_up", "?groeperen=1"):
        items = list(client.get("/werklijst/" + query).context["items"])
        assert items[0].kind == "worrying_answer", query


def test_only_the_responsible_professional_has_it_on_her_own_list_the_team_sees_it(cast, login, worrying):
    assert [i.kind for i in login(cast.gert).get("/werklijst/").context["items"]] == []
    team = login(cast.gert).get("/werklijst/team/").context["items"]
    assert [i.kind for i in team if i.urgent] == ["worrying_answer"]
    assert "worrying_answer" not in [i.kind for i in login(cast.sam).get("/werklijst/team/").context["items"]]


def test_recording_what_was_done_from_the_worklist_takes_it_off_and_shows_it_on_the_tab(cast, login, worrying):
    client = login(cast.noor)
    url = f"/personen/{cast.anna.pk}/vragenlijsten/antwoorden/{worrying.pk}/aandacht/"

    empty = client.post(url, {"handled_note": "  ", "terug": "werklijst"})
    assert empty.status_code == 302 and empty["Location"] == "/werklijst/"
    assert AttentionItem.objects.get(response=worrying).handled_at is None
    assert client.get("/werklijst/").context["items"][0].kind == "worrying_answer"

    done = client.post(url, {"handled_note": "Gebeld, veiligheid besproken", "terug": "werklijst"})
    assert done["Location"] == "/werklijst/"
    item = AttentionItem.objects.get(response=worrying)
    assert item.handled_by == cast.noor and item.handled_note == "Gebeld, veiligheid besproken"
    assert AccessLogEntry.objects.filter(
        object_type="questionnaires.AttentionItem", object_id=str(item.pk), action="U", detail="handled"
    ).exists()
    assert "worrying_answer" not in [i.kind for i in client.get("/werklijst/").context["items"]]

    tab = client.get(f"/personen/{cast.anna.pk}/vragenlijsten/").content.decode()
    assert "Gebeld, veiligheid besproken" in tab and "Noor Bakker" in tab


def test_a_foreign_return_address_is_not_followed(cast, login, worrying):
    url = f"/personen/{cast.anna.pk}/vragenlijsten/antwoorden/{worrying.pk}/aandacht/"
    response = login(cast.noor).post(url, {"handled_note": "Gebeld", "terug": "https://elders.example/"})
    assert response["Location"] == f"/personen/{cast.anna.pk}/vragenlijsten/antwoorden/{worrying.pk}/"


def test_the_person_overview_opens_with_the_alert(cast, login, worrying):
    text = login(cast.noor).get(f"/personen/{cast.anna.pk}/").content.decode()
    alert = text.index("Zorgelijk antwoord")
    assert alert < text.index("Ondersteuning")  # before every other card
    assert f'href="/personen/{cast.anna.pk}/vragenlijsten/"' in text[alert:]


def test_the_caseload_flags_the_person(cast, login, worrying):
    text = login(cast.noor).get("/clienten/").content.decode()
    assert "zorgelijke uitslag vragenlijst" in text


def test_the_worklist_stays_constant_in_queries_with_more_worrying_answers(cast, login, worrying):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.support.testing import make_person

    client = login(cast.noor)
    with CaptureQueriesContext(connection) as few:
        client.get("/werklijst/")
    for i in range(4):
        person = make_person(actor=cast.noor, given_name=f"P{i}")
        assignment = q_services.assignment_create(actor=cast.noor, person=person, instrument_id="phq-9")
        response = q_services.response_start(actor=cast.noor, person=person, assignment=assignment)
        q_services.response_save(actor=cast.noor, response=response, answers={"9": "2"})
    with CaptureQueriesContext(connection) as many:
        response = client.get("/werklijst/")
    assert len([i for i in response.context["items"] if i.urgent]) == 5
    assert len(many) == len(few)


def test_the_worklist_and_its_alert_in_english(cast, login, worrying):
    from koers.screening.models import SomaticScreening
    from tests.test_i18n import VisibleText, dutch_words, english

    overdue_follow_up(cast)
    SomaticScreening.objects.create(person=cast.bas, due_date=TODAY, created_by=cast.noor)
    client = english(login(cast.noor))
    html = client.get("/werklijst/?client=&sorteer=datum").content.decode()
    text = VisibleText(html).text
    for phrase in ("Urgent", "Worrying answer", "What was done?", "Yearly physical check", "Sort by", "Handled"):
        assert phrase in text, phrase
    data = ("de Boer, Anna", "Anna de Boer", "Smit, Bas", "Bas Smit", "Bloeddruk bespreken", "PHQ-9", "Nederlands")
    assert dutch_words(html, data=data) == []
    overview = client.get(f"/personen/{cast.anna.pk}/").content.decode()
    assert "Worrying answer in a questionnaire" in VisibleText(overview).text


def test_from_the_team_list_back_to_the_team_list(cast, login, worrying):
    url = f"/personen/{cast.anna.pk}/vragenlijsten/antwoorden/{worrying.pk}/aandacht/"
    response = login(cast.gert).post(url, {"handled_note": "Besproken met Noor", "terug": "team"})
    assert response["Location"] == "/werklijst/team/"
    assert AttentionItem.objects.get(response=worrying).handled_by == cast.gert


def test_a_worrying_answer_cannot_be_clicked_away_without_a_note(cast, login, worrying):
    client = login(cast.noor)
    item = client.get("/werklijst/").context["items"][0]
    assert item.urgent and not item.markable
    response = client.post(f"/personen/{cast.anna.pk}/werklijst/afgehandeld/", {"item": item.key})
    assert "fout=1" in response["Location"]
    assert AttentionItem.objects.get(response=worrying).handled_at is None
    assert client.get("/werklijst/").context["items"][0].kind == "worrying_answer"
