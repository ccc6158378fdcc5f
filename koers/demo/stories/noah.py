"""Noah: chronic back pain, money worries."""

from __future__ import annotations

from koers.demo.stories.builders import D, goal

STORY = {
    "key": "noah",
    "given": "Noah",
    "family": "Jacobs",
    "birth": D(1984, 4, 1),
    "gender": "male",
    "responsible": "gert",
    "other_teams": ["wendy"],
    "profile": {
        "smoking": "current",
        "alcohol_units_per_week": 6,
        "exercise_minutes_per_week": 10,
        "sleep_hours_per_night": "5.5",
        "living_situation": "alone",
        "daytime_activity": "none",
        "money_worries": True,
        "social_network": "low",
        "health_literacy": "moderate",
        "digital_skills": "moderate",
        "prefers_individual": True,
        "self_management_capacity": "low",
        "what_matters": "Weer aan het werk, ook al is het maar een paar uur.",
    },
    "conditions": [("Chronische lage rugpijn", "L03", "somatic", D(2022, 1, 1), "")],
    "medication": [
        ("Paracetamol", "1000 mg, 3 keer per dag", "rugpijn"),
        ("Naproxen", "250 mg, zo nodig", "rugpijn"),
    ],
    "support": {
        "level": "chain_care",
        "suggested": "case_management",
        "reasons": ["Chronische pijn.", "Geen werk, geldzorgen.", "Klein netwerk."],
        "agreed": False,
        "days": -5,
        "by": "gert",
    },
    "consults": [
        (-5, "gert", "in_person", 20, "held", "Rugpijn al 3 jaar. Noah wil weer werken."),
        (9, "gert", "in_person", 20, "planned", ""),
    ],
    "goals": [goal("Een paar uur per week vrijwilligerswerk doen.", "work", "", status="proposed")],
}
