"""Security events are rows of the one append-only access log, named and attributed."""

from __future__ import annotations

import pytest

from koers.audit import security
from koers.audit.models import AccessLogEntry, AppendOnlyError

pytestmark = pytest.mark.django_db


def test_event_names_actor_subject_and_event_without_a_person(cast):
    row = security.security_event(security.PASSWORD_CHANGED, actor=cast.noor)
    row.refresh_from_db()
    assert row.object_type == "security" and row.detail == "password_changed"
    assert row.user_id == cast.noor.pk and row.object_id == str(cast.noor.pk)
    assert row.person_id is None and row.purpose == "administration" and row.action == "U"
    with pytest.raises(AppendOnlyError):
        row.delete()


def test_failed_login_without_a_signed_in_actor_names_the_account_it_concerns(cast):
    row = security.security_event(
        security.LOGIN_FAILED, actor=None, subject=cast.anna_user, outcome="failed", note="wrong password"
    )
    assert row.user_id is None and row.user_display == "anonymous"
    assert row.object_id == str(cast.anna_user.pk) and row.outcome == "failed"
    assert row.detail == "login_failed: wrong password"
    assert list(security.security_events().filter(user=None)) == [row]


def test_unknown_event_is_refused_and_writes_nothing(cast):
    before = AccessLogEntry.objects.count()
    with pytest.raises(ValueError, match="unknown security event"):
        security.security_event("made_up", actor=cast.noor)
    assert AccessLogEntry.objects.count() == before
