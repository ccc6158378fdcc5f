"""A relative's pages for shared decisions and questionnaires (issue #12).

Two consent topics had no page, so granting them gave the relative nothing. With consent the
page shows what the person's own portal shows, in the third person and read-only; without it,
after a withdrawal or for another person's id, the missing-record 404 with a refused row.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.decisions.models import SharedDecision
from koers.lib.dates import day_text
from koers.questionnaires.models import Assignment, Response, Score
from koers.workspace.tests.test_relative_views import refused, share
from tests.support.testing import make_full_record
from tests.test_i18n import VisibleText, dutch_words, english
from tests.test_post_access import normalised

pytestmark = pytest.mark.django_db

Topic = access.Topic
PAGES = {Topic.DECISIONS: "workspace:relative_decisions", Topic.QUESTIONNAIRES: "workspace:relative_questionnaires"}


@pytest.fixture
def record(cast):
    return make_full_record(cast.anna, professional=cast.noor)


def url(topic, person_id):
    return reverse(PAGES[topic], kwargs={"person_id": person_id})


def success(user, object_type):
    return AccessLogEntry.objects.filter(user=user, outcome="success", action="R", object_type=object_type).count()


def decide(decision, *, agreed=True):
    option = decision.options.order_by("order", "id").first()
    SharedDecision.objects.filter(pk=decision.pk).update(
        status=SharedDecision.Status.DECIDED,
        chosen_option=option,
        person_agreed=agreed,
        participation="" if agreed else SharedDecision.Participation.PROFESSIONAL,
        left_to_professional=not agreed,
        decided_at=timezone.now(),
        rationale="Past het best bij mijn werk",
    )
    return option


def test_decisions_with_consent_show_question_options_outcome_and_agreement(cast, client, record):
    decision = record["decision_id"]
    chosen = decide(decision)
    share(cast, Topic.DECISIONS)
    client.force_login(cast.rob)
    before = success(cast.rob, "decisions.SharedDecision")
    response = client.get(url(Topic.DECISIONS, cast.anna.pk))
    assert response.status_code == 200
    text = VisibleText(response.content.decode()).text
    assert "Samen beslissen met Anna" in text
    assert decision.question in text
    for option in decision.options.all():
        assert option.title in text
    assert "Gekozen:" in text and chosen.title in text.split("Gekozen:", 1)[1][:80]
    assert "Past het best bij mijn werk" in text
    assert "Anna heeft met deze keuze ingestemd." in text
    assert day_text(timezone.localdate()) in text  # when it was decided
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert "<form" not in main  # read-only
    assert reverse("decisions:portal_detail", kwargs={"decision_id": decision.pk}) not in main
    assert success(cast.rob, "decisions.SharedDecision") == before + 1


def test_a_decision_left_to_the_professional_says_so(cast, client, record):
    decide(record["decision_id"], agreed=False)
    share(cast, Topic.DECISIONS)
    client.force_login(cast.rob)
    text = VisibleText(client.get(url(Topic.DECISIONS, cast.anna.pk)).content.decode()).text
    assert "Anna liet deze beslissing over aan de zorgverlener." in text


def test_questionnaires_with_consent_show_results_in_plain_words_without_open_ones(cast, client, record):
    share(cast, Topic.QUESTIONNAIRES)
    Assignment.objects.filter(person=cast.anna).update(title="Open lijst")
    client.force_login(cast.rob)
    before = success(cast.rob, "questionnaires.Response")
    response = client.get(url(Topic.QUESTIONNAIRES, cast.anna.pk))
    assert response.status_code == 200
    html = response.content.decode()
    text = VisibleText(html).text
    assert "Vragenlijsten van Anna" in text
    assert "PHQ-9" in text and "9" in text  # the result, as the portal shows it
    assert "Dit is de eerste keer dat Anna deze vragenlijst invulde." in text  # third person
    assert "uw score" not in text.lower()
    assert "Open lijst" not in text  # no open assignments
    assert "Invullen" not in text
    assert "Mijn antwoorden" not in text  # no answers per item
    assert "phq9_item9" not in html  # no codes
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert success(cast.rob, "questionnaires.Response") == before + 1


def test_a_questionnaire_still_being_filled_in_is_not_shown(cast, client, record):
    Score.objects.filter(person=cast.anna).delete()  # a score exists only once it is completed
    Response.objects.filter(person=cast.anna).update(status=Response.Status.IN_PROGRESS)
    share(cast, Topic.QUESTIONNAIRES)
    client.force_login(cast.rob)
    text = VisibleText(client.get(url(Topic.QUESTIONNAIRES, cast.anna.pk)).content.decode()).text
    assert "Anna heeft nog geen vragenlijsten ingevuld." in text


@pytest.mark.parametrize("topic", [Topic.DECISIONS, Topic.QUESTIONNAIRES])
def test_without_consent_the_page_is_a_missing_record(cast, client, record, topic):
    share(cast, Topic.CAREPLAN)  # something else is shared: the person is known to Rob
    client.force_login(cast.rob)
    before = refused(cast.rob)
    target = url(topic, cast.anna.pk)
    refused_page = client.get(target)
    assert refused_page.status_code == 404
    assert refused(cast.rob) == before + 1
    missing_url = url(topic, 999_999)
    missing = client.get(missing_url)
    assert missing.status_code == 404
    assert normalised(refused_page, target) == normalised(missing, missing_url)


@pytest.mark.parametrize("topic", [Topic.DECISIONS, Topic.QUESTIONNAIRES])
def test_a_withdrawal_holds_on_the_very_next_request(cast, client, record, topic):
    share(cast, topic)
    client.force_login(cast.rob)
    assert client.get(url(topic, cast.anna.pk)).status_code == 200
    share(cast, topic, granted=False)
    before = refused(cast.rob)
    assert client.get(url(topic, cast.anna.pk)).status_code == 404
    assert refused(cast.rob) == before + 1


@pytest.mark.parametrize("topic", [Topic.DECISIONS, Topic.QUESTIONNAIRES])
def test_another_persons_id_is_a_missing_record(cast, client, record, topic):
    make_full_record(cast.bas, professional=cast.noor)
    share(cast, topic)  # Anna shares; Bas has not named Rob at all
    client.force_login(cast.rob)
    before = refused(cast.rob)
    assert client.get(url(topic, cast.bas.pk)).status_code == 404
    assert refused(cast.rob) == before + 1


@pytest.mark.parametrize("topic", [Topic.DECISIONS, Topic.QUESTIONNAIRES])
def test_the_pages_take_no_post(cast, client, record, topic):
    share(cast, topic)
    client.force_login(cast.rob)
    assert client.post(url(topic, cast.anna.pk)).status_code == 405


@pytest.mark.parametrize("topic", [Topic.DECISIONS, Topic.QUESTIONNAIRES])
def test_the_home_and_own_page_link_to_the_shared_page(cast, client, record, topic):
    share(cast, topic)
    client.force_login(cast.rob)
    target = url(topic, cast.anna.pk)
    assert target in client.get(reverse("workspace:relative_home")).content.decode()
    own_page = reverse("workspace:relative_person", kwargs={"person_id": cast.anna.pk})
    assert target in client.get(own_page).content.decode()


def test_both_pages_in_english(cast, client, record):
    decide(record["decision_id"])
    share(cast, Topic.DECISIONS, Topic.QUESTIONNAIRES)
    client.force_login(cast.rob)
    english(client)
    decision = record["decision_id"]
    data = ["Nederlands", "Anna de Boer", "Anna", decision.question, "Past het best bij mijn werk"]
    for option in decision.options.all():
        data += [option.title, option.description, option.pros, option.cons]
        data += [option.consequences_short, option.consequences_mid, option.consequences_long]
    html = client.get(url(Topic.DECISIONS, cast.anna.pk)).content.decode()
    assert "Deciding together with Anna" in VisibleText(html).text
    assert dutch_words(html, data=tuple(d for d in data if d)) == []
    html = client.get(url(Topic.QUESTIONNAIRES, cast.anna.pk)).content.decode()
    assert "Questionnaires of Anna" in VisibleText(html).text
    assert "first time Anna" in VisibleText(html).text
    assert dutch_words(html, data=("Nederlands", "Anna de Boer", "Anna", "PHQ-9")) == []
