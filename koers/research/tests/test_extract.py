"""The research extract: only people who said yes, stable pseudonyms per project, no names,
BSN or free text in any file, logged (one aggregate row, one row per person), refusals."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.goals.models import Goal
from koers.network.services import research_consent_set
from koers.research import extract

pytestmark = pytest.mark.django_db
KEYS = {"herstel": "h" * 40, "leefstijl": "l" * 40}
DOCS = Path(__file__).resolve().parents[3] / "docs" / "research.md"


@pytest.fixture
def consented(cast, settings):
    settings.KOERS_RESEARCH_KEYS = KEYS
    cast.anna.bsn = "111222333"
    cast.anna.save()
    research_consent_set(actor=cast.anna_user, person=cast.anna, granted=True)
    research_consent_set(actor=cast.bas_user, person=cast.bas, granted=True)
    research_consent_set(actor=cast.bas_user, person=cast.bas, granted=False)  # withdrawn: out
    Goal.objects.create(
        person=cast.anna,
        description="Geheim-vrije-tekst: weer wandelen met mijn hond",
        why_it_matters="Privé-reden",
        life_domain="health",
        created_by=cast.noor,
        start_date=timezone.localdate(),
    )
    return cast


def _extract(project, out, user="mia"):
    stdout = io.StringIO()
    call_command("research-extract", "--project", project, "--user", user, "--out", str(out), stdout=stdout)
    return stdout.getvalue()


def _persons(out: Path) -> list[str]:
    with (out / "persons.csv").open() as handle:
        return [row["person"] for row in csv.DictReader(handle)]


def test_only_consenting_people_same_pseudonym_within_a_project_other_across(consented, tmp_path):
    before = AccessLogEntry.objects.count()
    _extract("herstel", tmp_path / "a")
    _extract("herstel", tmp_path / "b")
    _extract("leefstijl", tmp_path / "c")
    a, b, c = (_persons(tmp_path / n) for n in "abc")
    assert len(a) == 1  # Anna; Bas withdrew, Noor's other people never said yes
    assert a == b and a != c
    # Logged: per extract one aggregate row and one row for Anna, none for Bas, no pseudonym
    rows = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert len([r for r in rows if r.person_id is None]) == 3
    per_person = [r for r in rows if r.person_id is not None]
    assert {r.person_id for r in per_person} == {consented.anna.pk} and len(per_person) == 3
    assert all(r.purpose == "research" and a[0] not in r.detail for r in per_person)


def test_no_name_bsn_or_free_text_in_any_file(consented, tmp_path):
    _extract("herstel", tmp_path / "x")
    text = "".join(p.read_text() for p in (tmp_path / "x").iterdir())
    for secret in ("Anna", "de Boer", "111222333", "Geheim-vrije-tekst", "Privé-reden", "1970-05-17", "anna"):
        assert secret not in text
    with (tmp_path / "x" / "goals.csv").open() as handle:
        goal = next(csv.DictReader(handle))
    assert goal["life_domain"] == "health" and len(goal["start_month"]) == 7


def test_the_codebook_lists_every_variable_and_the_docs_too(consented, tmp_path):
    _extract("herstel", tmp_path / "x")
    with (tmp_path / "x" / "codebook.csv").open() as handle:
        book = {(row["file"], row["variable"]) for row in csv.DictReader(handle)}
    docs = DOCS.read_text()
    for name, variables in extract.VARIABLES.items():
        with (tmp_path / "x" / name).open() as handle:
            assert next(csv.reader(handle)) == [v for v, _ in variables]
        for variable, _ in variables:
            assert (name, variable) in book
            assert f"`{variable}`" in docs.split(f"### {name}")[1].split("###")[0], (name, variable)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--project", "herstel", "--user", "noor"], "may not"),  # a professional: no extracts
        (["--project", "herstel", "--user", "anna"], "may not"),
        (["--project", "herstel", "--user", "nobody"], "unknown user"),
        (["--project", "zonder-sleutel", "--user", "mia"], "no key"),
        (["--project", "Bad Name", "--user", "mia"], "project name"),
    ],
)
def test_refusals_and_bad_input_write_nothing(consented, tmp_path, args, expected):
    out = tmp_path / "out"
    with pytest.raises(CommandError, match=expected):
        call_command("research-extract", *args, "--out", str(out), stdout=io.StringIO())
    assert not out.exists()
    assert not AccessLogEntry.objects.filter(purpose="research").exists()


def test_a_directory_that_is_not_empty_is_refused(consented, tmp_path):
    (tmp_path / "old.csv").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        _extract("herstel", tmp_path)
