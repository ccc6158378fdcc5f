"""The FHIR API's access matrix for docs/fhir-access-matrix.md: resource type × actor × consent
state → what the API allows, or 404 (issue #15).

Generated from the same policy table the pages use (``koers.access.policy``) and from the registry
(which interactions each type has), so it cannot drift from either: every resource type is read
through the access category of its pages (``ROWS``), and writes need ``Action.CREATE`` or
``Action.UPDATE`` in that category. A refusal is always the one 404 (someone else's record answers
like a missing one). Scopes only narrow this: a write also needs a bearer token with a write scope
(a session gets 403, whatever the table says).

``python -m koers.accessmatrix --write`` writes it (with docs/access.md); without ``--write`` it is
printed. ``koers/fhir/tests/test_access_matrix_doc.py`` fails when the document is out of date,
when a registered type has no row, and when the API answers otherwise than a sampled cell says.
Needs Django set up (the registry is filled in ``FhirConfig.ready()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from koers.access import policy
from koers.access.policy import CATEGORY_TOPIC, MEMBER_TOPICS, Category, Relationship
from koers.fhir import registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "fhir-access-matrix.md"
START, END = "<!-- fhir-matrix:start -->\n", "<!-- fhir-matrix:end -->"


@dataclass(frozen=True)
class Row:
    label: str
    type_name: str
    category: Category
    create: bool = True  # False: the type's create does not make this kind (an Observation score)
    update: bool = True  # False: the type's update does not change this kind (a questionnaire Task)


ROWS = (
    Row("Patient", "Patient", Category.DEMOGRAPHICS),
    Row("CareTeam", "CareTeam", Category.DEMOGRAPHICS),
    Row("RelatedPerson", "RelatedPerson", Category.DEMOGRAPHICS),
    Row("Goal", "Goal", Category.GOALS),
    Row("CarePlan", "CarePlan", Category.CAREPLAN),
    Row("Observation `mon-`, `lab-` (measurements)", "Observation", Category.MEASUREMENTS),
    Row("Observation `score-` (questionnaire scores)", "Observation", Category.QUESTIONNAIRES, create=False),
    Row("Observation `gas-`, `gas-baseline-` (goal attainment)", "Observation", Category.GOALS, create=False),
    Row("QuestionnaireResponse", "QuestionnaireResponse", Category.QUESTIONNAIRES),
    Row("Task (an action of a goal; update: its status)", "Task", Category.GOALS),
    Row("Task (a questionnaire to fill in)", "Task", Category.QUESTIONNAIRES, update=False),
    Row("Consent", "Consent", Category.CONSENT),
    Row("DocumentReference", "DocumentReference", Category.DOCUMENTS),
    Row("AuditEvent", "AuditEvent", Category.ACCESS_LOG),
)
# Types that hold no person's data: any signed-in user with a read scope reads them.
NOT_PERSON_DATA = frozenset({"Organization", "Practitioner", "PractitionerRole", "Questionnaire"})

ACTORS = (
    (Relationship.SELF, "the person"),
    (Relationship.CARE_TEAM, "professional in the network"),
    (Relationship.PEER_EXPERT, "peer expert in the network"),
    (Relationship.RELATIVE, "relative the person named"),
    (Relationship.NONE, "anyone else"),
)
# The person's decision about the row's topic for this actor: none, shared, withdrawn (for data
# without a topic of its own, such as the name: every topic shared or withdrawn).
CONSENT_STATES = ((None, "no decision"), (True, "topic shared"), (False, "topic withdrawn"))
INTERACTIONS = (("read", policy.R), ("history", policy.R), ("create", policy.C), ("update", policy.U))


def interactions(row: Row) -> list[str]:
    """The interactions the API has for the row's kind: read (and search), history (vread and
    ``_history`` of a versioned type), create, update."""
    resource_type = registry.get(row.type_name)
    codes = set(resource_type.interactions) if resource_type else set()
    offered = ["read"] if "read" in codes else []
    if "read" in codes and "vread" in codes and "history-instance" in codes:
        offered.append("history")
    if "create" in codes and row.create:
        offered.append("create")
    if "update" in codes and row.update:
        offered.append("update")
    return offered


def allowed(row: Row, relationship: Relationship, decision: bool | None) -> list[str]:
    """What the actor may do with the row's kind under that decision (the policy's answer)."""
    topic = CATEGORY_TOPIC.get(row.category)
    topics_decided = (topic,) if topic is not None else MEMBER_TOPICS
    decisions = {} if decision is None else dict.fromkeys(topics_decided, decision)
    topics = policy.effective_topics(relationship, "", decisions)
    actions = dict(INTERACTIONS)
    return [i for i in interactions(row) if policy.allowed(relationship, row.category, actions[i], topics=topics)]


def cell(row: Row, relationship: Relationship, decision: bool | None) -> str:
    return ", ".join(allowed(row, relationship, decision)) or "404"


def render() -> str:
    head = ["Resource", "Actor", *(label for _, label in CONSENT_STATES)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in ROWS:
        for relationship, actor in ACTORS:
            cells = [cell(row, relationship, decision) for decision, _ in CONSENT_STATES]
            lines.append("| " + " | ".join([row.label, actor, *cells]) + " |")
    others = ", ".join(sorted(NOT_PERSON_DATA))
    lines += ["", f"Not a person's data ({others}): read by any signed-in user or token with a read scope."]
    return "\n".join(lines) + "\n"


def block(text: str) -> str:
    return text.split(START)[1].split(END)[0]


def main(argv: list[str]) -> None:
    if "--write" in argv:
        text = DOC.read_text(encoding="utf-8")
        DOC.write_text(text.replace(START + block(text) + END, START + render() + END), encoding="utf-8")
        return
    print(render())
