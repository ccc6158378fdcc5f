"""Daan: psychosis in recovery, with his mother."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, decision, follow_up, gas, goal, option

STORY = {
    "key": "daan",
    "given": "Daan",
    "family": "Kok",
    "birth": D(2003, 5, 30),
    "gender": "male",
    "account": "daan",
    "responsible": "pieter",
    "team": ["sanne", "jeroen"],
    "other_teams": ["wendy"],  # joins by the coordinator's invitation (the wijkteam helps with money)
    "profile": {
        "smoking": "current",
        "alcohol_units_per_week": 4,
        "exercise_minutes_per_week": 120,
        "sleep_hours_per_night": "9.0",
        "living_situation": "family",
        "daytime_activity": "none",
        "money_worries": True,
        "social_network": "moderate",
        "health_literacy": "moderate",
        "digital_skills": "high",
        "prefers_individual": True,
        "prefers_online": True,
        "self_management_capacity": "moderate",
        "severe_mental_illness": True,
        "what_matters": "Weer gewoon meedoen: werken, mijn eigen kamer, vrienden. Niet meer opgenomen worden.",
        "values": "Ik wil serieus genomen worden. Mijn moeder mag meedenken, maar ik beslis.",
    },
    "conditions": [
        (
            "Psychose, in herstel",
            "P98",
            "mental",
            D(2023, 2, 1),
            "Eerste psychose 2023, opname 6 weken. Sindsdien geen terugval.",
        ),
        ("Cannabisgebruik (gestopt)", "", "mental", D(2021, 1, 1), ""),
    ],
    "condition_status": {"Cannabisgebruik (gestopt)": "remission"},
    "medication": [("Aripiprazol", "10 mg, 1 keer per dag", "psychose (voorkomen van terugval)")],
    "support": {
        "level": "case_management",
        "suggested": "case_management",
        "reasons": ["Ernstige psychische aandoening (EPA), in herstel.", "Geldzorgen.", "Geen dagbesteding."],
        "agreed": True,
        "days": -120,
        "by": "pieter",
    },
    "consults": [
        (
            -56,
            "pieter",
            "in_person",
            45,
            "held",
            "Geen psychotische klachten. Daan wil de aripiprazol afbouwen. "
            "Samen besloten: eerst werk zoeken, afbouwen over een half jaar opnieuw bespreken.",
        ),
        (-21, "jeroen", "in_person", 60, "held", "Samen naar het IPS-spreekuur geweest."),
        (14, "pieter", "in_person", 30, "planned", ""),
    ],
    "preparation": {
        "consult": 14,
        "status": "submitted",
        "how_are_you": 7,
        "most_important": "Ik heb een proefplaats bij de fietsenmaker. Kan ik daar 3 dagen werken?",
        "spheres": {
            "health": ("Ik slaap veel, soms 10 uur.", "Om 8 uur op kunnen voor mijn werk."),
            "own_way": ("Ik merk zelf wanneer het minder gaat.", "Dat ik dat op tijd tegen iemand zeg."),
            "activities": ("Gamen en fietsen.", "Drie dagen per week werken bij de fietsenmaker."),
            "environment": ("Ik woon bij mijn moeder.", "Een eigen kamer in de stad."),
        },
    },
    "agenda": [
        (14, "Werken bij de fietsenmaker", "gg", "person", "open", ""),
        (14, "Slaperigheid door medicatie?", "zz", "person", "open", ""),
        (14, "Jaarlijkse lichamelijke screening", "zz", "professional", "open", ""),
    ],
    "decisions": [
        decision(
            "Aripiprazol nu afbouwen of later?",
            status="decided",
            consult=-56,
            what_matters="Ik wil niet meer opgenomen worden, maar ook niet de hele dag slapen.",
            options=[
                option(
                    "Nu langzaam afbouwen",
                    pros="Minder slaperig.",
                    cons="Meer kans op terugval.",
                    short="Eerste maanden extra contact.",
                    long="Kans op terugval ongeveer 1 op 2.",
                ),
                option(
                    "Over een half jaar opnieuw bekijken",
                    pros="Eerst werk stabiel.",
                    cons="Langer slaperig.",
                    mid="Na een half jaar opnieuw beslissen.",
                ),
            ],
            chosen=1,
            rationale="Daan wil eerst aan het werk; afbouwen in een rustige periode.",
            aid=("Keuzehulp antipsychotica (GGZ Standaarden)", "https://www.ggzstandaarden.nl"),
        ),
    ],
    "goals": [
        goal(
            "Ik wil drie dagen per week werken bij de fietsenmaker.",
            "work",
            "Geld verdienen en ergens bij horen.",
            gas=gas(
                "Ik werk niet.",
                "Ik loop een dag per week mee.",
                "Ik werk 2 dagen per week.",
                "Ik werk 3 dagen per week.",
                "Ik werk 3 dagen en heb een contract.",
            ),
            reviews=[(-21, -1, "Meeloopdag gepland.", "jeroen")],
            actions=[
                action(
                    "Elke dinsdag naar het IPS-spreekuur",
                    with_whom="Jeroen (ervaringsdeskundige)",
                    confidence=8,
                    review_in=14,
                ),
                action(
                    "Wekker om 7:30 en samen met mama ontbijten",
                    responsible="person",
                    obstacles="Ik ben 's ochtends erg moe.",
                    plan="Vroeg naar bed op maandag.",
                    confidence=5,
                    review_in=-3,
                ),
            ],
        ),
        goal(
            "Ik wil een eigen kamer in de stad.",
            "living",
            "Zelfstandig zijn, net als mijn vrienden.",
            actions=[
                action(
                    "Inschrijven bij WoningNet",
                    responsible="relative",
                    name="Ingrid (moeder)",
                    confidence=9,
                    done_at=3,
                )
            ],
        ),
        goal(
            "Ik wil mijn eigen vroege signalen kennen en delen met mijn moeder.",
            "health",
            "Dan kan ik op tijd aan de bel trekken.",
            stage=2,
            actions=[
                action(
                    "Signaleringsplan maken met Sanne",
                    responsible="professional",
                    name="Sanne Meijer (psycholoog)",
                    confidence=7,
                    stage=2,
                )
            ],
        ),
    ],
    "follow_ups": [
        follow_up(
            "Hoe gaat het met werk, slaap en medicatie?",
            "Pieter van Leeuwen (psychiater)",
            frequency="elke 6 weken",
            next_in=14,
        ),
        follow_up(
            "Jaarlijkse somatische screening (gewicht, bloeddruk, bloedsuiker, cholesterol)",
            "Huisartsenpraktijk De Linde",
            frequency="elk jaar",
            next_in=40,
        ),
    ],
    # The crisis plan he made with Sanne (his mother Ingrid may see it: stories/cast.py).
    "crisis_plan": {
        "by": "sanne",
        "days": -7,
        "phases": {
            "going_well": {
                "signs": ["Ik slaap 8 of 9 uur", "Ik ga fietsen en zie vrienden", "Ik heb zin om te werken"],
                "self_care": ["Op tijd naar bed", "Mijn medicijnen elke avond innemen", "Geen blowen"],
            },
            "early_signs": {
                "signs": [
                    "Ik slaap minder dan 6 uur",
                    "Ik trek me terug op mijn kamer",
                    "Ik denk dat mensen over mij praten",
                    "Ik ben snel geïrriteerd",
                ],
                "triggers": ["Weinig slapen", "Ruzie thuis", "Blowen", "Drukte op het werk"],
                "self_care": [
                    "Mijn moeder of Sanne vertellen hoe het gaat",
                    "Een dag rust nemen",
                    "Niet gamen na 23 uur",
                ],
                "others_do": ["Rustig vragen hoe het gaat", "Mij helpen met een vast dagritme"],
                "others_avoid": ["Niet in discussie gaan over wat ik denk", "Niet over mij praten waar ik bij ben"],
                "contacts": [
                    ("Sanne Meijer", "psycholoog", "088 1234567"),
                    ("Ingrid Kok", "moeder", "06 12345678"),
                ],
            },
            "crisis": {
                "signs": ["Ik hoor stemmen", "Ik slaap niet meer", "Ik ben bang en vertrouw niemand"],
                "others_do": ["Blijf rustig en praat kort en duidelijk", "Bel de crisisdienst"],
                "others_avoid": ["Geen politie aan de deur als het niet hoeft", "Niet met veel mensen tegelijk"],
                "contacts": [
                    ("Crisisdienst GGZ (buiten kantoortijd)", "", "088 7654321"),
                    ("Pieter van Leeuwen", "psychiater", "088 1234568"),
                    ("113 Zelfmoordpreventie", "", "113"),
                ],
            },
        },
        "agreements": {
            "takeover": "Mijn moeder mag mijn post en mijn afspraken met werk regelen.",
            "medication_wishes": "Liever aripiprazol omhoog dan iets anders. Geen haloperidol: ik werd er stijf van.",
            "where_to_go": "Liever thuis met extra hulp (IHT). Als opname nodig is: de kliniek in Oost, niet ver weg.",
            "care_for_others": "Mijn moeder zorgt voor mijn kat Pip.",
        },
    },
    "versions": {
        1: (-120, "Herstelplan opgesteld"),
        2: (-56, "Besluit over de medicatie"),
        3: (-21, "Aanmelding woning gedaan"),
    },
}
