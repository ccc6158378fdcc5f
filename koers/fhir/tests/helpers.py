"""Shared pieces of the mapper tests: hypothesis strategies and resource edits for bad input."""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
from hypothesis import strategies as st

from koers.fhir.mappers.errors import MappingError

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)
maybe_text = st.just("") | texts
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))
moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=st.just(dt.UTC))
pks = st.integers(1, 10**9)


def drop(*keys):
    def change(r):
        target = r
        for k in keys[:-1]:
            target = target[k]
        del target[keys[-1]]

    return change


def put(*keys_and_value):
    *keys, value = keys_and_value

    def change(r):
        target = r
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value

    return change


def assert_mapping_error(from_fhir, resource: dict, change, message: str) -> None:
    resource = copy.deepcopy(resource)
    change(resource)
    with pytest.raises(MappingError, match=re.escape(message)):
        from_fhir(resource)


JUNK = [None, 3, "text", [], {}, {"resourceType": "Basic"}]
