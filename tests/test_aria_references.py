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

from tests.support.svg import bad_geometry
from tests.support.testing import make_full_record
from tests.test_shared_templates import Tree, reference_problems
from tests.test_url_access import all_views

APPS = ("goals", "consults", "decisions", "people", "network", "careplans", "questionnaires", "screening")
APPS += ("workspace", "audit")
APPS += ("monitoring",)  # self-monitoring (issue #5)


def app_urls(record, *, scope):
    """(name, url) of these apps' URLs of this scope, with kwargs from the record (other apps'
    URLs are left to tests/test_url_access.py)."""
    for name, pattern, callback in all_views():
        if name.split(":", 1)[0] not in APPS or callback.koers_access["scope"] != scope:
            continue
        kwargs = {}
        for key in pattern.pattern.regex.groupindex:
            assert key in record, f"URL {name} takes <{key}>: add it to make_full_record()"
            kwargs[key] = record[key].number if key == "number" else record[key].pk
        yield name, reverse(name, kwargs=kwargs)


@pytest.fixture
def anna(cast):
    return make_full_record(cast.anna, professional=cast.noor)


def pages(cast, anna):
    """(user, name, url) of every page of these apps that a GET shows."""
    for name, url in app_urls(anna, scope="person"):
        yield cast.noor, name, url
    for name, url in app_urls(anna, scope="portal"):
        yield cast.anna_user, name, url
    yield cast.noor, "people:register", reverse("people:register")


def shown(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {problem}" for name, problems in found.items() for problem in problems)


def region_problems(html: str) -> list[str]:
    problems = []
    for div in Tree(html).all("div"):
        if "table-scroll" not in div.attrs.get("class", "").split():
            continue
        attrs = div.attrs
        named = attrs.get("aria-label", "").strip() or attrs.get("aria-labelledby", "").strip()
        if attrs.get("tabindex") != "0" or attrs.get("role") != "region" or not named:
            problems.append(f"table-scroll without tabindex=0, role=region and a name (aria-label[ledby]): {attrs}")
    return problems


def test_wide_tables_scroll_in_named_regions_the_keyboard_reaches(cast, anna, client):
    found, with_regions = {}, set()
    for user, name, url in pages(cast, anna):
        response = shown(client, user, url)
        if response.status_code == 405:
            continue
        assert response.status_code == 200, f"{name} {url} gave {response.status_code}"
        if not response["Content-Type"].startswith("text/html"):
            continue  # a PDF
        html = response.content.decode()
        if "table-scroll" in html:
            with_regions.add(name)
        found[name] = region_problems(html)
    assert not report(found), "\n" + report(found)
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
        "network:care_team",
        "people:support_level",
    }, sorted(with_regions)


def unlinked_messages(html: str) -> list[str]:
    """Help texts and error messages of form fields that no input or group points to, field
    messages with ids other than Django's, and error-summary links that lead nowhere."""
    tree = Tree(html)
    ids = {e.attrs["id"] for e in tree.root.iter() if "id" in e.attrs}
    described = {ref for e in tree.root.iter() for ref in e.attrs.get("aria-describedby", "").split()}
    problems = [
        f"id {i!r}: a field's help text or error is <auto_id>_helptext or <auto_id>_error"
        for i in sorted(ids)
        if i.startswith("id_") and i.endswith(("-help", "-error", "-group"))
    ]
    for summary in tree.all("div", class_="error-summary"):
        for link in (e for e in summary.iter() if e.tag == "a"):
            href = link.attrs.get("href", "")
            if not href.startswith("#") or href[1:] not in ids:
                problems.append(f"error summary link {href!r} ({link.all_text().strip()!r}) leads to no field")
    for element in tree.root.iter():
        classes = element.attrs.get("class", "").split()
        if not {"help", "error"} & set(classes):
            continue
        if not any("field" in a.attrs.get("class", "").split() for a in element.ancestors()):
            continue
        if element.attrs.get("id") not in described:
            text = " ".join(element.all_text().split())
            problems.append(f"<{element.tag} class={' '.join(classes)!r} id={element.attrs.get('id')!r}> {text!r}")
    return problems


def test_every_reference_on_every_page_points_to_an_element(cast, anna, client):
    found = {}
    for user, name, url in pages(cast, anna):
        response = shown(client, user, url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            found[name] = reference_problems(html) + unlinked_messages(html)
    assert len(found) > 50, sorted(found)
    assert not report(found), "\n" + report(found)


def invalid_posts(cast, anna):
    """(user, name, url, data): the main forms sent empty or wrong, so that errors are shown."""
    urls = dict(app_urls(anna, scope="person")) | dict(app_urls(anna, scope="portal"))
    noor, person = cast.noor, cast.anna_user
    first_step = urls["consults:portal_prepare_step"] + "?stap=hoe-gaat-het"
    return [
        (noor, "goals:create", urls["goals:create"], {"uses_gas": "on", "gas_weight": "x"}),
        (noor, "goals:edit", urls["goals:edit"], {}),
        (noor, "goals:review", urls["goals:review"], {}),
        (noor, "goals:action_create", urls["goals:action_create"], {"confidence": "11"}),
        (noor, "goals:progress", urls["goals:progress"], {}),
        (person, "goals:portal_goal_create", urls["goals:portal_goal_create"], {}),
        (person, "goals:portal_action_create", urls["goals:portal_action_create"], {}),
        (person, "goals:portal_progress", urls["goals:portal_progress"], {}),
        (noor, "consults:create", urls["consults:create"], {"scheduled_at": "morgen", "planned_minutes": "999"}),
        (noor, "consults:item_add", urls["consults:item_add"], {}),
        (person, "consults:portal_prepare_step", first_step, {"how_are_you": "99"}),
        (person, "consults:portal_agenda", urls["consults:portal_agenda"], {}),
        (noor, "decisions:create", urls["decisions:create"], {}),
        (noor, "decisions:option_add", urls["decisions:option_add"], {}),
        (noor, "decisions:choice_talk", urls["decisions:choice_talk"], {}),
        (noor, "decisions:take_time", urls["decisions:take_time"], {}),
        (noor, "decisions:decide", urls["decisions:decide"], {}),
        (noor, "decisions:to_goal", urls["decisions:to_goal"], {}),
        (person, "decisions:portal_participation", urls["decisions:portal_participation"], {}),
        (noor, "people:register", reverse("people:register"), {}),
        (noor, "people:profile_edit", urls["people:profile_edit"], {"alcohol_units_per_week": "-1"}),
        (noor, "people:condition_add", urls["people:condition_add"], {}),
        (noor, "people:medication_add", urls["people:medication_add"], {}),
        (noor, "people:support_level", urls["people:support_level"], {}),
        (noor, "network:care_team", urls["network:care_team"], {"do": "add"}),
        (noor, "careplans:follow_up_create", urls["careplans:follow_up_create"], {}),
    ]


def test_forms_with_errors_tie_every_message_to_its_field(cast, anna, client):
    found = {}
    for user, name, url, data in invalid_posts(cast, anna):
        client.force_login(user)
        response = client.post(url, data)
        assert response.status_code == 200, f"{name}: {response.status_code} (expected the form again, with errors)"
        html = response.content.decode()
        tree = Tree(html)
        assert tree.all("p", class_="error") or tree.all("div", class_="error-summary"), f"{name} shows no error"
        found[name] = reference_problems(html) + unlinked_messages(html)
    assert not report(found), "\n" + report(found)


def test_every_chart_on_every_page_draws_in_dutch(cast, anna, client):
    """Inline SVG geometry is never localized: in Dutch, Django writes a float as ``12,5``, which
    is no SVG number, and the browser drops the bar, dot or line (``tests/support/svg.py``)."""
    found, with_charts = {}, set()
    for user, name, url in pages(cast, anna):
        response = shown(client, user, url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        assert 'lang="nl"' in html, name
        if "<svg" in html and "viewBox" in html:
            with_charts.add(name)
        found[name] = bad_geometry(html)
    assert not report(found), "\n" + report(found)
    # The walk drew the GAS line, a questionnaire's trajectory and the self-measurements' charts.
    assert with_charts >= {"goals:list", "questionnaires:trajectory", "monitoring:overview", "monitoring:detail"}
