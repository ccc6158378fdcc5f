"""Ricardo: alcohol and hypertension."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, decision, follow_up, goal, option

STORY = {
    "key": "ricardo",
    "given": "Ricardo",
    "family": "Martina",
    "birth": D(1987, 6, 14),
    "gender": "male",
    "responsible": "gert",
    "team": ["lisa"],
    "profile": {
        "smoking": "current",
        "alcohol_units_per_week": 35,
        "exercise_minutes_per_week": 30,
        "sleep_hours_per_night": "6.5",
        "living_situation": "alone",
        "daytime_activity": "paid_work",
        "money_worries": False,
        "social_network": "moderate",
        "health_literacy": "moderate",
        "digital_skills": "high",
        "prefers_online": True,
        "self_management_capacity": "moderate",
        "what_matters": "Mijn dochter elk weekend kunnen zien, en dan nuchter zijn.",
    },
    "conditions": [
        ("Alcoholmisbruik", "P15", "mental", D(2024, 1, 1), ""),
        ("Hypertensie", "K86", "somatic", D(2024, 3, 1), ""),
    ],
    "medication": [("Amlodipine", "5 mg, 1 keer per dag", "bloeddruk")],
    "support": {
        "level": "chain_care",
        "suggested": "chain_care",
        "reasons": ["Alcoholgebruik boven de norm.", "Hoge bloeddruk."],
        "agreed": True,
        "days": -35,
        "by": "gert",
    },
    "consults": [
        (-35, "gert", "in_person", 20, "held", "Gesprek over alcohol. Ricardo wil minderen."),
        (7, "lisa", "video", 30, "planned", ""),
    ],
    "decisions": [
        decision(
            "Minderen of helemaal stoppen met alcohol?",
            status="decided",
            consult=-35,
            what_matters="Ik wil het zelf in de hand hebben.",
            options=[
                option("Minderen naar maximaal 10 glazen per week", pros="Haalbaar.", cons="Makkelijk weer meer."),
                option("Drie maanden helemaal stoppen", pros="Duidelijk.", cons="Lastig op feestjes."),
            ],
            chosen=1,
            rationale="Ricardo kiest voor duidelijkheid: drie maanden niets.",
            aid=("Thuisarts: Alcohol", "https://www.thuisarts.nl/alcohol"),
        )
    ],
    "goals": [
        goal(
            "Drie maanden geen alcohol.",
            "health",
            "Voor mijn dochter.",
            stage=2,
            actions=[
                action("Drinkdagboek in de app bijhouden", how_often="dagelijks", confidence=7, stage=2, review_in=7)
            ],
        )
    ],
    "follow_ups": [
        follow_up("Alcohol en bloeddruk", "Lisa Jansen (POH-GGZ)", method="video", frequency="elke 2 weken", next_in=7)
    ],
}
