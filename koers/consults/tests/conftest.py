"""Fixtures for the consults tests: Anna's next consult with Noor, made through the service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from koers.audit.models import AccessLogEntry
from koers.consults import services


@pytest.fixture(autouse=True)
def _dutch():
    """Messages are checked in Dutch, whatever language an earlier test's request left active."""
    with translation.override("nl"):
        yield


def soon(days: int = 3, hour: int = 10) -> dt.datetime:
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def consult(cast):
    return services.consult_plan(
        actor=cast.noor, person=cast.anna, scheduled_at=soon(), professional=cast.noor, planned_minutes=30
    )


@pytest.fixture
def bas_consult(cast):
    return services.consult_plan(actor=cast.noor, person=cast.bas, scheduled_at=soon(), professional=cast.noor)


def log_rows(**filters) -> int:
    return AccessLogEntry.objects.filter(**filters).count()


def begin(consult, minutes: int = 5):
    """Let the consult have begun (a consult still to come cannot be marked as held)."""
    from koers.consults.models import Consult

    consult.scheduled_at = timezone.now() - dt.timedelta(minutes=minutes)
    Consult.objects.filter(pk=consult.pk).update(scheduled_at=consult.scheduled_at)
    return consult
