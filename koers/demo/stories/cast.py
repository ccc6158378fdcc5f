"""Who is in the demo besides the people with a story: the organisations, the staff and the
relatives with an account, and the one password of every demo account."""

from __future__ import annotations

DEMO_PASSWORD = "koers-demo-wachtwoord"  # noqa: S105  # nosec B105  # demo only; the command refuses outside DEBUG

ORGANISATIONS = [
    {
        "key": "linde",
        "name": "Huisartsenpraktijk De Linde",
        "kind": "gp_practice",
        "city": "Utrecht",
        "agb_code": "01012345",
        "teams": ["Chronische zorg", "POH-GGZ"],
    },
    {"key": "oost", "name": "GGZ-team Oost", "kind": "ggz_team", "city": "Utrecht", "teams": ["FACT-team Oost"]},
    {"key": "centrum", "name": "Wijkteam Centrum", "kind": "neighbourhood_team", "city": "Utrecht", "teams": []},
    # Out-of-hours GP service: in no one's network, so it reaches a record only by emergency access.
    {"key": "hap", "name": "Huisartsenpost Utrecht", "kind": "other", "city": "Utrecht", "teams": []},
]

# username, first name, last name, role, discipline, organisation key, team, what they do (for the table)
STAFF = [
    ("noor", "Noor", "Bakker", "professional", "practice_nurse", "linde", "Chronische zorg", "POH somatiek"),
    ("gert", "Gert", "de Vries", "professional", "gp", "linde", "Chronische zorg", "huisarts"),
    ("lisa", "Lisa", "Jansen", "professional", "practice_nurse", "linde", "POH-GGZ", "POH-GGZ"),
    ("pieter", "Pieter", "van Leeuwen", "professional", "psychiatrist", "oost", "FACT-team Oost", "psychiater"),
    ("sanne", "Sanne", "Meijer", "professional", "psychologist", "oost", "FACT-team Oost", "psycholoog"),
    ("jeroen", "Jeroen", "Post", "professional", "peer_expert", "oost", "FACT-team Oost", "ervaringsdeskundige"),
    ("wendy", "Wendy", "Hoekstra", "professional", "social_worker", "centrum", "", "maatschappelijk werker"),
    ("karim", "Karim", "El Amrani", "professional", "gp", "hap", "", "huisarts op de huisartsenpost (spoedtoegang)"),
    ("mia", "Mia", "Schouten", "manager", "", "linde", "", "manager / kwaliteit"),
    ("beheer", "Bram", "Beheerder", "administrator", "", None, "", "beheerder (is_staff, is_superuser)"),
]

# Relatives with an account: username, first name, last name, person key, relationship, whether
# they are the person's first contact, and the topics (koers.access.Topic) the person shares
# with them. Anything not listed stays closed (Rob does not see Anna's questionnaires).
RELATIVES = [
    ("rob", "Rob", "de Boer", "anna", "partner", True, ("careplan", "goals")),
    ("ingrid", "Ingrid", "Kok", "daan", "moeder", True, ("crisis_plan", "goals")),
]

# A closed emergency access (break the glass) that waits for review: who, whose record, when
# (days before the demo's day, and the hour), for how many hours, what they saw and why.
EMERGENCY = {
    "professional": "karim",
    "person": "anna",
    "days": -3,
    "hour": 2,
    "hours": 4,
    "topics": ("clinical", "careplan"),
    "reason": (
        "Mevrouw kwam 's nachts op de huisartsenpost: verward na een lage bloedsuiker. Haar partner "
        "wist niet precies welke medicijnen zij gebruikt. Ik moest haar medicijnen en afspraken zien."
    ),
    # What Karim opened while the access ran (minutes after the start, object type).
    "reads": ((5, "overview"), (7, "people.Medication"), (12, "careplans.CarePlan")),
}
