"""The calendar feed: parsed back with icalendar, revocable, hashed, private, logged."""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.utils import timezone

from koers import access
from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.consults.models import Consult
from koers.followup import services
from koers.followup.models import CalendarToken
from koers.goals.models import Action, Goal
from koers.questionnaires.models import Assignment

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


def consult(cast, when, *, professional=None, kind=Consult.Kind.IN_PERSON, status=Consult.Status.PLANNED):
    return Consult.objects.create(
        person=cast.anna,
        professional=professional or cast.noor,
        created_by=cast.noor,
        scheduled_at=when,
        planned_minutes=30,
        kind=kind,
        status=status,
    )


def feed(client, raw):
    return client.get(f"/agenda/{raw}.ics")


def parse(response):
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def events(calendar):
    return [c for c in calendar.walk("VEVENT")]


def test_feed_parses_with_consults_in_utc_across_daylight_saving(cast, client):
    _token, raw = services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    # 10:00 in Amsterdam before (CET, UTC+1) and after (CEST, UTC+2) the change on 29 March 2026.
    before = consult(cast, dt.datetime(2026, 3, 27, 10, 0, tzinfo=AMSTERDAM))
    after = consult(cast, dt.datetime(2026, 4, 3, 10, 0, tzinfo=AMSTERDAM), professional=cast.pieter)
    consult(cast, dt.datetime(2026, 4, 4, 10, 0, tzinfo=AMSTERDAM), status=Consult.Status.CANCELLED)
    calendar = parse(feed(client, raw))
    assert str(calendar["version"]) == "2.0"
    by_uid = {str(e["uid"]): e for e in events(calendar)}
    assert set(by_uid) == {f"consult-{before.pk}@koers", f"consult-{after.pk}@koers"}
    start_before = by_uid[f"consult-{before.pk}@koers"].decoded("dtstart")
    start_after = by_uid[f"consult-{after.pk}@koers"].decoded("dtstart")
    assert start_before == dt.datetime(2026, 3, 27, 9, 0, tzinfo=dt.UTC)
    assert start_after == dt.datetime(2026, 4, 3, 8, 0, tzinfo=dt.UTC)
    assert start_before.astimezone(AMSTERDAM).hour == start_after.astimezone(AMSTERDAM).hour == 10
    assert by_uid[f"consult-{before.pk}@koers"].decoded("dtend") - start_before == dt.timedelta(minutes=30)
    # Every event reminds: a consult a day before.
    alarms = [a for a in by_uid[f"consult-{before.pk}@koers"].walk("VALARM")]
    assert len(alarms) == 1 and alarms[0].decoded("trigger") == -dt.timedelta(days=1)


def test_titles_never_reveal_what_the_care_is_about(cast, client):
    _token, raw = services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    consult(cast, timezone.now() + dt.timedelta(days=2))  # Noor, practice nurse
    consult(cast, timezone.now() + dt.timedelta(days=3), professional=cast.pieter)  # psychiatrist
    consult(cast, timezone.now() + dt.timedelta(days=4), kind=Consult.Kind.PHONE)
    goal = Goal.objects.create(
        person=cast.anna,
        description="Minder drinken",
        life_domain="health",
        lifecycle_status="active",
        created_by=cast.noor,
    )
    Action.objects.create(
        person=cast.anna,
        goal=goal,
        what="Geen alcohol in huis",
        review_date=dt.date(2026, 3, 25),
        created_by=cast.noor,
    )
    Assignment.objects.create(
        person=cast.anna,
        instrument_id="phq-9",
        instrument_version="1.0.0",
        title="PHQ-9 depressie",
        due_date=dt.date(2026, 3, 26),
        assigned_by=cast.noor,
        assigned_at=timezone.now(),
    )
    response = feed(client, raw)
    body = response.content.decode()
    titles = sorted(str(e["summary"]) for e in events(parse(response)))
    assert titles == sorted(
        [
            "Afspraak met uw praktijkondersteuner",
            "Afspraak met uw zorgverlener",
            "Telefonische afspraak met uw zorgverlener",
            "Kijken hoe het gaat met een actie uit uw zorgplan",
            "Vragenlijst invullen in Koers",
        ]
    )
    for secret in ("drinken", "alcohol", "PHQ", "depressie", "sychiat", "Noor", "Pieter", "Anna"):
        assert secret not in body
    reminder = next(e for e in events(parse(response)) if "actie" in str(e["summary"]))
    assert reminder.decoded("dtstart") == dt.date(2026, 3, 25)  # all day
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_each_fetch_is_logged_as_the_person_reading_their_own_data(cast, client):
    token, raw = services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    feed(client, raw)
    feed(client, raw)
    rows = AccessLogEntry.objects.filter(object_type="followup.CalendarToken", detail="calendar feed")
    assert rows.count() == 2
    assert set(rows.values_list("user_id", "person_id", "purpose", "action")) == {
        (cast.anna_user.pk, cast.anna.pk, AccessLogEntry.Purpose.SELF, AccessLogEntry.Action.READ)
    }
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_is_stored_and_a_revoked_or_replaced_token_answers_404(cast, client):
    first, raw = services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    assert raw not in first.token_hash and first.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert feed(client, raw).status_code == 200
    _second, raw2 = services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    assert feed(client, raw).status_code == 404
    assert feed(client, raw2).status_code == 200
    assert services.calendar_token_revoke(actor=cast.anna_user, person=cast.anna) == 1
    assert feed(client, raw2).status_code == 404
    assert feed(client, "x" * 43).status_code == 404
    assert client.get("/agenda/kort.ics").status_code == 404
    assert CalendarToken.objects.filter(revoked_at__isnull=True).count() == 0


def test_an_inactive_account_stops_the_feed(cast, client):
    _token, raw = services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    type(cast.anna_user).objects.filter(pk=cast.anna_user.pk).update(is_active=False)
    assert feed(client, raw).status_code == 404


def test_every_fetch_asks_the_guard_again(cast, client, monkeypatch):
    """No answer is kept between fetches (#12: withdrawal works on the very next request, calendar
    feeds included): once the table no longer lets the person's own account read the feed, the
    next fetch is the missing-link 404 with a refused row — the same token, no new login."""
    _token, raw = services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    assert feed(client, raw).status_code == 200
    monkeypatch.setitem(access.POLICY[access.Relationship.SELF], access.Category.CALENDAR_FEED, frozenset())
    assert feed(client, raw).status_code == 404
    refused = AccessLogEntry.objects.get(outcome=AccessLogEntry.Outcome.REFUSED, object_type="followup.CalendarToken")
    assert (refused.user_id, refused.person_id) == (cast.anna_user.pk, cast.anna.pk)
    monkeypatch.undo()
    assert feed(client, raw).status_code == 200


def test_only_the_person_makes_or_stops_their_link(cast):
    for actor in (cast.noor, cast.sam, cast.rob, cast.bas_user):
        with pytest.raises(NotFound):
            services.calendar_token_create(actor=actor, person=cast.anna)
        with pytest.raises(NotFound):
            services.calendar_token_revoke(actor=actor, person=cast.anna)
    assert not CalendarToken.objects.exists()


def test_portal_page_makes_shows_once_and_stops(cast, login):
    client = login(cast.anna_user)
    assert "U heeft nu geen agenda-link." in client.get("/mijn/agenda/").content.decode()
    made = client.post("/mijn/agenda/")
    assert made.status_code == 200
    url = made.context["feed_url"]
    assert url.startswith("http://testserver/agenda/") and url.endswith(".ics")
    raw = url.rsplit("/", 1)[1][: -len(".ics")]
    assert CalendarToken.objects.get(revoked_at__isnull=True).token_hash == hashlib.sha256(raw.encode()).hexdigest()
    again = client.get("/mijn/agenda/").content.decode()
    assert raw not in again and "U heeft een agenda-link" in again
    stopped = client.post("/mijn/agenda/stoppen/", {"bevestigd": "ja"})
    assert stopped.status_code == 302
    assert not CalendarToken.objects.filter(revoked_at__isnull=True).exists()
    client.logout()
    assert client.get(f"/agenda/{raw}.ics").status_code == 404


def test_portal_page_not_for_professionals(cast, login):
    assert login(cast.noor).get("/mijn/agenda/").status_code == 404
    assert login(cast.noor).post("/mijn/agenda/").status_code == 404
    assert not CalendarToken.objects.exists()
