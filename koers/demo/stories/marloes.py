"""Marloes: burn-out and depression, work."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "marloes",
    "given": "Marloes",
    "family": "Hendriks",
    "birth": D(1980, 10, 5),
    "gender": "female",
    "responsible": "lisa",
    "team": ["gert"],
    "profile": {
        "smoking": "never",
        "alcohol_units_per_week": 6,
        "exercise_minutes_per_week": 60,
        "sleep_hours_per_night": "6.0",
        "living_situation": "family",
        "daytime_activity": "paid_work",
        "money_worries": False,
        "social_network": "moderate",
        "health_literacy": "high",
        "digital_skills": "high",
        "prefers_individual": True,
        "self_management_capacity": "moderate",
        "what_matters": "Weer met plezier lesgeven, zonder dat ik thuis instort.",
        "values": "Grenzen leren aangeven zonder me schuldig te voelen.",
    },
    "conditions": [("Depressieve klachten / overspanning", "P76", "mental", D(2025, 6, 1), "")],
    "medication": [],
    "support": {
        "level": "chain_care",
        "suggested": "chain_care",
        "reasons": ["Verzuim van het werk.", "Gemiddeld zelfmanagement-vermogen."],
        "agreed": False,
        "days": -20,
        "by": "lisa",
    },
    "consults": [
        (-20, "lisa", "in_person", 45, "held", "Intake. Marloes werkt 50% en is uitgeput."),
        (5, "lisa", "in_person", 45, "planned", ""),
    ],
    "preparation": {
        "consult": 5,
        "status": "submitted",
        "how_are_you": 5,
        "most_important": "Ik wil bespreken hoe ik met de bedrijfsarts praat.",
        "spheres": {"activities": ("Ik werk 3 ochtenden.", "Weer 4 dagen, maar niet meer dan dat.")},
    },
    "agenda": [(5, "Gesprek met de bedrijfsarts voorbereiden", "gg", "person", "open", "")],
    "goals": [
        goal(
            "Ik wil in drie maanden weer vier dagen lesgeven.",
            "work",
            "Ik mis mijn klas.",
            target_in=90,
            actions=[action("Elke werkdag een pauze van 30 minuten buiten", confidence=6, review_in=5)],
        )
    ],
    "follow_ups": [
        follow_up("Werkhervatting en stemming", "Lisa Jansen (POH-GGZ)", frequency="elke 2 weken", next_in=5)
    ],
}
