"""A relative's pages (issue #12): what the person shares with them, read-only, nothing more.

The home lists only persons who share something, each with what they share; the care plan and
goals pages show only the parts the relative may read; a withdrawal holds on the very next
request; everything else is the missing-record 404 with a refused row.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.careplans import sections as plan_sections
from koers.consults.models import Preparation
from koers.decisions.models import SharedDecision
from koers.network.models import RelativeLink
from koers.network.services import consent_set
from koers.people.models import Profile
from koers.workspace import relative_views
from tests.support.testing import make_full_record, make_person, make_user
from tests.test_i18n import VisibleText, dutch_words, english
from tests.test_post_access import normalised

pytestmark = pytest.mark.django_db

Topic = access.Topic


def share(cast, *topics, person=None, member=None, granted=True):
    person = person or cast.anna
    for topic in topics:
        consent_set(actor=person.user, person=person, member=member or cast.rob, topic=topic, granted=granted)


def refused(user):
    return AccessLogEntry.objects.filter(user=user, outcome="refused").count()


def plan_url(cast):
    return reverse("workspace:relative_plan", kwargs={"person_id": cast.anna.pk})


def goals_url(cast):
    return reverse("workspace:relative_goals", kwargs={"person_id": cast.anna.pk})


@pytest.fixture
def record(cast):
    return make_full_record(cast.anna, professional=cast.noor)


def test_a_relative_lands_on_their_own_home_after_login(cast, client):
    client.force_login(cast.rob)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:relative_home")


def test_the_home_lists_only_persons_who_share_something_with_what_they_share(cast, client):
    RelativeLink.objects.create(person=cast.bas, user=cast.rob, relationship="brother")
    share(cast, Topic.CAREPLAN, Topic.CRISIS_PLAN)
    client.force_login(cast.rob)
    response = client.get(reverse("workspace:relative_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna de Boer" in html
    assert plan_url(cast) in html  # a page to open
    assert "Crisisplan" in html  # shared, even without a page yet
    assert goals_url(cast) not in html  # goals are not shared
    assert "Bas" not in html and "Smit" not in html  # Bas shares nothing: not even a hint he exists
    logged = AccessLogEntry.objects.filter(user=cast.rob, outcome="success", action="R")
    assert set(logged.values_list("person_id", flat=True)) == {cast.anna.pk}


def test_the_home_says_so_when_no_one_shares_anything(cast, client):
    client.force_login(cast.rob)
    html = client.get(reverse("workspace:relative_home")).content.decode()
    assert "Nog niemand deelt iets met u" in html
    assert "Anna" not in html


@pytest.mark.parametrize("user", ["noor", "anna_user", "mia", "ada"])
def test_the_relatives_home_is_not_there_for_anyone_else(cast, client, user):
    who = getattr(cast, user)
    client.force_login(who)
    before = refused(who)
    assert client.get(reverse("workspace:relative_home")).status_code == 404
    assert refused(who) == before + 1


def test_the_care_plan_shows_only_the_parts_the_relative_may_read(cast, client, record):
    share(cast, Topic.CAREPLAN)
    client.force_login(cast.rob)
    response = client.get(plan_url(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zorgplan van Anna" in html
    assert record["follow_up_id"].what in html  # follow-up agreements belong to the plan itself
    assert record["goal_id"].description not in html  # goals: not shared
    assert record["action_id"].what not in html  # who does what comes from the goals' actions
    assert record["decision_id"].question not in html  # decisions: not shared
    assert "Wat voor Anna belangrijk is" not in html  # what matters: the profile, not shared


def test_the_care_plan_shows_every_part_that_is_shared(cast, client, record):
    Profile.objects.update_or_create(person=cast.anna, defaults={"what_matters": "Weer fietsen met mijn kleinkinderen"})
    option = record["decision_id"].options.first()
    SharedDecision.objects.filter(pk=record["decision_id"].pk).update(
        status=SharedDecision.Status.DECIDED, chosen_option=option, person_agreed=True, decided_at=timezone.now()
    )
    share(cast, Topic.CAREPLAN, Topic.GOALS, Topic.PROFILE, Topic.DECISIONS)
    client.force_login(cast.rob)
    html = client.get(plan_url(cast)).content.decode()
    assert record["goal_id"].description in html
    assert record["action_id"].what in html
    assert "Weer fietsen met mijn kleinkinderen" in html
    assert record["decision_id"].question in html
    assert "Uw doelen" not in html  # the relative reads about Anna, not about themself


def test_every_plan_section_has_a_decided_category():
    """A new section of the care plan stays hidden from relatives until someone decides which
    category it belongs to (relative_views.PLAN_SECTION_CATEGORIES)."""
    keys = {section.key for section in plan_sections.sections()}
    assert keys == set(relative_views.PLAN_SECTION_CATEGORIES)


def test_goals_are_shown_in_the_third_person(cast, client, record):
    share(cast, Topic.GOALS)
    client.force_login(cast.rob)
    response = client.get(goals_url(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Doelen van Anna" in html
    assert record["goal_id"].description in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # read-only


@pytest.mark.parametrize(("granted", "url"), [((), "plan"), ((), "goals"), ((Topic.GOALS,), "plan")])
def test_what_is_not_shared_is_a_missing_record(cast, client, record, granted, url):
    share(cast, *granted)
    client.force_login(cast.rob)
    before = refused(cast.rob)
    target = plan_url(cast) if url == "plan" else goals_url(cast)
    assert client.get(target).status_code == 404
    assert refused(cast.rob) == before + 1


def test_a_withdrawal_holds_on_the_very_next_request(cast, client, record):
    share(cast, Topic.GOALS)
    client.force_login(cast.rob)
    assert client.get(goals_url(cast)).status_code == 200
    share(cast, Topic.GOALS, granted=False)
    before = refused(cast.rob)
    assert client.get(goals_url(cast)).status_code == 404
    assert refused(cast.rob) == before + 1


def test_another_relative_of_the_same_person_sees_nothing_of_what_rob_was_given(cast, client, record):
    ria = make_user("ria", role=User.Role.RELATIVE, first_name="Ria")
    RelativeLink.objects.create(person=cast.anna, user=ria, relationship="daughter")
    share(cast, Topic.CAREPLAN, Topic.GOALS)
    client.force_login(ria)
    assert client.get(plan_url(cast)).status_code == 404
    assert client.get(goals_url(cast)).status_code == 404
    assert "Anna" not in client.get(reverse("workspace:relative_home")).content.decode()


def test_a_relative_pages_take_no_post(cast, client, record):
    share(cast, Topic.CAREPLAN, Topic.GOALS)
    client.force_login(cast.rob)
    for url in (reverse("workspace:relative_home"), plan_url(cast), goals_url(cast)):
        assert client.post(url).status_code == 405


def test_a_relatives_pages_in_english(cast, client, record):
    share(cast, Topic.CAREPLAN, Topic.GOALS, Topic.CRISIS_PLAN)
    client.force_login(cast.rob)
    english(client)
    data = ("Nederlands", "Anna de Boer", "Anna", record["goal_id"].description, record["action_id"].what)
    html = client.get(reverse("workspace:relative_home")).content.decode()
    assert "What others share with you" in VisibleText(html).text
    assert "Anna shares this with you:" in VisibleText(html).text
    assert dutch_words(html, data=data) == []
    html = client.get(plan_url(cast)).content.decode()
    assert "Care plan of Anna" in VisibleText(html).text
    html = client.get(goals_url(cast)).content.decode()
    assert "Goals of Anna" in VisibleText(html).text


def consults_url(cast):
    return reverse("workspace:relative_consults", kwargs={"person_id": cast.anna.pk})


def test_consults_show_the_next_consult_and_the_sent_preparation(cast, client, record):
    Preparation.objects.filter(person=cast.anna).update(
        status=Preparation.Status.SUBMITTED, submitted_at=timezone.now()
    )
    share(cast, Topic.CONSULTS)
    client.force_login(cast.rob)
    assert consults_url(cast) in client.get(reverse("workspace:relative_home")).content.decode()
    response = client.get(consults_url(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gesprekken van Anna" in html
    assert "Noor" in html  # the next consult is with Noor
    assert "Mijn slaap" in html  # what Anna wrote for it, sent
    assert "Uitgerust" in html  # one of the four spheres


def test_a_preparation_still_being_written_is_not_shown(cast, client, record):
    Preparation.objects.filter(person=cast.anna).update(status=Preparation.Status.DRAFT)
    share(cast, Topic.CONSULTS)
    client.force_login(cast.rob)
    html = client.get(consults_url(cast)).content.decode()
    assert "Mijn slaap" not in html


def measurements_url(cast):
    return reverse("workspace:relative_measurements", kwargs={"person_id": cast.anna.pk})


def test_self_measurements_show_each_item_without_links_to_pages_a_relative_cannot_open(cast, client, record):
    share(cast, Topic.MEASUREMENTS)
    client.force_login(cast.rob)
    assert measurements_url(cast) in client.get(reverse("workspace:relative_home")).content.decode()
    response = client.get(measurements_url(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wat Anna bijhoudt" in html
    assert "Rust in mijn hoofd" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "/bijhouden/" not in main and "/mijn/" not in main and "/personen/" not in main
    assert "mon-chart" in main and "staan op de pagina van" not in main  # its text alternative names no page


def test_self_measurements_not_shared_are_a_missing_record(cast, client, record):
    share(cast, Topic.GOALS)
    client.force_login(cast.rob)
    before = refused(cast.rob)
    assert client.get(measurements_url(cast)).status_code == 404
    assert refused(cast.rob) == before + 1


def test_a_refusal_looks_exactly_like_a_person_who_does_not_exist(cast, client, record):
    share(cast, Topic.CAREPLAN)  # Anna shares something, but not her goals
    client.force_login(cast.rob)
    missing_url = reverse("workspace:relative_goals", kwargs={"person_id": 999_999})
    missing = client.get(missing_url)
    refused_page = client.get(goals_url(cast))
    assert missing.status_code == refused_page.status_code == 404
    assert normalised(refused_page, goals_url(cast)) == normalised(missing, missing_url)


def test_the_home_costs_a_few_queries_per_person_shown(cast, client):
    """A relative has a handful of persons: each costs its consent read, never a read per topic."""
    share(cast, Topic.CAREPLAN, Topic.GOALS)
    client.force_login(cast.rob)
    client.get(reverse("workspace:relative_home"))  # warm the session and the translations
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workspace:relative_home"))
    for name in ("Cas", "Dirk"):
        other = make_person(actor=cast.noor, given_name=name, family_name="Jansen", with_account=True, username=name)
        RelativeLink.objects.create(person=other, user=cast.rob, relationship="friend")
        share(cast, Topic.CAREPLAN, Topic.GOALS, Topic.MEASUREMENTS, person=other)
    with CaptureQueriesContext(connection) as three:
        html = client.get(reverse("workspace:relative_home")).content.decode()
    assert "Cas Jansen" in html and "Dirk Jansen" in html
    assert len(three) - len(one) <= 2 * 2, [q["sql"] for q in three.captured_queries]


def test_the_relative_and_the_person_read_the_plan_through_one_template(cast, client, record):
    """One parametrised plain-language plan (careplans/_plain.html) for the person's portal and
    a relative's view: the relative's page does not keep a copy of its own."""
    share(cast, Topic.CAREPLAN, Topic.GOALS)
    client.force_login(cast.rob)
    relative = client.get(plan_url(cast))
    assert relative.status_code == 200
    assert "careplans/_plain.html" in [t.name for t in relative.templates]
    html = relative.content.decode()
    assert "Doelen van Anna" in html and "Uw doelen" not in html
    assert "Uw praktijk" not in html  # the practice block speaks to the person only
    client.force_login(cast.anna_user)
    own = client.get(reverse("careplans:portal_plan"))
    assert own.status_code == 200
    assert "careplans/_plain.html" in [t.name for t in own.templates]
    assert "Uw doelen" in own.content.decode()
