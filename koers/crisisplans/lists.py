"""Short lists of text, as the plan stores them and as a form shows them. Pure.

A list is edited as a text area with one item per line: it works on every phone, without a
script, and prints as it reads.
"""

from __future__ import annotations

ITEM_MAX = 200  # characters per line: a sign, a trigger, one thing to do
ITEMS_MAX = 20  # lines per list: a crisis plan is short, or nobody reads it in a crisis


def from_lines(text: str) -> list[str]:
    """The non-empty lines, trimmed, in order, without repeats (a repeat is a typing slip)."""
    seen: set[str] = set()
    items = []
    for line in (text or "").splitlines():
        item = " ".join(line.split())
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            items.append(item)
    return items


def to_lines(items) -> str:
    return "\n".join(items or [])


def key(text: str) -> str:
    """What makes two signs the same sign: the words, ignoring case and spacing."""
    return " ".join(text.split()).casefold()
