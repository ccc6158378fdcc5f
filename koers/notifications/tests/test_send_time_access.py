"""Withdrawal works on reminders already queued (#12): every delivery asks the access layer, at send
time, whether the recipient may still see what the message is about (the source's category)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from koers import access
from koers.audit.models import AccessLogEntry
from koers.monitoring import services as monitoring
from koers.monitoring.entries import Entry
from koers.monitoring.models import Observation
from koers.network import services as network
from koers.network.models import CareTeamMember
from koers.notifications import delivery, selectors, sources, sweeps
from koers.notifications.models import Delivery, Notification, Reason

from .conftest import make_actions

UTC = dt.UTC
NOW = dt.datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


@pytest.fixture
def queued_signal(cast):
    """A monitoring signal about Anna, queued for Noor (her responsible professional)."""
    monitoring.target_set(
        actor=cast.noor, person=cast.anna, type="systolic_bp", high=140, signal_target=True, agreed_with_person=True
    )
    monitoring.observations_record(
        actor=cast.anna_user,
        person=cast.anna,
        entries=[Entry(type="systolic_bp", value=160, effective_at=NOW - dt.timedelta(hours=1))],
        source=Observation.Source.PORTAL,
    )
    sweeps.sweep(now=NOW)
    return Delivery.objects.get(reason=Reason.MONITORING_SIGNAL, recipient=cast.noor)


def refused_rows(user, person):
    return AccessLogEntry.objects.filter(user=user, person=person, outcome=AccessLogEntry.Outcome.REFUSED)


def assert_withheld(row, cast, category):
    row.refresh_from_db()
    assert row.state == Delivery.State.SKIPPED
    assert str(category) in row.outcome
    assert not Notification.objects.filter(recipient=cast.noor).exists()
    refused = refused_rows(cast.noor, cast.anna).get()
    assert (refused.object_type, refused.action) == (str(category), access.Action.READ)


def test_withdrawn_topic_stops_a_queued_signal_and_logs_the_refusal(cast, queued_signal):
    network.consent_set(
        actor=cast.anna_user, person=cast.anna, member=cast.noor, topic=access.Topic.MEASUREMENTS, granted=False
    )
    report = delivery.deliver_all(now=NOW)
    assert (report.sent, report.skipped) == (0, 1)
    assert_withheld(queued_signal, cast, access.Category.MEASUREMENTS)
    # Run again: nothing left to send, and no second refusal.
    assert delivery.deliver_all(now=NOW + dt.timedelta(minutes=5)).claimed == 0
    assert refused_rows(cast.noor, cast.anna).count() == 1


def test_member_who_left_the_network_gets_nothing(cast, queued_signal):
    CareTeamMember.objects.filter(person=cast.anna, professional=cast.noor).update(ended_at=NOW)
    report = delivery.deliver_all(now=NOW)
    assert report.sent == 0
    assert_withheld(queued_signal, cast, access.Category.NOTIFICATIONS)


def test_withdrawing_another_topic_still_sends_exactly_once(cast, queued_signal):
    network.consent_set(
        actor=cast.anna_user, person=cast.anna, member=cast.noor, topic=access.Topic.QUESTIONNAIRES, granted=False
    )
    assert delivery.deliver_all(now=NOW).sent == 1
    assert delivery.deliver_all(now=NOW + dt.timedelta(minutes=5)).sent == 0
    assert Notification.objects.filter(recipient=cast.noor, reason=Reason.MONITORING_SIGNAL).count() == 1
    assert not refused_rows(cast.noor, cast.anna).exists()


def test_the_persons_own_reminders_still_go_out(cast):
    with time_machine.travel(NOW, tick=False):
        make_actions(cast.anna, cast.noor, NOW.date())
    # Whatever Anna decides about her network, her own reminders are hers.
    network.consent_set(
        actor=cast.anna_user, person=cast.anna, member=cast.noor, topic=access.Topic.GOALS, granted=False
    )
    sweeps.sweep(now=NOW)
    assert Delivery.objects.filter(recipient=cast.anna_user, reason=Reason.ACTION_DUE).exists()
    report = delivery.deliver_all(now=NOW)
    assert report.sent >= 1
    assert Notification.objects.filter(recipient=cast.anna_user, reason=Reason.ACTION_DUE).count() == 1
    assert not refused_rows(cast.anna_user, cast.anna).exists()


def test_every_source_declares_the_category_it_is_about():
    expected = {
        Reason.ACTION_DUE: access.Category.GOALS,
        Reason.QUESTIONNAIRE_WAITING: access.Category.QUESTIONNAIRES,
        Reason.ALARMING_RESULT: access.Category.QUESTIONNAIRES,
        Reason.APPOINTMENT_COMING: access.Category.CONSULTS,
        Reason.FOLLOW_UP_DUE: access.Category.CAREPLAN,
        Reason.EVALUATION_DUE: access.Category.CAREPLAN,
        Reason.SCREENING_DUE: access.Category.MEASUREMENT_PLAN,
        Reason.DIARY_PROMPT: access.Category.MEASUREMENTS,
        Reason.MONITORING_SIGNAL: access.Category.MEASUREMENTS,
        Reason.EMERGENCY_ACCESS: access.Category.NOTIFICATIONS,
        Reason.EMERGENCY_CONTACT: access.Category.EMERGENCY_NOTICE,
        Reason.RELATIVE_NOTE: access.Category.RELATIVE_NOTES,
        Reason.HANDOVER: access.Category.DOCUMENTS,
        Reason.CRISIS_REPORT: access.Category.CRISIS_REPORTS,
        Reason.MEETING_INVITED: access.Category.MEETING_INVITATION,
        Reason.MEETING_CANCELLED: access.Category.MEETING_INVITATION,
        Reason.DECISION_NOT_YET: access.Category.DECISION_AGREEMENT,
        Reason.PLAN_COMMENT: access.Category.CAREPLAN_SIGNOFF,
    }
    assert {s.reason: s.category for s in sources.sources()} == expected


def test_a_delivered_signal_leaves_the_inbox_once_the_topic_is_withdrawn(cast, queued_signal):
    Delivery.objects.create(
        recipient=cast.noor,
        person=cast.anna,
        channel="in_app",
        reason=Reason.ALARMING_RESULT,
        subject_type="questionnaires.AttentionItem",
        subject_id=1,
        due_at=NOW,
        send_after=NOW,
        created_at=NOW,
        state=Delivery.State.SENT,
    )
    delivery.deliver_all(now=NOW)
    assert {n.reason for n in selectors.inbox_for_professional(cast.noor)} == {Reason.MONITORING_SIGNAL}
    Notification.objects.create(
        recipient=cast.noor,
        person=cast.anna,
        delivery=Delivery.objects.get(reason=Reason.ALARMING_RESULT),
        reason=Reason.ALARMING_RESULT,
        subject_type="questionnaires.AttentionItem",
        subject_id=1,
        due_at=NOW,
        created_at=NOW,
    )
    network.consent_set(
        actor=cast.anna_user, person=cast.anna, member=cast.noor, topic=access.Topic.MEASUREMENTS, granted=False
    )
    # The very next look at the inbox: the signal (measurements) is gone, the questionnaire stays.
    assert {n.reason for n in selectors.inbox_for_professional(cast.noor)} == {Reason.ALARMING_RESULT}


def test_a_relative_without_consent_gets_nothing(cast, queued_signal):
    row = Delivery.objects.create(
        recipient=cast.rob,
        person=cast.anna,
        channel="in_app",
        reason=Reason.MONITORING_SIGNAL,
        subject_type=queued_signal.subject_type,
        subject_id=queued_signal.subject_id,
        due_at=queued_signal.due_at,
        send_after=NOW,
        created_at=NOW,
    )
    delivery.deliver_all(now=NOW)
    row.refresh_from_db()
    assert row.state == Delivery.State.SKIPPED
    assert not Notification.objects.filter(recipient=cast.rob).exists()
    assert refused_rows(cast.rob, cast.anna).count() == 1
