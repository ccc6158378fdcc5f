"""The portal's "Agenda-link stoppen" asks first (issue #14, no irreversible one-click actions)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.followup import services
from koers.followup.models import CalendarToken

pytestmark = pytest.mark.django_db

STOP = "/mijn/agenda/stoppen/"


def active(person):
    return CalendarToken.objects.filter(person=person, revoked_at__isnull=True).count()


def test_stopping_the_calendar_link_asks_first(cast, login):
    services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    client = login(cast.anna_user)
    assert reverse("followup:portal_calendar_stop") == STOP
    page = client.get("/mijn/agenda/").content.decode()
    assert f'action="{STOP}"' in page  # the button leads to the question
    for response in (client.post(STOP), client.get(STOP)):
        body = response.content.decode()
        assert response.status_code == 200
        assert "Agenda-link stoppen?" in body and 'name="bevestigd" value="ja"' in body
        assert 'class="tabs"' not in body  # the person's own page, not a professional's
    # An old one-click form on the calendar page lands on the question, not on the change.
    old = client.post("/mijn/agenda/", {"doe": "intrekken"})
    assert old.status_code == 302 and old["Location"] == STOP
    assert active(cast.anna) == 1
    before = AccessLogEntry.objects.filter(person=cast.anna, action="U", detail="revoked").count()
    done = client.post(STOP, {"bevestigd": "ja"})
    assert done.status_code == 302 and done["Location"] == reverse("followup:portal_calendar")
    assert active(cast.anna) == 0
    assert AccessLogEntry.objects.filter(person=cast.anna, action="U", detail="revoked").count() == before + 1


def test_only_the_person_can_stop_their_link(cast, login):
    services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    for outsider in (cast.noor, cast.rob, cast.bas_user):
        response = login(outsider).post(STOP, {"bevestigd": "ja"})
        assert response.status_code in (302, 404)  # Bas stops only his own (none): never Anna's
    assert active(cast.anna) == 1
    assert login(cast.noor).post(STOP, {"bevestigd": "ja"}).status_code == 404


def test_a_new_link_asks_first_when_it_would_stop_the_current_one(cast, login):
    client = login(cast.anna_user)
    first = client.post("/mijn/agenda/")  # no link yet: nothing to lose, no question
    assert first.status_code == 200 and first.context["feed_url"]
    old = CalendarToken.objects.get(person=cast.anna, revoked_at__isnull=True)
    asked = client.post("/mijn/agenda/")
    body = asked.content.decode()
    assert asked.status_code == 200 and "Nieuwe agenda-link maken?" in body
    assert 'name="bevestigd" value="ja"' in body
    assert CalendarToken.objects.get(person=cast.anna, revoked_at__isnull=True) == old  # still works
    made = client.post("/mijn/agenda/", {"bevestigd": "ja"})
    assert made.status_code == 200 and made.context["feed_url"]
    assert CalendarToken.objects.get(person=cast.anna, revoked_at__isnull=True) != old
