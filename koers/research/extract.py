"""The pseudonymised research extract (issue #16; docs/research.md).

Only people whose newest research decision is yes (``network.selectors.research_consented_person_ids``)
and who are in the care of the asking user's organisation. Only coded fields: no names, BSN,
contact details, postcode or anything a person or professional typed (free text). Dates are
months, ages five-year bands, every key a per-project pseudonym. ``VARIABLES`` is the codebook;
docs/research.md shows the same and a test keeps them together.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from koers.careplans.models import CarePlanVersion
from koers.followup.models import YearlyEvaluation
from koers.goals.models import Goal, GoalReview
from koers.network.models import CareTeamMember
from koers.network.selectors import research_consented_person_ids
from koers.people.models import Condition, Person, Profile
from koers.questionnaires.models import Score
from koers.research import pseudonym as ps
from koers.screening.models import SomaticScreening

PERSON = "pseudonym: the person (the same in every file and every extract of this project)"
GOAL = "pseudonym: the goal"
PROFILE_FIELDS = ("smoking", "health_literacy", "digital_skills", "living_situation", "daytime_activity")

# file → [(variable, description)]: the codebook
VARIABLES: dict[str, list[tuple[str, str]]] = {
    "persons.csv": [
        ("person", PERSON),
        ("age_band", "age on the day of the extract, five-year bands (0-4 … 85-89, 90+)"),
        ("gender", "male | female | other | unknown (Person.gender)"),
        ("severe_mental_illness", "1 = recorded as severe mental illness (EPA), else 0"),
        ("smoking", "never | former | current | empty = unknown"),
        ("health_literacy", "low | moderate | high | empty = unknown"),
        ("digital_skills", "low | moderate | high | empty = unknown"),
        ("living_situation", "alone | partner | family | supported | homeless | other | empty"),
        ("daytime_activity", "paid_work | volunteer | study | retired | none | daycare | … | empty"),
    ],
    "conditions.csv": [
        ("person", PERSON),
        ("category", "somatic | mental (Condition.category)"),
        ("code_system", "the code system (e.g. ICPC-2, SNOMED CT); empty when not coded"),
        ("code", "the code in that system; empty when not coded (the free-text name is left out)"),
        ("clinical_status", "active | resolved | …"),
        ("onset_month", "YYYY-MM, empty when unknown"),
    ],
    "goals.csv": [
        ("person", PERSON),
        ("goal", GOAL),
        ("life_domain", "the life domain code of the goal"),
        ("lifecycle_status", "proposed | active | on-hold | completed | cancelled"),
        ("achievement_status", "in-progress | achieved | not-achieved | empty"),
        ("start_month", "YYYY-MM or empty"),
        ("target_month", "YYYY-MM or empty"),
        ("uses_gas", "1 = measured with Goal Attainment Scaling"),
        ("gas_weight", "GAS weight 1-10"),
        ("gas_baseline", "GAS level at the start, -2..2, or empty"),
    ],
    "gas_reviews.csv": [
        ("person", PERSON),
        ("goal", GOAL),
        ("review_month", "YYYY-MM"),
        ("gas_level", "GAS level reached, -2..2"),
    ],
    "scores.csv": [
        ("person", PERSON),
        ("instrument", "instrument id (e.g. phq-9, koers-prem) and version, 'id@version'"),
        ("authored_month", "YYYY-MM"),
        ("total", "total score (the instrument's scale)"),
        ("band", "severity band code of the instrument, or empty"),
    ],
    "care_plan_versions.csv": [
        ("person", PERSON),
        ("version", "version number of the care plan"),
        ("created_month", "YYYY-MM"),
        ("agreed_month", "YYYY-MM the person agreed, or empty"),
    ],
    "yearly_evaluations.csv": [("person", PERSON), ("month", "YYYY-MM of the yearly evaluation")],
    "screenings.csv": [("person", PERSON), ("done_month", "YYYY-MM of a somatic screening done")],
}


@dataclass(frozen=True)
class Result:
    people: int
    files: list[Path]


def cohort(organisation_id: int) -> list[int]:
    """Consenting people in the organisation's care (now or before), sorted."""
    consented = research_consented_person_ids()
    in_care = set(
        CareTeamMember.objects.filter(organisation_id=organisation_id, person_id__in=consented).values_list(
            "person_id", flat=True
        )
    )
    return sorted(in_care)


def _rows(project: str, key: bytes, ids: list[int], today: dt.date) -> dict[str, list[list]]:
    def p(person_id: int) -> str:
        return ps.pseudonym(key, project, "person", person_id)

    def g(goal_id: int) -> str:
        return ps.pseudonym(key, project, "goal", goal_id)

    profiles = {pr.person_id: pr for pr in Profile.objects.filter(person_id__in=ids)}
    persons = []
    for pid, birth, gender in (
        Person.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "birth_date", "gender")
    ):
        pr = profiles.get(pid)
        coded = [getattr(pr, name, "") if pr else "" for name in PROFILE_FIELDS]
        persons.append([p(pid), ps.age_band(birth, today), gender, int(bool(pr and pr.severe_mental_illness)), *coded])
    conditions = (
        Condition.objects.recorded()
        .filter(person_id__in=ids)
        .values_list("person_id", "category", "code_system", "code", "clinical_status", "onset_date")
    )
    goals = Goal.objects.filter(person_id__in=ids).values_list(
        "person_id", "pk", "life_domain", "lifecycle_status", "achievement_status", "start_date", "target_date",
        "uses_gas", "gas_weight", "gas_baseline",
    )  # fmt: skip
    reviews = GoalReview.objects.filter(goal__person_id__in=ids, gas_level__isnull=False).values_list(
        "goal__person_id", "goal_id", "reviewed_at", "gas_level"
    )
    scores = Score.objects.filter(person_id__in=ids, scorable=True).values_list(
        "person_id", "instrument_id", "instrument_version", "authored_at", "total", "band"
    )
    versions = CarePlanVersion.objects.filter(care_plan__person_id__in=ids).values_list(
        "care_plan__person_id", "number", "created_at", "agreed_at"
    )
    return {
        "persons.csv": persons,
        "conditions.csv": [[p(a), b, c, d, e, ps.month(f)] for a, b, c, d, e, f in conditions],
        "goals.csv": [
            [p(a), g(b), c, d, e, ps.month(f), ps.month(h), int(i), j, "" if k is None else k]
            for a, b, c, d, e, f, h, i, j, k in goals
        ],  # fmt: skip
        "gas_reviews.csv": [[p(a), g(b), ps.month(_local(c)), d] for a, b, c, d in reviews],
        "scores.csv": [
            [p(a), f"{b}@{c}", ps.month(_local(d)), "" if e is None else e, f] for a, b, c, d, e, f in scores
        ],  # fmt: skip
        "care_plan_versions.csv": [[p(a), b, ps.month(_local(c)), ps.month(_local(d))] for a, b, c, d in versions],
        "yearly_evaluations.csv": [
            [p(a), ps.month(b)]
            for a, b in YearlyEvaluation.objects.filter(person_id__in=ids).values_list("person_id", "date")
        ],
        "screenings.csv": [
            [p(a), ps.month(b)]
            for a, b in SomaticScreening.objects.filter(person_id__in=ids, done_on__isnull=False).values_list(
                "person_id", "done_on"
            )
        ],
    }


def _local(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localdate(moment)


CODEBOOK = "codebook.csv"
CODEBOOK_HEADER = ["file", "variable", "description"]


def tables(project: str, key: bytes, ids: list[int], today: dt.date) -> dict[str, list[list]]:
    """Every file's rows (no header), sorted as the files hold them: the extract of ``ids``. The
    command and the API's bulk research export both write these."""
    rows = _rows(project, key, ids, today)
    return {name: sorted(rows[name], key=lambda r: [str(c) for c in r]) for name in VARIABLES}


def header(name: str) -> list[str]:
    return [v for v, _ in VARIABLES[name]]


def codebook_rows() -> list[list[str]]:
    return [[name, v, d] for name, variables in VARIABLES.items() for v, d in variables]


def csv_record(row) -> str:
    """One CSV record as the files write it (``\n`` line ends)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row)
    return out.getvalue()


def write(project: str, key: bytes, ids: list[int], out: Path) -> Result:
    """Write the CSV files and the codebook into ``out`` (created; must be empty or new)."""
    rows = tables(project, key, ids, timezone.localdate())
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for name, lines in [
        *((n, [header(n), *rows[n]]) for n in VARIABLES),
        (CODEBOOK, [CODEBOOK_HEADER, *codebook_rows()]),
    ]:
        path = out / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            handle.writelines(csv_record(line) for line in lines)
        files.append(path)
    return Result(len(ids), files)
