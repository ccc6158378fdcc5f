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
    ("mia", "Mia", "Schouten", "manager", "", "linde", "", "manager / kwaliteit"),
    ("beheer", "Bram", "Beheerder", "administrator", "", None, "", "beheerder (is_staff, is_superuser)"),
]

# Relatives with an account: username, first name, last name, person key, relationship
RELATIVES = [
    ("rob", "Rob", "de Boer", "anna", "partner"),
    ("ingrid", "Ingrid", "Kok", "daan", "moeder"),
]
