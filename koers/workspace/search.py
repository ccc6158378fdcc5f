"""What a professional typed into the caseload search, understood. Pure: no database.

"Boer, Anna", "Anna de Boer" and "de boer" are words that must each start a word of the name
(in any order, without diacritics); "3-4-1961" or "03-04-1961" is a birth date; nine digits
are a BSN, only when they pass the elfproef. Anything else gets a plain message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from koers.people.names import fold, is_valid_bsn

MAX_WORDS = 6
_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


@dataclass(frozen=True)
class Search:
    words: tuple[str, ...] = ()
    birth_date: dt.date | None = None
    bsn: str = ""
    error: str = ""
    given: bool = False  # anything typed at all


def parse(term: str) -> Search:
    term = (term or "").strip()
    if not term:
        return Search()
    words: list[str] = []
    birth_date = None
    bsn = ""
    for token in term.replace(",", " ").split():
        if token.isascii() and token.isdigit():
            if len(token) != 9:
                return Search(given=True, error=_("Zoek op naam, op geboortedatum (dd-mm-jjjj) of op BSN (9 cijfers)."))
            if not is_valid_bsn(token):
                return Search(given=True, error=_("Dit BSN klopt niet. Controleer de 9 cijfers."))
            bsn = token
            continue
        match = _DATE.match(token)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                birth_date = dt.date(year, month, day)
            except ValueError:
                message = _("Deze datum bestaat niet. Schrijf hem als dd-mm-jjjj, bijvoorbeeld 03-04-1961.")
                return Search(given=True, error=message)
            continue
        words.extend(fold(token).split())
    return Search(words=tuple(words[:MAX_WORDS]), birth_date=birth_date, bsn=bsn, given=True)
