"""“Bespreek dit”: from an N=1 finding or a questionnaire trajectory the professional puts the
chart on the agenda of the person's next planned consult (or, none planned, on the waiting list
that the next consult takes); the item stores what is discussed and draws the chart from it,
with a link back to the finding. Access layer and log like every other write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.consults import discussion
from koers.consults.models import AgendaItem
from koers.consults.services import consult_plan
from koers.monitoring import services as monitoring
from koers.monitoring.entries import Entry
from koers.monitoring.models import MeasurementType, Observation
from koers.questionnaires.models import Response, Score

pytestmark = pytest.mark.django_db
MONITORING = AgendaItem.About.MONITORING
QUESTIONNAIRE = AgendaItem.About.QUESTIONNAIRE


def plan(cast, person=None, days=7):
    person = person or cast.anna
    return consult_plan(
        actor=cast.noor, person=person, scheduled_at=timezone.now() + dt.timedelta(days=days), professional=cast.noor
    )


def moods(cast, person=None, days=20):
    person = person or cast.anna
    mood = MeasurementType.objects.get(code="mood", person__isnull=True)
    today = timezone.localdate()
    entries = [
        Entry(
            type=mood,
            value=float(3 + day % 5),
            effective_at=timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=day + 1), dt.time(9))),
        )
        for day in range(days)
    ]
    monitoring.observations_record(
        actor=cast.noor, person=person, entries=entries, source=Observation.Source.PROFESSIONAL
    )


def phq9(cast, person, totals_days_ago):
    for total, days in totals_days_ago:
        when = timezone.now() - dt.timedelta(days=days)
        response = Response.objects.create(
            person=person,
            instrument_id="phq-9",
            instrument_version="1.0.0",
            title="PHQ-9",
            status=Response.Status.COMPLETED,
            mode=Response.Mode.PORTAL,
            answers={},
            filled_by=cast.noor,
            started_at=when,
            authored_at=when,
        )
        Score.objects.create(
            response=response,
            person=person,
            instrument_id="phq-9",
            instrument_version="1.0.0",
            authored_at=when,
            total=total,
            band="",
        )


def discuss(cast, **kwargs):
    values = {"actor": cast.noor, "person": cast.anna, "kind": MONITORING, "key": "mood"}
    return discussion.agenda_item_discuss(**(values | kwargs))


# --- the service ---------------------------------------------------------------------------------


def test_the_chart_lands_on_the_next_planned_consult_with_its_reference_and_a_log_row(cast):
    plan(cast, days=20)
    sooner = plan(cast, days=3)
    start, end = timezone.localdate() - dt.timedelta(days=30), timezone.localdate()
    item, created = discuss(cast, period_from=start, period_until=end)
    assert created and item.consult == sooner
    assert (item.about_kind, item.about_key, item.about_from, item.about_until) == (MONITORING, "mood", start, end)
    assert item.source == AgendaItem.Source.PROFESSIONAL and item.status == AgendaItem.Status.OPEN
    assert "Stemming" in item.title
    assert AccessLogEntry.objects.filter(
        action="C", person_id=cast.anna.pk, object_type="consults.AgendaItem", object_id=str(item.pk)
    ).exists()


def test_without_a_planned_consult_it_waits_and_the_next_consult_takes_it(cast):
    item, created = discuss(cast)
    assert created and item.consult is None
    consult = plan(cast)
    item.refresh_from_db()
    assert item.consult == consult


def test_the_same_chart_is_not_put_on_twice(cast):
    plan(cast)
    first, _created = discuss(cast)
    again, created = discuss(cast)
    assert again == first and not created
    assert AgendaItem.objects.filter(person=cast.anna).count() == 1


@pytest.mark.parametrize("key", ["", "no-such-item", "x" * 200])
def test_a_chart_that_does_not_exist_is_refused_and_nothing_written(cast, key):
    with pytest.raises(ValidationError):
        discuss(cast, key=key)
    assert not AgendaItem.objects.exists()


def test_another_persons_own_item_answers_like_a_missing_one(cast):
    own = monitoring.custom_type_create(
        actor=cast.noor, person=cast.bas, name="Stemmen horen", anchor_low="niet", anchor_high="heel erg"
    )
    with pytest.raises(ValidationError) as other:
        discuss(cast, key=own.code)
    with pytest.raises(ValidationError) as missing:
        discuss(cast, key="custom-999999")
    assert other.value.messages == missing.value.messages
    assert not AgendaItem.objects.exists()


def test_a_period_that_is_not_one_is_refused(cast):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        discuss(cast, period_from=today, period_until=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        discuss(cast, period_until=today + dt.timedelta(days=2))
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("who", ["sam", "cor", "rob"])
def test_outsiders_are_refused_and_the_refusal_logged(cast, who):
    with pytest.raises(NotFound):
        discuss(cast, actor=getattr(cast, who))
    assert not AgendaItem.objects.exists()
    assert AccessLogEntry.objects.filter(person_id=cast.anna.pk, outcome="refused").exists()


# --- from the N=1 analysis page -----------------------------------------------------------------------


def test_bespreek_dit_on_the_analysis_page_puts_the_chart_on_the_consult(cast, login):
    moods(cast)
    consult = plan(cast)
    client = login(cast.noor)
    analysis = reverse("monitoring:analysis", kwargs={"person_id": cast.anna.pk})
    page = client.get(analysis).content.decode()
    action = reverse("monitoring:discuss", kwargs={"person_id": cast.anna.pk})
    assert f'action="{action}"' in page and "Bespreek dit" in page
    response = client.post(action, {"item": "mood", "periode": "30"})
    item = AgendaItem.objects.get(person=cast.anna)
    detail = reverse("consults:detail", kwargs={"person_id": cast.anna.pk, "consult_id": consult.pk})
    assert response.status_code == 302 and response["Location"] == f"{detail}#item-{item.pk}"
    assert item.about_from == timezone.localdate() - dt.timedelta(days=30)
    html = client.get(detail).content.decode()
    assert f'id="discussed-{item.pk}-title"' in html  # the chart, drawn from the reference
    assert f'href="{analysis}?item=mood&amp;periode=30#h-mood"' in html  # and the way back


def test_bespreek_dit_with_no_consult_planned_says_it_waits(cast, login):
    moods(cast)
    client = login(cast.noor)
    response = client.post(
        reverse("monitoring:discuss", kwargs={"person_id": cast.anna.pk}),
        {"item": "mood", "periode": "90"},
        follow=True,
    )
    assert "Er is nog geen consult gepland" in response.content.decode()
    assert AgendaItem.objects.get().consult is None


def test_bad_input_on_the_analysis_page_saves_nothing(cast, login):
    client = login(cast.noor)
    url = reverse("monitoring:discuss", kwargs={"person_id": cast.anna.pk})
    for data in (
        {},
        {"item": "<script>", "periode": "30"},
        {"item": "mood", "periode": "7"},
        {"item": "nope", "periode": "30"},
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_a_stranger_cannot_put_anything_on_annas_agenda(cast, login):
    response = login(cast.sam).post(
        reverse("monitoring:discuss", kwargs={"person_id": cast.anna.pk}), {"item": "mood", "periode": "30"}
    )
    assert response.status_code == 404
    assert not AgendaItem.objects.exists()


# --- from a questionnaire trajectory ------------------------------------------------------------------


def test_bespreek_dit_on_a_trajectory_puts_its_chart_on_the_consult(cast, login):
    phq9(cast, cast.anna, [(18, 60), (12, 30), (7, 2)])
    consult = plan(cast)
    client = login(cast.noor)
    trajectory = reverse("questionnaires:trajectory", kwargs={"person_id": cast.anna.pk, "instrument": "phq-9"})
    action = reverse("questionnaires:discuss", kwargs={"person_id": cast.anna.pk, "instrument": "phq-9"})
    assert f'action="{action}"' in client.get(trajectory).content.decode()
    response = client.post(action)
    item = AgendaItem.objects.get(person=cast.anna)
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    assert (item.about_kind, item.about_key, item.consult) == (QUESTIONNAIRE, "phq-9", consult)
    # The first response's own local date: "today - 60 days" is a day off late in the evening when
    # those 60 days cross a change of summer time (CET now, CEST then).
    first = Response.objects.filter(person=cast.anna).order_by("authored_at").first()
    assert item.about_from == timezone.localdate(first.authored_at)
    detail = reverse("consults:detail", kwargs={"person_id": cast.anna.pk, "consult_id": consult.pk})
    html = client.get(detail).content.decode()
    assert f'id="discussed-{item.pk}-title"' in html
    assert f'href="{trajectory}"' in html


def test_a_trajectory_the_person_does_not_have_is_refused(cast, login):
    phq9(cast, cast.bas, [(18, 60), (7, 2)])
    plan(cast)
    response = login(cast.noor).post(
        reverse("questionnaires:discuss", kwargs={"person_id": cast.anna.pk, "instrument": "phq-9"}), follow=True
    )
    assert response.status_code == 200
    assert "bestaat niet (meer)" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_the_chart_is_not_shown_to_someone_who_may_not_read_it(cast, login, rf):
    moods(cast)
    plan(cast)
    item, _created = discuss(cast)
    found = discussion.shown(cast.anna_user, cast.anna, item)
    assert found["allowed"] is True  # Anna may read her own values
    assert discussion.shown(cast.sam, cast.anna, item) == {"link": "", "chart": None, "allowed": False}


# --- the person on the portal -------------------------------------------------------------------------


def test_the_person_puts_her_own_chart_on_the_agenda_of_her_next_consult(cast, login):
    moods(cast)
    consult = plan(cast)
    client = login(cast.anna_user)
    page = client.get(reverse("monitoring:portal_detail", kwargs={"code": "mood"})).content.decode()
    action = reverse("monitoring:portal_discuss")
    assert f'action="{action}"' in page and "Bespreek dit met mijn zorgverlener" in page
    response = client.post(action, {"item": "mood", "periode": "30"})
    assert response.status_code == 302 and response["Location"] == reverse("consults:portal_agenda")
    item = AgendaItem.objects.get(person=cast.anna)
    assert (item.consult, item.source, item.about_key) == (consult, AgendaItem.Source.PERSON, "mood")
    agenda = client.get(reverse("consults:portal_agenda")).content.decode()
    assert f'id="discussed-{item.pk}-title"' in agenda
    assert f'href="{reverse("monitoring:portal_detail", kwargs={"code": "mood"})}"' in agenda  # her own page
    assert "/personen/" not in agenda.split('class="discussed-chart"')[1].split("</div>")[0]
    # and the professional sees the same chart on the consult page
    detail = reverse("consults:detail", kwargs={"person_id": cast.anna.pk, "consult_id": consult.pk})
    assert f'id="discussed-{item.pk}-title"' in login(cast.noor).get(detail).content.decode()


def test_the_person_cannot_discuss_someone_elses_own_item(cast, login):
    own = monitoring.custom_type_create(
        actor=cast.noor, person=cast.bas, name="Stemmen horen", anchor_low="niet", anchor_high="heel"
    )
    plan(cast)
    response = login(cast.anna_user).post(reverse("monitoring:portal_discuss"), {"item": own.code, "periode": "30"})
    assert response.status_code == 302 and response["Location"] == reverse("monitoring:portal_overview")
    assert not AgendaItem.objects.exists()


def test_a_professional_cannot_use_the_persons_portal_action(cast, login):
    response = login(cast.noor).post(reverse("monitoring:portal_discuss"), {"item": "mood", "periode": "30"})
    assert response.status_code == 404
    assert not AgendaItem.objects.exists()
