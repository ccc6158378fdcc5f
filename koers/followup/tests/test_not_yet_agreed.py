"""The person's "nog niet eens" reaches the coordinator (issue #13 leftovers): on a shared decision
("Ik ben het nog niet eens", with a comment) or on a care-plan version (their comment). A
notification through the outbox, exactly once, with the comment only for those who may read it,
and a worklist item until someone marks it handled (or the person's word changes)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers import access
from koers.careplans import signoff
from koers.careplans.tests.conftest import add_goal, record
from koers.decisions import agreement
from koers.decisions.tests.conftest import decided
from koers.followup import services as followup_services
from koers.followup import worklist
from koers.network.services import consent_set
from koers.notifications import selectors as inbox
from koers.notifications import sweeps
from koers.notifications.delivery import deliver_all
from koers.notifications.models import Delivery, Notification, Reason

pytestmark = pytest.mark.django_db
COMMENT = "Ik wil eerst met mijn zus praten"


def items_of(user, kind, **kwargs):
    items, _ = worklist.build(user, **kwargs)
    return [i for i in items if i.kind == kind]


def deliver_twice():
    sweeps.sweep()
    deliver_all()
    sweeps.sweep()
    deliver_all()


def test_not_yet_on_a_decision_tells_the_coordinator_once_with_the_comment(cast):
    decision, _ = decided(cast)
    agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="not_yet", comment=COMMENT)
    deliver_twice()
    rows = Delivery.objects.filter(reason=Reason.DECISION_NOT_YET)
    assert [r.recipient for r in rows] == [cast.noor]
    (note,) = inbox.inbox_for_professional(cast.noor).filter(reason=Reason.DECISION_NOT_YET)
    assert COMMENT in note.about
    assert Notification.objects.filter(reason=Reason.DECISION_NOT_YET).count() == 1
    (item,) = items_of(cast.noor, worklist.KIND_DECISION_NOT_YET)
    assert COMMENT in item.what and item.markable
    # Handled: marked on the worklist, it leaves the list.
    followup_services.worklist_mark(actor=cast.noor, person=cast.anna, key=item.key)
    assert not items_of(cast.noor, worklist.KIND_DECISION_NOT_YET)


def test_agreeing_is_no_notice_and_a_later_agree_ends_the_item(cast):
    decision, _ = decided(cast)
    agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="agree")
    deliver_twice()
    assert not Delivery.objects.filter(reason=Reason.DECISION_NOT_YET).exists()
    agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="not_yet", comment=COMMENT)
    assert items_of(cast.noor, worklist.KIND_DECISION_NOT_YET)
    agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="agree")
    assert not items_of(cast.noor, worklist.KIND_DECISION_NOT_YET)
    deliver_all()
    # No longer the person's word at send time: withheld, not delivered.
    assert not Notification.objects.filter(reason=Reason.DECISION_NOT_YET).exists()


def test_a_comment_on_a_plan_version_tells_the_coordinator_once(cast):
    add_goal(cast.anna, cast.noor, description="Weer fietsen")
    version = record(cast.anna, cast.noor)
    signoff.care_plan_sign_off(
        actor=cast.anna_user, person=cast.anna, number=version.number, answer="comment", comment=COMMENT
    )
    deliver_twice()
    rows = Delivery.objects.filter(reason=Reason.PLAN_COMMENT)
    assert [r.recipient for r in rows] == [cast.noor]
    (note,) = inbox.inbox_for_professional(cast.noor).filter(reason=Reason.PLAN_COMMENT)
    assert COMMENT in note.about
    (item,) = items_of(cast.noor, worklist.KIND_PLAN_COMMENT)
    assert COMMENT in item.what
    followup_services.worklist_mark(actor=cast.noor, person=cast.anna, key=item.key)
    assert not items_of(cast.noor, worklist.KIND_PLAN_COMMENT)


def test_the_comment_only_for_who_may_read_it(cast):
    """Gert (care team) sees the item on the team's list while the person shares decisions with
    him; after she withdraws that topic, he does not."""
    decision, _ = decided(cast)
    agreement.decision_confirm(actor=cast.anna_user, decision=decision, answer="not_yet", comment=COMMENT)
    assert items_of(cast.gert, worklist.KIND_DECISION_NOT_YET, team=True)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=access.Topic.DECISIONS, granted=False)
    assert not items_of(cast.gert, worklist.KIND_DECISION_NOT_YET, team=True)
    assert not items_of(cast.sam, worklist.KIND_DECISION_NOT_YET, team=True)


def test_the_coordinator_sees_it_on_the_inbox_and_worklist_pages_escaped(cast, client):
    decision, _ = decided(cast)
    agreement.decision_confirm(
        actor=cast.anna_user, decision=decision, answer="not_yet", comment="Eerst praten <script>x</script>"
    )
    deliver_twice()
    client.force_login(cast.noor)
    inbox_page = client.get(reverse("notifications:workspace_inbox")).content.decode()
    assert "De cliënt is het nog niet eens met een besluit" in inbox_page
    assert "Eerst praten &lt;script&gt;" in inbox_page and "<script>x" not in inbox_page
    worklist_page = client.get(reverse("followup:worklist")).content.decode()
    assert "Cliënt nog niet eens met besluit" in worklist_page
    assert "Eerst praten &lt;script&gt;" in worklist_page and "<script>x" not in worklist_page
