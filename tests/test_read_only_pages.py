"""Pages that only show data refuse a POST (405) instead of quietly rendering as if it were a GET."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from tests.support.testing import make_full_record

pytestmark = pytest.mark.django_db

READ_ONLY = [
    ("goals:list", {}),
    ("goals:detail", {"goal_id"}),
    ("careplans:plan", {}),
    ("careplans:versions", {}),
    ("careplans:compare", {}),
    ("careplans:print", {}),
    ("people:profile", {}),
    ("journey:person_map", {}),
]


@pytest.mark.parametrize(("name", "keys"), READ_ONLY)
def test_a_read_only_page_refuses_post(cast, login, name, keys):
    record = make_full_record(cast.anna, professional=cast.noor)
    kwargs = {"person_id": cast.anna.pk} | {key: record[key].pk for key in keys}
    url = reverse(name, kwargs=kwargs)
    client = login(cast.noor)
    assert client.get(url).status_code == 200
    logged = AccessLogEntry.objects.count()
    assert client.post(url, {"anything": "x"}).status_code == 405
    assert AccessLogEntry.objects.count() == logged  # refused before any person data is read
