"""Pages of questionnaires: the professional's, the person's portal and the import.

Each page: the happy path with its access-log row, bad input (clear message, nothing saved),
another person's ids (404), escaping, and list pages at a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.questionnaires import services
from koers.questionnaires.models import Assignment, AttentionItem, ImportedInstrument, Response, Score
from koers.questionnaires.tests.own_questionnaire import own_questionnaire

pytestmark = pytest.mark.django_db

PHQ9_MILD = {str(n): "1" for n in range(1, 9)} | {"9": "0"}  # 8: mild
PHQ9_HIGH = {str(n): "2" for n in range(1, 9)} | {"9": "0"}  # 16: moderately severe
SCRIPT = "<script>alert('x')</script>"


def ok_read_row(user, person, object_type) -> bool:
    return AccessLogEntry.objects.filter(
        user=user, person=person, action="R", outcome="success", object_type=object_type
    ).exists()


def complete_together(cast, person, instrument_id, answers, days_ago):
    response = services.response_start(actor=cast.noor, person=person, instrument_id=instrument_id)
    return services.response_complete(
        actor=cast.noor, response=response, answers=answers, authored_at=timezone.now() - dt.timedelta(days=days_ago)
    )


@pytest.fixture
def pro(cast, client):
    client.force_login(cast.noor)
    return client


@pytest.fixture
def me(cast, client):
    client.force_login(cast.anna_user)
    return client


def url(name, *args):
    return reverse(f"questionnaires:{name}", args=args)


# --- professional ------------------------------------------------------------------------------


def test_overview_shows_assignments_late_ones_highlighted_results_and_logs(cast, pro):
    late = services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="gad-7")
    Assignment.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="k10")
    complete_together(cast, cast.anna, "phq-9", PHQ9_HIGH, 120)
    complete_together(cast, cast.anna, "phq-9", PHQ9_MILD, 10)
    response = pro.get(url("list", cast.anna.pk))
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r"<tr( class=\"overdue\")?>\s*<th scope=\"row\">([^<]+)", html)
    assert rows[0] == (' class="overdue"', "GAD-7 – klachten van angst en piekeren")  # late first
    assert rows[1][0] == ""
    assert "te laat: nog niet ingevuld" in html
    assert "betrouwbaar verbeterd" in html  # 16 → 8 with PHQ-9's norms
    assert "Jaarlijkse evaluatie: herstel in drie domeinen" in html
    assert ok_read_row(cast.noor, cast.anna, "questionnaires")


def test_overview_query_count_does_not_grow_with_rows(cast, pro):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert pro.get(url("list", cast.anna.pk)).status_code == 200
        return len(ctx.captured_queries)

    services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="gad-7")
    complete_together(cast, cast.anna, "phq-9", PHQ9_HIGH, 200)
    first = count()
    for instrument_id in ("k10", "mansa", "dialog"):
        services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id=instrument_id)
    for days in (150, 100, 50, 5):
        complete_together(cast, cast.anna, "phq-9", PHQ9_MILD if days < 100 else PHQ9_HIGH, days)
    complete_together(cast, cast.anna, "gad-7", {str(n): "1" for n in range(1, 8)}, 20)
    assert count() == first


def test_assign_form_creates_and_bad_input_saves_nothing(cast, pro):
    assert pro.get(url("assign", cast.anna.pk)).status_code == 200
    response = pro.post(url("assign", cast.anna.pk), {"instrument_id": "", "schedule": "once"})
    assert response.status_code == 200
    assert "Kies een vragenlijst." in response.content.decode()
    response = pro.post(
        url("assign", cast.anna.pk), {"instrument_id": "phq-9", "schedule": "interval", "interval_days": ""}
    )
    assert response.status_code == 200 and "Vul in na hoeveel dagen" in response.content.decode()
    response = pro.post(url("assign", cast.anna.pk), {"instrument_id": "phq-9", "schedule": "once", "note": "x" * 501})
    assert response.status_code == 200 and "te lang" in response.content.decode()
    assert not Assignment.objects.exists()
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = pro.post(
        url("assign", cast.anna.pk),
        {"instrument_id": "phq-9", "schedule": "interval", "interval_days": "91", "due_date": due, "note": SCRIPT},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.interval_days, assignment.note) == (91, SCRIPT)


def test_assign_says_every_problem_at_once(cast, pro):
    """Noor chose no questionnaire, asked for it every few days without saying how many, and gave a
    first date last month: she heard about the questionnaire, chose one, and only then about the
    days and the date. All three in one answer."""
    past = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    data = {"instrument_id": "", "schedule": "interval", "interval_days": "", "due_date": past}
    response = pro.post(url("assign", cast.anna.pk), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"instrument_id", "interval_days", "due_date"}
    assert not Assignment.objects.exists()


def test_cancel_and_another_persons_assignment_is_not_found(cast, pro):
    anna = services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    bas = services.assignment_create(actor=cast.noor, person=cast.bas, instrument_id="phq-9")
    response = pro.post(url("assignment_cancel", cast.anna.pk, bas.pk))
    assert response.status_code == 404
    bas.refresh_from_db()
    assert bas.status == Assignment.Status.ACTIVE
    assert pro.post(url("assignment_cancel", cast.anna.pk, anna.pk), {"bevestigd": "ja"}).status_code == 302
    anna.refresh_from_db()
    assert anna.status == Assignment.Status.CANCELLED


def test_fill_in_together_save_then_complete(cast, pro):
    response = pro.post(url("start", cast.anna.pk), {"instrument_id": "phq-9"})
    started = Response.objects.get()
    assert response["Location"] == url("fill", cast.anna.pk, started.pk)
    page = pro.get(response["Location"])
    assert page.status_code == 200 and 'name="q9"' in page.content.decode()
    pro.post(url("fill", cast.anna.pk, started.pk), {"q1": "2", "q2": "1", "actie": "bewaren"})
    started.refresh_from_db()
    assert started.answers == {"1": "2", "2": "1"} and started.status == "in-progress"
    page = pro.post(url("fill", cast.anna.pk, started.pk), {"q1": "2", "actie": "versturen"})
    assert page.status_code == 200
    assert "Deze vraag is nog niet beantwoord." in page.content.decode()
    assert not Score.objects.exists()
    page = pro.post(url("fill", cast.anna.pk, started.pk), {"q1": "9", "actie": "bewaren"})
    assert page.status_code == 200 and "Kies een van de antwoorden." in page.content.decode()
    data = {f"q{n}": "1" for n in range(1, 9)} | {"q9": "0", "actie": "versturen"}
    response = pro.post(url("fill", cast.anna.pk, started.pk), data)
    assert response["Location"] == url("response", cast.anna.pk, started.pk)
    page = pro.get(response["Location"]).content.decode()
    assert "lichte klachten" in page and ">8<" in page
    assert Score.objects.get().total == 8


def test_paper_date_and_a_future_date_is_refused(cast, pro):
    started = services.response_start(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    data = {f"q{n}": "1" for n in range(1, 9)} | {"q9": "0", "actie": "versturen"}
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    page = pro.post(url("fill", cast.anna.pk, started.pk), data | {"authored_at": future})
    assert page.status_code == 200 and "toekomst" in page.content.decode()
    past = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    pro.post(url("fill", cast.anna.pk, started.pk), data | {"authored_at": past})
    assert timezone.localdate(Score.objects.get().authored_at).isoformat() == past


def test_attention_shown_and_handled_with_a_note(cast, pro):
    complete_together(cast, cast.anna, "phq-9", PHQ9_MILD | {"9": "1"}, 1)
    item = AttentionItem.objects.get()
    page = pro.get(url("list", cast.anna.pk)).content.decode()
    assert "Aandacht nodig: zorgelijke uitslag" in page and "vraag 9" in page
    pro.post(url("attention_handle", cast.anna.pk, item.response_id), {"handled_note": ""})
    item.refresh_from_db()
    assert item.handled_at is None
    response = pro.post(url("attention_handle", cast.anna.pk, item.response_id), {"handled_note": f"Gebeld {SCRIPT}"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.handled_by == cast.noor
    page = pro.get(url("response", cast.anna.pk, item.response_id)).content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page
    assert "Aandacht nodig: zorgelijke uitslag" not in pro.get(url("list", cast.anna.pk)).content.decode()


def test_trajectory_chart_and_table(cast, pro):
    for days, answers in ((300, {str(n): "3" for n in range(1, 10)}), (150, PHQ9_HIGH), (10, PHQ9_MILD)):
        complete_together(cast, cast.anna, "phq-9", answers, days)
    page = pro.get(url("trajectory", cast.anna.pk, "phq-9"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="traj-band ') == 5  # the five PHQ-9 bands behind the line
    assert html.count('class="traj-dot"') == 3
    assert "<table>" in html and "RCI" in html
    assert "hersteld" in html  # 27 → 8 overall: reliably improved and below the cut-off of 10
    assert ok_read_row(cast.noor, cast.anna, "questionnaires.Score")
    assert pro.get(url("trajectory", cast.anna.pk, "gad-7")).status_code == 404


def test_outsiders_get_not_found(cast, client):
    complete_together(cast, cast.anna, "phq-9", PHQ9_MILD, 3)
    for outsider in (cast.sam, cast.cor, cast.anna_user, cast.rob):
        client.force_login(outsider)
        assert client.get(url("list", cast.anna.pk)).status_code == 404
        assert client.post(url("start", cast.anna.pk), {"instrument_id": "phq-9"}).status_code == 404
    assert Response.objects.count() == 1


# --- portal ------------------------------------------------------------------------------------


@pytest.fixture
def assigned(cast):
    return services.assignment_create(
        actor=cast.noor, person=cast.anna, instrument_id="phq-9", note=f"Voor ons gesprek {SCRIPT}"
    )


def test_portal_list_intro_and_start(cast, me, assigned):
    page = me.get(url("portal_list")).content.decode()
    assert "PHQ-9 – klachten van somberheid" in page and url("portal_start", assigned.pk) in page
    assert ok_read_row(cast.anna_user, cast.anna, "questionnaires")
    intro = me.get(url("portal_start", assigned.pk))
    html = intro.content.decode()
    assert "Er zijn 10 vragen." in html and "Hoe vaak heeft u in de afgelopen 2 weken" in html
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert not Response.objects.exists()  # looking at the introduction starts nothing
    response = me.post(url("portal_start", assigned.pk))
    started = Response.objects.get()
    assert response["Location"] == url("portal_fill", started.pk)
    assert me.get(response["Location"])["Location"] == url("portal_fill", started.pk) + "?vraag=1"


def test_one_question_per_page_save_continue_and_go_back(cast, me, assigned):
    started = services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assigned)
    fill = url("portal_fill", started.pk)
    page = me.get(fill + "?vraag=1").content.decode()
    assert "Vraag 1 van 10" in page
    assert page.count('type="radio"') == 4 and "<legend>" in page
    response = me.post(fill + "?vraag=1", {"q1": "2", "actie": "verder"})
    assert response["Location"] == fill + "?vraag=2"
    response = me.post(fill + "?vraag=2", {"q2": "7", "actie": "verder"})
    assert response.status_code == 200 and "Kies een van de antwoorden." in response.content.decode()
    response = me.post(fill + "?vraag=2", {"q2": "1", "actie": "terug"})
    assert response["Location"] == fill + "?vraag=1"
    response = me.post(fill + "?vraag=3", {"actie": "later"})
    assert response["Location"] == url("portal_list")
    started.refresh_from_db()
    assert started.answers == {"1": "2", "2": "1"}
    assert me.get(fill)["Location"] == fill + "?vraag=3"  # continue where I left off
    for bad in ("0", "12", "abc"):
        assert me.get(fill + f"?vraag={bad}").status_code == 404


def test_worrying_answer_shows_support_at_once_and_flags_the_care_team(cast, me, assigned):
    started = services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assigned)
    fill = url("portal_fill", started.pk)
    page = me.get(fill + "?vraag=9").content.decode()
    assert "0800-0113" not in page
    me.post(fill + "?vraag=9", {"q9": "2", "actie": "verder"})
    assert AttentionItem.objects.filter(person=cast.anna, code="phq9_item9", handled_at=None).exists()
    page = me.get(fill + "?vraag=10").content.decode()
    assert "0800-0113" in page and "112" in page


def test_review_send_and_result_in_plain_language(cast, me, assigned):
    complete_together(cast, cast.anna, "phq-9", {str(n): "3" for n in range(1, 9)} | {"9": "0"}, 90)  # 24
    started = services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assigned)
    services.response_save(actor=cast.anna_user, response=started, answers={"1": "1"})
    review = me.get(url("portal_fill", started.pk) + "?vraag=11").content.decode()
    assert "1 van de 10 vragen beantwoord" in review
    response = me.post(url("portal_complete", started.pk))
    assert response.status_code == 200
    assert "Nog niet alle vragen zijn beantwoord" in response.content.decode()
    assert "Nog niet beantwoord (deze vraag is nodig)" in response.content.decode()
    services.response_save(actor=cast.anna_user, response=started, answers=PHQ9_MILD)
    response = me.post(url("portal_complete", started.pk))
    assert response["Location"] == url("portal_result", started.pk)
    page = me.get(response["Location"]).content.decode()
    assert "Uw score ging van 24 naar 8. Dat is een echte verbetering, meer dan toeval." in page
    assert "lichte klachten" in page
    assert "0800-0113" not in page
    assert ok_read_row(cast.anna_user, cast.anna, "questionnaires.Response")


def test_portal_refuses_other_peoples_and_together_responses(cast, me, assigned):
    bas_assignment = services.assignment_create(actor=cast.noor, person=cast.bas, instrument_id="phq-9")
    bas_response = services.response_start(actor=cast.bas_user, person=cast.bas, assignment=bas_assignment)
    together = services.response_start(actor=cast.noor, person=cast.anna, instrument_id="gad-7")
    assert me.get(url("portal_start", bas_assignment.pk)).status_code == 404
    assert me.post(url("portal_start", bas_assignment.pk)).status_code == 404
    assert me.get(url("portal_fill", bas_response.pk) + "?vraag=1").status_code == 404
    assert me.post(url("portal_fill", bas_response.pk) + "?vraag=1", {"q1": "1"}).status_code == 404
    assert me.get(url("portal_fill", together.pk) + "?vraag=1").status_code == 404
    assert me.get(url("portal_result", together.pk)).status_code == 404
    bas_response.refresh_from_db()
    assert bas_response.answers == {}
    assert AccessLogEntry.objects.filter(user=cast.anna_user, outcome="refused").count() >= 6


def test_portal_list_query_count_does_not_grow(cast, me):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert me.get(url("portal_list")).status_code == 200
        return len(ctx.captured_queries)

    services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    complete_together(cast, cast.anna, "gad-7", {str(n): "1" for n in range(1, 8)}, 40)
    first = count()
    for instrument_id in ("k10", "mansa"):
        assignment = services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id=instrument_id)
        services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assignment)
    for days in (30, 20, 10):
        complete_together(cast, cast.anna, "gad-7", {str(n): "2" for n in range(1, 8)}, days)
    complete_together(cast, cast.anna, "phq-9", PHQ9_MILD, 5)
    assert count() == first


# --- an organisation's own instruments ---------------------------------------------------------


def upload(data: bytes, name="eigen.json"):
    return SimpleUploadedFile(name, data, content_type="application/json")


def test_manager_imports_through_the_page(cast, client):
    client.force_login(cast.mia)
    assert client.get(url("import")).status_code == 200
    response = client.post(
        url("import"), {"questionnaire": upload(b"{kapot"), "licence": "L", "organisation": cast.gp_practice.pk}
    )
    assert response.status_code == 200
    assert "geen geldige JSON" in response.content.decode()
    response = client.post(
        url("import"),
        {
            "questionnaire": upload(json.dumps(own_questionnaire()).encode()),
            "licence": "",
            "organisation": cast.gp_practice.pk,
        },
    )
    assert response.status_code == 200 and "Beschrijf de licentie" in response.content.decode()
    assert not ImportedInstrument.objects.exists()
    response = client.post(
        url("import"),
        {
            "questionnaire": upload(json.dumps(own_questionnaire()).encode()),
            "licence": "Licentie 2026",
            "organisation": cast.gp_practice.pk,
        },
    )
    assert response.status_code == 302
    assert ImportedInstrument.objects.get().organisation == cast.gp_practice
    page = client.get(url("instruments")).content.decode()
    assert "Eigen vragenlijst" in page and "Licentie 2026" in page


def test_a_manager_cannot_import_for_another_organisation(cast, client):
    client.force_login(cast.mia)
    response = client.post(
        url("import"),
        {
            "questionnaire": upload(json.dumps(own_questionnaire()).encode()),
            "licence": "L",
            "organisation": cast.ggz.pk,
        },
    )
    assert response.status_code == 200 and "Kies een organisatie." in response.content.decode()
    assert not ImportedInstrument.objects.exists()


def test_import_page_is_for_managers_and_administrators_only(cast, client):
    assert client.get(url("import")).status_code == 302  # anonymous: to the login page
    for user in (cast.noor, cast.anna_user, cast.rob):
        client.force_login(user)
        assert client.get(url("import")).status_code == 404
    client.force_login(cast.ada)
    assert client.get(url("import")).status_code == 200
    client.force_login(cast.noor)
    assert client.get(url("instruments")).status_code == 200  # professionals see what exists


# --- in the workspace: caseload and person overview ------------------------------------------


def test_a_worrying_answer_shows_in_the_caseload_until_handled(cast, pro):
    caseload = reverse("workspace:caseload")
    assert "zorgelijke uitslag vragenlijst" not in pro.get(caseload).content.decode()
    assignment = services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    started = services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assignment)
    services.response_save(actor=cast.anna_user, response=started, answers={"9": "1"})  # not even sent yet
    page = pro.get(caseload).content.decode()
    assert page.count("zorgelijke uitslag vragenlijst") == 1
    assert url("list", cast.anna.pk) in page
    only = pro.get(caseload + "?aandacht=1").content.decode()
    assert "de Boer, Anna" in only
    overview = pro.get(reverse("workspace:person", args=[cast.anna.pk])).content.decode()
    assert "1 zorgelijke uitslag waar nog niemand op heeft gereageerd." in overview
    services.attention_handle(actor=cast.noor, item=AttentionItem.objects.get(), note="Gebeld")
    assert "zorgelijke uitslag vragenlijst" not in pro.get(caseload).content.decode()


def test_person_overview_counts_late_questionnaires(cast, pro):
    late = services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="gad-7")
    Assignment.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    services.assignment_create(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    overview = pro.get(reverse("workspace:person", args=[cast.anna.pk])).content.decode()
    assert "1 vragenlijst is nog niet ingevuld." in overview


def test_portal_in_english_translates_the_page_and_the_instrument(cast, me, assigned, settings):
    from django.utils import translation

    started = services.response_start(actor=cast.anna_user, person=cast.anna, assignment=assigned)
    me.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        page = me.get(url("portal_fill", started.pk) + "?vraag=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    finally:
        translation.activate("nl")
    assert "Question 1 of 10" in page and "Next question" in page
    assert "Little interest or pleasure in doing things" in page  # the instrument's own translation
    assert "Vraag 1 van 10" not in page


def test_portal_result_tells_the_whole_way_so_far(cast, me):
    complete_together(cast, cast.anna, "phq-9", {str(n): "3" for n in range(1, 9)} | {"9": "0"}, 200)  # 24
    complete_together(cast, cast.anna, "phq-9", {str(n): "1" for n in range(1, 9)} | {"9": "2"}, 100)  # 10
    latest = complete_together(cast, cast.anna, "phq-9", PHQ9_MILD, 5)  # 8
    page = me.get(url("portal_list")).content.decode()
    assert "Uw score ging van 10 naar 8. Of dit een echte verandering is, is nog niet zeker." in page
    assert "klein" not in page
    assert "ging uw score van 24 naar 8: dat is een echte verbetering." in page
    assert "ging uw score van 24 naar 8" in me.get(url("portal_result", latest.pk)).content.decode()


def test_recurring_assignment_shows_its_interval_in_words(cast, pro):
    services.assignment_create(
        actor=cast.noor, person=cast.anna, instrument_id="phq-9", schedule="interval", interval_days=91
    )
    services.assignment_create(
        actor=cast.noor, person=cast.anna, instrument_id="gad-7", schedule="interval", interval_days=10
    )
    page = pro.get(url("list", cast.anna.pk)).content.decode()
    assert "elke 3 maanden" in page and "elke 10 dagen" in page
