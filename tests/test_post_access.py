"""Every write view refuses outsiders exactly like a missing record, and writes nothing (issue #10).

``tests/test_url_access.py`` walks every URL with GET. A GET says little about a view that
only answers POST (it says 405 before any check), so this walk sends a POST — with a valid
CSRF token, so the answer comes from the access layer and not from the CSRF check — to every
view of a person (``/personen/<person_id>/…``), of the portal (``/mijn/…``), of a relative
(``/naaste/…``: read-only, so a 405) and to every caseload-level view that takes an object id,
as every outsider:

- a professional outside the care team (same practice, other organisation, GGZ),
- another person (on the portal: with ids of Anna's objects),
- a relative with a link but no consent, and a relative with no link at all,
- a manager and the administrator.

Each answer must be a 404 whose page is the same as for a record that does not exist, leave
every table of person data exactly as it was, and leave one refused row in the access log.

Which views take a POST is read from their method decorators (``require_POST``,
``require_http_methods``), not from a list: a new write view is walked the day it is added.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from tests.support.testing import make_full_record, make_user
from tests.test_url_access import all_views

# Issue #10 counted 29 POST-only views of a person or the portal. The walk must find at least
# these: if it finds fewer, views lost their marks or the detection broke, and it would shrink
# silently.
KNOWN_POST_ONLY_VIEWS = 29

MISSING_ID = 999_999

# URL keywords that do not name one object of one person: the person, an instrument (the same
# for everyone) and a care-plan version's number (every person has a version 1).
SHARED_KEYS = frozenset({"person_id", "instrument", "number"})

# Everything in a 404 page that differs between two requests of the same user by design: the
# per-response CSRF mask, the CSP nonce.
_VOLATILE = (
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1"),
    (re.compile(r'("X-CSRFToken": ")[^"]*'), r"\1"),
    (re.compile(r'(nonce=")[^"]*'), r"\1"),
)
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def accepted_methods(view) -> list[str] | None:
    """The HTTP methods a view's ``require_http_methods`` decorators allow (None: any method).

    Django's decorator keeps its list in the closure of the function it returns; the view
    decorators of ``koers.access`` keep the inner view in theirs (and in ``__wrapped__``).
    """
    allowed, seen, stack = None, set(), [view]
    while stack:
        func = stack.pop()
        if id(func) in seen:
            continue
        seen.add(id(func))
        for cell in getattr(func, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if isinstance(value, list | tuple) and value and all(isinstance(m, str) and m.isupper() for m in value):
                allowed = list(value) if allowed is None else [m for m in allowed if m in value]
            elif callable(value):
                stack.append(value)
        if getattr(func, "__wrapped__", None) is not None:
            stack.append(func.__wrapped__)
    return allowed


def accepts_post(view) -> bool:
    methods = accepted_methods(view)
    return methods is None or "POST" in methods


def _kwargs(name, pattern, source: dict) -> dict:
    kwargs = {}
    for key in pattern.pattern.regex.groupindex:
        assert key in source, f"URL {name} takes <{key}>: add it to make_full_record()"
        obj = source[key]
        kwargs[key] = obj.number if key == "number" else obj.pk
    return kwargs


def _object_keys(pattern) -> set[str]:
    """URL keywords that name one of Anna's own objects (not the person, not a shared instrument)."""
    return set(pattern.pattern.regex.groupindex) - SHARED_KEYS


def write_targets(record):
    """(name, pattern, view, url) for every view of a person's data, with Anna's ids in the URL."""
    for name, pattern, view in all_views():
        scope = view.koers_access["scope"]
        if scope in ("person", "portal", "relative", "relative_area") or (
            scope == "caseload" and _object_keys(pattern)
        ):
            yield name, pattern, view, reverse(name, kwargs=_kwargs(name, pattern, record))


def person_data_models():
    """Every table that holds a person's data: the person and whatever points at one (derived,
    as in the admin test), with auto-created many-to-many tables. The access log is checked
    on its own: a refusal must add exactly one row to it."""
    from tests.test_admin_scope import person_data_models as pointing_at_a_person

    models = set(pointing_at_a_person())
    for model in apps.get_models(include_auto_created=True):
        if model._meta.auto_created and any(f.related_model in models for f in model._meta.get_fields()):
            models.add(model)
    models.discard(AccessLogEntry)
    return sorted(models, key=lambda m: m._meta.label)


def dump(models) -> dict:
    """Every row of every person-data table, soft-deleted rows included."""
    return {m._meta.label: list(m._base_manager.order_by("pk").values()) for m in models}


def normalised(response, url: str) -> str:
    """The page without what differs by design: CSRF masks, nonces and the page's own address
    (the language form sends you back to it)."""
    body = response.content.decode()
    for pattern, replacement in _VOLATILE:
        body = pattern.sub(replacement, body)
    return body.replace(url, "<url>")


def signed_in(user) -> tuple[Client, str]:
    """A client that checks CSRF like a browser, and the token a page of Koers gave it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("home"), follow=True)
    match = _TOKEN.search(page.content.decode())
    token = match.group(1) if match else client.cookies["csrftoken"].value
    return client, token


def post(client, token, url):
    # bevestigd=ja: a view that asks first would go ahead if the guard let the POST through.
    return client.post(url, {"csrfmiddlewaretoken": token, "bevestigd": "ja"})


@pytest.fixture
def walk(cast):
    return make_full_record(cast.anna, professional=cast.noor), make_full_record(cast.bas, professional=cast.noor)


def outsiders(cast):
    unlinked_relative = make_user("ria", role=User.Role.RELATIVE, first_name="Ria")
    return {
        "Cor (same practice, not in the team)": cast.cor,
        "Pieter (GGZ, not in the team)": cast.pieter,
        "Sam (other organisation)": cast.sam,
        "Bas (another person)": cast.bas_user,
        "Rob (relative, no consent)": cast.rob,
        "Ria (relative, no link)": unlinked_relative,
        "Mia (manager)": cast.mia,
        "Ada (administrator)": cast.ada,
    }


def missing_page(client, token, targets):
    """What this user sees for a record that does not exist: a POST to a write view of a
    person id that no one has."""
    for name, pattern, view, _url in targets:
        if view.koers_access["scope"] == "person" and accepted_methods(view) == ["POST"]:
            url = reverse(name, kwargs=_kwargs(name, pattern, walk_missing(pattern)))
            response = post(client, token, url)
            assert response.status_code == 404, f"{name}: a person who does not exist gave {response.status_code}"
            return normalised(response, url)
    raise AssertionError("no POST-only person view found")


def walk_missing(pattern) -> dict:
    class Missing:
        pk = number = MISSING_ID

    return {key: Missing for key in pattern.pattern.regex.groupindex}


def _applies(user, cast, view, pattern) -> bool:
    """Bas is an outsider to Anna's portal pages only where the URL names her objects; on the
    others he would be acting on his own record, which he may."""
    if user == cast.bas_user and view.koers_access["scope"] == "portal":
        return bool(_object_keys(pattern))
    return True


@pytest.mark.django_db
def test_the_walk_finds_every_post_only_view(walk):
    anna, _bas = walk
    post_only = [
        name
        for name, _pattern, view, _url in write_targets(anna)
        if view.koers_access["scope"] in ("person", "portal") and accepted_methods(view) == ["POST"]
    ]
    assert len(post_only) >= KNOWN_POST_ONLY_VIEWS, f"only {len(post_only)} POST-only views found: {post_only}"
    writable = [name for name, _pattern, view, _url in write_targets(anna) if accepts_post(view)]
    assert len(writable) > len(post_only), "forms that answer GET and POST are walked too"


def _check_outsider_post(client, token, user, who, name, view, url, missing) -> str | None:
    refused = AccessLogEntry.objects.filter(user=user, outcome="refused").count()
    succeeded = AccessLogEntry.objects.filter(outcome="success").count()
    response = post(client, token, url)
    status = response.status_code
    if AccessLogEntry.objects.filter(outcome="success").count() != succeeded:
        return f"{name}: {who}'s POST was logged as a successful access"
    if status == 405 and not accepts_post(view):
        return None  # a page that takes no POST says so before it looks at anyone's data
    if status != 404:
        return f"{name}: {who} got {status}, not 404"
    if normalised(response, url) != missing:
        return f"{name}: {who} got a 404 page unlike the one for a missing record"
    if AccessLogEntry.objects.filter(user=user, outcome="refused").count() != refused + 1:
        return f"{name}: refusing {who} left no refused row (or more than one)"
    return None


@pytest.mark.django_db
def test_every_outsider_post_is_a_missing_record_and_writes_nothing(cast, walk):
    anna, _bas = walk
    targets = list(write_targets(anna))
    models = person_data_models()
    assert {"people.Person", "goals.Goal", "network.CareTeamMember"} <= {m._meta.label for m in models}
    problems, walked, cast_outsiders = [], 0, outsiders(cast)
    for who, user in cast_outsiders.items():
        client, token = signed_in(user)
        missing = missing_page(client, token, targets)
        mine = [t for t in targets if _applies(user, cast, t[2], t[1])]
        before = dump(models)
        for name, _pattern, view, url in mine:
            walked += 1
            problem = _check_outsider_post(client, token, user, who, name, view, url, missing)
            if problem:
                problems.append(problem)
        if dump(models) != before:
            # Rare, so only now the slow search: which POST changed what (one dump per POST).
            for name, _pattern, _view, url in mine:
                before = dump(models)
                post(client, token, url)
                after = dump(models)
                if after != before:
                    problems.append(f"{name}: {who}'s POST changed {[k for k in before if before[k] != after[k]]}")
    assert problems == [], "\n".join(problems)
    assert walked >= len(cast_outsiders) * KNOWN_POST_ONLY_VIEWS, walked


@pytest.mark.django_db
def test_another_persons_object_ids_in_a_post_are_missing_records(cast, walk):
    """The care team's own POST with Bas's object ids under Anna's record (and Anna's portal POST
    with Bas's ids) answers 404 and writes nothing: an id is never a way into another record."""
    anna, bas = walk
    foreign = {key: obj for key, obj in bas.items() if key not in SHARED_KEYS}
    models = person_data_models()
    before = dump(models)
    problems, walked = [], 0
    for scope, user in (("person", cast.noor), ("portal", cast.anna_user)):
        client, token = signed_in(user)
        for name, pattern, view in all_views():
            if view.koers_access["scope"] != scope or not accepts_post(view) or not _object_keys(pattern):
                continue
            walked += 1
            url = reverse(name, kwargs=_kwargs(name, pattern, anna | foreign))
            response = post(client, token, url)
            if response.status_code != 404:
                problems.append(f"{name}: Bas's ids under Anna's record gave {response.status_code}")
            after = dump(models)
            if after != before:
                problems.append(f"{name}: a POST with Bas's ids changed {[k for k in before if before[k] != after[k]]}")
                before = after
    assert problems == [], "\n".join(problems)
    assert walked >= 20, walked


@pytest.mark.django_db
def test_an_anonymous_post_is_sent_to_login_and_writes_nothing(walk):
    anna, _bas = walk
    models = person_data_models()
    before = dump(models)
    client = Client(enforce_csrf_checks=True)
    token = _TOKEN.search(client.get(reverse("accounts:login")).content.decode()).group(1)
    login = reverse("accounts:login")
    problems = []
    for name, _pattern, view, url in write_targets(anna):
        response = post(client, token, url)
        if response.status_code == 405 and not accepts_post(view):
            continue
        if response.status_code != 302 or login not in response["Location"]:
            problems.append(f"{name}: an anonymous POST gave {response.status_code}, not the login page")
    assert problems == [], "\n".join(problems)
    assert dump(models) == before


# What a relative writes is their own (the policy table gives a relative CREATE/UPDATE on these
# two categories alone, on pages of the relative scope).
RELATIVE_OWN = frozenset({"relative_notes", "relative_evaluation"})


def _relatives_own(view) -> bool:
    info = view.koers_access
    return info["scope"] == "relative" and info.get("category") in RELATIVE_OWN


@pytest.mark.django_db
def test_a_relative_the_person_shares_everything_with_still_writes_nothing(cast, walk):
    """Consent opens reading, never writing: Rob, with every topic of Anna shared, POSTs to every
    write view and gets the missing-record 404 (405 where a page takes no POST), writes nothing.

    Except what is a relative's own (issue #13): their note to the coordinator and their answer
    to the yearly evaluation, on their own ``/naaste/`` pages (``RELATIVE_OWN``; tested in
    workspace/tests/test_relative_own_page.py and followup/tests/test_relative_evaluation.py)."""
    from tests.test_url_access import share_everything

    anna, _bas = walk
    share_everything(cast.anna, cast.rob)
    targets = [t for t in write_targets(anna) if not _relatives_own(t[2])]
    assert len(targets) < len(list(write_targets(anna))), "the relative's own pages are no longer found"
    models = person_data_models()
    client, token = signed_in(cast.rob)
    missing = missing_page(client, token, targets)
    before = dump(models)
    who = "Rob (everything shared)"
    problems = []
    for name, _pattern, view, url in targets:
        problem = _check_outsider_post(client, token, cast.rob, who, name, view, url, missing)
        if problem:
            problems.append(problem)
    assert problems == [], "\n".join(problems)
    assert dump(models) == before


def test_a_relative_writes_only_their_own_categories():
    """The exemption above holds only while the table gives a relative writes on exactly these."""
    from koers.access.policy import MEMBER_TOPICS, Category, Relationship, allowed

    writes = {
        str(c) for c in Category for a in ("C", "U", "D") if allowed(Relationship.RELATIVE, c, a, topics=MEMBER_TOPICS)
    }
    assert writes == RELATIVE_OWN
