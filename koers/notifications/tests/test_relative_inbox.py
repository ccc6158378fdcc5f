"""Issue #13 leftovers: a relative's inbox (``/naaste/berichten/``).

Relatives receive in-app messages addressed to them (a meeting they are invited to, reasons whose
source is ``category_alone``). Their inbox reuses the notification centre's selectors and list:
a message shows only while the recipient may still read its source's category of that person
(an ended link hides it, like a withdrawn topic hides a professional's), each read of the page
leaves a READ row per person shown, and the menu shows the unread count.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.meetings import services as meeting_services
from koers.network.models import RelativeLink
from koers.network.relatives import relative_link_end
from koers.network.services import consent_set
from koers.notifications import delivery, selectors, sources
from koers.notifications.models import Notification, Reason
from tests.test_access_matrix_paths import _notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(cast):
    """Rob (Anna's partner, nothing shared) invited to a network meeting; the message delivered."""
    meeting = meeting_services.meeting_plan(
        actor=cast.noor,
        person=cast.anna,
        kind="network",
        starts_at=timezone.now() + dt.timedelta(days=7),
        place="Wijkcentrum De Linde, kamer 3",
        agenda="Slaap",
        relatives=[RelativeLink.objects.get(person=cast.anna, user=cast.rob)],
        members=[],
    )
    delivery.deliver_all(now=timezone.now() + dt.timedelta(minutes=1))
    return meeting


def _inbox(client, user):
    client.force_login(user)
    return client.get(reverse("notifications:relative_inbox"))


def test_a_relative_reads_their_meeting_message_in_their_inbox_and_it_is_logged(cast, invited, client):
    assert Notification.objects.filter(recipient=cast.rob, reason=Reason.MEETING_INVITED).count() == 1
    assert selectors.unread_count(cast.rob) == 1
    before = AccessLogEntry.objects.filter(user=cast.rob, person=cast.anna, action="R", outcome="success").count()
    response = _inbox(client, cast.rob)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Wijkcentrum De Linde" in text and "Slaap" not in text
    assert reverse("meetings:relative_invitation", args=[cast.anna.pk, invited.pk]) in text
    rows = AccessLogEntry.objects.filter(user=cast.rob, person=cast.anna, action="R", outcome="success")
    assert rows.count() == before + 1 and rows.latest("pk").object_type == "notifications"


def test_the_relatives_menu_shows_the_inbox_with_the_unread_count(cast, invited, client):
    text = _inbox(client, cast.rob).content.decode()
    assert 'href="/naaste/berichten/"' in text
    assert "1 ongelezen" in text


def test_marking_read_lowers_the_count_and_leaves_an_update_row(cast, invited, client):
    note = Notification.objects.get(recipient=cast.rob)
    client.force_login(cast.rob)
    response = client.post(reverse("notifications:relative_mark_read", args=[note.pk]))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None and selectors.unread_count(cast.rob) == 0
    assert AccessLogEntry.objects.filter(user=cast.rob, person=cast.anna, action="U", outcome="success").exists()


def test_someone_elses_message_is_a_missing_one(cast, invited, client):
    anna_note = Notification.objects.get(recipient=cast.anna_user, reason=Reason.MEETING_INVITED)
    client.force_login(cast.rob)
    refused = AccessLogEntry.objects.filter(user=cast.rob, outcome="refused").count()
    response = client.post(reverse("notifications:relative_mark_read", args=[anna_note.pk]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(user=cast.rob, outcome="refused").count() == refused + 1
    anna_note.refresh_from_db()
    assert anna_note.read_at is None


def test_an_ended_link_hides_the_message_and_the_count(cast, invited, client):
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    relative_link_end(actor=cast.anna_user, link=link, reason="")
    assert list(selectors.inbox_for_relative(cast.rob)) == []
    assert selectors.unread_count(cast.rob) == 0
    text = _inbox(client, cast.rob).content.decode()
    assert "Wijkcentrum De Linde" not in text


def test_a_message_whose_category_the_relative_may_not_read_is_hidden(cast, invited):
    """Only what the source's category opens: a reminder about the person's actions (needs the
    person's notifications, which a relative never reads) is not shown, even with every topic."""
    for topic in access.MEMBER_TOPICS:
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=topic, granted=True)
    _notify(cast.rob, cast.anna, Reason.ACTION_DUE)
    assert {n.reason for n in selectors.inbox_for_relative(cast.rob)} == {Reason.MEETING_INVITED}
    assert selectors.unread_count(cast.rob) == 1


def test_only_relatives_open_the_relatives_inbox(cast, client):
    for user in (cast.noor, cast.anna_user):
        client.force_login(user)
        assert client.get(reverse("notifications:relative_inbox")).status_code == 404


def test_a_withdrawn_topic_hides_a_message_whose_source_it_governs(cast, monkeypatch):
    """The filter is generic: were a relative's message about a topic (here a stand-in source,
    read by the crisis-plan topic alone), withdrawing that topic hides it and its count at once."""
    stand_in = dataclasses.replace(
        sources.source_for(Reason.CRISIS_REPORT), category=access.Category.CRISIS_PLAN, category_alone=True
    )
    monkeypatch.setitem(sources._SOURCES, Reason.CRISIS_REPORT, stand_in)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.CRISIS_PLAN, granted=True)
    _notify(cast.rob, cast.anna, Reason.CRISIS_REPORT)
    assert selectors.unread_count(cast.rob) == 1 and len(selectors.inbox_for_relative(cast.rob)) == 1
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.CRISIS_PLAN, granted=False)
    assert selectors.unread_count(cast.rob) == 0 and list(selectors.inbox_for_relative(cast.rob)) == []
