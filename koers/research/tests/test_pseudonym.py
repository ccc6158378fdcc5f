"""Pseudonyms and generalisation. Pure: no database."""

import datetime as dt
import hashlib
import hmac

import pytest

from koers.research import pseudonym as ps

KEY = b"k" * 32


def test_the_pseudonym_is_the_standard_hmac_sha256_of_project_kind_and_id():
    expected = hmac.new(KEY, b"herstel\x1fperson\x1f7", hashlib.sha256).hexdigest()[:32]
    assert ps.pseudonym(KEY, "herstel", "person", 7) == expected


def test_same_within_a_project_different_across_projects_and_keys():
    assert ps.pseudonym(KEY, "a-project", "person", 7) == ps.pseudonym(KEY, "a-project", "person", 7)
    assert ps.pseudonym(KEY, "a-project", "person", 7) != ps.pseudonym(KEY, "b-project", "person", 7)
    assert ps.pseudonym(KEY, "a-project", "person", 7) != ps.pseudonym(b"x" * 32, "a-project", "person", 7)
    assert ps.pseudonym(KEY, "a-project", "person", 7) != ps.pseudonym(KEY, "a-project", "goal", 7)


def test_the_key_comes_from_the_setting_or_the_environment_and_must_be_long():
    assert ps.project_key("herstel-2027", {"herstel-2027": "s" * 32}, environ={}) == b"s" * 32
    assert ps.project_key("herstel-2027", None, environ={"KOERS_RESEARCH_KEY_HERSTEL_2027": "e" * 40}) == b"e" * 40
    with pytest.raises(ps.KeyMissing, match="KOERS_RESEARCH_KEY_HERSTEL_2027"):
        ps.project_key("herstel-2027", None, environ={"KOERS_RESEARCH_KEY_HERSTEL_2027": "short"})
    with pytest.raises(ValueError, match="project name"):
        ps.project_key("Bad Name!", None, environ={})


def test_dates_become_months_and_ages_five_year_bands():
    assert ps.month(dt.date(2026, 3, 9)) == "2026-03" and ps.month(None) == ""
    on = dt.date(2026, 6, 1)
    assert ps.age_band(dt.date(1990, 6, 2), on) == "35-39"  # 35 (36 tomorrow)
    assert ps.age_band(dt.date(1991, 6, 1), on) == "35-39"
    assert ps.age_band(dt.date(1991, 6, 2), on) == "30-34"
    assert ps.age_band(dt.date(1930, 1, 1), on) == "90+"
    assert ps.age_band(dt.date(2026, 1, 1), on) == "0-4"
