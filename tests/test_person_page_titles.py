"""Every page of a person's record names that person in its title (WCAG 2.4.2, "Page Titled").

A professional has several people's records open in tabs; the browser's tab, its history and a
screen reader's first words are the title. Seen when trying Koers as a practice nurse: a
handover message of Anna and one of Kees were both titled "Overdrachtsbericht: nieuw in het
zorgteam (intake) · Koers", and every person's meetings page "Overleg (MDO en netwerkberaad)".
Walks every GET-able person-scoped URL (as ``test_url_access`` does)."""

from __future__ import annotations

import re

import pytest

from tests.support.testing import make_full_record
from tests.test_url_access import person_urls, share_everything

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def _titles_without_the_name(client, urls, name_shown: str) -> tuple[int, list[str]]:
    without, checked = [], 0
    for name, url in urls:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        found = TITLE.search(response.content.decode())
        if found is None:  # an htmx fragment or a file, not a page
            continue
        checked += 1
        if name_shown not in found.group(1):
            without.append(f"{name}: {found.group(1).strip()!r}")
    return checked, without


@pytest.mark.django_db
def test_every_person_page_names_the_person_in_its_title(cast, client):
    anna = make_full_record(cast.anna, professional=cast.noor)
    client.force_login(cast.noor)
    checked, without = _titles_without_the_name(client, person_urls(anna, scope="person"), cast.anna.full_name)
    assert checked > 30, f"only {checked} person pages checked"
    assert not without, "person pages whose title does not name the person:\n" + "\n".join(without)


@pytest.mark.django_db
def test_every_relative_page_names_the_person_in_its_title(cast, client):
    """A relative may support more than one person (a parent of two children)."""
    anna = make_full_record(cast.anna, professional=cast.noor)
    share_everything(cast.anna, cast.rob)
    client.force_login(cast.rob)
    checked, without = _titles_without_the_name(client, person_urls(anna, scope="relative"), cast.anna.given_name)
    assert checked >= 2, f"only {checked} relative pages checked"
    assert not without, "relative pages whose title does not name the person:\n" + "\n".join(without)
