"""Professional reminders from koers.followup.selectors: follow-up due and yearly evaluation due."""

import datetime as dt

from koers.careplans.models import CarePlanVersion, FollowUpAgreement
from koers.notifications import delivery, sweeps
from koers.notifications.models import Delivery, Notification, Reason

NOW = dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC)


def test_follow_up_due_reminds_the_responsible_professional_once(cast):
    agreement = FollowUpAgreement.objects.create(
        person=cast.anna, what="Slaap bespreken", who="Noor", created_by=cast.noor, next_date=dt.date(2026, 1, 12)
    )
    sweeps.sweep(now=NOW)
    sweeps.sweep(now=NOW + dt.timedelta(minutes=5))
    delivery.deliver_all(now=NOW)
    note = Notification.objects.get(reason=Reason.FOLLOW_UP_DUE)
    assert (note.recipient, note.person, note.about) == (cast.noor, cast.anna, "Slaap bespreken")
    assert Delivery.objects.filter(subject_id=agreement.pk, reason=Reason.FOLLOW_UP_DUE).count() == 1


def test_follow_up_moved_before_sending_is_not_sent(cast):
    agreement = FollowUpAgreement.objects.create(
        person=cast.anna, what="Slaap bespreken", who="Noor", created_by=cast.noor, next_date=dt.date(2026, 1, 12)
    )
    sweeps.sweep(now=NOW)
    FollowUpAgreement.objects.filter(pk=agreement.pk).update(next_date=dt.date(2026, 2, 12))
    report = delivery.deliver_all(now=NOW)
    assert (report.sent, report.skipped) == (0, 1)


def test_yearly_evaluation_due(cast):
    from koers.careplans.services import care_plan_for

    plan = care_plan_for(cast.anna)
    plan.current_version = 1
    plan.save()
    CarePlanVersion.objects.create(
        care_plan=plan,
        number=1,
        created_at=NOW - dt.timedelta(days=400),
        created_by=cast.noor,
        summary="Eerste versie",
        snapshot={},
    )
    sweeps.sweep(now=NOW)
    delivery.deliver_all(now=NOW)
    notes = Notification.objects.filter(reason=Reason.EVALUATION_DUE)
    assert {n.recipient for n in notes} == {cast.noor}
    assert {n.subject_id for n in notes} == {plan.pk}


def test_yearly_somatic_screening_due_reminds_the_responsible_professional_once(cast):
    from koers.notifications import texts
    from koers.screening.models import SomaticScreening

    screening = SomaticScreening.objects.create(person=cast.anna, due_date=dt.date(2026, 1, 12), created_by=cast.noor)
    SomaticScreening.objects.create(person=cast.bas, due_date=dt.date(2026, 3, 1), created_by=cast.noor)  # not yet
    sweeps.sweep(now=NOW)
    sweeps.sweep(now=NOW + dt.timedelta(minutes=5))
    delivery.deliver_all(now=NOW)
    note = Notification.objects.get(reason=Reason.SCREENING_DUE)
    assert (note.recipient, note.person, note.subject_id) == (cast.noor, cast.anna, screening.pk)
    assert Delivery.objects.filter(reason=Reason.SCREENING_DUE).count() == 1
    assert texts.headline(note.reason) == "Jaarlijkse lichamelijke controle nodig"
    assert texts.link(note) == f"/personen/{cast.anna.pk}/metingen/"


def test_a_screening_done_before_sending_is_not_sent(cast):
    from koers.screening.models import SomaticScreening

    screening = SomaticScreening.objects.create(person=cast.anna, due_date=dt.date(2026, 1, 12), created_by=cast.noor)
    sweeps.sweep(now=NOW)
    SomaticScreening.objects.filter(pk=screening.pk).update(done_on=dt.date(2026, 1, 12))
    report = delivery.deliver_all(now=NOW)
    assert (report.sent, report.skipped) == (0, 1)
