"""Registering a person keeps only the four digits of their postcode (data minimisation): the
population view counts per neighbourhood and the social map suggests help nearby (issue #16).
A wrong postcode is refused with a message and nothing is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.people.models import Person

pytestmark = pytest.mark.django_db


def _post(**extra):
    data = {"given_name": "Dirk", "family_name": "van Dam", "birth_date": "1980-02-03", "gender": "male"}
    data.update(extra)
    return data


@pytest.mark.parametrize("typed", ["3511 AB", "3511ab", " 3511 ", "3511"])
def test_the_postcode_is_kept_as_its_four_digits(cast, login, typed):
    response = login(cast.noor).post(reverse("people:register"), _post(postcode_area=typed))
    assert response.status_code == 302
    person = Person.objects.get(given_name="Dirk")
    assert person.postcode_area == "3511"


@pytest.mark.parametrize("typed", ["0511 AB", "351", "3511 A", "35111", "abcd", "3511 A1"])
def test_a_wrong_postcode_is_refused_with_a_message_and_nothing_saved(cast, login, typed):
    before = Person.objects.count()
    response = login(cast.noor).post(reverse("people:register"), _post(postcode_area=typed))
    assert response.status_code == 200
    assert "Vul een postcode in, bijvoorbeeld 3511 AB" in response.content.decode()
    assert Person.objects.count() == before
