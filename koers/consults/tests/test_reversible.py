"""No irreversible one-click action on a consult: cancelling asks first, a status can go back
to planned (logged), and a consult still to come cannot be marked as held."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.access import NotFound
from koers.consults import services
from koers.consults.models import Consult
from koers.consults.tests.conftest import log_rows

pytestmark = pytest.mark.django_db


def status_url(consult):
    return reverse("consults:status", args=[consult.person_id, consult.pk])


def after(consult, minutes=5):
    return time_machine.travel(consult.scheduled_at + dt.timedelta(minutes=minutes), tick=False)


# --- services -------------------------------------------------------------------------------


def test_a_future_consult_cannot_be_marked_as_held(cast, consult):
    with pytest.raises(ValidationError) as excinfo:
        services.consult_set_status(actor=cast.noor, consult=consult, status="held")
    assert "nog niet geweest" in " ".join(excinfo.value.messages)
    assert Consult.objects.get(pk=consult.pk).status == "planned"
    assert log_rows(user=cast.noor, action="U", object_type="consults.Consult") == 0


def test_a_consult_that_has_begun_can_be_marked_as_held(cast, consult):
    with after(consult):
        services.consult_set_status(actor=cast.noor, consult=consult, status="held")
    assert Consult.objects.get(pk=consult.pk).status == "held"


@pytest.mark.parametrize("status", ["held", "cancelled"])
def test_held_or_cancelled_goes_back_to_planned_and_is_logged(cast, consult, status):
    with after(consult):
        services.consult_set_status(actor=cast.noor, consult=consult, status=status)
        services.consult_set_status(actor=cast.gert, consult=consult, status="planned")
    consult.refresh_from_db()
    assert consult.status == "planned"
    row = log_rows(user=cast.gert, action="U", object_type="consults.Consult", detail=f"status=planned (was {status})")
    assert row == 1


def test_a_planned_consult_is_not_planned_again_and_the_person_cannot_reopen(cast, consult):
    with pytest.raises(ValidationError):
        services.consult_set_status(actor=cast.noor, consult=consult, status="planned")
    services.consult_set_status(actor=cast.noor, consult=consult, status="cancelled")
    with pytest.raises(NotFound):  # a rule of the policy table: refused and logged like any other
        services.consult_set_status(actor=cast.anna_user, consult=consult, status="planned")
    assert log_rows(user=cast.anna_user, outcome="refused") == 1
    assert Consult.objects.get(pk=consult.pk).status == "cancelled"


# --- views ----------------------------------------------------------------------------------


def test_cancelling_asks_first_and_works_without_javascript(cast, consult, login):
    noor = login(cast.noor)
    detail = noor.get(reverse("consults:detail", args=[cast.anna.pk, consult.pk])).content.decode()
    assert f'href="{status_url(consult)}"' in detail  # "Afzeggen" leads to the question

    reads = {"user": cast.noor, "action": "R", "object_type": "consults.Consult", "object_id": str(consult.pk)}
    before = log_rows(**reads)
    page = noor.get(status_url(consult))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Consult afzeggen?" in body and 'name="bevestigd" value="ja"' in body
    assert log_rows(**reads) == before + 1

    # A one-click post (no confirmation) only asks; nothing changes.
    response = noor.post(status_url(consult), {"status": "cancelled"})
    assert response.status_code == 200 and "Consult afzeggen?" in response.content.decode()
    assert Consult.objects.get(pk=consult.pk).status == "planned"

    response = noor.post(status_url(consult), {"status": "cancelled", "bevestigd": "ja"}, follow=True)
    assert Consult.objects.get(pk=consult.pk).status == "cancelled"
    assert "Het consult is afgezegd." in response.content.decode()
    assert "Terugzetten naar gepland" in response.content.decode()


def test_marking_a_future_consult_as_held_says_why_and_changes_nothing(cast, consult, login):
    response = login(cast.noor).post(status_url(consult), {"status": "held"}, follow=True)
    assert "nog niet geweest" in response.content.decode()
    assert Consult.objects.get(pk=consult.pk).status == "planned"


def test_a_held_consult_goes_back_to_planned_from_its_page(cast, login):
    consult = services.consult_plan(
        actor=cast.noor,
        person=cast.anna,
        scheduled_at=timezone.now() - dt.timedelta(hours=1),
        professional=cast.noor,
        allow_past=True,
    )
    noor = login(cast.noor)
    noor.post(status_url(consult), {"status": "held"})
    assert Consult.objects.get(pk=consult.pk).status == "held"
    response = noor.post(status_url(consult), {"status": "planned"}, follow=True)
    assert Consult.objects.get(pk=consult.pk).status == "planned"
    assert "weer gepland" in response.content.decode()


def test_the_cancel_question_of_another_persons_consult_is_not_found(cast, consult, bas_consult, login):
    noor = login(cast.noor)
    assert noor.get(reverse("consults:status", args=[cast.anna.pk, bas_consult.pk])).status_code == 404
    response = noor.post(
        reverse("consults:status", args=[cast.anna.pk, bas_consult.pk]), {"status": "cancelled", "bevestigd": "ja"}
    )
    assert response.status_code == 404
    assert Consult.objects.get(pk=bas_consult.pk).status == "planned"
