"""Diary moments: choosing times and questions, and prompts through the notifications outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.monitoring import diary, services
from koers.monitoring.models import DiarySchedule, MeasurementType, Observation
from koers.notifications import delivery, sweeps
from koers.notifications.models import Channel, Delivery, Notification, NotificationPreference, Reason

UTC = dt.UTC
AMS = "Europe/Amsterdam"
WINTER_DAY = dt.date(2026, 1, 12)  # UTC+1
SPRING_DST = dt.date(2026, 3, 29)  # 02:00 → 03:00
AUTUMN_DST = dt.date(2026, 10, 25)  # 03:00 → 02:00


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


# -- the chosen times (pure) ----------------------------------------------------------------


def test_times_are_cleaned_and_sorted():
    times, errors = diary.normalise_times(["21:00", "8:30", "", "12.45", dt.time(17, 0)])
    assert errors == []
    assert times == ["08:30", "12:45", "17:00", "21:00"]


@pytest.mark.parametrize(
    ("times", "fragment"),
    [
        ([], "minstens één moment"),
        (["", "  "], "minstens één moment"),
        (["25:00"], "is geen tijd"),
        (["8 uur"], "is geen tijd"),
        (["<script>"], "is geen tijd"),
        (["08:00", "8:00"], "twee keer"),
        (["08:00", "08:45"], "minder dan een uur"),
        (["23:30", "00:15", "12:00"], "minder dan een uur"),  # across midnight
        ([f"{h:02d}:00" for h in range(0, 24, 2)], "hoogstens 10"),
    ],
)
def test_bad_times_are_refused_with_a_message(times, fragment):
    cleaned, errors = diary.normalise_times(times)
    assert cleaned == []
    assert errors and fragment in errors[0]


def test_ten_times_an_hour_apart_are_fine():
    times, errors = diary.normalise_times([f"{h:02d}:00" for h in range(8, 18)])
    assert errors == [] and len(times) == 10


# -- which prompts are due (pure) --------------------------------------------------------------


def test_prompts_on_an_ordinary_winter_day():
    prompts = diary.prompts_on(["08:30", "12:30", "20:00"], WINTER_DAY, AMS)
    assert [p.at for p in prompts] == [utc(2026, 1, 12, 7, 30), utc(2026, 1, 12, 11, 30), utc(2026, 1, 12, 19, 0)]
    # Open until the next moment, at most two hours; the last one until two hours later.
    assert [p.closes - p.at for p in prompts] == [dt.timedelta(hours=2)] * 3


def test_a_prompt_closes_at_the_next_moment():
    first, second = diary.prompts_on(["09:00", "10:15"], WINTER_DAY, AMS)
    assert first.closes == second.at == utc(2026, 1, 12, 9, 15)
    # The last one of the day closes at the next day's first moment when that comes sooner.
    late = diary.prompts_on(["00:30", "23:00"], WINTER_DAY, AMS)[-1]
    assert late.closes == utc(2026, 1, 12, 23, 30)


def test_summer_time_shifts_the_instant_not_the_clock():
    winter = diary.prompts_on(["09:00"], WINTER_DAY, AMS)[0]
    summer = diary.prompts_on(["09:00"], dt.date(2026, 7, 1), AMS)[0]
    assert winter.at.hour == 8 and summer.at.hour == 7


def test_spring_forward_day_a_time_in_the_gap_is_asked_after_it_once():
    prompts = diary.prompts_on(["02:30", "03:30", "09:00"], SPRING_DST, AMS)
    # 02:30 does not exist: asked at 03:30 summer time (01:30 UTC); 03:30 is that same instant → one prompt.
    assert [p.at for p in prompts] == [utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 7, 0)]
    assert prompts[0].time == "02:30"


def test_fall_back_day_a_double_hour_is_asked_once_the_first_time():
    prompts = diary.prompts_on(["02:30", "09:00"], AUTUMN_DST, AMS)
    assert [p.at for p in prompts] == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 8, 0)]  # 02:30 CEST, 09:00 CET
    # The day is 25 hours long: the next day's prompts are still one a day.
    nxt = diary.prompts_on(["02:30", "09:00"], AUTUMN_DST + dt.timedelta(days=1), AMS)
    assert [p.at for p in nxt] == [utc(2026, 10, 26, 1, 30), utc(2026, 10, 26, 8, 0)]


def test_prompts_due_is_what_is_open_now_including_last_nights():
    schedule = diary._Times(["09:00", "23:30"])
    assert diary.prompts_due(schedule, utc(2026, 1, 12, 7, 59), AMS) == []
    due = diary.prompts_due(schedule, utc(2026, 1, 12, 8, 0), AMS)
    assert [p.time for p in due] == ["09:00"]
    assert diary.prompts_due(schedule, utc(2026, 1, 12, 10, 0), AMS) == []  # closed after two hours
    # 23:30 yesterday is still open just after midnight.
    assert [p.time for p in diary.prompts_due(schedule, utc(2026, 1, 12, 23, 10), AMS)] == ["23:30"]


def test_a_paused_schedule_has_nothing_due():
    assert diary.prompts_due(diary._Times(["09:00"], active=False), utc(2026, 1, 12, 8, 0), AMS) == []


def test_next_prompt_for_the_page():
    schedule = diary._Times(["09:00", "20:00"])
    nxt = diary.next_prompt(schedule, utc(2026, 1, 12, 19, 30), AMS)
    assert (nxt.time, nxt.tomorrow) == ("09:00", True)
    assert diary.next_prompt(diary._Times(["09:00"], active=False), utc(2026, 1, 12, 7, 0), AMS) is None


def test_quiet_hours_delay_a_prompt_or_drop_it_when_it_would_come_too_late():
    prompt = diary.prompts_on(["07:30", "12:00"], WINTER_DAY, AMS)[0]  # open 06:30-08:30 UTC
    assert diary.send_after(prompt, None, None, AMS) == prompt.at
    assert diary.send_after(prompt, dt.time(22, 0), dt.time(8, 0), AMS) == utc(2026, 1, 12, 7, 0)
    assert diary.send_after(prompt, dt.time(22, 0), dt.time(10, 0), AMS) is None


def test_entry_query_names_the_questions():
    assert diary.entry_query(["mood", "anxiety"]) == "?vragen=mood,anxiety&moment=1"
    assert diary.entry_query([]) == ""


# -- the service ----------------------------------------------------------------------------------


def diary_types(*codes):
    return [MeasurementType.objects.get(code=c, person__isnull=True) for c in codes]


@pytest.fixture
def anna_schedule(cast):
    return services.diary_schedule_set(
        actor=cast.anna_user, person=cast.anna, times=["09:00", "13:00", "20:00"], types=["mood", "anxiety"]
    )


def test_the_person_sets_their_own_moments(cast, anna_schedule):
    schedule = DiarySchedule.objects.get(person=cast.anna)
    assert schedule.times == ["09:00", "13:00", "20:00"]
    assert {t.code for t in schedule.types.all()} == {"mood", "anxiety"}
    assert schedule.active and schedule.updated_by == cast.anna_user
    row = AccessLogEntry.objects.filter(person_id=cast.anna.pk, object_type="monitoring.DiarySchedule").latest("id")
    assert (row.action, row.object_id) == ("C", str(schedule.pk))


def test_the_care_team_changes_and_pauses_them(cast, anna_schedule):
    mood, sleep = diary_types("mood", "sleep_quality")
    schedule = services.diary_schedule_set(
        actor=cast.noor, person=cast.anna, times=["08:00"], types=[mood.pk, sleep], active=False
    )
    assert schedule.pk == anna_schedule.pk
    assert (schedule.times, schedule.active) == (["08:00"], False)
    assert set(schedule.types.all()) == {mood, sleep}


def test_strangers_are_refused_and_logged(cast):
    for user in (cast.sam, cast.cor, cast.rob, cast.bas_user):
        with pytest.raises(NotFound):
            services.diary_schedule_set(actor=user, person=cast.anna, times=["09:00"], types=["mood"])
    assert not DiarySchedule.objects.exists()
    assert AccessLogEntry.objects.filter(person_id=cast.anna.pk, outcome="refused").count() == 4


def test_bad_input_writes_nothing_and_names_the_field(cast, anna_schedule):
    with pytest.raises(ValidationError) as caught:
        services.diary_schedule_set(actor=cast.anna_user, person=cast.anna, times=["09:00", "09:30"], types=[])
    assert set(caught.value.message_dict) == {"times", "types"}
    schedule = DiarySchedule.objects.get(person=cast.anna)
    assert schedule.times == ["09:00", "13:00", "20:00"] and schedule.types.count() == 2


@pytest.mark.parametrize("bad", ["systolic_bp", "no_such_item", 999_999])
def test_only_diary_items_and_own_items_can_be_asked(cast, bad):
    with pytest.raises(ValidationError) as caught:
        services.diary_schedule_set(actor=cast.anna_user, person=cast.anna, times=["09:00"], types=["mood", bad])
    assert "types" in caught.value.message_dict


def test_someone_elses_own_item_cannot_be_asked(cast):
    own = MeasurementType.objects.create(
        code="custom-bas",
        kind=MeasurementType.Kind.CUSTOM,
        scale=MeasurementType.Scale.RATING,
        unit="{score}",
        plausible_low=0,
        plausible_high=10,
        person=cast.bas,
        name="Last van stemmen",
    )
    with pytest.raises(ValidationError):
        services.diary_schedule_set(actor=cast.anna_user, person=cast.anna, times=["09:00"], types=[own])
    mine = MeasurementType.objects.create(
        code="custom-anna",
        kind=MeasurementType.Kind.CUSTOM,
        scale=MeasurementType.Scale.RATING,
        unit="{score}",
        plausible_low=0,
        plausible_high=10,
        person=cast.anna,
        name="Hoeveel zin heb ik in de dag",
    )
    assert set(
        services.diary_schedule_set(actor=cast.anna_user, person=cast.anna, times=["09:00"], types=[mine]).types.all()
    ) == {mine}


# -- prompts through the outbox ----------------------------------------------------------------------

MORNING = utc(2026, 1, 12, 8, 0)  # 09:00 in Amsterdam


def prompts():
    return Delivery.objects.filter(reason=Reason.DIARY_PROMPT)


def test_a_prompt_is_one_outbox_row_however_often_the_sweep_runs(cast, anna_schedule):
    for minutes in (0, 0, 5, 10):
        sweeps.sweep(now=MORNING + dt.timedelta(minutes=minutes))
    row = prompts().get()
    assert (row.recipient, row.person, row.channel, row.due_at) == (cast.anna_user, cast.anna, Channel.IN_APP, MORNING)
    assert (row.subject_type, row.subject_id) == ("monitoring.DiarySchedule", anna_schedule.pk)
    # The next moment is another prompt; before it, nothing new.
    sweeps.sweep(now=utc(2026, 1, 12, 11, 59))
    assert prompts().count() == 1
    sweeps.sweep(now=utc(2026, 1, 12, 12, 0))
    assert prompts().count() == 2


def test_the_prompt_leads_to_quick_entry_with_its_questions(cast, anna_schedule, login):
    sweeps.sweep(now=MORNING)
    report = delivery.deliver_all(now=MORNING)
    assert report.sent == 1
    note = Notification.objects.get(reason=Reason.DIARY_PROMPT)
    assert (note.recipient, note.about) == (cast.anna_user, "09:00")
    page = login(cast.anna_user).get("/mijn/berichten/")
    html = page.content.decode()
    assert "Tijd voor uw dagboekvragen" in html
    assert "/mijn/bijhouden/invoeren/?vragen=anxiety,mood&amp;moment=1" in html


def test_inbox_queries_do_not_grow_with_diary_prompts(cast, anna_schedule, login, django_assert_max_num_queries):
    client = login(cast.anna_user)
    sweeps.sweep(now=MORNING)
    delivery.deliver_all(now=MORNING)
    client.get("/mijn/berichten/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/mijn/berichten/")
    for hour in (12, 19):
        sweeps.sweep(now=utc(2026, 1, 12, hour, 0))
        delivery.deliver_all(now=utc(2026, 1, 12, hour, 0))
    assert Notification.objects.filter(reason=Reason.DIARY_PROMPT).count() == 3
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/mijn/berichten/")


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_email_says_only_that_there_is_a_message(cast, anna_schedule):
    NotificationPreference.objects.create(user=cast.anna_user, email=True)
    cast.anna_user.email = "anna@example.org"
    cast.anna_user.save()
    sweeps.sweep(now=MORNING)
    delivery.deliver_all(now=MORNING)
    delivery.deliver_all(now=MORNING + dt.timedelta(minutes=1))
    assert len(mail.outbox) == 1
    text = (mail.outbox[0].subject + mail.outbox[0].body).lower()
    for word in ("dagboek", "stemming", "angst", "mood", "anxiety", "vragen=", "09:00"):
        assert word not in text


def test_quiet_hours_delay_the_prompt(cast, anna_schedule):
    NotificationPreference.objects.create(user=cast.anna_user, quiet_start=dt.time(22, 0), quiet_end=dt.time(9, 30))
    sweeps.sweep(now=MORNING)
    row = prompts().get()
    assert (row.due_at, row.send_after) == (MORNING, utc(2026, 1, 12, 8, 30))
    assert delivery.deliver_all(now=MORNING).sent == 0
    assert delivery.deliver_all(now=utc(2026, 1, 12, 8, 30)).sent == 1


def test_quiet_hours_until_after_the_moment_closed_mean_no_prompt(cast, anna_schedule):
    NotificationPreference.objects.create(user=cast.anna_user, quiet_start=dt.time(22, 0), quiet_end=dt.time(11, 30))
    sweeps.sweep(now=MORNING)
    sweeps.sweep(now=MORNING + dt.timedelta(minutes=30))
    assert not prompts().exists()


def test_no_prompt_without_an_active_portal_account_or_when_paused(cast, anna_schedule):
    cast.anna_user.is_active = False
    cast.anna_user.save()
    sweeps.sweep(now=MORNING)
    assert not prompts().exists()
    cast.anna_user.is_active = True
    cast.anna_user.save()
    services.diary_schedule_set(actor=cast.noor, person=cast.anna, times=["09:00"], types=["mood"], active=False)
    sweeps.sweep(now=MORNING)
    assert not prompts().exists()


def test_a_person_without_an_account_gets_no_prompt(cast):
    from tests.support.testing import make_person

    carla = make_person(actor=cast.noor, given_name="Carla", family_name="Zonder")
    services.diary_schedule_set(actor=cast.noor, person=carla, times=["09:00"], types=["mood"])
    sweeps.sweep(now=MORNING)
    assert not prompts().exists()


def test_paused_or_moved_before_delivery_is_not_sent(cast, anna_schedule):
    sweeps.sweep(now=MORNING)
    services.diary_schedule_set(actor=cast.anna_user, person=cast.anna, times=["10:00", "20:00"], types=["mood"])
    report = delivery.deliver_all(now=MORNING)
    assert (report.sent, report.skipped) == (0, 1)
    assert prompts().get().outcome == "no longer applies"


def test_a_prompt_delivered_after_it_closed_is_not_sent(cast, anna_schedule):
    sweeps.sweep(now=MORNING)
    report = delivery.deliver_all(now=MORNING + dt.timedelta(hours=2, minutes=1))
    assert (report.sent, report.skipped) == (0, 1)


def test_already_answered_means_no_prompt(cast, anna_schedule):
    mood = MeasurementType.objects.get(code="mood", person__isnull=True)
    Observation.objects.create(
        person=cast.anna,
        type=mood,
        value=6,
        effective_at=MORNING - dt.timedelta(minutes=10),
        source=Observation.Source.PORTAL,
        recorded_by=cast.anna_user,
    )
    sweeps.sweep(now=MORNING)
    report = delivery.deliver_all(now=MORNING)
    assert (report.sent, report.skipped) == (0, 1)
    # An answer from much earlier (the previous moment) does not count for this one.
    sweeps.sweep(now=utc(2026, 1, 12, 12, 0))
    assert delivery.deliver_all(now=utc(2026, 1, 12, 12, 0)).sent == 1


def test_prompts_on_the_spring_forward_day(cast):
    services.diary_schedule_set(actor=cast.anna_user, person=cast.anna, times=["02:30", "09:00"], types=["mood"])
    for hour in range(0, 10):
        sweeps.sweep(now=utc(2026, 3, 29, hour, 45))
    assert sorted(prompts().values_list("due_at", flat=True)) == [utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 7, 0)]


def test_prompts_on_the_fall_back_day(cast):
    services.diary_schedule_set(actor=cast.anna_user, person=cast.anna, times=["02:30", "09:00"], types=["mood"])
    for minutes in range(0, 12 * 60, 15):
        sweeps.sweep(now=utc(2026, 10, 24, 22, 0) + dt.timedelta(minutes=minutes))
    assert sorted(prompts().values_list("due_at", flat=True)) == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 8, 0)]


def test_a_scheduler_that_was_down_does_not_send_old_prompts(cast, anna_schedule):
    sweeps.sweep(now=utc(2026, 1, 12, 22, 0))  # 23:00: the 20:00 moment has closed
    assert not prompts().exists()


# -- the pages ----------------------------------------------------------------------------------------


def test_the_person_chooses_moments_on_their_page(cast, login):
    client = login(cast.anna_user)
    page = client.get("/mijn/bijhouden/momenten/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dagboekmomenten" in html and 'type="time"' in html
    # The questions in the catalogue's order (mood first), not alphabetically by code.
    assert html.index("Stemming") < html.index("Angst") < html.index("Kwaliteit van de slaap")
    mood, anxiety = diary_types("mood", "anxiety")
    response = client.post(
        "/mijn/bijhouden/momenten/",
        {"t1": "08:30", "t2": "", "t3": "20:00", "t4": "", "types": [mood.pk, anxiety.pk], "active": "on"},
    )
    assert response.status_code == 302 and response.url == "/mijn/bijhouden/momenten/"
    schedule = DiarySchedule.objects.get(person=cast.anna)
    assert (schedule.times, schedule.active) == (["08:30", "20:00"], True)
    again = client.get("/mijn/bijhouden/momenten/").content.decode()
    assert 'value="08:30"' in again and "De volgende herinnering komt" in again


def test_bad_input_on_the_page_shows_the_message_and_saves_nothing(cast, login):
    client = login(cast.anna_user)
    mood = diary_types("mood")[0]
    response = client.post(
        "/mijn/bijhouden/momenten/", {"t1": "08:30", "t2": "09:00", "t3": "<script>", "types": [mood.pk]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and "is geen tijd" in html and "“&lt;script&gt;”" in html
    response = client.post("/mijn/bijhouden/momenten/", {"t1": "08:30", "t2": "09:00", "types": [mood.pk]})
    assert "minder dan een uur" in response.content.decode()
    response = client.post("/mijn/bijhouden/momenten/", {"t1": "08:30", "types": []})
    assert "Kies minstens één vraag" in response.content.decode()
    response = client.post("/mijn/bijhouden/momenten/", {})
    assert response.status_code == 200
    assert not DiarySchedule.objects.exists()


def test_the_professional_sets_and_pauses_moments(cast, login):
    client = login(cast.noor)
    url = f"/personen/{cast.anna.pk}/bijhouden/momenten/"
    assert client.get(url).status_code == 200
    mood = diary_types("mood")[0]
    response = client.post(url, {"t1": "09:00", "types": [mood.pk]})  # "active" unticked: paused
    assert response.status_code == 302
    schedule = DiarySchedule.objects.get(person=cast.anna)
    assert (schedule.active, schedule.updated_by) == (False, cast.noor)
    assert "gepauzeerd" in client.get(url).content.decode()


def test_strangers_get_404_on_the_page(cast, login):
    for user in (cast.sam, cast.cor):
        client = login(user)
        assert client.get(f"/personen/{cast.anna.pk}/bijhouden/momenten/").status_code == 404
        assert client.post(f"/personen/{cast.anna.pk}/bijhouden/momenten/", {"t1": "09:00"}).status_code == 404
    assert not DiarySchedule.objects.exists()


def test_the_page_warns_about_quiet_hours_and_a_missing_account(cast, login):
    NotificationPreference.objects.create(user=cast.anna_user, quiet_start=dt.time(22, 0), quiet_end=dt.time(8, 0))
    services.diary_schedule_set(actor=cast.anna_user, person=cast.anna, times=["07:00", "12:00"], types=["mood"])
    html = login(cast.anna_user).get("/mijn/bijhouden/momenten/").content.decode()
    assert "rustige uren: 07:00" in html
    from tests.support.testing import make_person

    carla = make_person(actor=cast.noor, given_name="Carla", family_name="Zonder")
    html = login(cast.noor).get(f"/personen/{carla.pk}/bijhouden/momenten/").content.decode()
    assert "geen actief account" in html


def _reference_problems(html: str) -> list[str]:
    """Duplicate ids, references (aria-describedby/-labelledby, label[for]) to no element, h1 count."""
    from html.parser import HTMLParser

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids, self.refs, self.h1 = [], [], 0

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if attrs.get("id"):
                self.ids.append(attrs["id"])
            for name in ("aria-describedby", "aria-labelledby"):
                self.refs += [(tag, name, ref) for ref in (attrs.get(name) or "").split()]
            if tag == "label" and attrs.get("for"):
                self.refs.append((tag, "for", attrs["for"]))
            self.h1 += tag == "h1"

    parser = Collect()
    parser.feed(html)
    problems = [f"duplicate id {i}" for i in sorted({i for i in parser.ids if parser.ids.count(i) > 1})]
    problems += [f"<{tag} {name}={ref}> points nowhere" for tag, name, ref in parser.refs if ref not in parser.ids]
    if parser.h1 != 1:
        problems.append(f"{parser.h1} h1 elements")
    return problems


def test_the_pages_read_well_as_html_also_with_errors(cast, login):
    pro = f"/personen/{cast.anna.pk}/bijhouden/momenten/"
    for user, url in ((cast.anna_user, "/mijn/bijhouden/momenten/"), (cast.noor, pro)):
        client = login(user)
        assert _reference_problems(client.get(url).content.decode()) == []
        wrong = client.post(url, {"t1": "later", "t2": "09:00", "t3": "09:30", "types": ["nonsense"]})
        html = wrong.content.decode()
        assert "error-summary" in html and 'aria-describedby="id_t1_error"' in html
        assert _reference_problems(html) == []
        empty = client.post(url, {})
        assert _reference_problems(empty.content.decode()) == []


def test_koers_scheduler_runs_the_diary_sweep_with_the_other_reminders(cast, anna_schedule):
    import time_machine

    from koers.notifications.tasks import sweep_reminders

    with time_machine.travel(MORNING + dt.timedelta(minutes=3), tick=False):
        result = sweep_reminders.enqueue()
    assert result.return_value["diary_prompts"] == 1
    assert Notification.objects.filter(reason=Reason.DIARY_PROMPT, recipient=cast.anna_user).count() == 1


# -- properties -----------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    minutes=st.sets(st.integers(0, 24 * 60 - 1), min_size=1, max_size=10),
    day=st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
)
def test_prompt_instants_follow_the_local_clock_every_day_of_the_year(minutes, day):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(AMS)
    times = [f"{m // 60:02d}:{m % 60:02d}" for m in sorted(minutes)]
    prompts = diary.prompts_on(times, day, AMS)
    instants = [p.at for p in prompts]
    assert instants == sorted(set(instants))  # strictly increasing: never two prompts at once
    assert 1 <= len(prompts) <= len(times)
    for p in prompts:
        assert dt.timedelta(0) < p.closes - p.at <= diary.OPEN_FOR
        local = p.at.astimezone(zone)
        chosen = dt.time.fromisoformat(p.time)
        if local.date() == day and local.time() == chosen:
            continue
        # Only a time in the spring gap moves, by the hour that was skipped.
        shifted = dt.datetime.combine(day, chosen) + dt.timedelta(hours=1)
        assert local.replace(tzinfo=None) == shifted, (p, local)
    # Only the spring gap can merge two chosen times into one prompt.
    if len(prompts) < len(times):
        assert day.month == 3 and day.weekday() == 6 and day.day >= 25
