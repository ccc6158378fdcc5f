"""Dutch names for sorting and searching, and the BSN check. Pure: no Django models.

Dutch lists sort family names without their tussenvoegsel: "de Boer" under B, "van der Meer"
under M. Koers stores the folded parts on the person (``Person.family_sort``,
``given_sort``, ``name_search``) so the database sorts and searches them the same way on
SQLite and PostgreSQL, without a collation or an extension (docs/decisions.md).
"""

from __future__ import annotations

import re
import unicodedata

# Tussenvoegsels (and the common foreign ones in Dutch registries), as single folded words: a
# name's leading words are stripped while they are in this set and a word remains.
TUSSENVOEGSELS = frozenset(
    {
        "aan", "bij", "d", "da", "de", "del", "della", "den", "der", "des", "di", "do", "dos",
        "du", "het", "in", "l", "la", "le", "op", "over", "s", "t", "te", "ten", "ter", "tot",
        "uit", "uijt", "van", "vanden", "vander", "voor", "von", "vom", "zu", "zum", "zur",
    }
)  # fmt: skip

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, without diacritics, punctuation as spaces: "Şahin-d'Arcy" → "sahin d arcy"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ß", "ss").replace("ı", "i").replace("ø", "o").replace("æ", "ae").replace("ł", "l")
    return _NOT_ALNUM.sub(" ", text.lower()).strip()


def family_core(family_name: str) -> str:
    """The folded family name without its tussenvoegsel: "van der Meer" → "meer"."""
    words = fold(family_name).split()
    while len(words) > 1 and words[0] in TUSSENVOEGSELS:
        words.pop(0)
    return " ".join(words)


def name_keys(given_name: str, family_name: str) -> dict[str, str]:
    """The stored keys of a person's name: sort by family core, then given name; search by word."""
    return {
        "family_sort": family_core(family_name)[:150],
        "given_sort": fold(given_name)[:100],
        "name_search": f" {fold(given_name)} {fold(family_name)} "[:260],
    }


def is_valid_bsn(value: str) -> bool:
    """Nine digits that pass the elfproef (weights 9…2 and −1), not all zeros."""
    if not (isinstance(value, str) and len(value) == 9 and value.isascii() and value.isdigit()):
        return False
    if value == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(value, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0
