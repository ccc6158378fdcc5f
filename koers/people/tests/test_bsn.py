"""A BSN can be recorded when registering a person, only when it passes the elfproef, so the
caseload can find the person by it. It never appears in a URL or in the access log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.people import services
from koers.people.models import Person

pytestmark = pytest.mark.django_db

VALID_BSN = "111222333"


def _post(**extra):
    data = {"given_name": "Dirk", "family_name": "van Dam", "birth_date": "1980-02-03", "gender": "male"}
    data.update(extra)
    return data


def test_register_with_a_bsn_stores_it_for_the_search(cast, login):
    client = login(cast.noor)
    response = client.post(reverse("people:register"), _post(bsn=" 1112.22.333 "))
    assert response.status_code == 302 and VALID_BSN not in response["Location"]
    person = Person.objects.get(given_name="Dirk")
    assert person.bsn == VALID_BSN and person.family_sort == "dam"
    found = client.post(reverse("workspace:caseload"), {"q": VALID_BSN}).context["persons"]
    assert [p.pk for p in found] == [person.pk]
    assert not AccessLogEntry.objects.filter(detail__contains=VALID_BSN).exists()


@pytest.mark.parametrize("bsn", ["123456789", "12345", "abcdefghi", "0000000000"])
def test_a_wrong_bsn_is_refused_with_a_message_and_nothing_saved(cast, login, bsn):
    response = login(cast.noor).post(reverse("people:register"), _post(bsn=bsn))
    assert response.status_code == 200
    assert response.context["form"].errors["bsn"]
    assert not Person.objects.filter(given_name="Dirk").exists()


def test_the_service_checks_the_bsn_too(cast):
    with pytest.raises(ValidationError) as caught:
        services.person_register(
            actor=cast.noor, given_name="Dirk", family_name="Dam", birth_date=dt.date(1980, 2, 3), bsn="123456789"
        )
    assert "bsn" in caught.value.message_dict
    assert not Person.objects.filter(given_name="Dirk").exists()


def test_a_bsn_is_optional(cast):
    person, _password = services.person_register(
        actor=cast.noor, given_name="Dirk", family_name="Dam", birth_date=dt.date(1980, 2, 3)
    )
    assert person.bsn == ""
