"""Inline SVG in a rendered page: its geometry must be numbers the browser reads.

Django localizes numbers in templates: in Dutch a float such as 320.0 is written ``320,0``, which
is no SVG length (the browser drops the attribute and draws nothing: seen on the population page,
where every bar was missing in Dutch). ``bad_geometry`` lists every such attribute."""

from __future__ import annotations

import re

GEOMETRY = ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "dx", "dy")
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_NAMES = "|".join((*GEOMETRY, "points", "viewBox"))
_ATTRIBUTE = re.compile(rf'\s({_NAMES})="([^"]*)"')
_NUMBER = r"-?(\d+(\.\d*)?|\.\d+)"
_LIST = re.compile(rf"^\s*{_NUMBER}([\s,]+{_NUMBER})*\s*$")  # points and viewBox: numbers, pairs by comma


def bad_geometry(html: str) -> list[str]:
    """Every geometry attribute inside an ``<svg>`` that is not a plain number (or, for ``points``
    and ``viewBox``, a list of them); an empty list when all are fine."""
    bad = []
    for svg in _SVG.findall(html):
        for name, value in _ATTRIBUTE.findall(svg):
            ok = re.fullmatch(_NUMBER, value) if name in GEOMETRY else _LIST.match(value) and _pairs_ok(name, value)
            if not ok:
                bad.append(f'{name}="{value}"')
    return bad


def _pairs_ok(name: str, value: str) -> bool:
    """A points list is "x,y x,y …": a comma between the numbers of a pair, never inside one (a
    Dutch ``12,5`` turns one number into two and shifts every pair after it)."""
    if name == "viewBox":
        return len(value.split()) == 4 and "," not in value
    pairs = value.split()
    return all(len(pair.split(",")) == 2 for pair in pairs)
