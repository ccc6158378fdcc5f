"""Dutch name keys and the BSN elfproef: pure functions, and the keys the services store."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.people import names
from koers.people.models import Person
from tests.support.testing import make_person


@pytest.mark.parametrize(
    ("family", "core"),
    [
        ("de Boer", "boer"),
        ("van der Meer", "meer"),
        ("Van den Berg", "berg"),
        ("ter Horst", "horst"),
        ("'t Hart", "hart"),
        ("in 't Veld", "veld"),
        ("d'Ancona", "ancona"),
        ("Boer", "boer"),
        ("Van", "van"),  # a name that is only a tussenvoegsel keeps it
        ("El Amrani", "el amrani"),  # not a Dutch tussenvoegsel
        ("Şahin", "sahin"),
        ("Jansen-de Vries", "jansen de vries"),
    ],
)
def test_family_core_drops_the_tussenvoegsel_and_diacritics(family, core):
    assert names.family_core(family) == core


def test_dutch_sort_puts_de_boer_under_b():
    people = ["de Vries", "Bakker", "de Boer", "van der Meer", "Mulder", "Àlvarez"]
    ordered = sorted(people, key=names.family_core)
    assert ordered == ["Àlvarez", "Bakker", "de Boer", "van der Meer", "Mulder", "de Vries"]


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990"])
def test_valid_bsns_pass_the_elfproef(bsn):
    assert names.is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "bsn", ["123456789", "000000000", "12345678", "1234567820", "12345678a", "１２３４５６７８２", ""]
)
def test_invalid_bsns_fail(bsn):
    assert not names.is_valid_bsn(bsn)


@given(st.text(max_size=60))
def test_fold_is_plain_lowercase_ascii_words(text):
    folded = names.fold(text)
    assert folded == folded.strip() and "  " not in folded
    assert all(ch.isascii() and (ch.isalnum() or ch == " ") and not ch.isupper() for ch in folded)


@pytest.mark.django_db
def test_the_person_services_store_the_name_keys(cast):
    person = make_person(
        actor=cast.noor, given_name="Émile", family_name="van der Meer", birth_date=dt.date(1961, 4, 3)
    )
    person.refresh_from_db()
    assert (person.family_sort, person.given_sort) == ("meer", "emile")
    assert person.name_search == " emile van der meer "
    assert Person.objects.get(pk=cast.anna.pk).family_sort == names.family_core(cast.anna.family_name)
