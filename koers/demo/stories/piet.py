"""Piet: after a stroke."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, decision, follow_up, goal, option

STORY = {
    "key": "piet",
    "given": "Piet",
    "family": "Dekker",
    "birth": D(1957, 5, 5),
    "gender": "male",
    "responsible": "noor",
    "team": ["gert"],
    "profile": {
        "smoking": "former",
        "alcohol_units_per_week": 5,
        "exercise_minutes_per_week": 100,
        "sleep_hours_per_night": "7.0",
        "living_situation": "partner",
        "daytime_activity": "retired",
        "money_worries": False,
        "social_network": "high",
        "health_literacy": "moderate",
        "digital_skills": "moderate",
        "prefers_group": True,
        "self_management_capacity": "moderate",
        "what_matters": "Weer zelf autorijden naar de volkstuin.",
    },
    "conditions": [
        ("CVA (herseninfarct)", "K90", "somatic", D(2024, 11, 1), "Restverschijnselen linkerhand."),
        ("Hypertensie", "K86", "somatic", D(2015, 1, 1), ""),
        ("Verhoogd cholesterol", "T93", "somatic", D(2015, 1, 1), ""),
    ],
    "medication": [
        ("Clopidogrel", "75 mg, 1 keer per dag", "bloedverdunning"),
        ("Atorvastatine", "40 mg, 1 keer per dag", "cholesterol"),
        ("Perindopril", "4 mg, 1 keer per dag", "bloeddruk"),
    ],
    "support": {
        "level": "chain_care",
        "suggested": "chain_care",
        "reasons": ["Na een CVA, hoog risico."],
        "agreed": True,
        "days": -150,
        "by": "noor",
    },
    "consults": [
        (-150, "noor", "in_person", 30, "held", "Cardiovasculair risicomanagement gestart."),
        (30, "noor", "in_person", 20, "planned", ""),
    ],
    "decisions": [
        decision(
            "Cholesterolverlager hoger doseren?",
            status="decided",
            consult=-150,
            what_matters="Geen spierpijn; wel een nieuw infarct voorkomen.",
            options=[
                option("Atorvastatine 40 mg", pros="Grotere risicoverlaging.", cons="Soms spierpijn."),
                option("Atorvastatine 20 mg houden", pros="Minder bijwerkingen.", cons="Minder risicoverlaging."),
            ],
            chosen=0,
            rationale="Piet wil alles doen om een nieuw infarct te voorkomen.",
        )
    ],
    "goals": [
        goal(
            "Weer zelf autorijden naar de volkstuin.",
            "daily",
            "",
            target_in=120,
            actions=[action("Rijtest aanvragen bij het CBR", confidence=6, review_in=30)],
        )
    ],
    "follow_ups": [follow_up("Bloeddruk en cholesterol", "Noor Bakker (POH)", frequency="elk half jaar", next_in=30)],
}
