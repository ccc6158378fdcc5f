"""The notification centre and the preferences page: access, the log, bad input, query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.notifications.models import Delivery, Notification, NotificationPreference


def notify(recipient, person, n=1, reason="action_due", about="Wandelen"):
    now = timezone.now()
    out = []
    for i in range(n):
        d = Delivery.objects.create(
            recipient=recipient,
            person=person,
            channel="in_app",
            reason=reason,
            subject_type="goals.Action",
            subject_id=1000 + i,
            due_at=now - dt.timedelta(minutes=i),
            send_after=now,
            created_at=now,
            state="sent",
        )
        out.append(
            Notification.objects.create(
                recipient=recipient,
                person=person,
                delivery=d,
                reason=reason,
                subject_type="goals.Action",
                subject_id=1000 + i,
                due_at=d.due_at,
                about=about,
                created_at=now,
            )
        )
    return out


def test_portal_inbox_shows_own_messages_escaped_and_logs(cast, client):
    notify(cast.anna_user, cast.anna, about="<script>alert(1)</script>")
    client.force_login(cast.anna_user)
    response = client.get(reverse("notifications:portal_inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "uw actie" in html and "&lt;script&gt;" in html and "<script>alert" not in html
    assert AccessLogEntry.objects.filter(user=cast.anna_user, person=cast.anna, object_type="notifications").exists()


def test_mark_read_and_mark_all(cast, client):
    first, second, third = notify(cast.anna_user, cast.anna, n=3)
    client.force_login(cast.anna_user)
    response = client.post(reverse("notifications:portal_mark_read", kwargs={"notification_id": first.pk}))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert AccessLogEntry.objects.filter(object_type="notifications.Notification", object_id=str(first.pk)).exists()
    client.post(reverse("notifications:portal_mark_all_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_another_persons_notification_is_not_found(cast, client):
    (bas_note,) = notify(cast.bas_user if hasattr(cast, "bas_user") else cast.bas.user, cast.bas)
    client.force_login(cast.anna_user)
    response = client.post(reverse("notifications:portal_mark_read", kwargs={"notification_id": bas_note.pk}))
    assert response.status_code == 404
    bas_note.refresh_from_db()
    assert bas_note.read_at is None


def test_portal_inbox_queries_do_not_grow_with_messages(cast, client, django_assert_max_num_queries):
    client.force_login(cast.anna_user)
    notify(cast.anna_user, cast.anna, n=2)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("notifications:portal_inbox"))
    notify(cast.anna_user, cast.anna, n=25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:portal_inbox"))


def test_workspace_inbox_only_people_still_in_care(cast, client):
    from koers.network.models import CareTeamMember

    notify(cast.gert, cast.anna, reason="alarming_result", about="")
    client.force_login(cast.gert)
    response = client.get(reverse("notifications:workspace_inbox"))
    assert response.status_code == 200 and "Zorgelijke uitslag" in response.content.decode()
    assert AccessLogEntry.objects.filter(user=cast.gert, person=cast.anna, object_type="notifications").exists()
    CareTeamMember.objects.filter(person=cast.anna, professional=cast.gert).update(ended_at=timezone.now())
    response = client.get(reverse("notifications:workspace_inbox"))
    assert "Zorgelijke uitslag" not in response.content.decode()


def test_workspace_mark_read_only_own(cast, client):
    (note,) = notify(cast.gert, cast.anna, reason="alarming_result")
    client.force_login(cast.noor)
    url = reverse("notifications:workspace_mark_read", kwargs={"notification_id": note.pk})
    assert client.post(url).status_code == 404
    client.force_login(cast.gert)
    assert client.post(url).status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_persons_cannot_use_the_workspace_inbox(cast, client):
    client.force_login(cast.anna_user)
    assert client.get(reverse("notifications:workspace_inbox")).status_code == 404


def test_preferences_saved(cast, client):
    cast.anna_user.email = "anna@example.org"
    cast.anna_user.save()
    client.force_login(cast.anna_user)
    url = reverse("notifications:portal_preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": "on", "frequency": "daily", "quiet_start": "22:00", "quiet_end": "07:30"})
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=cast.anna_user)
    assert (pref.email, pref.frequency, pref.quiet_start, pref.quiet_end) == (
        True,
        "daily",
        dt.time(22, 0),
        dt.time(7, 30),
    )
    assert AccessLogEntry.objects.filter(object_type="notifications.NotificationPreference", action="U").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"frequency": "immediate", "quiet_start": "22:00"}, "allebei de tijden"),
        ({"frequency": "immediate", "quiet_start": "22:00", "quiet_end": "22:00"}, "zijn gelijk"),
        ({"frequency": "hourly"}, "Selecteer een geldige keuze"),
        ({"frequency": "immediate", "quiet_start": "25:99", "quiet_end": "07:00"}, "geldige tijd"),
        ({"frequency": "immediate", "email": "on"}, "geen e-mailadres"),
    ],
)
def test_preferences_bad_input_saves_nothing(cast, client, data, message):
    client.force_login(cast.anna_user)
    response = client.post(reverse("notifications:portal_preferences"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_professional_preferences(cast, client):
    client.force_login(cast.noor)
    url = reverse("notifications:workspace_preferences")
    assert client.get(url).status_code == 200
    assert client.post(url, {"frequency": "immediate"}).status_code == 302
    assert NotificationPreference.objects.filter(user=cast.noor).exists()


def test_pages_in_english(cast, client):
    from django.conf import settings

    notify(cast.anna_user, cast.anna)
    client.force_login(cast.anna_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("notifications:portal_inbox")).content.decode()
    assert "My messages" in html and "Time to see how your action is going" in html and "Mark as read" in html
    html = client.get(reverse("notifications:portal_preferences")).content.decode()
    assert "Quiet hours: from" in html and "once a day (at 8 o&#x27;clock)" in html
