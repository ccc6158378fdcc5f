"""Ellen: overweight and knee osteoarthritis."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "ellen",
    "given": "Ellen",
    "family": "Vermeulen",
    "birth": D(1969, 12, 1),
    "gender": "female",
    "responsible": "noor",
    "profile": {
        "smoking": "never",
        "alcohol_units_per_week": 4,
        "exercise_minutes_per_week": 40,
        "sleep_hours_per_night": "7.0",
        "living_situation": "partner",
        "daytime_activity": "paid_work",
        "money_worries": False,
        "social_network": "high",
        "health_literacy": "moderate",
        "digital_skills": "moderate",
        "prefers_group": True,
        "self_management_capacity": "moderate",
        "what_matters": "Met mijn kleinkinderen naar de speeltuin kunnen lopen zonder pijn.",
    },
    "conditions": [
        ("Overgewicht", "T82", "somatic", D(2015, 1, 1), "BMI 33."),
        ("Artrose van de knie", "L90", "somatic", D(2022, 1, 1), ""),
    ],
    "medication": [("Paracetamol", "1000 mg, zo nodig", "knie")],
    "support": {
        "level": "self_management",
        "suggested": "chain_care",
        "reasons": ["Overgewicht met artrose."],
        "agreed": True,
        "note": "Ellen wil het zelf proberen met de GLI (leefstijlinterventie).",
        "days": -25,
        "by": "noor",
    },
    "consults": [
        (-25, "noor", "in_person", 20, "held", "Verwezen naar de Gecombineerde Leefstijlinterventie."),
        (65, "noor", "phone", 15, "planned", ""),
    ],
    "goals": [
        goal(
            "Ik wil naar de speeltuin kunnen lopen (1 km) zonder pijn.",
            "daily",
            "",
            actions=[
                action(
                    "Meedoen met de GLI-groep 'Samen Fit'",
                    responsible="community",
                    name="Leefstijlcoach Samen Fit",
                    confidence=8,
                    review_in=60,
                )
            ],
        )
    ],
    "follow_ups": [
        follow_up(
            "Hoe gaat de leefstijlinterventie?",
            "Noor Bakker (POH)",
            method="phone",
            frequency="elke 3 maanden",
            next_in=65,
        )
    ],
}
