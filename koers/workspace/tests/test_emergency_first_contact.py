"""Issue #13 leftovers: the first contact hears of an emergency access through the notifications
outbox like every other message, no longer by an e-mail sent directly on commit.

- in-app, in the relative's inbox (``/naaste/berichten/``): who, which organisation, how long and
  what, never the reason; exactly once however often the outbox runs;
- an e-mail, as the first contact always had, that only says a message waits (no name, no health
  data), with a stable Message-ID; exactly once;
- not held for quiet hours (decided: docs/collaboration.md, "Spoedtoegang: de eerste
  contactpersoon");
- checked at send time like every message: a link ended before sending gets nothing, with a
  refused row.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.network.models import RelativeLink
from koers.network.relatives import relative_link_end
from koers.notifications import delivery
from koers.notifications.models import Channel, Delivery, Notification, NotificationPreference, Reason
from koers.workspace import emergency

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_contact(cast):
    cast.rob.email = "rob@example.org"
    cast.rob.save()
    RelativeLink.objects.filter(person=cast.anna, user=cast.rob).update(first_contact=True)
    return cast.rob


def _start(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return emergency.emergency_access_start(
            actor=cast.sam,
            identifier=str(cast.anna.pk),
            birth_date=cast.anna.birth_date,
            reason="Opgenomen op de SEH, verward",
            topics=["clinical", "careplan"],
            hours=4,
        )


def _mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_nothing_is_mailed_on_commit_the_outbox_sends_it(cast, first_contact, django_capture_on_commit_callbacks):
    started = _start(cast, django_capture_on_commit_callbacks)
    assert _mails_to("rob@example.org") == []  # not sent directly any more
    rows = Delivery.objects.filter(recipient=first_contact, subject_id=started.pk)
    assert {r.channel for r in rows} == {Channel.IN_APP, Channel.EMAIL}
    delivery.deliver_all(now=timezone.now() + dt.timedelta(seconds=1))
    (note,) = Notification.objects.filter(recipient=first_contact)
    assert note.reason == Reason.EMERGENCY_CONTACT and note.person == cast.anna
    assert "Praktijk Elders" in note.about and "4 uur" in note.about and "SEH" not in note.about
    (message,) = _mails_to("rob@example.org")
    assert "SEH" not in message.body and "Anna" not in message.body
    assert reverse("notifications:relative_inbox") in message.body
    assert message.extra_headers["Message-ID"] == rows.get(channel=Channel.EMAIL).message_id


def test_exactly_once_however_often_it_is_scheduled_or_delivered(
    cast, first_contact, django_capture_on_commit_callbacks
):
    started = _start(cast, django_capture_on_commit_callbacks)
    emergency.emergency_notices.notify_start(started, now=timezone.now())  # scheduled again: no new rows
    for _ in range(3):
        delivery.deliver_all(now=timezone.now() + dt.timedelta(seconds=1))
    assert Notification.objects.filter(recipient=first_contact).count() == 1
    assert len(_mails_to("rob@example.org")) == 1


def test_an_emergency_notice_does_not_wait_for_quiet_hours(cast, first_contact, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=first_contact, quiet_start=dt.time(0, 0), quiet_end=dt.time(23, 59))
    NotificationPreference.objects.create(
        user=cast.anna_user, email=True, quiet_start=dt.time(0, 0), quiet_end=dt.time(23, 59)
    )
    cast.anna_user.email = "anna@example.org"
    cast.anna_user.save()
    _start(cast, django_capture_on_commit_callbacks)
    delivery.deliver_all(now=timezone.now() + dt.timedelta(seconds=1))
    delivery.deliver_all(now=timezone.now() + dt.timedelta(seconds=2))  # the person's e-mail follow-on
    assert len(_mails_to("rob@example.org")) == 1
    assert len(_mails_to("anna@example.org")) == 1  # the person's own e-mail: not held either


def test_the_first_contact_reads_it_in_their_inbox(cast, first_contact, client, django_capture_on_commit_callbacks):
    _start(cast, django_capture_on_commit_callbacks)
    delivery.deliver_all(now=timezone.now() + dt.timedelta(seconds=1))
    client.force_login(first_contact)
    text = client.get(reverse("notifications:relative_inbox")).content.decode()
    assert "Spoedtoegang" in text and "Praktijk Elders" in text and "SEH" not in text


def test_a_link_ended_before_sending_gets_nothing_and_a_refused_row(
    cast, first_contact, django_capture_on_commit_callbacks
):
    _start(cast, django_capture_on_commit_callbacks)
    link = RelativeLink.objects.get(person=cast.anna, user=first_contact)
    relative_link_end(actor=cast.anna_user, link=link, reason="")
    delivery.deliver_all(now=timezone.now() + dt.timedelta(seconds=1))
    assert Notification.objects.filter(recipient=first_contact).count() == 0
    assert _mails_to("rob@example.org") == []
    assert AccessLogEntry.objects.filter(user=first_contact, person=cast.anna, outcome="refused").count() == 2


def test_the_persons_emergency_email_is_not_folded_into_the_daily_digest(cast, django_capture_on_commit_callbacks):
    cast.anna_user.email = "anna@example.org"
    cast.anna_user.save()
    NotificationPreference.objects.create(
        user=cast.anna_user, email=True, frequency=NotificationPreference.Frequency.DAILY
    )
    started = _start(cast, django_capture_on_commit_callbacks)
    delivery.deliver_all(now=timezone.now() + dt.timedelta(seconds=1))
    delivery.deliver_all(now=timezone.now() + dt.timedelta(seconds=2))
    assert len(_mails_to("anna@example.org")) == 1
    assert Delivery.objects.get(recipient=cast.anna_user, channel=Channel.EMAIL).subject_id == started.pk
