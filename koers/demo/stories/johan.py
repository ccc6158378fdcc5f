"""Johan: low health literacy."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "johan",
    "given": "Johan",
    "family": "Smit",
    "birth": D(1964, 11, 3),
    "gender": "male",
    "responsible": "noor",
    "team": ["gert"],
    "profile": {
        "smoking": "current",
        "alcohol_units_per_week": 14,
        "exercise_minutes_per_week": 30,
        "sleep_hours_per_night": "7.0",
        "living_situation": "alone",
        "daytime_activity": "paid_work",
        "money_worries": True,
        "social_network": "low",
        "health_literacy": "low",
        "digital_skills": "low",
        "prefers_individual": True,
        "self_management_capacity": "low",
        "what_matters": "Blijven werken op de vuilniswagen. Niet te veel papieren.",
        "values": "Zeg het gewoon. Liever een plaatje dan een folder.",
    },
    "conditions": [
        ("Diabetes mellitus type 2", "T90", "somatic", D(2019, 5, 1), ""),
        ("Hypertensie", "K86", "somatic", D(2019, 5, 1), ""),
    ],
    "medication": [
        ("Metformine", "500 mg, 2 keer per dag", "suiker"),
        ("Lisinopril", "10 mg, 1 keer per dag", "bloeddruk"),
    ],
    "support": {
        "level": "chain_care",
        "suggested": "case_management",
        "reasons": ["Twee aandoeningen.", "Beperkte gezondheidsvaardigheden.", "Klein netwerk."],
        "agreed": True,
        "note": "Johan wil geen casemanager; ketenzorg met extra tijd per consult.",
        "days": -45,
        "by": "noor",
    },
    "consults": [
        (
            -45,
            "noor",
            "in_person",
            40,
            "held",
            "Extra tijd genomen. Uitleg met plaatjes. "
            "Johan herhaalt in eigen woorden: 'suiker hoog is slecht voor ogen en voeten'.",
        ),
        (-45, "gert", "in_person", 10, "held", "Voeten gecontroleerd: gevoel goed."),
        (15, "noor", "in_person", 40, "planned", ""),
    ],
    "agenda": [(15, "Pillen vergeten", "zz", "professional", "open", "Weekdoos uitleggen.")],
    "goals": [
        goal(
            "Mijn pillen niet meer vergeten.",
            "health",
            "Anders moet ik misschien spuiten.",
            actions=[
                action(
                    "Pillendoos met dagen, naast het koffiezetapparaat",
                    responsible="professional",
                    name="Noor Bakker (POH)",
                    confidence=9,
                    done_at=3,
                ),
                action(
                    "Elke ochtend bij de koffie mijn pillen nemen",
                    how_often="dagelijks",
                    confidence=7,
                    review_in=15,
                ),
            ],
        ),
    ],
    "follow_ups": [
        follow_up("Suiker, bloeddruk en pillen", "Noor Bakker (POH)", frequency="elke 3 maanden", next_in=15)
    ],
}
