"""Wilma: early dementia, husband cares."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "wilma",
    "given": "Wilma",
    "family": "de Graaf",
    "birth": D(1946, 2, 28),
    "gender": "female",
    "responsible": "gert",
    "team": ["noor"],
    "other_teams": ["wendy"],
    "profile": {
        "smoking": "never",
        "alcohol_units_per_week": 2,
        "exercise_minutes_per_week": 60,
        "sleep_hours_per_night": "8.0",
        "living_situation": "partner",
        "daytime_activity": "retired",
        "money_worries": False,
        "social_network": "moderate",
        "health_literacy": "low",
        "digital_skills": "low",
        "prefers_group": True,
        "self_management_capacity": "low",
        "what_matters": "Samen met Jan thuis blijven. Zingen in het koor.",
        "values": "Jan beslist mee; hij kent mij het best.",
    },
    "conditions": [
        ("Dementie (beginnend)", "P70", "mental", D(2025, 1, 1), ""),
        ("Hypertensie", "K86", "somatic", D(2010, 1, 1), ""),
    ],
    "medication": [("Amlodipine", "5 mg, 1 keer per dag", "bloeddruk")],
    "support": {
        "level": "case_management",
        "suggested": "case_management",
        "reasons": ["Dementie.", "Mantelzorger (partner) zwaar belast."],
        "agreed": True,
        "days": -90,
        "by": "gert",
    },
    "consults": [
        (-90, "gert", "home", 45, "held", "Diagnose besproken met Wilma en Jan."),
        (21, "gert", "home", 30, "planned", ""),
    ],
    "goals": [
        goal(
            "Blijven zingen in het koor.",
            "meaning",
            "Muziek maakt me blij.",
            actions=[
                action(
                    "Jan brengt me elke donderdag naar de repetitie",
                    responsible="relative",
                    name="Jan (echtgenoot)",
                    confidence=9,
                )
            ],
        ),
        goal(
            "Jan wil een dag per week voor zichzelf.",
            "living",
            "",
            owner="relative",
            actions=[
                action(
                    "Dagbesteding op vrijdag aanvragen",
                    responsible="community",
                    name="Wijkteam Centrum",
                    confidence=6,
                    review_in=-1,
                )
            ],
        ),
    ],
    "follow_ups": [
        follow_up(
            "Hoe gaat het thuis (ook met Jan)?",
            "Gert de Vries (huisarts)",
            method="consult",
            frequency="elke 3 maanden",
            next_in=21,
        )
    ],
}
