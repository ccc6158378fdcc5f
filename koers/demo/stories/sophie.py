"""Sophie: asthma, online self-management."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "sophie",
    "given": "Sophie",
    "family": "de Jong",
    "birth": D(1997, 2, 17),
    "gender": "female",
    "account": "sophie",
    "responsible": "noor",
    "profile": {
        "smoking": "never",
        "alcohol_units_per_week": 5,
        "exercise_minutes_per_week": 200,
        "sleep_hours_per_night": "7.5",
        "living_situation": "partner",
        "daytime_activity": "study",
        "money_worries": False,
        "social_network": "high",
        "health_literacy": "high",
        "digital_skills": "high",
        "prefers_online": True,
        "self_management_capacity": "high",
        "what_matters": "De halve marathon lopen in april zonder benauwd te worden.",
        "values": "Alles zo veel mogelijk online regelen.",
    },
    "conditions": [("Astma", "R96", "somatic", D(2008, 1, 1), "")],
    "medication": [("Budesonide/formoterol", "200/6 microgram, zo nodig en voor het hardlopen", "astma")],
    "support": {
        "level": "self_management",
        "suggested": "self_management",
        "reasons": ["Astma goed onder controle.", "Hoog zelfmanagement-vermogen."],
        "agreed": True,
        "days": -200,
        "by": "noor",
    },
    "consults": [
        (-200, "noor", "video", 15, "held", "Jaarcontrole via beeldbellen. ACQ 0,6: goed onder controle."),
        (165, "noor", "video", 15, "planned", ""),
    ],
    "goals": [
        goal(
            "Ik wil de halve marathon lopen zonder benauwd te worden.",
            "health",
            "Een droom sinds ik 16 was.",
            actions=[action("Trainingsschema 3 keer per week, puffer 15 minuten vooraf", confidence=8, review_in=60)],
        )
    ],
    "follow_ups": [
        follow_up("Jaarcontrole astma", "Noor Bakker (POH)", method="video", frequency="elk jaar", next_in=165)
    ],
}
