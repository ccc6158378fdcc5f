"""A form sent twice by a double tap stores once — real Chromium on a phone.

Tried as a person on a slow phone connection: she pressed "Doel bewaren", nothing seemed to happen,
so she pressed again. The browser sent the form a second time, and Koers stored the goal twice
(every plain form did this: goals, actions, diary entries, messages). Now ``koers.js`` lets a form
that is on its way be sent only once, and says that it is being sent.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.goals.models import Goal

from .conftest import MOBILE

pytestmark = pytest.mark.browser


def _held_posts(page, path: str) -> list:
    """Every POST to ``path`` is held (not sent on) until the test lets it go: a slow connection."""
    held = []

    def handle(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(f"**{path}", handle)
    return held


TAPS = """() => {
  const save = [...document.querySelectorAll("button")].find(b => b.textContent.trim() === "Doel bewaren");
  save.click();
  setTimeout(() => save.click(), 250);
  setTimeout(() => save.click(), 500);
  setTimeout(() => console.log("status: " + (document.querySelector("form [role=status]") || {}).textContent), 800);
}"""


def test_a_double_tap_on_save_stores_one_goal(cast, new_page, log_in, problems):
    page = log_in(new_page(MOBILE), "anna")
    path = reverse("goals:portal_goal_create")
    page.goto(path)
    page.get_by_label("Mijn doel, in mijn eigen woorden").fill("Weer naar de speeltuin lopen")
    page.get_by_label("Gezondheid", exact=True).check()
    held = _held_posts(page, path)
    # Her thumb: the first tap, then two more while the page waits for an answer. The page's own
    # timers tap (Playwright waits for a pending navigation before it acts or reads the page), and
    # the page writes the form's status message to the console, which reaches the test meanwhile.
    page.evaluate(TAPS)
    page.wait_for_timeout(1200)
    assert len(held) == 1, f"the form was sent {len(held)} times"
    assert "log: status: Even geduld, dit wordt verstuurd." in problems.console, problems.console
    with page.expect_navigation():
        held[0].continue_()
    assert Goal.objects.filter(person=cast.anna, description="Weer naar de speeltuin lopen").count() == 1
    expect(page.locator("#messages")).to_contain_text("Uw doel is bewaard")
    assert problems.page_errors == [] and problems.csp_violations() == []
