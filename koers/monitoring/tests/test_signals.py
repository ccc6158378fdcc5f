"""Signals to the care team: a value outside an agreed target, or far outside the person's usual range."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.core import mail
from django.test import override_settings

from koers.accounts.models import User
from koers.monitoring import services, signalling
from koers.monitoring.entries import Entry
from koers.monitoring.models import Observation, Target
from koers.notifications import delivery, sweeps
from koers.notifications.models import Delivery, Notification, NotificationPreference, Reason

UTC = dt.UTC
NOW = dt.datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


# -- pure -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "low", "high", "outside"),
    [(150, None, 140, True), (140, None, 140, False), (3, 4, None, True), (4, 4, 8, False), (9, 4, 8, True)],
)
def test_outside_target(value, low, high, outside):
    assert signalling.outside_target(value, low, high) is outside


def test_far_from_usual_needs_more_than_a_robust_sd_and_a_scale_step():
    # Usual 5-7, robust SD 0.6, a 0-10 rating (step 1): far means below 4 or above 8.
    assert not signalling.far_from_usual(4, 5, 7, 0.6, step=1)
    assert signalling.far_from_usual(3.9, 5, 7, 0.6, step=1)
    assert signalling.far_from_usual(8.5, 5, 7, 0.6, step=1)
    # A wide spread widens the margin.
    assert not signalling.far_from_usual(3.5, 5, 7, 2.0, step=1)
    # Unknown usual range: nothing is far.
    assert not signalling.far_from_usual(0, None, None, None, step=1)


def test_classify_only_what_was_agreed():
    check = signalling.Check(low=4, high=None, signal_target=True, signal_usual=False, usual_low=5, usual_high=7)
    assert signalling.classify(2, check) == ("target",)
    both = signalling.Check(4, None, True, True, 5, 7, 0.5, step=1)
    assert signalling.classify(2, both) == ("target", "usual")
    nothing = signalling.Check(4, None, False, False, 5, 7, 0.5, step=1)
    assert signalling.classify(0, nothing) == ()


def test_usual_range_is_from_the_weeks_before_the_value_only():
    rng = np.random.default_rng(5)
    start = np.datetime64("2026-01-01T08:00", "s")
    times = start + np.arange(30) * np.timedelta64(86_400, "s")
    values = np.clip(np.round(rng.normal(6, 0.8, 30)), 0, 10)
    values[-1] = 0.0
    low, high, sd = signalling.usual_before(times, values, times[-1])
    assert low is not None and low < 6 < high and sd > 0
    # The value itself does not widen the range it is compared with: it is far outside it.
    assert low > 0 and signalling.far_from_usual(0.0, low, high, sd, step=1)
    assert not signalling.far_from_usual(4.0, low, high, sd, step=1)
    # Too little history: no usual range.
    assert signalling.usual_before(times[:5], values[:5], times[4]) == (None, None, None)


# -- the sweep ---------------------------------------------------------------------------------------


def record(person, user, code, values, *, start, every=dt.timedelta(hours=8)):
    entries = [Entry(type=code, value=v, effective_at=start + i * every) for i, v in enumerate(values)]
    return services.observations_record(actor=user, person=person, entries=entries, source=Observation.Source.PORTAL)


def signals():
    return Delivery.objects.filter(reason=Reason.MONITORING_SIGNAL)


@pytest.fixture
def bp_target(cast):
    return services.target_set(
        actor=cast.noor, person=cast.anna, type="systolic_bp", high=140, signal_target=True, agreed_with_person=True
    )


def test_a_value_above_the_agreed_target_goes_to_the_responsible_professional_once(cast, bp_target):
    high, ok = record(cast.anna, cast.anna_user, "systolic_bp", [152, 128], start=NOW - dt.timedelta(hours=10))
    for minutes in (0, 0, 5):
        sweeps.sweep(now=NOW + dt.timedelta(minutes=minutes))
    row = signals().get()
    assert (row.recipient, row.person, row.subject_type, row.subject_id) == (
        cast.noor,
        cast.anna,
        "monitoring.Observation",
        high.pk,
    )
    assert row.due_at == high.recorded_at
    report = delivery.deliver_all(now=NOW)
    assert report.sent == 1
    note = Notification.objects.get(reason=Reason.MONITORING_SIGNAL)
    assert note.recipient == cast.noor
    assert "152" in note.about and "140" in note.about and "Bloeddruk" in note.about


def test_the_signal_shows_in_the_professionals_inbox_and_leads_to_the_person(cast, bp_target, login):
    record(cast.anna, cast.anna_user, "systolic_bp", [160], start=NOW - dt.timedelta(hours=1))
    sweeps.sweep(now=NOW)
    delivery.deliver_all(now=NOW)
    html = login(cast.noor).get("/berichten/").content.decode()
    assert "Een meting valt buiten de afspraak" in html
    assert f"/personen/{cast.anna.pk}/bijhouden/" in html


def test_nothing_without_the_switch(cast):
    services.target_set(actor=cast.noor, person=cast.anna, type="systolic_bp", high=140, signal_target=False)
    record(cast.anna, cast.anna_user, "systolic_bp", [170], start=NOW - dt.timedelta(hours=1))
    sweeps.sweep(now=NOW)
    assert not signals().exists()


def test_old_values_are_not_signalled(cast, bp_target):
    record(cast.anna, cast.anna_user, "systolic_bp", [170], start=NOW - dt.timedelta(days=8))
    sweeps.sweep(now=NOW)
    assert not signals().exists()


def test_without_a_responsible_member_every_current_member_is_told(cast):
    from koers.network.models import CareTeamMember

    services.target_set(actor=cast.noor, person=cast.anna, type="systolic_bp", high=140, signal_target=True)
    CareTeamMember.objects.filter(person=cast.anna).update(role=CareTeamMember.Role.MEMBER)
    record(cast.anna, cast.anna_user, "systolic_bp", [155], start=NOW - dt.timedelta(hours=1))
    sweeps.sweep(now=NOW)
    assert set(signals().values_list("recipient__username", flat=True)) == {"noor", "gert"}


def test_a_switched_off_or_corrected_signal_is_not_sent(cast, bp_target):
    (high,) = record(cast.anna, cast.anna_user, "systolic_bp", [152], start=NOW - dt.timedelta(hours=1))
    sweeps.sweep(now=NOW)
    services.observation_correct(actor=cast.anna_user, observation=high, value=125)
    report = delivery.deliver_all(now=NOW)
    assert (report.sent, report.skipped) == (0, 1)
    (again,) = record(cast.anna, cast.anna_user, "systolic_bp", [165], start=NOW - dt.timedelta(minutes=30))
    sweeps.sweep(now=NOW)
    Target.objects.filter(pk=bp_target.pk).update(signal_target=False)
    report = delivery.deliver_all(now=NOW)
    assert (report.sent, report.skipped) == (0, 1)


def test_far_outside_the_usual_range(cast):
    services.target_set(actor=cast.noor, person=cast.anna, type="mood", signal_usual=True, agreed_with_person=True)
    rng = np.random.default_rng(11)
    start = NOW - dt.timedelta(days=20)
    usual = [int(v) for v in np.clip(np.round(rng.normal(6, 0.7, 40)), 4, 8)]
    record(cast.anna, cast.anna_user, "mood", usual, start=start, every=dt.timedelta(hours=11))
    sweeps.sweep(now=NOW)
    assert not signals().exists()  # nothing unusual yet
    (low,) = record(cast.anna, cast.anna_user, "mood", [1], start=NOW - dt.timedelta(minutes=20))
    (mild,) = record(cast.anna, cast.anna_user, "mood", [5], start=NOW - dt.timedelta(minutes=10))
    sweeps.sweep(now=NOW)
    assert list(signals().values_list("subject_id", flat=True)) == [low.pk]
    delivery.deliver_all(now=NOW)
    note = Notification.objects.get(reason=Reason.MONITORING_SIGNAL)
    assert "Stemming" in note.about and "ver buiten het gewone" in note.about


def test_no_usual_signal_without_enough_history(cast):
    services.target_set(actor=cast.noor, person=cast.anna, type="mood", signal_usual=True)
    record(cast.anna, cast.anna_user, "mood", [6, 6, 7, 1], start=NOW - dt.timedelta(days=1))
    sweeps.sweep(now=NOW)
    assert not signals().exists()


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_email_to_the_professional_carries_no_health_data(cast, bp_target):
    NotificationPreference.objects.create(user=cast.noor, email=True)
    cast.noor.email = "noor@example.org"
    cast.noor.save()
    record(cast.anna, cast.anna_user, "systolic_bp", [188], start=NOW - dt.timedelta(hours=1))
    sweeps.sweep(now=NOW)
    delivery.deliver_all(now=NOW)
    delivery.deliver_all(now=NOW + dt.timedelta(minutes=1))
    assert len(mail.outbox) == 1
    text = mail.outbox[0].subject + mail.outbox[0].body
    for word in ("188", "bloeddruk", "Bloeddruk", "Anna", "140", "meting"):
        assert word not in text


def test_a_professional_who_left_the_team_is_not_told(cast, bp_target):
    from koers.network.models import CareTeamMember

    record(cast.anna, cast.anna_user, "systolic_bp", [150], start=NOW - dt.timedelta(hours=1))
    sweeps.sweep(now=NOW)
    CareTeamMember.objects.filter(person=cast.anna, professional=cast.noor).update(ended_at=NOW)
    report = delivery.deliver_all(now=NOW)
    assert report.sent == 0
    assert not Notification.objects.filter(reason=Reason.MONITORING_SIGNAL).exists()


def test_sweep_queries_do_not_grow_with_people(cast, django_assert_max_num_queries):
    # targets, what was signalled already, observations, recorded times, care teams
    from tests.support.testing import make_person

    services.target_set(actor=cast.noor, person=cast.anna, type="systolic_bp", high=140, signal_target=True)
    record(cast.anna, cast.anna_user, "systolic_bp", [150], start=NOW - dt.timedelta(hours=1))
    with django_assert_max_num_queries(5):
        assert len(list(signalling.sweep_signals(NOW))) == 1
    for i in range(5):
        other = make_person(actor=cast.noor, given_name=f"P{i}", family_name="Test")
        services.target_set(actor=cast.noor, person=other, type="systolic_bp", high=140, signal_target=True)
        record(other, cast.noor, "systolic_bp", [150 + i], start=NOW - dt.timedelta(hours=1))
    with django_assert_max_num_queries(5):
        assert len(list(signalling.sweep_signals(NOW))) == 6


def test_a_second_sweep_does_not_check_signalled_values_again(cast, bp_target, monkeypatch):
    high, ok = record(cast.anna, cast.anna_user, "systolic_bp", [152, 128], start=NOW - dt.timedelta(hours=10))
    checked: list[float] = []
    classify = signalling.classify

    def counting(value, check):
        checked.append(value)
        return classify(value, check)

    monkeypatch.setattr(signalling, "classify", counting)
    sweeps.sweep(now=NOW)
    assert sorted(checked) == [128, 152]
    checked.clear()
    sweeps.sweep(now=NOW + dt.timedelta(minutes=5))
    assert checked == [128]  # the signalled value is in the outbox: not worked out again
    assert signals().count() == 1


def test_the_message_is_written_in_the_language_its_reader_chose(cast, bp_target):
    """The in-app message's few words were made once in the worker's language (Dutch) for every
    reader, so a professional who chose English read 'Bloeddruk …' under an English headline;
    e-mails were already written in the reader's language (``accounts.language.language_of``)."""
    User.objects.filter(pk=cast.noor.pk).update(preferred_language="en")
    record(cast.anna, cast.anna_user, "systolic_bp", [152], start=NOW - dt.timedelta(hours=10))
    sweeps.sweep(now=NOW)
    delivery.deliver_all(now=NOW)
    note = Notification.objects.get(reason=Reason.MONITORING_SIGNAL)
    assert "152" in note.about and "Bloeddruk" not in note.about and "blood pressure" in note.about.lower()
