"""Gerda: heart failure, multimorbidity."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, decision, follow_up, goal, option

STORY = {
    "key": "gerda",
    "given": "Gerda",
    "family": "Mulder",
    "birth": D(1941, 12, 24),
    "gender": "female",
    "responsible": "gert",
    "team": ["noor"],
    "other_teams": ["wendy"],
    "profile": {
        "smoking": "never",
        "alcohol_units_per_week": 1,
        "exercise_minutes_per_week": 30,
        "sleep_hours_per_night": "6.0",
        "living_situation": "alone",
        "daytime_activity": "retired",
        "money_worries": False,
        "social_network": "low",
        "health_literacy": "low",
        "digital_skills": "low",
        "prefers_individual": True,
        "self_management_capacity": "low",
        "what_matters": "Zo lang mogelijk in mijn eigen huis blijven wonen, met mijn kat Minoes.",
        "values": "Ik wil niet elke week naar de dokter. Liever minder pillen dan langer leven.",
    },
    "conditions": [
        ("Hartfalen", "K77", "somatic", D(2019, 4, 1), "Ejectiefractie 35%."),
        ("Atriumfibrilleren", "K78", "somatic", D(2018, 1, 1), ""),
        ("Diabetes mellitus type 2", "T90", "somatic", D(2005, 1, 1), ""),
        ("Artrose van de knie", "L90", "somatic", D(2012, 1, 1), "Beide knieën."),
        ("Nierfunctie verminderd", "", "somatic", D(2021, 1, 1), "eGFR 42."),
    ],
    "medication": [
        ("Furosemide", "40 mg, 1 keer per dag 's ochtends", "vocht vasthouden"),
        ("Bisoprolol", "2,5 mg, 1 keer per dag", "hart"),
        ("Enalapril", "10 mg, 2 keer per dag", "hart"),
        ("Spironolacton", "25 mg, 1 keer per dag", "hart"),
        ("Apixaban", "2,5 mg, 2 keer per dag", "bloedverdunning"),
        ("Metformine", "500 mg, 2 keer per dag", "diabetes"),
        ("Paracetamol", "1000 mg, 3 keer per dag", "knieën"),
        ("Omeprazol", "20 mg, 1 keer per dag", "maagbescherming"),
        ("Atorvastatine", "20 mg, 1 keer per dag", "cholesterol"),
    ],
    "support": {
        "level": "case_management",
        "suggested": "case_management",
        "reasons": [
            "Vijf chronische aandoeningen en negen medicijnen.",
            "Woont alleen, klein netwerk.",
            "Beperkte gezondheidsvaardigheden.",
        ],
        "agreed": True,
        "note": "Casemanagement door de huisarts, met de POH en het wijkteam.",
        "days": -100,
        "by": "gert",
    },
    "consults": [
        (
            -100,
            "gert",
            "home",
            45,
            "held",
            "Huisbezoek: medicatiereview. Gerda wil minder pillen; ze laat de keuze welke eerst aan de huisarts over.",
        ),
        (-30, "noor", "home", 30, "held", "Gewicht stabiel, enkels iets dik. Weegt zich elke ochtend."),
        (9, "gert", "home", 30, "planned", ""),
    ],
    "agenda": [
        (9, "Welke pillen kunnen eraf?", "zz", "person", "open", ""),
        (9, "Hulp bij boodschappen", "gg", "professional", "open", ""),
    ],
    "decisions": [
        decision(
            "Met welk medicijn stoppen we als eerste?",
            status="decided",
            consult=-100,
            participation="professional",
            what_matters="Minder pillen, maar ik wil niet benauwd worden. De dokter weet het beter.",
            options=[
                option("Eerst stoppen met omeprazol", pros="Weinig risico.", cons="Kans op maagklachten."),
                option(
                    "Eerst de metformine verlagen",
                    pros="Minder kans op te lage suiker.",
                    cons="Suiker kan stijgen.",
                ),
                option("Alles laten zoals het is", pros="Niets verandert.", cons="Negen pillen per dag blijven."),
            ],
            chosen=0,
            rationale="Gerda laat de keuze aan de huisarts over. Omeprazol eerst, omdat dat het minste risico "
            "geeft; over 6 weken bekijken we het volgende medicijn.",
        ),
    ],
    "goals": [
        goal(
            "Ik wil in mijn eigen huis blijven wonen.",
            "living",
            "Hier heb ik 50 jaar gewoond.",
            actions=[
                action(
                    "Elke ochtend wegen en opschrijven",
                    when="na het opstaan",
                    how_often="dagelijks",
                    obstacles="Ik vergeet het soms.",
                    plan="Weegschaal naast de wc.",
                    confidence=7,
                    review_in=9,
                ),
                action(
                    "Aanvraag hulp bij het huishouden (Wmo)",
                    responsible="community",
                    name="Wijkteam Centrum (Wendy)",
                    confidence=8,
                    review_in=-5,
                ),
            ],
        ),
        goal(
            "Ik wil elke week naar het koffie-uurtje in de wijk.",
            "social",
            "Ik zit te veel alleen.",
            stage=3,
            actions=[action("Buurtbus bellen op dinsdag", responsible="person", confidence=5, stage=3)],
        ),
    ],
    "follow_ups": [
        follow_up(
            "Gewicht, enkels en medicijnen",
            "Noor Bakker (POH)",
            method="phone",
            frequency="elke 2 weken",
            next_in=4,
        ),
        follow_up(
            "Medicatiereview", "Gert de Vries (huisarts)", method="consult", frequency="elk half jaar", next_in=9
        ),
    ],
    "versions": {
        1: (-100, "Doelen na het huisbezoek"),
        2: (-100, "Besluit medicatie afbouwen"),
        3: (-30, "Nieuw doel: koffie-uurtje"),
    },
}
