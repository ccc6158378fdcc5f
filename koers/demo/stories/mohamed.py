"""Mohamed: hypertension with money worries."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, follow_up, goal

STORY = {
    "key": "mohamed",
    "given": "Mohamed",
    "family": "Yilmaz",
    "birth": D(1973, 1, 19),
    "gender": "male",
    "responsible": "noor",
    "other_teams": ["wendy"],
    "profile": {
        "smoking": "former",
        "alcohol_units_per_week": 0,
        "exercise_minutes_per_week": 45,
        "sleep_hours_per_night": "5.0",
        "living_situation": "family",
        "daytime_activity": "paid_work",
        "money_worries": True,
        "social_network": "moderate",
        "health_literacy": "moderate",
        "digital_skills": "moderate",
        "prefers_individual": True,
        "self_management_capacity": "moderate",
        "what_matters": "Rust in mijn hoofd. De schulden zitten me meer dwars dan mijn bloeddruk.",
        "values": "Mijn gezin gaat voor. Ik schaam me voor de schulden.",
    },
    "conditions": [("Hypertensie", "K86", "somatic", D(2020, 1, 1), "")],
    "medication": [
        ("Amlodipine", "5 mg, 1 keer per dag", "bloeddruk"),
        ("Hydrochloorthiazide", "12,5 mg, 1 keer per dag", "bloeddruk"),
    ],
    "support": {
        "level": "chain_care",
        "suggested": "chain_care",
        "reasons": ["Hoge bloeddruk ondanks twee medicijnen.", "Geldzorgen en stress."],
        "agreed": True,
        "days": -40,
        "by": "noor",
    },
    "consults": [
        (
            -40,
            "noor",
            "in_person",
            20,
            "held",
            "Bloeddruk 158/96. Mohamed vertelt over schulden. Met zijn toestemming doorverwezen naar het wijkteam.",
        ),
        (-12, "noor", "phone", 10, "cancelled", ""),
        (3, "noor", "in_person", 20, "planned", ""),
    ],
    "preparation": {
        "consult": 3,
        "status": "submitted",
        "how_are_you": 4,
        "most_important": "Ik slaap slecht door de rekeningen.",
        "spheres": {"environment": ("Veel brieven van incassobureaus.", "Eén afspraak per maand voor alle schulden.")},
    },
    "agenda": [
        (3, "Slapen en stress", "gg", "person", "open", ""),
        (3, "Bloeddruk thuis gemeten", "zz", "professional", "open", ""),
    ],
    "goals": [
        goal(
            "Ik wil weer grip op mijn geld, zodat ik 's nachts kan slapen.",
            "living",
            "Mijn vrouw en kinderen merken mijn stress.",
            actions=[
                action(
                    "Samen met Wendy alle brieven sorteren",
                    responsible="community",
                    name="Wendy Hoekstra (wijkteam)",
                    with_whom="Wendy",
                    confidence=7,
                    review_in=-4,
                ),
                action(
                    "Aanmelden bij de schuldhulpverlening van de gemeente",
                    confidence=6,
                    obstacles="Ik schaam me.",
                    plan="Wendy gaat mee naar het eerste gesprek.",
                    done_at=3,
                ),
            ],
        ),
        goal(
            "Mijn bloeddruk onder de 140 krijgen.",
            "health",
            "Mijn vader kreeg op zijn 55e een beroerte.",
            actions=[
                action(
                    "Elke dag 2 keer bloeddruk meten en noteren",
                    how_often="een week lang",
                    confidence=8,
                    review_in=3,
                )
            ],
        ),
    ],
    "follow_ups": [
        follow_up("Bloeddruk en stress", "Noor Bakker (POH)", frequency="elke 4 weken", next_in=3),
        follow_up(
            "Voortgang schuldhulp", "Wendy Hoekstra (wijkteam)", method="phone", frequency="elke 2 weken", next_in=8
        ),
    ],
}
