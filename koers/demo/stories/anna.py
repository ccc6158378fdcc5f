"""Anna: the richest plan."""

from __future__ import annotations

from koers.demo.stories.builders import D, action, decision, follow_up, gas, goal, option

STORY = {
    "key": "anna",
    "given": "Anna",
    "family": "de Boer",
    "birth": D(1968, 3, 14),
    "gender": "female",
    "account": "anna",
    "phone": "06-12345678",
    "email": "anna.deboer@example.nl",
    "responsible": "noor",
    "team": ["gert", "lisa"],
    "profile": {
        "smoking": "former",
        "alcohol_units_per_week": 3,
        "exercise_minutes_per_week": 90,
        "sleep_hours_per_night": "5.5",
        "living_situation": "partner",
        "daytime_activity": "paid_work",
        "money_worries": False,
        "social_network": "moderate",
        "health_literacy": "high",
        "digital_skills": "high",
        "prefers_individual": True,
        "prefers_online": True,
        "self_management_capacity": "moderate",
        "what_matters": (
            "Dat ik weer energie heb voor mijn kleinzoon Sem en voor mijn werk in de bibliotheek. "
            "Ik wil zelf de regie houden over mijn diabetes, zonder dat het mijn hele leven bepaalt."
        ),
        "values": (
            "Eerlijk zijn, ook als het niet goed gaat. Ik wil meebeslissen over mijn behandeling. "
            "Liever wandelen in het bos dan naar de sportschool."
        ),
    },
    "conditions": [
        ("Diabetes mellitus type 2", "T90", "somatic", D(2017, 6, 1), "Ontdekt bij een bloedonderzoek."),
        ("Depressie", "P76", "mental", D(2023, 10, 1), "Sinds het overlijden van haar moeder."),
        ("Verhoogd cholesterol", "T93", "somatic", D(2019, 2, 1), ""),
    ],
    "medication": [
        ("Metformine", "1000 mg, 2 keer per dag", "diabetes"),
        ("Sertraline", "50 mg, 1 keer per dag", "somberheid"),
        ("Atorvastatine", "20 mg, 1 keer per dag 's avonds", "cholesterol"),
    ],
    "support": {
        "level": "chain_care",
        "suggested": "chain_care",
        "reasons": [
            "Diabetes type 2 en een depressie: twee aandoeningen die elkaar beïnvloeden.",
            "Zelfmanagement-vermogen: gemiddeld.",
            "Goede gezondheids- en digitale vaardigheden.",
        ],
        "agreed": True,
        "note": "Samen besproken: ketenzorg diabetes bij de POH, met steun van de POH-GGZ bij de somberheid.",
        "days": -84,
        "by": "noor",
    },
    "consults": [
        (
            -84,
            "noor",
            "in_person",
            30,
            "held",
            "Jaarcontrole diabetes en kennismaking. HbA1c 62 mmol/mol. Anna "
            "voelt zich somber en moe; ze wil vooral weer energie. Eerste doelen samen opgesteld.",
        ),
        (
            -42,
            "lisa",
            "video",
            30,
            "held",
            "Gesprek over de somberheid en het piekeren. Anna kiest voor vijf "
            "gesprekken bij de POH-GGZ en wandelen; sertraline blijft 50 mg.",
        ),
        (
            -14,
            "noor",
            "phone",
            15,
            "held",
            "Wandelen gaat goed (vier keer per week). Slapen is nog lastig. Zelf gemeten glucose nuchter 7 à 8.",
        ),
        (-20, "gert", "in_person", 10, "cancelled", ""),
        (6, "noor", "in_person", 30, "planned", ""),
        (34, "lisa", "video", 30, "planned", ""),
    ],
    "preparation": {
        "consult": 6,
        "status": "submitted",
        "how_are_you": 6,
        "most_important": "Mijn slaap, en of de metformine omlaag kan nu mijn suikers beter zijn.",
        "spheres": {
            "health": (
                "Mijn suikers zijn beter sinds ik wandel, maar ik slaap slecht en word moe wakker.",
                "Uitgerust wakker worden en mijn HbA1c onder de 53 houden.",
            ),
            "own_way": (
                "Ik houd mijn waarden bij in een schriftje en in de app.",
                "Zelf mijn medicijnen kunnen bijstellen, met een duidelijk plan van de POH.",
            ),
            "activities": (
                "Ik werk 24 uur en wandel drie keer per week. Na het werk ben ik op.",
                "Op woensdag weer met Sem naar de kinderboerderij kunnen.",
            ),
            "environment": (
                "Rob steunt me, maar hij kookt graag vet.",
                "Dat we samen gezonder koken: één keer per week een nieuw recept.",
            ),
        },
        # The sentences to finish of the four spheres model (keys of koers.consults.spheres).
        "prompts": {
            "health": {
                "bothered_by": "moe zijn, vooral 's middags op mijn werk",
                "important_for_health": "goed slapen en elke dag bewegen",
                "want_to_change": "eerder naar bed en minder piekeren",
            },
            "own_way": {
                "find_important": "ik zelf mag kiezen, ook als het anders gaat dan de richtlijn",
                "solutions_now": "dingen op te schrijven en ze met Els te bespreken",
                "support_wanted": "het afbouwen van medicijnen",
            },
            "activities": {
                "like_to_do": "wandelen, lezen en met Sem naar de kinderboerderij",
                "not_going_well": "sporten na het werk; dan ben ik te moe",
                "looking_for_solutions": "een vaste middag vrij voor Sem",
            },
            "environment": {
                "support_of_environment": "goed: Rob en Els helpen, mijn dochter ook",
                "would_like_changed": "we thuis gezonder zouden eten",
            },
        },
    },
    "agenda": [
        (-84, "Moe en somber", "gg", "person", "discussed", "Sinds de zomer zit ik er doorheen."),
        (-84, "HbA1c te hoog", "zz", "professional", "discussed", "HbA1c 62; doel onder 53."),
        (6, "Slecht slapen", "gg", "person", "open", "Ik word om 4 uur wakker en lig dan te piekeren."),
        (6, "Kan de metformine omlaag?", "zz", "person", "open", ""),
        (6, "Jaarcontrole: voeten en ogen", "zz", "professional", "open", ""),
        (6, "Samen gezonder koken met Rob", "gg", "person", "open", ""),
    ],
    "decisions": [
        decision(
            "Hoe pakken we de somberheid aan?",
            status="decided",
            key="somberheid",
            consult=-42,
            participation="together",
            what_matters="Geen extra medicijnen als het kan; iets wat in mijn dagritme past.",
            options=[
                option(
                    "Vijf gesprekken bij de POH-GGZ",
                    pros="Dichtbij, in de eigen praktijk. Aandacht voor piekeren en slaap.",
                    cons="Twee weken wachttijd.",
                    short="Wekelijks een gesprek.",
                    mid="Na 6–8 weken vaak minder piekeren.",
                ),
                option(
                    "Sertraline verhogen naar 100 mg",
                    pros="Bij een deel van de mensen werkt een hogere dosis beter.",
                    cons="Meer kans op bijwerkingen, zoals misselijkheid en slecht slapen.",
                    short="Effect pas na 4–6 weken.",
                ),
                option(
                    "Online zelfhulpprogramma",
                    pros="Zelf bepalen wanneer.",
                    cons="Minder persoonlijk contact.",
                ),
                option(
                    "Afwachten en over 6 weken opnieuw kijken",
                    pros="Geen extra behandeling.",
                    cons="Klachten kunnen blijven of erger worden.",
                    guideline=False,
                ),
            ],
            chosen=0,
            rationale="Anna wil eerst zonder extra medicijnen verder en vindt het fijn om met iemand te "
            "praten. Wandelen doet ze zelf.",
            aid=("Thuisarts: Depressie", "https://www.thuisarts.nl/depressie"),
        ),
        decision(
            "Metformine verlagen of gelijk houden?",
            status="thinking",
            stage=3,
            consult=-14,
            participation="together",
            what_matters="Liever minder medicijnen, maar ik wil geen schommelende suikers.",
            think_days=5,
            options=[
                option(
                    "Gelijk houden (1000 mg, 2 keer per dag)",
                    pros="Suikers blijven waarschijnlijk stabiel.",
                    cons="Soms last van de maag.",
                ),
                option(
                    "Verlagen naar 500 mg, 2 keer per dag",
                    description="Over 3 maanden HbA1c opnieuw meten.",
                    pros="Minder maagklachten, minder medicijnen.",
                    cons="HbA1c kan weer stijgen.",
                    mid="Na 3 maanden weten we of het lukt.",
                ),
            ],
            aid=("Thuisarts: Diabetes type 2", "https://www.thuisarts.nl/diabetes-type-2"),
        ),
    ],
    "goals": [
        goal(
            "Ik wil mijn bloedsuiker zelf leren meten en begrijpen wat de getallen betekenen.",
            "learning",
            "Dan kan ik zelf bijsturen en hoef ik niet steeds te bellen.",
            completed_at=3,
            actions=[
                action(
                    "Uitleg over de glucosemeter bij Noor",
                    when="bij het volgende consult",
                    responsible="professional",
                    name="Noor Bakker (POH)",
                    confidence=9,
                    done_at=2,
                ),
                action(
                    "Twee weken lang elke ochtend nuchter meten en opschrijven",
                    when="elke ochtend voor het ontbijt",
                    how_often="dagelijks, twee weken",
                    where="thuis",
                    confidence=8,
                    done_at=3,
                    progress=[(-60, True, "Elke dag gelukt, waarden tussen 7 en 9.", 8)],
                ),
            ],
        ),
        goal(
            "Ik wil weer uitgerust wakker worden, zodat ik de dag aankan.",
            "health",
            "Als ik moe ben, eet ik slechter en word ik somberder.",
            gas=gas(
                "Ik slaap minder dan 5 uur en word vaak wakker.",
                "Ik slaap 5–6 uur; 1–2 nachten per week slaap ik goed.",
                "Ik slaap 6–7 uur; 3–4 nachten per week slaap ik goed.",
                "Ik slaap 7 uur; 5 nachten per week slaap ik goed.",
                "Ik slaap bijna elke nacht 7 uur door.",
            ),
            weight=2,
            target_in=60,
            reviews=[(-42, -1, "Nog vaak wakker om 4 uur.", "lisa"), (-14, 0, "Beter sinds vaste tijden.", "noor")],
            actions=[
                action(
                    "Elke avond om 23 uur naar bed en om 7 uur op, ook in het weekend",
                    when="elke dag",
                    how_often="dagelijks",
                    where="thuis",
                    obstacles="Op zaterdag blijven we vaak laat bij mijn dochter.",
                    plan="Dan sta ik zondag toch om 8 uur op.",
                    confidence=6,
                    review_in=6,
                    changes={3: {"confidence": 8}},
                    progress=[
                        (-30, True, "Vijf van de zeven dagen gelukt.", 6),
                        (-10, True, "Gaat steeds beter.", 8),
                    ],
                ),
                action(
                    "Na 22 uur geen telefoon of tv meer; een boek lezen",
                    when="elke avond",
                    where="thuis",
                    obstacles="Rob kijkt graag laat tv.",
                    plan="Ik ga dan in de slaapkamer lezen.",
                    confidence=6,
                    stage=3,
                    review_in=6,
                ),
            ],
        ),
        goal(
            "Ik wil drie keer per week een half uur wandelen, het liefst met mijn buurvrouw Els.",
            "health",
            "Wandelen maakt mijn hoofd leeg en helpt mijn suiker.",
            gas=gas(
                "Ik wandel niet.",
                "Ik wandel 1 keer per week.",
                "Ik wandel 3 keer per week een half uur.",
                "Ik wandel 4 keer per week een half uur.",
                "Ik wandel 5 keer per week of vaker.",
            ),
            reviews=[(-42, 0, "Drie keer per week gelukt.", "lisa"), (-14, 1, "Vier keer deze week!", "noor")],
            actions=[
                action(
                    "Wandelen met Els in het park",
                    when="maandag, woensdag en vrijdag na het werk",
                    how_often="3 keer per week",
                    where="Park Oog in Al",
                    with_whom="Els (buurvrouw)",
                    obstacles="Als het regent heb ik geen zin.",
                    plan="Dan loop ik twintig minuten door het winkelcentrum.",
                    confidence=8,
                    review_in=6,
                    progress=[(-35, True, "Drie keer gelopen.", 8), (-7, True, "Vier keer, ook in de regen.", 9)],
                )
            ],
        ),
        goal(
            "Ik wil weer elke woensdagmiddag met mijn kleinzoon Sem iets leuks doen.",
            "social",
            "Sem geeft me energie; ik mis onze middagen.",
            actions=[
                action(
                    "Aan mijn leidinggevende vragen of ik op woensdagmiddag vrij kan zijn",
                    when="deze maand",
                    confidence=5,
                    done_at=3,
                    progress=[(-20, True, "Het mag vanaf volgende maand.", 9)],
                ),
                action(
                    "Oppasrooster maken met mijn dochter Eva",
                    responsible="relative",
                    name="Eva (dochter)",
                    confidence=7,
                ),
            ],
        ),
        goal(
            "Ik wil minder piekeren, zodat ik weer plezier heb in mijn werk.",
            "work",
            "Ik werk graag in de bibliotheek, maar nu kost elke dag moeite.",
            stage=2,
            decision="somberheid",
            actions=[
                action(
                    "Vijf gesprekken met Lisa (POH-GGZ) over piekeren en slapen",
                    responsible="professional",
                    name="Lisa Jansen (POH-GGZ)",
                    how_often="elke 2 weken",
                    confidence=8,
                    stage=2,
                ),
                action(
                    "Piekerkwartier: om 19 uur een kwartier mijn zorgen opschrijven",
                    when="elke avond om 19 uur",
                    where="aan de keukentafel",
                    obstacles="Ik vergeet het als er visite is.",
                    plan="Wekker op mijn telefoon zetten.",
                    confidence=5,
                    stage=2,
                    review_in=-2,
                    progress=[(-21, False, "Vaak vergeten.", 4)],
                ),
            ],
        ),
        goal(
            "Samen met Rob één keer per week een nieuw gezond recept koken.",
            "daily",
            "Dan eten we allebei gezonder en is het ook gezellig.",
            status="proposed",
            stage=3,
        ),
    ],
    "follow_ups": [
        follow_up(
            "HbA1c, bloeddruk en gewicht (diabetescontrole)",
            "Noor Bakker (POH)",
            frequency="elke 3 maanden",
            next_in=6,
        ),
        follow_up(
            "Hoe gaat het met de somberheid en het piekeren?",
            "Lisa Jansen (POH-GGZ)",
            method="video",
            frequency="elke 4 weken",
            next_in=34,
        ),
        follow_up("Oogcontrole (fundusfoto)", "Huisartsenpraktijk De Linde", frequency="elke 2 jaar", next_in=120),
        follow_up(
            "Slaapdagboek delen via het portaal",
            "Anna zelf",
            method="portal",
            frequency="elke week",
            next_in=3,
            stage=3,
        ),
    ],
    "versions": {
        1: (-84, "Eerste doelen en acties samen opgesteld"),
        2: (-42, "Besluit over de somberheid en afspraken over de follow-up"),
        3: (-14, "Voortgang: slapen en werk bijgesteld"),
    },
    "looked": [(-14, "noor"), (-42, "lisa"), (-84, "gert")],
}
