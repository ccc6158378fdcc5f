"""Every access-log row a person can see on "Wie keek er" names what was looked at in words.

Anna read "Other data (relative_home): viewed" five times: the relatives' overview logs its rows
under a page name that ``who_looked.OBJECT_TYPES`` did not know, so the page showed the code.
Two checks: every object type written anywhere in Koers' code (``object_type="…"``) has words or
is listed below as never about one person; and after a walk over every page as every reader,
every row about the person has words.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from koers.audit.models import AccessLogEntry
from koers.workspace.who_looked import OBJECT_TYPES
from tests.support.pages import read_every_page

KOERS = Path(__file__).resolve().parent.parent / "koers"

# Object types whose rows never name a person (person_id is empty): aggregate counts and the
# social map's own records. "Wie keek er" lists only rows about the person.
NEVER_ABOUT_ONE_PERSON = {
    "population": "the population page: an aggregate row",
    "population.Cohort": "a manager's saved cohort: filters, no person",
    "indicators": "the indicators: an aggregate row",
    "socialmap": "social map maintenance by staff: no person",
    "socialmap.Provider": "a provider on the social map: no person",
    "socialmap.Service": "a service on the social map: no person",
    "socialmap.gaps": "the gaps per area: an aggregate row",
    "socialmap.referral_outcomes": "referral outcomes per resource: an aggregate row",
    "security": "sign-ins, codes and keys: about an account, never a person's record",
}


def written_object_types() -> dict[str, str]:
    """Every string given as ``object_type=`` in Koers' code (tests left out) → where."""
    found = {}
    for path in KOERS.rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        constants = {  # the module's own NAME = "text", for object_type=NAME
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name) and isinstance(node.value.value, str)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "object_type":
                value = node.value
                text = value.value if isinstance(value, ast.Constant) else constants.get(getattr(value, "id", None))
                if isinstance(text, str):
                    found.setdefault(text, f"{path.relative_to(KOERS.parent)}:{value.lineno}")
    return found


def test_every_object_type_in_the_code_has_words_or_never_names_a_person():
    written = written_object_types()
    assert len(written) > 20, "the search found too little: did the code's shape change?"
    unnamed = {t: where for t, where in written.items() if t not in OBJECT_TYPES and t not in NEVER_ABOUT_ONE_PERSON}
    assert not unnamed, f"give these words in koers/workspace/who_looked.py OBJECT_TYPES: {unnamed}"
    assert set(NEVER_ABOUT_ONE_PERSON) <= set(written), "a listed type is no longer written: remove it"


@pytest.mark.django_db
def test_after_every_page_every_row_about_the_person_has_words(cast):
    read_every_page(cast)
    types = set(AccessLogEntry.objects.filter(person=cast.anna).values_list("object_type", flat=True))
    assert len(types) > 20
    unnamed = sorted(t for t in types if t and t not in OBJECT_TYPES)
    assert not unnamed, f"rows about Anna without words: {unnamed}"
