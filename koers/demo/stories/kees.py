"""Kees: COPD + heart failure, lonely."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "kees",
    "given": "Kees",
    "family": "van Dijk",
    "birth": D(1951, 7, 21),
    "gender": "male",
    "responsible": "noor",
    "team": ["gert"],
    "other_teams": ["wendy"],
    "profile": {
        "smoking": "former",
        "alcohol_units_per_week": 7,
        "exercise_minutes_per_week": 15,
        "sleep_hours_per_night": "6.0",
        "living_situation": "alone",
        "daytime_activity": "retired",
        "money_worries": False,
        "social_network": "low",
        "health_literacy": "moderate",
        "digital_skills": "low",
        "prefers_individual": True,
        "self_management_capacity": "moderate",
        "what_matters": "Sinds Riet er niet meer is, is het stil in huis. Ik wil weer onder de mensen komen.",
        "values": "Ik red me wel, maar alleen is maar alleen.",
    },
    "conditions": [
        ("COPD", "R95", "somatic", D(2012, 1, 1), ""),
        ("Hartfalen", "K77", "somatic", D(2022, 1, 1), ""),
        ("Eenzaamheid", "", "mental", D(2024, 1, 1), "Na overlijden van zijn vrouw."),
    ],
    "medication": [
        ("Tiotropium", "1 keer per dag", "COPD"),
        ("Furosemide", "40 mg, 1 keer per dag", "hart"),
        ("Bisoprolol", "5 mg, 1 keer per dag", "hart"),
    ],
    "support": {
        "level": "chain_care",
        "suggested": "chain_care",
        "reasons": ["COPD en hartfalen.", "Woont alleen, klein netwerk."],
        "agreed": True,
        "days": -30,
        "by": "noor",
    },
    "consults": [
        (
            -30,
            "noor",
            "in_person",
            30,
            "held",
            "Kees vertelt over eenzaamheid sinds het overlijden van Riet. Wijkteam ingeschakeld.",
        ),
        (18, "noor", "in_person", 30, "planned", ""),
    ],
    "goals": [
        goal(
            "Ik wil twee keer per week onder de mensen zijn.",
            "social",
            "",
            actions=[
                action(
                    "Met Wendy kennismaken bij het Odensehuis / buurtrestaurant",
                    responsible="community",
                    name="Wijkteam Centrum",
                    confidence=6,
                    review_in=10,
                )
            ],
        )
    ],
    "follow_ups": [
        follow_up("Benauwdheid, gewicht en hoe het gaat", "Noor Bakker (POH)", frequency="elke 6 weken", next_in=18)
    ],
}
