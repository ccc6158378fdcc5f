"""Phone numbers in the crisis plan: only numbers one can dial, as tel: links (pure, no database)."""

from __future__ import annotations

import pytest

from koers.crisisplans import lists, phones


@pytest.mark.parametrize(
    ("typed", "dialled"),
    [
        ("06 12345678", "0612345678"),
        ("06-12345678", "0612345678"),
        ("010 123 45 67", "0101234567"),
        ("(010) 1234567", "0101234567"),
        ("+31 6 12345678", "+31612345678"),
        ("+31 (0)6 12345678", "+31612345678"),
        ("0031 6 12345678", "+31612345678"),
        ("0800-0113", "08000113"),
        ("0900 1234567", "09001234567"),
        ("113", "113"),
        ("112", "112"),
        ("+32 470 12 34 56", "+32470123456"),
    ],
)
def test_numbers_one_can_dial_are_kept_as_digits(typed, dialled):
    assert phones.normalise(typed) == dialled
    assert phones.tel_link(typed) == f"tel:{dialled}"


@pytest.mark.parametrize(
    "typed", ["", "06 1234567", "06 123456789", "bel mij", "12345", "0612345678x", "+0612345678", "1234"]
)
def test_anything_else_is_refused(typed):
    assert phones.normalise(typed) is None
    assert phones.tel_link(typed) == ""


def test_lines_are_trimmed_and_a_repeat_is_dropped():
    assert lists.from_lines("  Slecht slapen \n\nslecht  slapen\r\nPiekeren") == ["Slecht slapen", "Piekeren"]
    assert lists.to_lines(["a", "b"]) == "a\nb"
    assert lists.key("  Slecht   Slapen ") == "slecht slapen"
