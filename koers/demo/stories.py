"""The demo's organisations, accounts and people, as data.

``koers demo`` (``koers.demo.build``) turns this into records. Every person has their own
story; days are relative to the day the demo is loaded (negative = in the past), so the
demo always has recent history and upcoming consults.

Stages order the care plan's history: stage 1 = first goals and actions, stage 2 = shared
decisions and follow-up agreements, stage 3+ = later changes. After each stage the plan's
new version is recorded with ``care_plan_record_change``.
"""

from __future__ import annotations

import datetime as dt

DEMO_PASSWORD = "koers-demo-wachtwoord"  # noqa: S105 - demo only; the command refuses outside DEBUG

ORGANISATIONS = [
    {
        "key": "linde",
        "name": "Huisartsenpraktijk De Linde",
        "kind": "gp_practice",
        "city": "Utrecht",
        "agb_code": "01012345",
        "teams": ["Chronische zorg", "POH-GGZ"],
    },
    {"key": "oost", "name": "GGZ-team Oost", "kind": "ggz_team", "city": "Utrecht", "teams": ["FACT-team Oost"]},
    {"key": "centrum", "name": "Wijkteam Centrum", "kind": "neighbourhood_team", "city": "Utrecht", "teams": []},
]

# username, first name, last name, role, discipline, organisation key, team, what they do (for the table)
STAFF = [
    ("noor", "Noor", "Bakker", "professional", "practice_nurse", "linde", "Chronische zorg", "POH somatiek"),
    ("gert", "Gert", "de Vries", "professional", "gp", "linde", "Chronische zorg", "huisarts"),
    ("lisa", "Lisa", "Jansen", "professional", "practice_nurse", "linde", "POH-GGZ", "POH-GGZ"),
    ("pieter", "Pieter", "van Leeuwen", "professional", "psychiatrist", "oost", "FACT-team Oost", "psychiater"),
    ("sanne", "Sanne", "Meijer", "professional", "psychologist", "oost", "FACT-team Oost", "psycholoog"),
    ("jeroen", "Jeroen", "Post", "professional", "peer_expert", "oost", "FACT-team Oost", "ervaringsdeskundige"),
    ("wendy", "Wendy", "Hoekstra", "professional", "social_worker", "centrum", "", "maatschappelijk werker"),
    ("mia", "Mia", "Schouten", "manager", "", "linde", "", "manager / kwaliteit"),
    ("beheer", "Bram", "Beheerder", "administrator", "", None, "", "beheerder (is_staff, is_superuser)"),
]

# Relatives with an account: username, first name, last name, person key, relationship
RELATIVES = [
    ("rob", "Rob", "de Boer", "anna", "partner"),
    ("ingrid", "Ingrid", "Kok", "daan", "moeder"),
]


def goal(
    description,
    domain,
    why="",
    *,
    status="active",
    stage=1,
    owner="person",
    gas=None,
    weight=1,
    reviews=(),
    actions=(),
    completed_at=None,
    target_in=None,
    decision=None,
):
    return {
        "description": description,
        "domain": domain,
        "why": why,
        "status": status,
        "stage": stage,
        "owner": owner,
        "gas": gas,
        "weight": weight,
        "reviews": list(reviews),
        "actions": list(actions),
        "completed_at": completed_at,
        "target_in": target_in,
        "decision": decision,
    }


def action(
    what,
    *,
    when="",
    how_often="",
    where="",
    with_whom="",
    obstacles="",
    plan="",
    confidence=None,
    responsible="person",
    name="",
    review_in=None,
    stage=None,
    done_at=None,
    changes=None,
    progress=(),
):
    return {
        "what": what,
        "when": when,
        "how_often": how_often,
        "where": where,
        "with_whom": with_whom,
        "obstacles": obstacles,
        "plan": plan,
        "confidence": confidence,
        "responsible": responsible,
        "name": name,
        "review_in": review_in,
        "stage": stage,
        "done_at": done_at,
        "changes": changes or {},
        "progress": list(progress),
    }


def option(title, *, description="", pros="", cons="", short="", mid="", long="", guideline=True):
    return {
        "title": title,
        "description": description,
        "pros": pros,
        "cons": cons,
        "consequences_short": short,
        "consequences_mid": mid,
        "consequences_long": long,
        "within_guideline": guideline,
    }


def decision(
    question,
    *,
    status,
    options=(),
    chosen=None,
    participation="together",
    what_matters="",
    rationale="",
    think_days=None,
    aid=("", ""),
    stage=2,
    key=None,
    consult=0,
):
    return {
        "question": question,
        "status": status,
        "options": list(options),
        "chosen": chosen,
        "participation": participation,
        "what_matters": what_matters,
        "rationale": rationale,
        "think_days": think_days,
        "aid": aid,
        "stage": stage,
        "key": key,
        "consult": consult,
    }


def follow_up(what, who, *, method="consult", frequency="", next_in=None, stage=2):
    return {"what": what, "who": who, "method": method, "frequency": frequency, "next_in": next_in, "stage": stage}


def gas(m2, m1, zero, p1, p2):
    return {-2: m2, -1: m1, 0: zero, 1: p1, 2: p2}


ICPC = "icpc"

D = dt.date

PEOPLE = [
    # ------------------------------------------------------------------ Anna: the richest plan
    {
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
    },
    # ------------------------------------------------------------------ Henk: COPD, smokes
    {
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
    },
    # ------------------------------------------------------------------ Gerda: heart failure, multimorbidity
    {
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
                "Huisbezoek: medicatiereview. Gerda wil minder pillen; ze laat de "
                "keuze welke eerst aan de huisarts over.",
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
    },
    # ------------------------------------------------------------------ Daan: psychosis in recovery, with his mother
    {
        "key": "daan",
        "given": "Daan",
        "family": "Kok",
        "birth": D(2003, 5, 30),
        "gender": "male",
        "account": "daan",
        "responsible": "pieter",
        "team": ["sanne", "jeroen"],
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
        "versions": {
            1: (-120, "Herstelplan opgesteld"),
            2: (-56, "Besluit over de medicatie"),
            3: (-21, "Aanmelding woning gedaan"),
        },
    },
    # ------------------------------------------------------------------ Fatima: anxiety
    {
        "key": "fatima",
        "given": "Fatima",
        "family": "El Amrani",
        "birth": D(1991, 8, 11),
        "gender": "female",
        "responsible": "lisa",
        "team": ["gert"],
        "profile": {
            "smoking": "never",
            "alcohol_units_per_week": 0,
            "exercise_minutes_per_week": 60,
            "sleep_hours_per_night": "6.0",
            "living_situation": "family",
            "daytime_activity": "paid_work",
            "money_worries": False,
            "social_network": "high",
            "health_literacy": "high",
            "digital_skills": "high",
            "prefers_online": True,
            "self_management_capacity": "high",
            "what_matters": "Weer zelf met de tram naar mijn werk durven, en met de kinderen naar het zwembad.",
            "values": "Ik wil begrijpen wat er in mijn lichaam gebeurt bij een paniekaanval.",
        },
        "conditions": [("Paniekstoornis", "P74", "mental", D(2025, 3, 1), "")],
        "medication": [],
        "support": {
            "level": "self_management",
            "suggested": "self_management",
            "reasons": ["Eén aandoening, goed zelfmanagement-vermogen.", "Wil online werken."],
            "agreed": True,
            "days": -50,
            "by": "lisa",
        },
        "consults": [
            (
                -50,
                "lisa",
                "in_person",
                45,
                "held",
                "Uitleg over paniek. Fatima kiest voor online cognitieve gedragstherapie met begeleiding.",
            ),
            (-15, "lisa", "video", 30, "held", "Module 3 gedaan. Eén keer zelf met de tram (2 haltes)."),
            (20, "lisa", "video", 30, "planned", ""),
        ],
        "decisions": [
            decision(
                "Welke behandeling past bij de paniekklachten?",
                status="decided",
                consult=-50,
                what_matters="Geen medicijnen; ik wil het zelf leren.",
                options=[
                    option(
                        "Online cognitieve gedragstherapie met begeleiding POH-GGZ",
                        pros="Thuis, in eigen tempo.",
                        cons="Zelfdiscipline nodig.",
                    ),
                    option("Sertraline", pros="Helpt bij veel mensen.", cons="Bijwerkingen."),
                ],
                chosen=0,
                rationale="Fatima wil het zelf leren en vindt online prettig.",
                aid=("Thuisarts: Paniekaanvallen", "https://www.thuisarts.nl/paniekaanval"),
            ),
        ],
        "goals": [
            goal(
                "Ik wil zelf met de tram naar mijn werk, zonder paniek.",
                "work",
                "Nu brengt mijn man me elke dag.",
                gas=gas(
                    "Ik ga niet met de tram.",
                    "Ik ga 2 haltes met iemand mee.",
                    "Ik ga 2 haltes alleen.",
                    "Ik ga de hele route alleen, soms.",
                    "Ik ga elke werkdag alleen met de tram.",
                ),
                reviews=[(-15, 0, "Twee haltes alleen gelukt!", "lisa")],
                actions=[
                    action(
                        "Elke dag een stukje verder met de tram (oefenladder)",
                        how_often="dagelijks",
                        obstacles="In de spits is het erg druk.",
                        plan="Eerst buiten de spits oefenen.",
                        confidence=6,
                        review_in=20,
                        progress=[(-8, True, "Vier haltes gelukt.", 7)],
                    )
                ],
            ),
            goal("Met de kinderen naar het zwembad.", "social", "Ze vragen het elke week.", status="proposed", stage=3),
        ],
        "follow_ups": [
            follow_up(
                "Voortgang online therapie",
                "Lisa Jansen (POH-GGZ)",
                method="video",
                frequency="elke 3 weken",
                next_in=20,
            )
        ],
    },
    # ------------------------------------------------------------------ Mohamed: hypertension with money worries
    {
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
            "spheres": {
                "environment": ("Veel brieven van incassobureaus.", "Eén afspraak per maand voor alle schulden.")
            },
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
    },
    # ------------------------------------------------------------------ Truus: prefers group support
    {
        "key": "truus",
        "given": "Truus",
        "family": "Bos",
        "birth": D(1955, 4, 8),
        "gender": "female",
        "account": "truus",
        "responsible": "noor",
        "profile": {
            "smoking": "never",
            "alcohol_units_per_week": 2,
            "exercise_minutes_per_week": 150,
            "sleep_hours_per_night": "7.5",
            "living_situation": "alone",
            "daytime_activity": "volunteer",
            "money_worries": False,
            "social_network": "high",
            "health_literacy": "moderate",
            "digital_skills": "moderate",
            "prefers_group": True,
            "self_management_capacity": "high",
            "what_matters": "Samen met anderen bezig zijn. Alleen lukt het me niet, in een groep wel.",
            "values": "Gezelligheid. Ik leer veel van de verhalen van anderen.",
        },
        "conditions": [("Diabetes mellitus type 2", "T90", "somatic", D(2021, 9, 1), "")],
        "medication": [("Metformine", "500 mg, 2 keer per dag", "diabetes")],
        "support": {
            "level": "self_management",
            "suggested": "self_management",
            "reasons": ["Goede regulatie (HbA1c 48).", "Hoog zelfmanagement-vermogen.", "Voorkeur: groep."],
            "agreed": True,
            "days": -70,
            "by": "noor",
        },
        "consults": [
            (-70, "noor", "group", 90, "held", "Groepsconsult diabetes (8 deelnemers): voeding."),
            (25, "noor", "group", 90, "planned", ""),
        ],
        "goals": [
            goal(
                "Ik wil met de wandelgroep van het buurthuis mee, elke dinsdag en donderdag.",
                "social",
                "Dan beweeg ik én zie ik mensen.",
                actions=[
                    action(
                        "Aanmelden bij de wandelgroep Buurthuis De Pijler",
                        responsible="community",
                        name="Buurthuis De Pijler",
                        confidence=9,
                        done_at=3,
                    )
                ],
            ),
            goal(
                "Ik wil met de groep leren koken met minder suiker.",
                "learning",
                "",
                actions=[
                    action("Kookcursus 'Lekker en gezond' (4 avonden)", with_whom="de diabetesgroep", confidence=8)
                ],
            ),
        ],
        "follow_ups": [
            follow_up(
                "Groepsconsult diabetes", "Noor Bakker (POH)", method="group", frequency="elke 3 maanden", next_in=25
            )
        ],
    },
    # ------------------------------------------------------------------ Johan: low health literacy
    {
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
    },
    # ------------------------------------------------------------------ Sophie: asthma, online self-management
    {
        "key": "sophie",
        "given": "Sophie",
        "family": "de Jong",
        "birth": D(1997, 2, 17),
        "gender": "female",
        "account": "sophie",
        "responsible": "noor",
        "profile": {
            "smoking": "never",
            "alcohol_units_per_week": 5,
            "exercise_minutes_per_week": 200,
            "sleep_hours_per_night": "7.5",
            "living_situation": "partner",
            "daytime_activity": "study",
            "money_worries": False,
            "social_network": "high",
            "health_literacy": "high",
            "digital_skills": "high",
            "prefers_online": True,
            "self_management_capacity": "high",
            "what_matters": "De halve marathon lopen in april zonder benauwd te worden.",
            "values": "Alles zo veel mogelijk online regelen.",
        },
        "conditions": [("Astma", "R96", "somatic", D(2008, 1, 1), "")],
        "medication": [("Budesonide/formoterol", "200/6 microgram, zo nodig en voor het hardlopen", "astma")],
        "support": {
            "level": "self_management",
            "suggested": "self_management",
            "reasons": ["Astma goed onder controle.", "Hoog zelfmanagement-vermogen."],
            "agreed": True,
            "days": -200,
            "by": "noor",
        },
        "consults": [
            (-200, "noor", "video", 15, "held", "Jaarcontrole via beeldbellen. ACQ 0,6: goed onder controle."),
            (165, "noor", "video", 15, "planned", ""),
        ],
        "goals": [
            goal(
                "Ik wil de halve marathon lopen zonder benauwd te worden.",
                "health",
                "Een droom sinds ik 16 was.",
                actions=[
                    action("Trainingsschema 3 keer per week, puffer 15 minuten vooraf", confidence=8, review_in=60)
                ],
            )
        ],
        "follow_ups": [
            follow_up("Jaarcontrole astma", "Noor Bakker (POH)", method="video", frequency="elk jaar", next_in=165)
        ],
    },
    # ------------------------------------------------------------------ Kees: COPD + heart failure, lonely
    {
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
    },
    # ------------------------------------------------------------------ Marloes: burn-out and depression, work
    {
        "key": "marloes",
        "given": "Marloes",
        "family": "Hendriks",
        "birth": D(1980, 10, 5),
        "gender": "female",
        "responsible": "lisa",
        "team": ["gert"],
        "profile": {
            "smoking": "never",
            "alcohol_units_per_week": 6,
            "exercise_minutes_per_week": 60,
            "sleep_hours_per_night": "6.0",
            "living_situation": "family",
            "daytime_activity": "paid_work",
            "money_worries": False,
            "social_network": "moderate",
            "health_literacy": "high",
            "digital_skills": "high",
            "prefers_individual": True,
            "self_management_capacity": "moderate",
            "what_matters": "Weer met plezier lesgeven, zonder dat ik thuis instort.",
            "values": "Grenzen leren aangeven zonder me schuldig te voelen.",
        },
        "conditions": [("Depressieve klachten / overspanning", "P76", "mental", D(2025, 6, 1), "")],
        "medication": [],
        "support": {
            "level": "chain_care",
            "suggested": "chain_care",
            "reasons": ["Verzuim van het werk.", "Gemiddeld zelfmanagement-vermogen."],
            "agreed": False,
            "days": -20,
            "by": "lisa",
        },
        "consults": [
            (-20, "lisa", "in_person", 45, "held", "Intake. Marloes werkt 50% en is uitgeput."),
            (5, "lisa", "in_person", 45, "planned", ""),
        ],
        "preparation": {
            "consult": 5,
            "status": "submitted",
            "how_are_you": 5,
            "most_important": "Ik wil bespreken hoe ik met de bedrijfsarts praat.",
            "spheres": {"activities": ("Ik werk 3 ochtenden.", "Weer 4 dagen, maar niet meer dan dat.")},
        },
        "agenda": [(5, "Gesprek met de bedrijfsarts voorbereiden", "gg", "person", "open", "")],
        "goals": [
            goal(
                "Ik wil in drie maanden weer vier dagen lesgeven.",
                "work",
                "Ik mis mijn klas.",
                target_in=90,
                actions=[action("Elke werkdag een pauze van 30 minuten buiten", confidence=6, review_in=5)],
            )
        ],
        "follow_ups": [
            follow_up("Werkhervatting en stemming", "Lisa Jansen (POH-GGZ)", frequency="elke 2 weken", next_in=5)
        ],
    },
    # ------------------------------------------------------------------ Ricardo: alcohol and hypertension
    {
        "key": "ricardo",
        "given": "Ricardo",
        "family": "Martina",
        "birth": D(1987, 6, 14),
        "gender": "male",
        "responsible": "gert",
        "team": ["lisa"],
        "profile": {
            "smoking": "current",
            "alcohol_units_per_week": 35,
            "exercise_minutes_per_week": 30,
            "sleep_hours_per_night": "6.5",
            "living_situation": "alone",
            "daytime_activity": "paid_work",
            "money_worries": False,
            "social_network": "moderate",
            "health_literacy": "moderate",
            "digital_skills": "high",
            "prefers_online": True,
            "self_management_capacity": "moderate",
            "what_matters": "Mijn dochter elk weekend kunnen zien, en dan nuchter zijn.",
        },
        "conditions": [
            ("Alcoholmisbruik", "P15", "mental", D(2024, 1, 1), ""),
            ("Hypertensie", "K86", "somatic", D(2024, 3, 1), ""),
        ],
        "medication": [("Amlodipine", "5 mg, 1 keer per dag", "bloeddruk")],
        "support": {
            "level": "chain_care",
            "suggested": "chain_care",
            "reasons": ["Alcoholgebruik boven de norm.", "Hoge bloeddruk."],
            "agreed": True,
            "days": -35,
            "by": "gert",
        },
        "consults": [
            (-35, "gert", "in_person", 20, "held", "Gesprek over alcohol. Ricardo wil minderen."),
            (7, "lisa", "video", 30, "planned", ""),
        ],
        "decisions": [
            decision(
                "Minderen of helemaal stoppen met alcohol?",
                status="decided",
                consult=-35,
                what_matters="Ik wil het zelf in de hand hebben.",
                options=[
                    option("Minderen naar maximaal 10 glazen per week", pros="Haalbaar.", cons="Makkelijk weer meer."),
                    option("Drie maanden helemaal stoppen", pros="Duidelijk.", cons="Lastig op feestjes."),
                ],
                chosen=1,
                rationale="Ricardo kiest voor duidelijkheid: drie maanden niets.",
                aid=("Thuisarts: Alcohol", "https://www.thuisarts.nl/alcohol"),
            )
        ],
        "goals": [
            goal(
                "Drie maanden geen alcohol.",
                "health",
                "Voor mijn dochter.",
                stage=2,
                actions=[
                    action(
                        "Drinkdagboek in de app bijhouden", how_often="dagelijks", confidence=7, stage=2, review_in=7
                    )
                ],
            )
        ],
        "follow_ups": [
            follow_up(
                "Alcohol en bloeddruk", "Lisa Jansen (POH-GGZ)", method="video", frequency="elke 2 weken", next_in=7
            )
        ],
    },
    # ------------------------------------------------------------------ Ellen: overweight and knee osteoarthritis
    {
        "key": "ellen",
        "given": "Ellen",
        "family": "Vermeulen",
        "birth": D(1969, 12, 1),
        "gender": "female",
        "responsible": "noor",
        "profile": {
            "smoking": "never",
            "alcohol_units_per_week": 4,
            "exercise_minutes_per_week": 40,
            "sleep_hours_per_night": "7.0",
            "living_situation": "partner",
            "daytime_activity": "paid_work",
            "money_worries": False,
            "social_network": "high",
            "health_literacy": "moderate",
            "digital_skills": "moderate",
            "prefers_group": True,
            "self_management_capacity": "moderate",
            "what_matters": "Met mijn kleinkinderen naar de speeltuin kunnen lopen zonder pijn.",
        },
        "conditions": [
            ("Overgewicht", "T82", "somatic", D(2015, 1, 1), "BMI 33."),
            ("Artrose van de knie", "L90", "somatic", D(2022, 1, 1), ""),
        ],
        "medication": [("Paracetamol", "1000 mg, zo nodig", "knie")],
        "support": {
            "level": "self_management",
            "suggested": "chain_care",
            "reasons": ["Overgewicht met artrose."],
            "agreed": True,
            "note": "Ellen wil het zelf proberen met de GLI (leefstijlinterventie).",
            "days": -25,
            "by": "noor",
        },
        "consults": [
            (-25, "noor", "in_person", 20, "held", "Verwezen naar de Gecombineerde Leefstijlinterventie."),
            (65, "noor", "phone", 15, "planned", ""),
        ],
        "goals": [
            goal(
                "Ik wil naar de speeltuin kunnen lopen (1 km) zonder pijn.",
                "daily",
                "",
                actions=[
                    action(
                        "Meedoen met de GLI-groep 'Samen Fit'",
                        responsible="community",
                        name="Leefstijlcoach Samen Fit",
                        confidence=8,
                        review_in=60,
                    )
                ],
            )
        ],
        "follow_ups": [
            follow_up(
                "Hoe gaat de leefstijlinterventie?",
                "Noor Bakker (POH)",
                method="phone",
                frequency="elke 3 maanden",
                next_in=65,
            )
        ],
    },
    # ------------------------------------------------------------------ Bram: ADHD, school dropout
    {
        "key": "bram",
        "given": "Bram",
        "family": "Peters",
        "birth": D(2006, 3, 9),
        "gender": "male",
        "responsible": "lisa",
        "other_teams": ["wendy"],
        "profile": {
            "smoking": "current",
            "alcohol_units_per_week": 8,
            "exercise_minutes_per_week": 60,
            "sleep_hours_per_night": "6.0",
            "living_situation": "family",
            "daytime_activity": "none",
            "money_worries": False,
            "social_network": "moderate",
            "health_literacy": "moderate",
            "digital_skills": "high",
            "prefers_online": True,
            "self_management_capacity": "low",
            "what_matters": "Een opleiding waar ik met mijn handen werk. Geen school met alleen maar boeken.",
        },
        "conditions": [("ADHD", "P81", "mental", D(2014, 1, 1), "")],
        "medication": [("Methylfenidaat", "36 mg, 1 keer per dag 's ochtends", "concentratie")],
        "support": {
            "level": "chain_care",
            "suggested": "chain_care",
            "reasons": ["Geen opleiding of werk.", "Laag zelfmanagement-vermogen."],
            "agreed": True,
            "days": -15,
            "by": "lisa",
        },
        "consults": [
            (-15, "lisa", "in_person", 30, "held", "Bram is gestopt met zijn mbo-opleiding."),
            (10, "wendy", "home", 45, "planned", ""),
        ],
        "goals": [
            goal(
                "Na de zomer beginnen aan een opleiding tot monteur.",
                "learning",
                "",
                actions=[action("Open dag ROC bezoeken", with_whom="Wendy (wijkteam)", confidence=7, review_in=10)],
            )
        ],
        "follow_ups": [
            follow_up("Opleiding en dagritme", "Wendy Hoekstra (wijkteam)", frequency="elke maand", next_in=10)
        ],
    },
    # ------------------------------------------------------------------ Wilma: early dementia, husband cares
    {
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
    },
    # ------------------------------------------------------------------ Yusuf: diabetes and Ramadan
    {
        "key": "yusuf",
        "given": "Yusuf",
        "family": "Demir",
        "birth": D(1978, 8, 23),
        "gender": "male",
        "responsible": "noor",
        "team": ["gert"],
        "profile": {
            "smoking": "never",
            "alcohol_units_per_week": 0,
            "exercise_minutes_per_week": 90,
            "sleep_hours_per_night": "6.5",
            "living_situation": "family",
            "daytime_activity": "paid_work",
            "money_worries": False,
            "social_network": "high",
            "health_literacy": "moderate",
            "digital_skills": "moderate",
            "prefers_individual": True,
            "self_management_capacity": "moderate",
            "what_matters": "Veilig kunnen vasten tijdens de ramadan, samen met mijn familie.",
        },
        "conditions": [("Diabetes mellitus type 2", "T90", "somatic", D(2020, 2, 1), "")],
        "medication": [
            ("Metformine", "1000 mg, 2 keer per dag", "diabetes"),
            ("Gliclazide", "80 mg, 1 keer per dag", "diabetes"),
        ],
        "support": {
            "level": "chain_care",
            "suggested": "chain_care",
            "reasons": ["Diabetes met twee medicijnen."],
            "agreed": True,
            "days": -60,
            "by": "noor",
        },
        "consults": [
            (-60, "noor", "in_person", 30, "held", "Vasten besproken."),
            (40, "noor", "in_person", 30, "planned", ""),
        ],
        "decisions": [
            decision(
                "Hoe neem ik mijn medicijnen tijdens de ramadan?",
                status="decided",
                consult=-60,
                what_matters="Vasten is belangrijk voor mij; ik wil geen hypo.",
                options=[
                    option(
                        "Gliclazide tijdens de ramadan bij de iftar en halveren",
                        pros="Minder kans op hypo overdag.",
                        cons="Vaker meten.",
                    ),
                    option("Niet vasten", pros="Geen risico.", cons="Past niet bij mijn geloof.", guideline=True),
                ],
                chosen=0,
                rationale="Yusuf wil vasten; met aangepaste medicatie en extra meten.",
            )
        ],
        "goals": [
            goal(
                "Veilig vasten tijdens de ramadan.",
                "meaning",
                "",
                stage=2,
                actions=[action("Glucose meten voor de suhoor en voor de iftar", stage=2, confidence=8)],
            )
        ],
        "follow_ups": [follow_up("Diabetescontrole", "Noor Bakker (POH)", frequency="elke 3 maanden", next_in=40)],
    },
    # ------------------------------------------------------------------ Lotte: bipolar disorder (EPA), work
    {
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
    },
    # ------------------------------------------------------------------ Piet: after a stroke
    {
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
        "follow_ups": [
            follow_up("Bloeddruk en cholesterol", "Noor Bakker (POH)", frequency="elk half jaar", next_in=30)
        ],
    },
    # ------------------------------------------------------------------ Noah: chronic back pain, money worries
    {
        "key": "noah",
        "given": "Noah",
        "family": "Jacobs",
        "birth": D(1984, 4, 1),
        "gender": "male",
        "responsible": "gert",
        "other_teams": ["wendy"],
        "profile": {
            "smoking": "current",
            "alcohol_units_per_week": 6,
            "exercise_minutes_per_week": 10,
            "sleep_hours_per_night": "5.5",
            "living_situation": "alone",
            "daytime_activity": "none",
            "money_worries": True,
            "social_network": "low",
            "health_literacy": "moderate",
            "digital_skills": "moderate",
            "prefers_individual": True,
            "self_management_capacity": "low",
            "what_matters": "Weer aan het werk, ook al is het maar een paar uur.",
        },
        "conditions": [("Chronische lage rugpijn", "L03", "somatic", D(2022, 1, 1), "")],
        "medication": [
            ("Paracetamol", "1000 mg, 3 keer per dag", "rugpijn"),
            ("Naproxen", "250 mg, zo nodig", "rugpijn"),
        ],
        "support": {
            "level": "chain_care",
            "suggested": "case_management",
            "reasons": ["Chronische pijn.", "Geen werk, geldzorgen.", "Klein netwerk."],
            "agreed": False,
            "days": -5,
            "by": "gert",
        },
        "consults": [
            (-5, "gert", "in_person", 20, "held", "Rugpijn al 3 jaar. Noah wil weer werken."),
            (9, "gert", "in_person", 20, "planned", ""),
        ],
        "goals": [goal("Een paar uur per week vrijwilligerswerk doen.", "work", "", status="proposed")],
    },
    # ------------------------------------------------------------------ Ans: COPD former smoker, exercise group
    {
        "key": "ans",
        "given": "Ans",
        "family": "Koster",
        "birth": D(1962, 1, 15),
        "gender": "female",
        "responsible": "noor",
        "profile": {
            "smoking": "former",
            "alcohol_units_per_week": 3,
            "exercise_minutes_per_week": 180,
            "sleep_hours_per_night": "7.0",
            "living_situation": "partner",
            "daytime_activity": "volunteer",
            "money_worries": False,
            "social_network": "high",
            "health_literacy": "high",
            "digital_skills": "moderate",
            "prefers_group": True,
            "self_management_capacity": "high",
            "what_matters": "Fit blijven met mijn beweeggroep en op vakantie kunnen naar mijn zus in Spanje.",
        },
        "conditions": [("COPD", "R95", "somatic", D(2018, 1, 1), "Gestopt met roken in 2019.")],
        "medication": [("Tiotropium/olodaterol", "2 pufjes, 1 keer per dag", "COPD")],
        "support": {
            "level": "self_management",
            "suggested": "self_management",
            "reasons": ["Stabiele COPD.", "Hoog zelfmanagement-vermogen."],
            "agreed": True,
            "days": -120,
            "by": "noor",
        },
        "consults": [
            (-120, "noor", "in_person", 20, "held", "Stabiel. Beweeggroep Longfit bevalt goed."),
            (240, "noor", "in_person", 20, "planned", ""),
        ],
        "goals": [
            goal(
                "Op vakantie naar Spanje met een longaanval-plan op zak.",
                "meaning",
                "",
                actions=[
                    action(
                        "Longaanval-actieplan doornemen met Noor",
                        responsible="professional",
                        name="Noor Bakker (POH)",
                        confidence=9,
                        done_at=3,
                    )
                ],
            )
        ],
        "follow_ups": [follow_up("Jaarcontrole COPD", "Noor Bakker (POH)", frequency="elk jaar", next_in=240)],
    },
]
