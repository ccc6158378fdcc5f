"""Truus: prefers group support."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "truus",
    "given": "Truus",
    "family": "Bos",
    "birth": D(1955, 4, 8),
    "gender": "female",
    "account": "truus",
    "responsible": "noor",
    "profile": {
        "smoking": "never",
        "alcohol_units_per_week": 2,
        "exercise_minutes_per_week": 150,
        "sleep_hours_per_night": "7.5",
        "living_situation": "alone",
        "daytime_activity": "volunteer",
        "money_worries": False,
        "social_network": "high",
        "health_literacy": "moderate",
        "digital_skills": "moderate",
        "prefers_group": True,
        "self_management_capacity": "high",
        "what_matters": "Samen met anderen bezig zijn. Alleen lukt het me niet, in een groep wel.",
        "values": "Gezelligheid. Ik leer veel van de verhalen van anderen.",
    },
    "conditions": [("Diabetes mellitus type 2", "T90", "somatic", D(2021, 9, 1), "")],
    "medication": [("Metformine", "500 mg, 2 keer per dag", "diabetes")],
    "support": {
        "level": "self_management",
        "suggested": "self_management",
        "reasons": ["Goede regulatie (HbA1c 48).", "Hoog zelfmanagement-vermogen.", "Voorkeur: groep."],
        "agreed": True,
        "days": -70,
        "by": "noor",
    },
    "consults": [
        (-70, "noor", "group", 90, "held", "Groepsconsult diabetes (8 deelnemers): voeding."),
        (25, "noor", "group", 90, "planned", ""),
    ],
    "goals": [
        goal(
            "Ik wil met de wandelgroep van het buurthuis mee, elke dinsdag en donderdag.",
            "social",
            "Dan beweeg ik én zie ik mensen.",
            actions=[
                action(
                    "Aanmelden bij de wandelgroep Buurthuis De Pijler",
                    responsible="community",
                    name="Buurthuis De Pijler",
                    confidence=9,
                    done_at=3,
                )
            ],
        ),
        goal(
            "Ik wil met de groep leren koken met minder suiker.",
            "learning",
            "",
            actions=[action("Kookcursus 'Lekker en gezond' (4 avonden)", with_whom="de diabetesgroep", confidence=8)],
        ),
    ],
    "follow_ups": [
        follow_up("Groepsconsult diabetes", "Noor Bakker (POH)", method="group", frequency="elke 3 maanden", next_in=25)
    ],
}
