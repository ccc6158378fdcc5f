"""The access matrix on the other access paths (issue #12): notification texts and the unread
count, htmx partials, print and PDF downloads, the calendar feed and the person's export.

The pages themselves are walked by ``tests/test_access_matrix.py`` (GET) and
``tests/test_access_matrix_writes.py`` (POST); this module checks that the paths that show the
same data another way answer the same: a withdrawn topic is gone on the next request, and
everyone but the person gets the missing-record answer.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from koers import access
from koers.network.models import CareTeamMember
from koers.network.services import consent_set
from koers.notifications import delivery, selectors
from koers.notifications.models import Delivery, Notification, Reason

pytestmark = pytest.mark.django_db


# --- notification texts and the unread count ---------------------------------------------------


def _notify(recipient, person, reason: str, *, read: bool = False) -> Notification:
    """A notification delivered before anything changed (as the outbox leaves it)."""
    now = timezone.now()
    row = Delivery.objects.create(
        recipient=recipient,
        person=person,
        channel="in_app",
        reason=reason,
        subject_type="test.Subject",
        subject_id=Delivery.objects.count() + 1,
        due_at=now,
        send_after=now,
        created_at=now,
        state=Delivery.State.SENT,
        sent_at=now,
    )
    return Notification.objects.create(
        recipient=recipient,
        person=person,
        delivery=row,
        reason=reason,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        due_at=now,
        created_at=now,
        read_at=now if read else None,
    )


@pytest.fixture
def pieter_in_network(cast):
    """Pieter (GGZ, another organisation) in Anna's network, with a questionnaire alarm and a
    monitoring signal about her in his inbox, both unread."""
    CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )
    _notify(cast.pieter, cast.anna, Reason.ALARMING_RESULT)
    _notify(cast.pieter, cast.anna, Reason.MONITORING_SIGNAL)
    return cast.pieter


def test_a_withdrawn_topic_leaves_the_inbox_and_the_unread_count(cast, pieter_in_network, client):
    """The count (badge, digest email) says what the inbox shows: a message about a topic the
    person withdrew is neither listed nor counted, on the very next request."""
    pieter = pieter_in_network
    assert selectors.unread_count(pieter) == 2
    consent_set(actor=cast.anna_user, person=cast.anna, member=pieter, topic=access.Topic.QUESTIONNAIRES, granted=False)
    assert {n.reason for n in selectors.inbox_for_professional(pieter)} == {Reason.MONITORING_SIGNAL}
    assert selectors.unread_count(pieter) == 1
    client.force_login(pieter)
    page = client.get("/berichten/").content.decode()
    assert page.count('class="notification unread"') == 1


def test_leaving_the_network_empties_the_count(cast, pieter_in_network):
    CareTeamMember.objects.filter(person=cast.anna, professional=pieter_in_network).update(ended_at=timezone.now())
    assert list(selectors.inbox_for_professional(pieter_in_network)) == []
    assert selectors.unread_count(pieter_in_network) == 0


def test_read_messages_are_not_counted_and_the_persons_count_is_their_own(cast, pieter_in_network):
    _notify(pieter_in_network, cast.anna, Reason.MONITORING_SIGNAL, read=True)
    assert selectors.unread_count(pieter_in_network) == 2
    _notify(cast.anna_user, cast.anna, Reason.ACTION_DUE)
    # Whatever Anna decides about her network, her own messages are hers.
    consent_set(
        actor=cast.anna_user, person=cast.anna, member=pieter_in_network, topic=access.Topic.GOALS, granted=False
    )
    assert selectors.unread_count(cast.anna_user) == 1 == len(selectors.inbox_for_person(cast.anna_user, cast.anna))


def test_a_relative_counts_nothing_even_with_consent(cast):
    """A relative has no inbox (the outbox withholds every message to them: the table gives a
    relative no notifications); a row that got there anyway is not counted."""
    for topic in access.MEMBER_TOPICS:
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=topic, granted=True)
    _notify(cast.rob, cast.anna, Reason.ACTION_DUE)
    assert selectors.unread_count(cast.rob) == 0


def test_the_digest_email_counts_only_what_the_inbox_shows(cast, pieter_in_network, mailoutbox, settings):
    from koers.notifications.models import NotificationPreference

    pieter = pieter_in_network
    pieter.email = "pieter@example.org"
    pieter.save()
    NotificationPreference.objects.create(user=pieter, email=True, frequency=NotificationPreference.Frequency.DAILY)
    consent_set(actor=cast.anna_user, person=cast.anna, member=pieter, topic=access.Topic.QUESTIONNAIRES, granted=False)
    now = timezone.now()
    Delivery.objects.create(
        recipient=pieter,
        person=None,
        channel="email",
        reason=Reason.DIGEST,
        subject_type="",
        subject_id=0,
        due_at=now,
        send_after=now - dt.timedelta(minutes=1),
        created_at=now,
    )
    delivery.deliver_all(now=now)
    assert len(mailoutbox) == 1
    assert "Er staan 1 ongelezen berichten" in mailoutbox[0].body
