"""Ans: COPD former smoker, exercise group."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "ans",
    "given": "Ans",
    "family": "Koster",
    "birth": D(1962, 1, 15),
    "gender": "female",
    "responsible": "noor",
    "profile": {
        "smoking": "former",
        "alcohol_units_per_week": 3,
        "exercise_minutes_per_week": 180,
        "sleep_hours_per_night": "7.0",
        "living_situation": "partner",
        "daytime_activity": "volunteer",
        "money_worries": False,
        "social_network": "high",
        "health_literacy": "high",
        "digital_skills": "moderate",
        "prefers_group": True,
        "self_management_capacity": "high",
        "what_matters": "Fit blijven met mijn beweeggroep en op vakantie kunnen naar mijn zus in Spanje.",
    },
    "conditions": [("COPD", "R95", "somatic", D(2018, 1, 1), "Gestopt met roken in 2019.")],
    "medication": [("Tiotropium/olodaterol", "2 pufjes, 1 keer per dag", "COPD")],
    "support": {
        "level": "self_management",
        "suggested": "self_management",
        "reasons": ["Stabiele COPD.", "Hoog zelfmanagement-vermogen."],
        "agreed": True,
        "days": -120,
        "by": "noor",
    },
    "consults": [
        (-120, "noor", "in_person", 20, "held", "Stabiel. Beweeggroep Longfit bevalt goed."),
        (240, "noor", "in_person", 20, "planned", ""),
    ],
    "goals": [
        goal(
            "Op vakantie naar Spanje met een longaanval-plan op zak.",
            "meaning",
            "",
            actions=[
                action(
                    "Longaanval-actieplan doornemen met Noor",
                    responsible="professional",
                    name="Noor Bakker (POH)",
                    confidence=9,
                    done_at=3,
                )
            ],
        )
    ],
    "follow_ups": [follow_up("Jaarcontrole COPD", "Noor Bakker (POH)", frequency="elk jaar", next_in=240)],
}
