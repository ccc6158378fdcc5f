"""What a notification e-mail says: a link the reader can follow (the full address of Koers,
never a bare path) and the reader's own language. Seen when the demo's relative Rob got
"Log in om het te lezen: /naaste/berichten/": a path alone cannot be clicked in a mail program,
and ``KOERS_BASE_URL``, which ``build_email`` looked for, was never read from the environment."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings

from koers.notifications import delivery, sweeps
from koers.notifications.models import Delivery, NotificationPreference

from .conftest import make_actions

NOW = dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC)  # Monday 10:00 in Amsterdam


@pytest.fixture
def mailed(cast):
    """Anna has an action due and asked for e-mail: returns a function that sends it."""
    make_actions(cast.anna, cast.noor, dt.date(2026, 1, 12))
    cast.anna_user.email = "anna@example.org"
    cast.anna_user.save()
    NotificationPreference.objects.create(user=cast.anna_user, email=True)

    def send():
        sweeps.sweep(now=NOW)
        delivery.deliver_all(now=NOW)
        assert Delivery.objects.filter(channel="email", state=Delivery.State.SENT).count() == 1
        return mail.outbox[-1]

    return send


@override_settings(KOERS_BASE_URL="https://koers.example.nl")
def test_the_mail_links_to_the_inbox_by_its_full_address(mailed):
    message = mailed()
    assert "https://koers.example.nl/mijn/berichten/" in message.body


@override_settings(KOERS_BASE_URL="https://zorg.example.nl/koers")
def test_koers_under_a_sub_path_is_linked_with_it(mailed):
    assert "https://zorg.example.nl/koers/mijn/berichten/" in mailed().body


@override_settings(KOERS_BASE_URL="")
def test_without_an_address_the_mail_says_where_to_go_without_a_bare_path(mailed):
    body = mailed().body
    assert "/mijn/berichten/" not in body
    assert "Log in bij Koers" in body


def test_the_address_is_a_setting_with_a_default(settings):
    # test runs are debug-like: the address the demo serves on (python3 dev.py demo)
    assert settings.KOERS_BASE_URL == "http://127.0.0.1:8000"


@override_settings(KOERS_BASE_URL="https://koers.example.nl")
def test_the_mail_is_in_the_readers_language(cast, mailed):
    cast.anna_user.preferred_language = "en"
    cast.anna_user.save()
    message = mailed()
    assert message.subject == "Koers: a message is waiting for you"
    assert "A new message is waiting for you in Koers." in message.body
    assert "Log in to read it: https://koers.example.nl/mijn/berichten/" in message.body
    assert "Er staat" not in message.body


def _digest(cast, actions: int, language: str = ""):
    cast.anna_user.email = "anna@example.org"
    cast.anna_user.preferred_language = language
    cast.anna_user.save()
    NotificationPreference.objects.create(user=cast.anna_user, email=True, frequency="daily")
    make_actions(cast.anna, cast.noor, dt.date(2026, 1, 12), n=actions)
    sweeps.sweep(now=NOW)
    delivery.deliver_all(now=NOW)
    delivery.deliver_all(now=Delivery.objects.get(channel="email").send_after)
    return mail.outbox[-1]


def test_a_digest_of_one_message_says_one_message(cast):
    message = _digest(cast, 1)
    assert message.subject == "Koers: u heeft een nieuw bericht"
    assert "Er staat 1 ongelezen bericht voor u klaar in Koers." in message.body
    assert "berichten voor u" not in message.body


def test_a_digest_of_several_says_how_many(cast):
    message = _digest(cast, 3)
    assert message.subject == "Koers: u heeft nieuwe berichten"
    assert "Er staan 3 ongelezen berichten voor u klaar in Koers." in message.body


@pytest.mark.parametrize(
    ("actions", "subject", "text"),
    [
        (1, "Koers: you have a new message", "You have 1 unread message waiting in Koers."),
        (2, "Koers: you have new messages", "You have 2 unread messages waiting in Koers."),
    ],
)
def test_a_digest_in_english(cast, actions, subject, text):
    message = _digest(cast, actions, "en")
    assert message.subject == subject
    assert text in message.body
