"""The people mappers: valid R4, no query, and Patient round-trips (issue #15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from koers.accounts.models import Organisation
from koers.fhir.mappers import people as mappers
from koers.network.models import CareTeamMember, RelativeLink
from koers.people.models import Person
from tests.support.fhir import assert_valid_r4

PERSON_FIELDS = ("given_name", "family_name", "birth_date", "gender", "phone", "email", "bsn")


def test_patient_round_trips_without_the_database():
    person = Person(
        pk=7,
        given_name="Émile",
        family_name="van der Meer",
        birth_date=dt.date(1958, 2, 28),
        gender="male",
        phone="06 12345678",
        email="emile@example.org",
        bsn="123456782",
        updated_at=dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC),
    )
    resource = mappers.patient(person, show_bsn=True)
    assert_valid_r4(resource)
    assert resource["meta"] == {"profile": [mappers.PATIENT_PROFILE], "lastUpdated": "2026-03-04T10:00:00Z"}
    assert mappers.person_fields(resource) == {f: getattr(person, f) for f in PERSON_FIELDS}
    hidden = mappers.patient(person, show_bsn=False)
    assert "identifier" not in hidden and mappers.person_fields(hidden)["bsn"] == ""


def test_a_sparse_patient_leaves_out_empty_elements():
    person = Person(pk=1, given_name="Anna", family_name="Jansen", birth_date=dt.date(1970, 1, 1))
    resource = mappers.patient(person, show_bsn=True)
    assert_valid_r4(resource)
    assert "telecom" not in resource and "identifier" not in resource
    assert mappers.person_fields(resource) == {f: getattr(person, f) for f in PERSON_FIELDS}


@pytest.mark.django_db
def test_mappers_make_no_query_on_loaded_objects(cast, django_assert_num_queries):
    cast.gp_practice.agb_code = "01234567"
    cast.gp_practice.save()
    RelativeLink.objects.filter(person=cast.anna).update(first_contact=False)
    person = Person.objects.get(pk=cast.anna.pk)
    members = list(
        CareTeamMember.objects.filter(person=person, ended_at__isnull=True).select_related(
            "professional", "organisation"
        )
    )
    links = list(RelativeLink.objects.filter(person=person).select_related("user"))
    noor = type(cast.noor).objects.select_related("organisation").get(pk=cast.noor.pk)
    org = Organisation.objects.get(pk=cast.gp_practice.pk)
    with django_assert_num_queries(0):
        produced = [
            mappers.patient(person, show_bsn=True),
            mappers.practitioner(noor),
            mappers.practitioner_role(noor, discipline_label="Praktijkondersteuner (POH)"),
            mappers.organization(org, kind_label="Huisartsenpraktijk"),
            mappers.care_team(person, members, links, role_labels={}, relative_label="naaste"),
            *[mappers.related_person(link) for link in links],
        ]
    for resource in produced:
        assert_valid_r4(resource)
    assert produced[3]["identifier"] == [{"system": mappers.AGB_SYSTEM, "value": "01234567"}]
    team = produced[4]
    assert len(team["participant"]) == len(members) + len(links)
    assert team["participant"][0]["period"]["start"] <= mappers.instant(timezone.now())
