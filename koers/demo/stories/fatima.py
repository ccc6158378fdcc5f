"""Fatima: anxiety."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, decision, follow_up, gas, goal, option

STORY = {
    "key": "fatima",
    "given": "Fatima",
    "family": "El Amrani",
    "birth": D(1991, 8, 11),
    "gender": "female",
    "responsible": "lisa",
    "team": ["gert"],
    "profile": {
        "smoking": "never",
        "alcohol_units_per_week": 0,
        "exercise_minutes_per_week": 60,
        "sleep_hours_per_night": "6.0",
        "living_situation": "family",
        "daytime_activity": "paid_work",
        "money_worries": False,
        "social_network": "high",
        "health_literacy": "high",
        "digital_skills": "high",
        "prefers_online": True,
        "self_management_capacity": "high",
        "what_matters": "Weer zelf met de tram naar mijn werk durven, en met de kinderen naar het zwembad.",
        "values": "Ik wil begrijpen wat er in mijn lichaam gebeurt bij een paniekaanval.",
    },
    "conditions": [("Paniekstoornis", "P74", "mental", D(2025, 3, 1), "")],
    "medication": [],
    "support": {
        "level": "self_management",
        "suggested": "self_management",
        "reasons": ["Eén aandoening, goed zelfmanagement-vermogen.", "Wil online werken."],
        "agreed": True,
        "days": -50,
        "by": "lisa",
    },
    "consults": [
        (
            -50,
            "lisa",
            "in_person",
            45,
            "held",
            "Uitleg over paniek. Fatima kiest voor online cognitieve gedragstherapie met begeleiding.",
        ),
        (-15, "lisa", "video", 30, "held", "Module 3 gedaan. Eén keer zelf met de tram (2 haltes)."),
        (20, "lisa", "video", 30, "planned", ""),
    ],
    "decisions": [
        decision(
            "Welke behandeling past bij de paniekklachten?",
            status="decided",
            consult=-50,
            what_matters="Geen medicijnen; ik wil het zelf leren.",
            options=[
                option(
                    "Online cognitieve gedragstherapie met begeleiding POH-GGZ",
                    pros="Thuis, in eigen tempo.",
                    cons="Zelfdiscipline nodig.",
                ),
                option("Sertraline", pros="Helpt bij veel mensen.", cons="Bijwerkingen."),
            ],
            chosen=0,
            rationale="Fatima wil het zelf leren en vindt online prettig.",
            aid=("Thuisarts: Paniekaanvallen", "https://www.thuisarts.nl/paniekaanval"),
        ),
    ],
    "goals": [
        goal(
            "Ik wil zelf met de tram naar mijn werk, zonder paniek.",
            "work",
            "Nu brengt mijn man me elke dag.",
            gas=gas(
                "Ik ga niet met de tram.",
                "Ik ga 2 haltes met iemand mee.",
                "Ik ga 2 haltes alleen.",
                "Ik ga de hele route alleen, soms.",
                "Ik ga elke werkdag alleen met de tram.",
            ),
            reviews=[(-15, 0, "Twee haltes alleen gelukt!", "lisa")],
            actions=[
                action(
                    "Elke dag een stukje verder met de tram (oefenladder)",
                    how_often="dagelijks",
                    obstacles="In de spits is het erg druk.",
                    plan="Eerst buiten de spits oefenen.",
                    confidence=6,
                    review_in=20,
                    progress=[(-8, True, "Vier haltes gelukt.", 7)],
                )
            ],
        ),
        goal("Met de kinderen naar het zwembad.", "social", "Ze vragen het elke week.", status="proposed", stage=3),
    ],
    "follow_ups": [
        follow_up(
            "Voortgang online therapie",
            "Lisa Jansen (POH-GGZ)",
            method="video",
            frequency="elke 3 weken",
            next_in=20,
        )
    ],
}
