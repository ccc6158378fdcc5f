"""WCAG 1.4.11 for the focus indicator: every element reached with Tab on a few key pages shows an
outline whose colour has a contrast of at least 3:1 with the background right beside it.

Real Chromium: the test presses Tab through the whole page, reads the focused element's computed
outline (style, width, colour) and, just outside the outline on all four sides, the colour of
what lies underneath (``document.elementsFromPoint``), and computes the WCAG contrast ratio here.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .conftest import DESKTOP, MOBILE

pytestmark = pytest.mark.browser

MIN_CONTRAST = 3.0
MIN_OUTLINE_PX = 2.0
MAX_TAB_STOPS = 200

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = el.hasAttribute('data-focus-checked');
  el.setAttribute('data-focus-checked', '');
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const width = parseFloat(cs.outlineWidth) || 0;
  const d = (parseFloat(cs.outlineOffset) || 0) + width / 2;
  const points = [[r.left - d, r.top + r.height / 2], [r.right + d, r.top + r.height / 2],
                  [r.left + r.width / 2, r.top - d], [r.left + r.width / 2, r.bottom + d]];
  const behind = [];
  for (const [x, y] of points) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const layers = [];
    for (const under of document.elementsFromPoint(x, y)) {
      if (under === el || el.contains(under)) continue;
      const bg = getComputedStyle(under).backgroundColor;
      layers.push(bg);
      if (!/^rgba\\(.*,\\s*0(\\.0+)?\\)$/.test(bg) && bg !== 'transparent' && !/^rgba/.test(bg)) break;
    }
    behind.push(layers);
  }
  return {seen, tag: el.tagName.toLowerCase(), html: el.outerHTML.slice(0, 140),
          style: cs.outlineStyle, width, colour: cs.outlineColor, behind};
}"""

_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)")


def parse_colour(text: str) -> tuple[float, float, float, float]:
    match = _RGB.fullmatch(text.strip())
    assert match, f"unexpected colour {text!r}"
    r, g, b, a = match.groups()
    return float(r), float(g), float(b), 1.0 if a is None else float(a)


def composite(layers: list[str]) -> tuple[float, float, float]:
    """The colour seen through the stack of backgrounds (top first), over the white canvas."""
    colour = (255.0, 255.0, 255.0)
    for text in reversed(layers):
        r, g, b, a = parse_colour(text)
        colour = tuple(a * new + (1 - a) * old for new, old in zip((r, g, b), colour, strict=True))
    return colour


def luminance(rgb) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_arithmetic_matches_the_wcag_examples():
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((255, 191, 71), (255, 255, 255)) < 3  # the old yellow ring on white
    assert composite(["rgba(0, 0, 0, 0)", "rgb(11, 92, 116)"]) == (11.0, 92.0, 116.0)


def focus_problems(page) -> tuple[list[str], int]:
    """Tab through the page; every problem found, and how many elements were checked."""
    problems, checked = [], 0
    for _stop in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUSED)
        if found is None:
            continue
        if found["seen"]:
            break
        checked += 1
        where = f"{page.url} {found['html']}"
        if found["style"] in ("none", "hidden") or found["width"] < MIN_OUTLINE_PX:
            problems.append(f"{where}: no visible outline ({found['style']} {found['width']}px)")
            continue
        ring = parse_colour(found["colour"])
        if ring[3] < 1:
            problems.append(f"{where}: outline colour is see-through ({found['colour']})")
            continue
        for layers in found["behind"]:
            ratio = contrast(ring, composite(layers))
            if ratio < MIN_CONTRAST:
                problems.append(f"{where}: outline {found['colour']} on {layers} has contrast {ratio:.2f}:1")
                break
    return problems, checked


@pytest.fixture
def goal_record(cast):
    from tests.support.testing import make_full_record

    return make_full_record(cast.anna, professional=cast.noor)


def test_focus_is_visible_with_enough_contrast_on_the_professionals_pages(cast, goal_record, new_page, log_in):
    page = log_in(new_page(DESKTOP), "noor")
    pages = [
        reverse("workspace:caseload"),
        reverse("workspace:person", args=[cast.anna.pk]),
        reverse("goals:create", args=[cast.anna.pk]),
        reverse("people:register"),
        reverse("monitoring:entry", args=[cast.anna.pk]),
    ]
    problems, total = [], 0
    for url in pages:
        page.goto(url)
        found, checked = focus_problems(page)
        assert checked >= 5, f"only {checked} focusable elements reached on {url}"
        problems += found
        total += checked
    assert problems == [], f"{len(problems)} of {total} focus indicators fail WCAG 1.4.11:\n" + "\n".join(problems)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "phone"])
def test_focus_is_visible_with_enough_contrast_on_the_persons_pages(cast, goal_record, new_page, log_in, viewport):
    page = log_in(new_page(viewport), "anna")
    problems, total = [], 0
    for url in (reverse("workspace:portal_home"), reverse("monitoring:portal_entry")):
        page.goto(url)
        found, checked = focus_problems(page)
        assert checked >= 3, f"only {checked} focusable elements reached on {url}"
        problems += found
        total += checked
    assert problems == [], f"{len(problems)} of {total} focus indicators fail WCAG 1.4.11:\n" + "\n".join(problems)
