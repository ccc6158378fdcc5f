"""Yusuf: diabetes and Ramadan."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, decision, follow_up, goal, option

STORY = {
    "key": "yusuf",
    "given": "Yusuf",
    "family": "Demir",
    "birth": D(1978, 8, 23),
    "gender": "male",
    "responsible": "noor",
    "team": ["gert"],
    "profile": {
        "smoking": "never",
        "alcohol_units_per_week": 0,
        "exercise_minutes_per_week": 90,
        "sleep_hours_per_night": "6.5",
        "living_situation": "family",
        "daytime_activity": "paid_work",
        "money_worries": False,
        "social_network": "high",
        "health_literacy": "moderate",
        "digital_skills": "moderate",
        "prefers_individual": True,
        "self_management_capacity": "moderate",
        "what_matters": "Veilig kunnen vasten tijdens de ramadan, samen met mijn familie.",
    },
    "conditions": [("Diabetes mellitus type 2", "T90", "somatic", D(2020, 2, 1), "")],
    "medication": [
        ("Metformine", "1000 mg, 2 keer per dag", "diabetes"),
        ("Gliclazide", "80 mg, 1 keer per dag", "diabetes"),
    ],
    "support": {
        "level": "chain_care",
        "suggested": "chain_care",
        "reasons": ["Diabetes met twee medicijnen."],
        "agreed": True,
        "days": -60,
        "by": "noor",
    },
    "consults": [
        (-60, "noor", "in_person", 30, "held", "Vasten besproken."),
        (40, "noor", "in_person", 30, "planned", ""),
    ],
    "decisions": [
        decision(
            "Hoe neem ik mijn medicijnen tijdens de ramadan?",
            status="decided",
            consult=-60,
            what_matters="Vasten is belangrijk voor mij; ik wil geen hypo.",
            options=[
                option(
                    "Gliclazide tijdens de ramadan bij de iftar en halveren",
                    pros="Minder kans op hypo overdag.",
                    cons="Vaker meten.",
                ),
                option("Niet vasten", pros="Geen risico.", cons="Past niet bij mijn geloof.", guideline=True),
            ],
            chosen=0,
            rationale="Yusuf wil vasten; met aangepaste medicatie en extra meten.",
        )
    ],
    "goals": [
        goal(
            "Veilig vasten tijdens de ramadan.",
            "meaning",
            "",
            stage=2,
            actions=[action("Glucose meten voor de suhoor en voor de iftar", stage=2, confidence=8)],
        )
    ],
    "follow_ups": [follow_up("Diabetescontrole", "Noor Bakker (POH)", frequency="elke 3 maanden", next_in=40)],
}
