"""Every page of Koers that renders HTML, found by walking the URL configuration (issue #17).

For each view the walk builds its URL from ``make_full_record`` (like tests/test_url_access.py)
and asks it as the user it is for: the care team for a person's record, the person for the
portal, a relative the person shares everything with for the relative pages, and for pages
outside a record the first of a professional, a manager, an administrator and an anonymous
visitor that gets the page. What answers 200 with a full HTML document is a page; what answers
405 (only POST), something else than HTML (PDF, calendar, CSV, JSON) or a fragment for htmx is
not. A view that is none of these for anyone is *uncovered*: the axe walk fails on it, so a new
page cannot go unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from koers.accounts.models import User
from tests.support.testing import make_full_record
from tests.test_url_access import all_views, share_everything

SKIPPED_SCOPES = {"api", "token"}  # the FHIR API and the calendar feed: no HTML
# A page the user sees: the page itself, or an error page that explains (a wrong link, no right).
SHOWN_STATUSES = {200, 400, 403}
RECORD_SCOPES = {"person": "professional", "portal": "person", "relative": "relative", "relative_area": "relative"}


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    user: str  # "professional" | "person" | "relative" | "manager" | "administrator" | "anonymous"


@dataclass
class Walk:
    pages: list[Page]
    not_pages: dict[str, str]  # view name → why it is not a page
    uncovered: dict[str, str]  # view name → what it answered


def _url(name, pattern, record) -> str | None:
    kwargs = {}
    for key in pattern.pattern.regex.groupindex:
        if key not in record:
            return None
        value = record[key]
        if isinstance(value, str | int):  # a plain keyword (a token, a format), or an id itself
            kwargs[key] = value
        else:  # a row: its id, or a plan version's number
            kwargs[key] = value.number if key == "number" else value.pk
    return reverse(name, kwargs=kwargs)


def _answer(client: Client, url: str, bodies: dict | None = None) -> tuple[str, str]:
    """("page" | "not_page" | "other", detail); a page that opened (200) kept in ``bodies`` by URL."""
    response = client.get(url)
    if response.status_code == 405:
        return "not_page", "POST only"
    if response.status_code not in SHOWN_STATUSES:
        return "other", str(response.status_code)
    kind = response.headers.get("Content-Type", "")
    if not kind.startswith("text/html"):
        return "not_page", kind.split(";")[0]
    body = response.content.decode(errors="replace").lstrip().lower()
    if not body.startswith("<!doctype html"):
        return "not_page", "fragment"
    if bodies is not None and response.status_code == 200:
        bodies[url] = response.content.decode()
    return "page", ""


def walk_users(cast) -> dict:
    """The walk's readers, in the order tried outside a record: the care team, the person, a
    relative (the caller shares with them), a manager, an administrator, an anonymous visitor."""
    return {
        "professional": cast.noor,
        "person": cast.anna_user,
        "relative": cast.rob,
        "manager": cast.mia,
        "administrator": cast.ada,
        "anonymous": None,
    }


def walk_pages(users: dict, record: dict, exempt: dict[str, str], bodies: dict | None = None) -> Walk:
    """``users``: role name → user (None for anonymous), in the order tried outside a record.
    ``record``: URL keyword → a row (its ``pk``; a plan version its ``number``) or a plain value
    (a token, a format: a string or an int, used as it is).
    ``exempt``: view name → why it has no page of its own to check (kept in ``not_pages``).
    ``bodies``: if given, the HTML of each page that opened (200) by its URL, as its user got it,
    so that a walk over the pages' contents need not ask for them again."""
    walk = Walk([], {}, {})
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    outside = [role for role in users if role not in RECORD_SCOPES.values()]
    for name, pattern, callback in all_views():
        scope = callback.koers_access["scope"]
        if scope in SKIPPED_SCOPES:
            continue
        if name in exempt:
            walk.not_pages[name] = exempt[name]
            continue
        url = _url(name, pattern, record)
        if url is None:
            walk.uncovered[name] = "a URL keyword make_full_record does not give"
            continue
        roles = [RECORD_SCOPES[scope]] if scope in RECORD_SCOPES else ["professional", *outside]
        answers = []
        for role in roles:
            kind, detail = _answer(clients[role], url, bodies)
            if kind == "page":
                walk.pages.append(Page(name, url, role))
                break
            if kind == "not_page":
                walk.not_pages[name] = detail
                break
            answers.append(f"{role}: {detail}")
        else:
            walk.uncovered[name] = ", ".join(answers)
    return walk


def read_every_page(cast, language: str | None = None) -> dict[str, str]:
    """Anna's full record, shared in full with Rob, and every page of the walk as its reader got
    it, by URL; with ``language``, every reader has chosen that language first."""
    record = make_full_record(cast.anna, professional=cast.noor)
    share_everything(cast.anna, cast.rob)
    users = walk_users(cast)
    if language is not None:
        User.objects.filter(pk__in=[u.pk for u in users.values() if u is not None]).update(preferred_language=language)
    bodies: dict[str, str] = {}
    walk = walk_pages(users, record, {}, bodies)
    assert len(walk.pages) >= 150, f"only {len(walk.pages)} pages: the walk lost its way"
    return bodies
