"""Every page's links lead somewhere, and no form answers bad input with a server error.

Two walks that found defects by hand on 7 December 2026, now run on every change. Over every page
of ``tests/support/pages.py``'s walk (the care team, the person, a relative the person shares
everything with, a manager, an administrator, an anonymous visitor):

1. **Links**: every link to Koers on a page opens for the user who sees it (not 404, not 5xx),
   and so does every address an htmx control asks (``hx-get``, ``hx-post`` …). By hand, a peer
   expert's caseload linked a badge to a self-monitoring page he may not open; so the links are
   also followed as three readers who see only part of the person: a peer expert in the care team,
   a GP the person withdrew topics from, and a relative the person shares two topics with.
2. **Bad input**: every form on a page is sent three times with fields replaced by bad values
   (empty, very long, a number beyond a bigint, an impossible date, script, NUL …); no answer may
   be a server error. By hand this found 500s for ids beyond a bigint in a URL, a hidden field and
   checkbox lists (tests/test_out_of_range_ids.py has the focused tests).

The forms are sent after every link was checked: a bad value may still be valid and change data.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from koers import access
from koers.accounts.models import User
from koers.monitoring.models import Observation, Target
from koers.network.models import RelativeLink
from koers.network.services import care_team_assign, consent_set
from tests.support.pages import walk_pages, walk_users
from tests.support.testing import make_full_record, make_user
from tests.test_url_access import share_everything

BAD = ["", " ", "x" * 5000, "-1", "99999999999999999999", "2026-02-31", "31-02-2026", "abc", "<script>x</script>",
       "0", "1e309", "NaN", "12,5,3", "\x00"]  # fmt: skip
SKIPPED_LINKS = ("/static/", "/beheer/", "/account/uitloggen/", "/i18n/", "/fhir/")
HTMX_ADDRESSES = ("hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete")
WITHDRAWN_FROM_GP = (access.Topic.MEASUREMENTS, access.Topic.QUESTIONNAIRES, access.Topic.CLINICAL)
SHARED_WITH_SECOND_RELATIVE = (access.Topic.CAREPLAN, access.Topic.GOALS)


class _Page(HTMLParser):
    """The links and forms of one page (as a browser sends a form: named fields, checked boxes)."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form, self._select, self._textarea = [], [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.links.extend(a[name] for name in HTMX_ADDRESSES if a.get(name))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is not None and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if tag == "input" and kind not in ("submit", "button", "image", "file", "reset"):
                if kind not in ("checkbox", "radio") or "checked" in a:
                    self._form["fields"].append([a["name"], a.get("value") or ("on" if kind == "checkbox" else "")])
            elif tag == "select":
                self._select = [a["name"], None]
                self._form["fields"].append(self._select)
            elif tag == "textarea":
                self._textarea = [a["name"], ""]
                self._form["fields"].append(self._textarea)
        elif tag == "option" and self._select is not None and (self._select[1] is None or "selected" in a):
            self._select[1] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _internal(base: str, href: str) -> str | None:
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("http", "") or parts.netloc not in ("testserver", ""):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if parts.path.startswith(SKIPPED_LINKS) else path


@pytest.fixture
def pages(cast):
    record = make_full_record(cast.anna, professional=cast.noor)
    share_everything(cast.anna, cast.rob)
    assert RelativeLink.objects.filter(person=cast.anna, user=cast.rob).exists()
    users = walk_users(cast)
    bodies = {}
    walk = walk_pages(users, record, {}, bodies)
    assert len(walk.pages) >= 150, f"only {len(walk.pages)} pages: the walk lost its way"
    clients = {role: _client(user) for role, user in users.items()}
    return walk.pages, clients, bodies


@pytest.fixture
def partial_readers(cast):
    """Readers who see only part of Anna, each by a different rule of the access policy."""
    jet = make_user("jet", organisation=cast.gp_practice, discipline=User.Discipline.PEER_EXPERT, first_name="Jet")
    care_team_assign(actor=cast.noor, person=cast.anna, professional=jet)
    for topic in WITHDRAWN_FROM_GP:
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=topic, granted=False)
    ria = make_user("ria", role=User.Role.RELATIVE, first_name="Ria")
    RelativeLink.objects.create(person=cast.anna, user=ria, relationship="daughter")
    for topic in SHARED_WITH_SECOND_RELATIVE:
        consent_set(actor=cast.anna_user, person=cast.anna, member=ria, topic=topic, granted=True)
    # A self-measurement above its target: the caseload's badge for it, which linked a peer
    # expert to a page he may not open, shows only with such a value.
    target = Target.objects.get(person=cast.anna)
    Observation.objects.create(
        person=cast.anna, type=target.type, value=target.high + 2, effective_at=timezone.now() - dt.timedelta(hours=1),
        source="portal", recorded_by=cast.noor,
    )  # fmt: skip
    return {"peer expert": _client(jet), "GP without three topics": _client(cast.gert), "relative of two": _client(ria)}


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_every_link_on_every_page_opens_and_no_form_answers_bad_input_with_a_server_error(pages, partial_readers):
    walked, clients, bodies = pages
    shown = {page: _parse(bodies[page.url]) for page in walked if page.url in bodies}
    broken, checked = _broken_links(((page.url, page.user, parsed) for page, parsed in shown.items()), clients)
    assert len(checked) >= 200, f"only {len(checked)} links: the walk lost its way"
    assert broken == [], "\n".join(broken[:30])

    seen = _pages_of_partial_readers(walked, partial_readers)
    assert {reader for _url, reader, _parsed in seen} == set(partial_readers), "a partial reader saw no page"
    broken, checked = _broken_links(seen, partial_readers)
    assert len(checked) >= 100, f"only {len(checked)} links of partial readers: the walk lost its way"
    assert broken == [], "\n".join(broken[:30])

    errors, sent = _bad_input_errors(shown, clients)
    assert sent >= 1000, f"only {sent} forms sent: the walk lost its way"
    assert errors == [], "\n".join(sorted(set(errors))[:60])


def _pages_of_partial_readers(walked, readers) -> list:
    """(url, reader, parsed page) for every walked page of the care team or a relative that a
    partial reader may open."""
    seen = []
    for url in dict.fromkeys(page.url for page in walked if page.user in ("professional", "relative")):
        for name, client in readers.items():
            response = client.get(url)
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                seen.append((url, name, _parse(response.content.decode())))
    return seen


def _broken_links(pages, clients) -> tuple[list[str], dict]:
    """Every link (and htmx address) on ``pages`` — (url, user, parsed) — asked as that user."""
    broken, checked = [], {}
    for url, user, parsed in pages:
        for href in parsed.links:
            target = _internal(url, href)
            if target is None or (user, target) in checked:
                continue
            status = clients[user].get(target).status_code
            checked[(user, target)] = status
            if status == 404 or status >= 500:
                broken.append(f"{user} on {url}: {target} answered {status}")
    return broken, checked


def _bad_input_errors(shown, clients) -> tuple[list[str], int]:
    errors, sent = [], 0
    for page, parsed in shown.items():
        for form in parsed.forms:
            target = _internal(page.url, form["action"] or page.url)
            fields = [f for f in form["fields"] if f[0] != "csrfmiddlewaretoken"]
            if target is None or not fields:
                continue
            for data in _bad_versions(fields):
                client = clients[page.user]
                with transaction.atomic():  # each answer on its own: a failed statement spoils no other
                    response = client.post(target, data) if form["method"] == "post" else client.get(target, data)
                sent += 1
                if response.status_code >= 500:
                    shown_data = {k: [repr(v)[:24] for v in vs] for k, vs in data.items()}
                    errors.append(f"{page.user} {form['method'].upper()} {target} from {page.url}: {shown_data}")
    return errors, sent


def _bad_versions(fields):
    """Every bad value in every field at once, then each field alone far beyond a bigint (the rest
    as the page filled it in, so that the form is otherwise valid and the number reaches a query)."""
    for bad in BAD:
        yield _data((name, bad) for name, _value in fields)
    for index in range(len(fields)):
        yield _data((name, BAD[4] if i == index else value or "") for i, (name, value) in enumerate(fields))


def _data(pairs) -> dict:
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data
