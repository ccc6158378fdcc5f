"""Lotte: bipolar disorder (EPA), work."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "lotte",
    "given": "Lotte",
    "family": "Willems",
    "birth": D(1992, 9, 12),
    "gender": "female",
    "responsible": "pieter",
    "team": ["sanne"],
    "profile": {
        "smoking": "former",
        "alcohol_units_per_week": 2,
        "exercise_minutes_per_week": 150,
        "sleep_hours_per_night": "7.5",
        "living_situation": "alone",
        "daytime_activity": "paid_work",
        "money_worries": False,
        "social_network": "moderate",
        "health_literacy": "high",
        "digital_skills": "high",
        "prefers_individual": True,
        "self_management_capacity": "high",
        "severe_mental_illness": True,
        "what_matters": "Mijn baan houden en mijn ritme bewaken.",
    },
    "conditions": [("Bipolaire stoornis", "P73", "mental", D(2016, 1, 1), "Stabiel sinds 2022.")],
    "medication": [("Lithiumcarbonaat", "800 mg, 1 keer per dag 's avonds", "stemming stabiel houden")],
    "support": {
        "level": "case_management",
        "suggested": "chain_care",
        "reasons": ["EPA, stabiel.", "Hoog zelfmanagement-vermogen."],
        "agreed": True,
        "note": "Lithiumcontroles bij de GGZ.",
        "days": -80,
        "by": "pieter",
    },
    "consults": [
        (-80, "pieter", "video", 20, "held", "Lithiumspiegel goed (0,7)."),
        (30, "pieter", "video", 20, "planned", ""),
    ],
    "goals": [
        goal(
            "Mijn slaapritme bewaken, ook in drukke weken.",
            "health",
            "Te weinig slaap is mijn belangrijkste signaal.",
            actions=[action("Slaap bijhouden in de app", how_often="dagelijks", confidence=9, review_in=30)],
        )
    ],
    "follow_ups": [
        follow_up(
            "Lithiumspiegel en nierfunctie",
            "Pieter van Leeuwen (psychiater)",
            frequency="elke 3 maanden",
            next_in=30,
        )
    ],
}
