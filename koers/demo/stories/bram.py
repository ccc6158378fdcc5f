"""Bram: ADHD, school dropout."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "bram",
    "given": "Bram",
    "family": "Peters",
    "birth": D(2006, 3, 9),
    "gender": "male",
    "responsible": "lisa",
    "other_teams": ["wendy"],
    "profile": {
        "smoking": "current",
        "alcohol_units_per_week": 8,
        "exercise_minutes_per_week": 60,
        "sleep_hours_per_night": "6.0",
        "living_situation": "family",
        "daytime_activity": "none",
        "money_worries": False,
        "social_network": "moderate",
        "health_literacy": "moderate",
        "digital_skills": "high",
        "prefers_online": True,
        "self_management_capacity": "low",
        "what_matters": "Een opleiding waar ik met mijn handen werk. Geen school met alleen maar boeken.",
    },
    "conditions": [("ADHD", "P81", "mental", D(2014, 1, 1), "")],
    "medication": [("Methylfenidaat", "36 mg, 1 keer per dag 's ochtends", "concentratie")],
    "support": {
        "level": "chain_care",
        "suggested": "chain_care",
        "reasons": ["Geen opleiding of werk.", "Laag zelfmanagement-vermogen."],
        "agreed": True,
        "days": -15,
        "by": "lisa",
    },
    "consults": [
        (-15, "lisa", "in_person", 30, "held", "Bram is gestopt met zijn mbo-opleiding."),
        (10, "wendy", "home", 45, "planned", ""),
    ],
    "goals": [
        goal(
            "Na de zomer beginnen aan een opleiding tot monteur.",
            "learning",
            "",
            actions=[action("Open dag ROC bezoeken", with_whom="Wendy (wijkteam)", confidence=7, review_in=10)],
        )
    ],
    "follow_ups": [follow_up("Opleiding en dagritme", "Wendy Hoekstra (wijkteam)", frequency="elke maand", next_in=10)],
}
