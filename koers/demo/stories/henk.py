"""Henk: COPD, smokes."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, decision, follow_up, gas, goal, option

STORY = {
    "key": "henk",
    "given": "Henk",
    "family": "Visser",
    "birth": D(1959, 9, 2),
    "gender": "male",
    "responsible": "noor",
    "team": ["gert"],
    "profile": {
        "smoking": "current",
        "alcohol_units_per_week": 10,
        "exercise_minutes_per_week": 20,
        "sleep_hours_per_night": "7.0",
        "living_situation": "partner",
        "daytime_activity": "retired",
        "money_worries": False,
        "social_network": "high",
        "health_literacy": "moderate",
        "digital_skills": "low",
        "prefers_individual": True,
        "self_management_capacity": "moderate",
        "what_matters": "Mijn duiven. Ik wil de trap naar de til weer op kunnen zonder stil te staan.",
        "values": "Niet betuttelen. Ik rook al 45 jaar; als ik stop, doe ik het op mijn manier.",
    },
    "conditions": [("COPD", "R95", "somatic", D(2016, 1, 1), "GOLD 2, longfunctie 2024.")],
    "medication": [
        ("Tiotropium (Spiriva Respimat)", "2 pufjes, 1 keer per dag", "COPD"),
        ("Salbutamol", "100 microgram, zo nodig", "benauwdheid"),
    ],
    "support": {
        "level": "chain_care",
        "suggested": "chain_care",
        "reasons": ["COPD met dagelijkse klachten.", "Rookt.", "Gemiddeld zelfmanagement-vermogen."],
        "agreed": True,
        "days": -60,
        "by": "noor",
    },
    "consults": [
        (
            -60,
            "noor",
            "in_person",
            30,
            "held",
            "Longfunctie besproken. Henk is vaker benauwd op de trap. Stoppen met roken: hij wil erover nadenken.",
        ),
        (-10, "noor", "phone", 15, "held", "Henk heeft de keuzehulp gelezen. Denkt na over pleisters."),
        (12, "noor", "in_person", 30, "planned", ""),
    ],
    "preparation": {
        "consult": 12,
        "status": "draft",
        "how_are_you": 7,
        "most_important": "Stoppen met roken",
        "spheres": {"health": ("Ik ben benauwd op de trap.", "De trap op zonder stoppen.")},
    },
    "agenda": [
        (12, "Stoppen met roken: welke hulp?", "gg", "person", "open", ""),
        (12, "Inhalatietechniek controleren", "zz", "professional", "open", ""),
    ],
    "decisions": [
        decision(
            "Wilt u stoppen met roken, en zo ja: met welke hulp?",
            status="option_talk",
            consult=-10,
            what_matters="Zelf bepalen wanneer. Geen groep.",
            options=[
                option(
                    "Nicotinepleisters met begeleiding door de POH",
                    pros="Minder zin in roken.",
                    cons="Kost geld; soms huidirritatie.",
                ),
                option(
                    "Varenicline (tabletten) met begeleiding",
                    pros="Helpt veel mensen.",
                    cons="Misselijkheid, vreemde dromen.",
                ),
                option("Groepstraining stoppen met roken", pros="Steun van anderen.", cons="Henk wil geen groep."),
                option("Zelf stoppen zonder hulp", pros="Op eigen manier.", cons="Lukt minder vaak."),
            ],
            aid=("Thuisarts: Stoppen met roken", "https://www.thuisarts.nl/stoppen-met-roken"),
        ),
    ],
    "goals": [
        goal(
            "Ik wil de trap naar mijn duiventil weer op kunnen zonder stil te staan.",
            "daily",
            "Mijn duiven zijn mijn leven.",
            gas=gas(
                "Ik kom de trap niet meer op.",
                "Ik moet twee keer stilstaan.",
                "Ik moet één keer stilstaan.",
                "Ik loop de trap op zonder stoppen, langzaam.",
                "Ik loop de trap op zonder stoppen.",
            ),
            reviews=[(-10, -1, "Twee keer stilstaan.", "noor")],
            actions=[
                action(
                    "Elke dag een kwartier wandelen met de hond",
                    when="na de koffie",
                    how_often="dagelijks",
                    obstacles="Bij mist ben ik benauwder.",
                    plan="Dan binnen de trap op en neer, vijf keer.",
                    confidence=6,
                    review_in=12,
                ),
                action(
                    "Inhalatietechniek laten controleren",
                    responsible="professional",
                    name="Noor Bakker (POH)",
                    confidence=10,
                    review_in=12,
                ),
            ],
        ),
    ],
    "follow_ups": [
        follow_up("Longklachten, inhalatie en roken", "Noor Bakker (POH)", frequency="elke 6 maanden", next_in=12),
    ],
    "versions": {1: (-60, "Doel en acties na de longfunctie"), 2: (-10, "Vervolgafspraak vastgelegd")},
}
