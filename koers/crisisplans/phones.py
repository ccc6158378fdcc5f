"""Phone numbers for the crisis plan: checked when typed, dialled from a ``tel:`` link. Pure.

In a crisis the number must work, so a number Koers cannot dial is refused with an example
rather than stored. Accepted (spaces, dashes, dots and brackets are ignored):

- Dutch numbers: 0 and nine digits (06 12345678, 010 1234567);
- Dutch service numbers: 0800 / 0900 / 0880 and four to seven digits (0800 0113);
- short emergency and helpline numbers: 112, 113, 116xxx;
- international: + (or 00) and 8 to 15 digits (E.164), e.g. +31 6 12345678.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-.()/]")
_DUTCH = re.compile(r"0[1-9]\d{8}")
_SERVICE = re.compile(r"08[08]0\d{4,7}|0900\d{4,7}")
_SHORT = re.compile(r"112|113|116\d{3}")
_INTERNATIONAL = re.compile(r"\+[1-9]\d{7,14}")


def normalise(number: str) -> str | None:
    """The number as digits (and a leading +), or None when it is not a number one can dial."""
    compact = _SEPARATORS.sub("", number or "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+31") and len(compact) > 3 and compact[3] == "0":
        compact = "+31" + compact[4:]  # +31 (0)6 …: the 0 is not dialled after the country code
    for pattern in (_DUTCH, _SERVICE, _SHORT, _INTERNATIONAL):
        if pattern.fullmatch(compact):
            return compact
    return None


def tel_link(number: str) -> str:
    """``tel:`` URI of a checked number (RFC 3966: digits and +); empty when it is no number."""
    compact = normalise(number)
    return f"tel:{compact}" if compact else ""
