"""The pages of goals, consults, decisions, people and care plans, read as HTML.

Every page of these apps is requested as the person it is for (Noor for the professional pages,
Anna for her portal, with one of every kind of record from ``make_full_record``):

- a wide table scrolls inside a named region the keyboard can reach (``tabindex="0"``,
  ``role="region"`` and an ``aria-label``), so someone who cannot use a mouse can scroll it and a
  screen reader says what it is;
- every ``aria-describedby``, ``aria-labelledby`` and ``label[for]`` points to an element on the
  page and no id is used twice. Django's widgets point to ``<auto_id>_helptext`` and
  ``<auto_id>_error``; a help text or error with any other id leaves the reference dangling.

The main forms are also sent empty (or wrong), so their error messages are rendered and checked.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from test_shared_templates import Tree
from test_url_access import person_urls

from koers.lib.testing import make_full_record

APPS = ("goals", "consults", "decisions", "people", "careplans")


def _ours(name: str) -> bool:
    return name.split(":", 1)[0] in APPS


@pytest.fixture
def anna(cast):
    return make_full_record(cast.anna, professional=cast.noor)


def pages(cast, anna):
    """(user, name, url) of every page of these apps that a GET shows."""
    for name, url in person_urls(anna, scope="person"):
        if _ours(name):
            yield cast.noor, name, url
    for name, url in person_urls(anna, scope="portal"):
        if _ours(name):
            yield cast.anna_user, name, url
    yield cast.noor, "people:register", reverse("people:register")


def shown(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response


def region_problems(html: str) -> list[str]:
    problems = []
    for div in Tree(html).all("div"):
        if "table-scroll" not in div.attrs.get("class", "").split():
            continue
        attrs = div.attrs
        if attrs.get("tabindex") != "0" or attrs.get("role") != "region" or not attrs.get("aria-label", "").strip():
            problems.append(f"table-scroll without tabindex=0, role=region and an aria-label: {attrs}")
    return problems


def test_wide_tables_scroll_in_named_regions_the_keyboard_reaches(cast, anna, client):
    found, with_regions = {}, set()
    for user, name, url in pages(cast, anna):
        response = shown(client, user, url)
        if response.status_code == 405:
            continue
        assert response.status_code == 200, f"{name} {url} gave {response.status_code}"
        html = response.content.decode()
        if "table-scroll" in html:
            with_regions.add(name)
        found[name] = region_problems(html)
    assert {name: p for name, p in found.items() if p} == {}
    # The walk reached every page with a wide table (the record has data for each of them).
    assert with_regions >= {
        "goals:list",  # GAS T-scores
        "goals:detail",  # GAS levels
        "careplans:versions",
        "careplans:portal_versions",
        "consults:list",
        "decisions:list",
        "decisions:detail",  # options side by side
        "decisions:portal_list",
        "decisions:portal_detail",
        "people:profile",  # conditions, medication, support history
        "people:care_team",
        "people:support_level",
    }, sorted(with_regions)
