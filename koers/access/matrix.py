"""The access matrix, rendered from the policy table for docs/access.md (Dutch and English).

Pure: reads only ``koers.access.policy`` (no database, no request). One column per relationship,
the care team split by the disciplines that refine its defaults; one row per data category; in
each cell the actions allowed *by default* (no decision of the person), and what consent can open
beyond that. A second table lists the consent topics, the categories each opens and for whom it
is open by default.

``python -m koers.accessmatrix`` prints both languages; ``--write`` puts them between the
markers in docs/access.md. That runner sets Django up first: importing ``koers.access`` imports
the models the guard reads, so ``python -m koers.access.matrix`` itself cannot start without it.
``tests/test_access_matrix.py`` fails when the committed document differs, when a relationship,
discipline, category or topic has no label here, and when a page declares a category or an
access path (``koers_access`` scope) the matrix does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from koers.access import policy
from koers.access.policy import CATEGORY_TOPIC, MEMBER_TOPICS, TOPIC_CATEGORIES, Category, Relationship, Topic

LANGUAGES = ("nl", "en")
ACTIONS = (policy.C, policy.R, policy.U, policy.D)

ACTION_LETTERS = {
    "nl": {policy.C: "A", policy.R: "L", policy.U: "W", policy.D: "V"},
    "en": {policy.C: "C", policy.R: "R", policy.U: "U", policy.D: "D"},
}
ACTION_LEGEND = {
    "nl": "A = aanmaken, L = lezen, W = wijzigen, V = verwijderen; — = niets.",
    "en": "C = create, R = read, U = update, D = delete; — = nothing.",
}

RELATIONSHIP_LABELS = {
    "nl": {
        Relationship.SELF: "de persoon zelf",
        Relationship.CARE_TEAM: "zorgverlener in het netwerk",
        Relationship.PEER_EXPERT: "ervaringsdeskundige",
        Relationship.RELATIVE: "naaste / mantelzorger",
        Relationship.EMERGENCY: "spoedtoegang (tijdelijk, met reden)",
        Relationship.NONE: "geen relatie",
    },
    "en": {
        Relationship.SELF: "the person",
        Relationship.CARE_TEAM: "professional in the network",
        Relationship.PEER_EXPERT: "peer expert",
        Relationship.RELATIVE: "relative / informal carer",
        Relationship.EMERGENCY: "emergency access (temporary, with a reason)",
        Relationship.NONE: "no relationship",
    },
}

# Disciplines that refine the care team's defaults (the peer expert is its own relationship).
DISCIPLINE_LABELS = {
    "nl": {policy.SOCIAL_WORKER_DISCIPLINE: "maatschappelijk werker"},
    "en": {policy.SOCIAL_WORKER_DISCIPLINE: "social worker"},
}

CATEGORY_LABELS = {
    "nl": {
        Category.DEMOGRAPHICS: "naam, geboortedatum, contactgegevens",
        Category.PROFILE: "profiel (leefstijl, situatie, wat belangrijk is)",
        Category.CLINICAL: "aandoeningen en medicatie",
        Category.SUPPORT_LEVEL: "ondersteuningsniveau",
        Category.CONSULTS: "consulten, voorbereiding, agenda",
        Category.DECISIONS: "samen beslissen",
        Category.GOALS: "doelen, acties, voortgang",
        Category.CAREPLAN: "zorgplan, versies, afspraken",
        Category.QUESTIONNAIRES: "vragenlijsten en scores",
        Category.MEASUREMENTS: "metingen, labwaarden, zelfmetingen",
        Category.NOTIFICATIONS: "herinneringen en meldingen",
        Category.ACCESS_LOG: "wie keek er in mijn gegevens",
        Category.CONSULT_RECORDS: "planning en verslag van een consult",
        Category.DECISION_RECORDS: "vraag, opties en besluit van samen beslissen",
        Category.MEASUREMENT_PLAN: "streefwaarden, behandelfasen, screenings",
        Category.CALENDAR_FEED: "agendalink (iCal)",
        Category.CONSENT: "wie mag wat zien",
        Category.CRISIS_PLAN: "crisisplan (signalen, wat helpt, wie bellen, afspraken vooraf)",
        Category.CRISIS_REPORTS: "gemelde signalen en de fase waarin iemand zegt te zitten",
        Category.DOCUMENTS: "documenten en brieven",
        Category.RELATIVE_NOTES: "vraag of zorg van een naaste (aan de regiebehandelaar)",
        Category.RELATIVE_EVALUATION: "inbreng van een naaste bij de jaarevaluatie",
        Category.MEETING_INVITATION: "uitnodiging voor een overleg (datum, plaats; alleen wie is uitgenodigd)",
        Category.EMERGENCY_NOTICE: "bericht over spoedtoegang (wie, hoe lang, wat; alleen de eerste contactpersoon)",
        Category.DECISION_AGREEMENT: "instemming van de cliënt met een besluit",
        Category.CAREPLAN_SIGNOFF: "akkoord van de cliënt met een zorgplanversie",
    },
    "en": {
        Category.DEMOGRAPHICS: "name, birth date, contact details",
        Category.PROFILE: "profile (lifestyle, situation, what matters)",
        Category.CLINICAL: "conditions and medication",
        Category.SUPPORT_LEVEL: "support level",
        Category.CONSULTS: "consults, preparation, agenda",
        Category.DECISIONS: "shared decisions",
        Category.GOALS: "goals, actions, progress",
        Category.CAREPLAN: "care plan, versions, agreements",
        Category.QUESTIONNAIRES: "questionnaires and scores",
        Category.MEASUREMENTS: "measurements, lab values, self-measurements",
        Category.NOTIFICATIONS: "reminders and notifications",
        Category.ACCESS_LOG: "who looked at my data",
        Category.CONSULT_RECORDS: "planning and summary of a consult",
        Category.DECISION_RECORDS: "question, options and decision of a shared decision",
        Category.MEASUREMENT_PLAN: "targets, treatment phases, screenings",
        Category.CALENDAR_FEED: "calendar link (iCal)",
        Category.CONSENT: "who may see what",
        Category.CRISIS_PLAN: "crisis plan (signs, what helps, whom to call, advance agreements)",
        Category.CRISIS_REPORTS: "signs reported and the phase the person says they are in",
        Category.DOCUMENTS: "documents and letters",
        Category.RELATIVE_NOTES: "a relative's own question or concern (to the coordinator)",
        Category.RELATIVE_EVALUATION: "a relative's input to the yearly evaluation",
        Category.MEETING_INVITATION: "invitation to a meeting (date, place; only those invited)",
        Category.EMERGENCY_NOTICE: "notice of an emergency access (who, how long, what; only the first contact)",
        Category.DECISION_AGREEMENT: "the person's agreement with a decision",
        Category.CAREPLAN_SIGNOFF: "the person's sign-off of a care-plan version",
    },
}

TOPIC_LABELS = {
    "nl": {
        Topic.CAREPLAN: "zorgplan",
        Topic.GOALS: "doelen en acties",
        Topic.DECISIONS: "samen beslissen",
        Topic.CONSULTS: "consulten en voorbereiding",
        Topic.QUESTIONNAIRES: "vragenlijsten en uitslagen",
        Topic.MEASUREMENTS: "metingen en analyses",
        Topic.CRISIS_PLAN: "crisisplan",
        Topic.PROFILE: "profiel",
        Topic.CLINICAL: "aandoeningen en medicatie",
        Topic.DOCUMENTS: "documenten",
        Topic.RESEARCH: "gebruik voor onderzoek",
    },
    "en": {
        Topic.CAREPLAN: "care plan",
        Topic.GOALS: "goals and actions",
        Topic.DECISIONS: "shared decisions",
        Topic.CONSULTS: "consults and preparation",
        Topic.QUESTIONNAIRES: "questionnaires and results",
        Topic.MEASUREMENTS: "measurements and analyses",
        Topic.CRISIS_PLAN: "crisis plan",
        Topic.PROFILE: "profile",
        Topic.CLINICAL: "conditions and medication",
        Topic.DOCUMENTS: "documents",
        Topic.RESEARCH: "use for research",
    },
}

# The access paths (a view's ``koers_access`` scope) and the relationships each one serves. A page
# of a scope answers 200 only to these relationships, and only where the table (with consent) allows.
SCOPE_RELATIONSHIPS: dict[str, frozenset[Relationship]] = {
    # /personen/<id>/…; emergency access reads the same pages, within its scope and time
    "person": frozenset({Relationship.CARE_TEAM, Relationship.PEER_EXPERT, Relationship.EMERGENCY}),
    "portal": frozenset({Relationship.SELF}),  # /mijn/…
    "token": frozenset({Relationship.SELF}),  # the calendar link stands for the person's account
    "caseload": frozenset({Relationship.CARE_TEAM, Relationship.PEER_EXPERT}),  # the workspace's lists
    "relative": frozenset({Relationship.RELATIVE}),  # /naaste/<id>/…: what the person shares, and their own notes
    "relative_area": frozenset({Relationship.RELATIVE}),  # /naaste/: who shares something with them
    # /fhir/… (issue #15): each relationship reads there what it reads on its own pages, by the
    # same table and consent (emergency access by ``person_for``, reads only)
    "api": frozenset(
        {
            Relationship.SELF,
            Relationship.CARE_TEAM,
            Relationship.PEER_EXPERT,
            Relationship.RELATIVE,
            Relationship.EMERGENCY,
        }
    ),
    # /populatie/… (issue #16): counts about an organisation's or team's population, small cells
    # suppressed; no relationship to any one person, so no person's record is ever opened here
    "aggregate": frozenset(),
    "none": frozenset(),  # no person's data (login, home, accepting an invitation)
}

CALENDAR_LINK_SCOPE = "token"  # the name of an access path (the calendar link), not a secret

SCOPE_LABELS = {
    "nl": {
        "person": "werkplek, pagina's over een persoon (`/personen/<id>/…`)",
        "portal": "portaal van de persoon (`/mijn/…`)",
        CALENDAR_LINK_SCOPE: "agendalink (geheime link, staat voor het account van de persoon)",
        "caseload": "werkplek, lijsten (alleen de eigen cliënten)",
        "relative": (
            "pagina's voor een naaste over een persoon (`/naaste/<id>/…`: lezen wat gedeeld is; "
            "schrijven alleen eigen vragen en antwoorden)"
        ),
        "relative_area": "startpagina van een naaste (`/naaste/`: wie iets met hen deelt)",
        "api": "FHIR-API (`/fhir/…`: lezen met dezelfde regels als de pagina's)",
        "aggregate": "populatieoverzicht (`/populatie/…`: alleen tellingen van de eigen organisatie of het eigen team)",
        "none": "pagina's zonder gegevens van een persoon (inloggen, uitnodiging aannemen)",
    },
    "en": {
        "person": "workspace, pages about a person (`/personen/<id>/…`)",
        "portal": "the person's portal (`/mijn/…`)",
        CALENDAR_LINK_SCOPE: "calendar link (a secret link standing for the person's account)",
        "caseload": "workspace, lists (only one's own clients)",
        "relative": (
            "a relative's pages about a person (`/naaste/<id>/…`: reading what is shared; "
            "writing only their own questions and answers)"
        ),
        "relative_area": "a relative's home (`/naaste/`: who shares something with them)",
        "api": "FHIR API (`/fhir/…`: reading by the same rules as the pages)",
        "aggregate": "population view (`/populatie/…`: counts of one's own organisation or team only)",
        "none": "pages without a person's data (login, accepting an invitation)",
    },
}

TEXT = {
    "nl": {
        "category": "Gegevens",
        "topic": "Toestemmingsonderwerp",
        "no_topic": "geen: volgt de tabel",
        "consent": "met toestemming",
        "topics_title": "Onderwerpen",
        "opens": "Opent",
        "default_open": "Standaard open voor",
        "nobody": "niemand",
        "not_per_member": "eenmalige keuze van de persoon, opent geen gegevens",
        "path": "Toegangsweg",
        "serves": "Voor",
        "any_professional": "elke zorgverlener (de lijst toont alleen het eigen netwerk)",
    },
    "en": {
        "category": "Data",
        "topic": "Consent topic",
        "no_topic": "none: follows the table",
        "consent": "with consent",
        "topics_title": "Topics",
        "opens": "Opens",
        "default_open": "Open by default for",
        "nobody": "nobody",
        "not_per_member": "the person's own choice, once; opens no data",
        "path": "Access path",
        "serves": "For",
        "any_professional": "any professional (the list shows only their own network)",
    },
}


@dataclass(frozen=True)
class Column:
    """One column of the matrix: a relationship, refined by a discipline for the care team."""

    relationship: Relationship
    discipline: str = ""

    def label(self, lang: str) -> str:
        if self.discipline:
            return DISCIPLINE_LABELS[lang][self.discipline]
        return RELATIONSHIP_LABELS[lang][self.relationship]


def refining_disciplines() -> list[str]:
    """The disciplines whose default topics differ from the care team's (the peer expert aside)."""
    ordinary = policy.default_topics(Relationship.CARE_TEAM)
    return [
        d
        for d in sorted(policy._PROFESSIONAL_DEFAULTS)
        if d != policy.PEER_EXPERT_DISCIPLINE and policy.default_topics(Relationship.CARE_TEAM, d) != ordinary
    ]


def columns() -> list[Column]:
    """Every relationship in the policy, the care team followed by its refining disciplines."""
    cols = []
    for relationship in Relationship:
        cols.append(Column(relationship))
        if relationship == Relationship.CARE_TEAM:
            cols.extend(Column(relationship, d) for d in refining_disciplines())
    return cols


def default_actions(col: Column, category: Category) -> list[str]:
    """What the column may do with the category when the person decided nothing."""
    topics = policy.default_topics(col.relationship, col.discipline)
    return [a for a in ACTIONS if policy.allowed(col.relationship, category, a, topics=topics)]


def consent_actions(col: Column, category: Category) -> list[str]:
    """What the column may do with the category once the person shares every topic with them."""
    return [a for a in ACTIONS if policy.allowed(col.relationship, category, a, topics=MEMBER_TOPICS)]


def _letters(actions: list[str], lang: str) -> str:
    return " ".join(ACTION_LETTERS[lang][a] for a in actions) or "—"


def cell(col: Column, category: Category, lang: str) -> str:
    default, widest = default_actions(col, category), consent_actions(col, category)
    text = _letters(default, lang)
    if widest != default:
        text += f" ({TEXT[lang]['consent']}: {_letters(widest, lang)})"
    return text


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def matrix_table(lang: str) -> str:
    """Category × column, with the topic that governs each category."""
    cols = columns()
    head = [TEXT[lang]["category"], *(c.label(lang) for c in cols), TEXT[lang]["topic"]]
    lines = [_row(head), _row(["---"] * len(head))]
    for category in Category:
        topic = CATEGORY_TOPIC.get(category)
        topic_text = TOPIC_LABELS[lang][topic] if topic is not None else TEXT[lang]["no_topic"]
        cells = [f"{CATEGORY_LABELS[lang][category]} (`{category}`)", *(cell(c, category, lang) for c in cols)]
        lines.append(_row([*cells, topic_text]))
    return "\n".join(lines) + "\n\n" + ACTION_LEGEND[lang] + "\n"


def topics_table(lang: str) -> str:
    """Each consent topic: the categories it opens and for whom it is open by default."""
    members = [c for c in columns() if c.relationship in policy.CONSENT_GOVERNED]
    head = [TEXT[lang]["topics_title"], TEXT[lang]["opens"], TEXT[lang]["default_open"]]
    lines = [_row(head), _row(["---"] * len(head))]
    for topic in Topic:
        opens = ", ".join(f"`{c}`" for c in sorted(TOPIC_CATEGORIES[topic])) or "—"
        if topic not in MEMBER_TOPICS:
            who = TEXT[lang]["not_per_member"]
        else:
            open_for = [c.label(lang) for c in members if topic in policy.default_topics(c.relationship, c.discipline)]
            who = ", ".join(open_for) or TEXT[lang]["nobody"]
        lines.append(_row([f"{TOPIC_LABELS[lang][topic]} (`{topic}`)", opens, who]))
    return "\n".join(lines) + "\n"


def paths_table(lang: str) -> str:
    """Each access path (a page's scope) and the relationships it serves."""
    head = [TEXT[lang]["path"], TEXT[lang]["serves"]]
    lines = [_row(head), _row(["---"] * len(head))]
    for scope, relationships in SCOPE_RELATIONSHIPS.items():
        if scope == "caseload":
            who = TEXT[lang]["any_professional"]
        else:
            who = ", ".join(RELATIONSHIP_LABELS[lang][r] for r in Relationship if r in relationships) or "—"
        lines.append(_row([SCOPE_LABELS[lang][scope], who]))
    return "\n".join(lines) + "\n"


def render(lang: str) -> str:
    return matrix_table(lang) + "\n" + topics_table(lang) + "\n" + paths_table(lang)


def markers(lang: str) -> tuple[str, str]:
    return f"<!-- matrix:{lang}:start -->\n", f"<!-- matrix:{lang}:end -->"


def block(text: str, lang: str) -> str:
    """The generated part of ``text`` (docs/access.md) for ``lang``."""
    start, end = markers(lang)
    return text.split(start)[1].split(end)[0]


def replace_blocks(text: str) -> str:
    for lang in LANGUAGES:
        start, end = markers(lang)
        text = text.replace(start + block(text, lang) + end, start + render(lang) + end)
    return text


DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"


def main(argv: list[str]) -> None:
    if "--write" in argv:
        DOC.write_text(replace_blocks(DOC.read_text(encoding="utf-8")), encoding="utf-8")
        return
    for lang in LANGUAGES:
        print(render(lang))
