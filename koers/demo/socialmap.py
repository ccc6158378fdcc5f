"""Demo social map (issue #16): twenty community resources around Utrecht, written for Koers.

Providers, addresses and people are made up (the PC4 areas are real Utrecht areas, so
'nearby' works with the demo's postcodes). Loaded by ``koers demo`` through the social map's
HSDS import, so the demo also proves the import: the Wijkteam Centrum maintains the map.
"""

from __future__ import annotations

import uuid

from koers.socialmap import hsds, hsds_import

_NS = uuid.UUID("0b8f7c8e-6a1d-4a53-9a55-1c2d3e4f5a6b")

# key, name, description
PROVIDERS = [
    ("wijkhuis-oost", "Buurthuis De Boog", "Buurthuis in Utrecht-Oost met activiteiten voor iedereen uit de wijk."),
    ("wijkhuis-zuilen", "Wijkcentrum Het Anker", "Wijkcentrum in Zuilen: ontmoeten, meedoen en vrijwilligerswerk."),
    ("herstel", "Stichting Herstelhuis Utrecht", "Herstelwerkplaats door en voor mensen met psychische kwetsbaarheid."),
    ("welzijn", "Welzijn Stad Utrecht (demo)", "Welzijnswerk: buddy's, maatjes en hulp bij geldzaken."),
    ("werk", "Werkplaats Meedoen", "Begeleiding naar werk volgens IPS en dagbesteding in een werkplaats."),
    ("sport", "Sportief Utrecht (demo)", "Laagdrempelig bewegen in parken en buurtsportzalen."),
]

# provider key, location key, name, address, postcode, city, latitude, longitude
LOCATIONS = [
    ("wijkhuis-oost", "boog", "Buurthuis De Boog", "Boogstraat 12", "3581 AB", "Utrecht", "52.088", "5.139"),
    ("wijkhuis-zuilen", "anker", "Wijkcentrum Het Anker", "Ankerplein 4", "3553 CD", "Utrecht", "52.107", "5.096"),
    ("herstel", "herstelhuis", "Herstelhuis", "Herstelweg 8", "3512 EF", "Utrecht", "52.093", "5.118"),
    ("welzijn", "welzijn", "Loket Welzijn", "Stationsplein 20", "3511 GH", "Utrecht", "52.09", "5.11"),
    ("werk", "werkplaats", "Werkplaats Meedoen", "Industrieweg 30", "3542 JK", "Utrecht", "52.1", "5.08"),
    ("sport", "park", "Maximapark, ingang Vleutenseweg", "Vleutenseweg 400", "3532 LM", "Utrecht", "52.095", "5.07"),
    ("sport", "zaal-overvecht", "Sportzaal Overvecht", "Zambesidreef 5", "3564 NP", "Utrecht", "52.115", "5.113"),
    (
        "wijkhuis-oost",
        "bieb-nieuwegein",
        "Wijkpunt Nieuwegein",
        "Passage 3",
        "3431 RS",
        "Nieuwegein",
        "52.029",
        "5.083",
    ),
]

# provider, locations, name, description, domains, forms (g/i/o), eligibility, fees, schedule
# (freq, byday, opens, closes, text), contact (name, phone), terms
SERVICES = [
    (
        "sport",
        ["park"],
        "Wandelgroep Maximapark",
        "Elke week samen een uur wandelen in het park, in een rustig tempo. Daarna koffie.",
        ["health", "social"],
        "g",
        "Voor iedereen die meer wil bewegen; u hoeft niet sportief te zijn.",
        "Gratis",
        ("WEEKLY", "TU", "10:00", "11:00", "Elke dinsdag van 10.00 tot 11.00 uur"),
        ("Karin (begeleider)", "030 000 0101"),
        ["bewegen", "wandelen"],
    ),
    (
        "sport",
        ["zaal-overvecht"],
        "Wandelen en bewegen Overvecht",
        "Korte wandeling door de wijk en oefeningen voor balans en conditie.",
        ["health"],
        "g",
        "Voor volwassenen met weinig conditie of een chronische aandoening.",
        "€ 2 per keer",
        ("WEEKLY", "TH", "14:00", "15:00", "Elke donderdag van 14.00 tot 15.00 uur"),
        ("Ruud", "030 000 0102"),
        ["bewegen", "wandelen", "conditie"],
    ),
    (
        "sport",
        ["zaal-overvecht"],
        "Beweegcoach aan huis",
        "Een beweegcoach maakt met u een plan om meer te bewegen en komt de eerste keren mee.",
        ["health"],
        "i",
        "Voor mensen die het moeilijk vinden om alleen te beginnen.",
        "Gratis via de gemeente",
        ("", "", "", "", "Op afspraak"),
        ("Beweegcoach", "030 000 0103"),
        ["bewegen"],
    ),
    (
        "wijkhuis-oost",
        ["boog"],
        "Samen koken en eten",
        "Met een kleine groep boodschappen doen, koken en samen eten. Gezond en goedkoop.",
        ["health", "social", "daily"],
        "g",
        "Voor buurtbewoners die graag samen eten of beter willen leren koken.",
        "€ 4 per maaltijd",
        ("WEEKLY", "WE", "16:00", "19:30", "Elke woensdag van 16.00 tot 19.30 uur"),
        ("Ilse", "030 000 0201"),
        ["koken", "eten", "gezond eten"],
    ),
    (
        "wijkhuis-zuilen",
        ["anker"],
        "Kookles gezond en goedkoop",
        "Vier lessen: eenvoudige gerechten met weinig geld en veel groente.",
        ["health", "daily", "learning"],
        "g",
        "Voor iedereen; kinderen mogen mee.",
        "Gratis",
        ("WEEKLY", "MO", "18:00", "20:00", "Maandagavond, vier weken achter elkaar"),
        ("Ahmed", "030 000 0202"),
        ["koken", "eten", "geld"],
    ),
    (
        "herstel",
        ["herstelhuis"],
        "WRAP-cursus (herstelplan)",
        "In acht bijeenkomsten maakt u uw eigen herstelplan: wat helpt mij, wat zijn mijn signalen en wat doe ik dan.",
        ["health", "meaning"],
        "g",
        "Voor mensen met psychische klachten die zelf regie willen houden.",
        "Gratis",
        ("WEEKLY", "FR", "10:00", "12:30", "Vrijdagochtend, acht weken"),
        ("Ervaringsdeskundige Tessa", "030 000 0301"),
        ["herstel", "wrap", "zelfhulp"],
    ),
    (
        "herstel",
        ["herstelhuis"],
        "Herstelgroep Op Eigen Kracht",
        "Lotgenoten praten over herstel, wat werkt en wat niet, begeleid door ervaringsdeskundigen.",
        ["health", "social", "meaning"],
        "g",
        "Voor iedereen die werkt aan herstel; u mag eerst komen kijken.",
        "Gratis",
        ("WEEKLY", "TU", "19:00", "21:00", "Elke dinsdagavond"),
        ("Tessa", "030 000 0301"),
        ["herstel", "lotgenoten", "zelfhulp"],
    ),
    (
        "herstel",
        [],
        "Online herstelgroep",
        "Herstelgroep via videobellen, voor wie liever thuis blijft of ver weg woont.",
        ["health", "social"],
        "go",
        "Voor mensen met psychische klachten; u heeft een computer of tablet nodig.",
        "Gratis",
        ("WEEKLY", "WE", "20:00", "21:00", "Elke woensdagavond online"),
        ("Joost", "030 000 0302"),
        ["herstel", "online", "lotgenoten"],
    ),
    (
        "herstel",
        ["herstelhuis"],
        "Zelfhulpgroep angst en somberheid",
        "Een groep die zelf bepaalt waarover het gaat: omgaan met angst, piekeren en somberheid.",
        ["health"],
        "g",
        "Voor volwassenen met angst- of stemmingsklachten.",
        "Gratis",
        ("MONTHLY", "", "19:30", "21:30", "Elke eerste maandag van de maand"),
        ("Marieke", "030 000 0303"),
        ["zelfhulp", "angst", "somberheid", "piekeren"],
    ),
    (
        "welzijn",
        ["welzijn"],
        "Buddyproject Samen op Weg",
        "Een vrijwillige buddy gaat elke week een paar uur met u op stap: wandelen, koffie drinken, meedoen.",
        ["social", "daily"],
        "i",
        "Voor mensen die eenzaam zijn of weinig contacten hebben.",
        "Gratis",
        ("", "", "", "", "U spreekt zelf met uw buddy af"),
        ("Coördinator buddy's", "030 000 0401"),
        ["buddy", "maatje", "eenzaamheid", "contact"],
    ),
    (
        "welzijn",
        ["welzijn"],
        "Maatje voor de administratie",
        "Een vrijwilliger helpt u thuis om post, rekeningen en formulieren op orde te brengen.",
        ["living", "daily"],
        "i",
        "Voor mensen die het overzicht over hun post en geld kwijt zijn.",
        "Gratis",
        ("", "", "", "", "Op afspraak, bij u thuis"),
        ("Loket Welzijn", "030 000 0402"),
        ["geld", "administratie", "schulden"],
    ),
    (
        "welzijn",
        ["welzijn"],
        "Schuldhulp: spreekuur geldzorgen",
        "Zonder afspraak langskomen met vragen over geld, schulden en rekeningen. Samen kijken we wat nodig is.",
        ["living", "daily"],
        "i",
        "Voor iedereen in Utrecht met geldzorgen of schulden.",
        "Gratis",
        ("WEEKLY", "MO,TH", "09:00", "12:00", "Maandag en donderdag van 9.00 tot 12.00 uur"),
        ("Schuldhulpverlening", "030 000 0403"),
        ["schulden", "geld", "schuldhulp", "rekeningen"],
    ),
    (
        "welzijn",
        [],
        "Online cursus grip op je geld",
        "Zes korte online lessen over een budget maken en rondkomen, in uw eigen tempo.",
        ["living", "learning"],
        "o",
        "Voor iedereen die beter met geld wil leren omgaan.",
        "Gratis",
        ("", "", "", "", "Wanneer het u uitkomt"),
        ("", ""),
        ["geld", "budget", "online"],
    ),
    (
        "werk",
        ["werkplaats"],
        "IPS-trajectbegeleiding naar werk",
        "Een IPS-trajectbegeleider helpt u snel een betaalde baan te vinden die bij u past, en blijft daarna steunen.",
        ["work"],
        "i",
        "Voor mensen met psychische klachten die willen werken; een behandelaar verwijst.",
        "Gratis via de behandeling",
        ("", "", "", "", "Op afspraak"),
        ("IPS-team", "030 000 0501"),
        ["werk", "ips", "baan", "betaald werk"],
    ),
    (
        "werk",
        ["werkplaats"],
        "Dagbesteding Werkplaats Meedoen",
        "Werken in de houtwerkplaats, de fietsenmakerij of de kantine, in uw eigen tempo en met begeleiding.",
        ["work", "daily", "social"],
        "g",
        "Voor volwassenen die structuur en zinvol werk zoeken; een indicatie is nodig.",
        "Via Wmo-indicatie",
        ("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "15:00", "Werkdagen van 9.00 tot 15.00 uur"),
        ("Werkbegeleider", "030 000 0502"),
        ["dagbesteding", "werk", "structuur"],
    ),
    (
        "wijkhuis-zuilen",
        ["anker"],
        "Vrijwilligerswerk in de wijk",
        "Een gesprek over wat u leuk vindt, en een plek als vrijwilliger: in de tuin, de keuken of bij een activiteit.",
        ["work", "social", "meaning"],
        "i",
        "Voor iedereen die iets wil betekenen voor de buurt.",
        "Gratis",
        ("WEEKLY", "WE", "13:00", "16:00", "Inloop woensdagmiddag"),
        ("Vrijwilligerspunt", "030 000 0601"),
        ["vrijwilligerswerk", "werk", "meedoen"],
    ),
    (
        "wijkhuis-oost",
        ["boog"],
        "Inloop en ontmoeting Buurthuis De Boog",
        "Koffie, een krant en een praatje. Er is altijd iemand om mee te praten.",
        ["social"],
        "g",
        "Voor iedereen uit de wijk.",
        "Gratis",
        ("WEEKLY", "MO,WE,FR", "10:00", "12:00", "Maandag, woensdag en vrijdag van 10.00 tot 12.00 uur"),
        ("Gastvrouw", "030 000 0203"),
        ["ontmoeting", "contact", "eenzaamheid"],
    ),
    (
        "wijkhuis-zuilen",
        ["anker"],
        "Creatief atelier",
        "Schilderen, tekenen en kleien in een rustige groep, zonder dat u het al kunt.",
        ["daily", "meaning", "social"],
        "g",
        "Voor volwassenen; geen ervaring nodig.",
        "€ 3 per keer",
        ("WEEKLY", "TH", "13:30", "15:30", "Donderdagmiddag"),
        ("Atelierbegeleider", "030 000 0602"),
        ["creatief", "ontspanning", "dagbesteding"],
    ),
    (
        "wijkhuis-oost",
        ["bieb-nieuwegein"],
        "Digitaal café",
        "Hulp bij uw telefoon, tablet of computer: DigiD, e-mail en videobellen.",
        ["learning", "daily"],
        "g",
        "Voor iedereen die digitaal wil meedoen.",
        "Gratis",
        ("WEEKLY", "TU", "13:00", "15:00", "Dinsdagmiddag"),
        ("Vrijwilliger digitaal café", "030 000 0204"),
        ["digitaal", "computer", "leren"],
    ),
    (
        "welzijn",
        ["welzijn"],
        "Taalmaatje",
        "Een vrijwilliger oefent elke week met u Nederlands, bijvoorbeeld tijdens een wandeling of boodschappen.",
        ["learning", "social"],
        "i",
        "Voor volwassenen die beter Nederlands willen spreken.",
        "Gratis",
        ("", "", "", "", "Eén keer per week, u spreekt samen af"),
        ("Coördinator taal", "030 000 0404"),
        ["taal", "leren", "maatje"],
    ),
    (
        "herstel",
        ["herstelhuis"],
        "Wonen en herstel: steunpunt",
        "Vragen over wonen, een eigen plek vinden of zelfstandig blijven wonen, met ervaringsdeskundigen.",
        ["living", "meaning"],
        "i",
        "Voor mensen met psychische klachten die vragen hebben over wonen.",
        "Gratis",
        ("WEEKLY", "WE", "10:00", "12:00", "Inloop woensdagochtend"),
        ("Steunpunt wonen", "030 000 0304"),
        ["wonen", "herstel", "huisvesting"],
    ),
]


def _id(key: str) -> str:
    return str(uuid.uuid5(_NS, key))


def tables() -> dict[str, list[dict]]:
    """The demo map as HSDS tables (what an export of it gives back)."""
    t: dict[str, list[dict]] = {name: [] for name in hsds.TABLES}
    t["taxonomy_term"].extend(hsds.fixed_terms())
    for key, name, description in PROVIDERS:
        t["organization"].append({"id": _id(key), "name": name, "description": description, "email": "", "website": ""})
    for provider, key, name, address, postcode, city, lat, lon in LOCATIONS:
        t["location"].append(
            {
                "id": _id("location:" + key),
                "organization_id": _id(provider),
                "location_type": "physical",
                "name": name,
                "latitude": lat,
                "longitude": lon,
            }
        )
        t["address"].append(
            {
                "id": hsds.derived_id("address", _id("location:" + key)),
                "location_id": _id("location:" + key),
                "address_1": address,
                "city": city,
                "postal_code": postcode,
                "country": "NL",
                "address_type": "physical",
            }
        )
    terms: dict[str, str] = {}
    for i, row in enumerate(SERVICES):
        _service(t, terms, i, *row)
    return t


def _service(
    t, terms, i, provider, locations, name, description, domains, forms, eligibility, fees, schedule, contact, words
):
    sid = _id(f"service:{i}")
    t["service"].append(
        {
            "id": sid,
            "organization_id": _id(provider),
            "name": name,
            "description": description,
            "url": "",
            "email": "",
            "status": "active",
            "eligibility_description": eligibility,
            "fees_description": fees,
        }
    )
    for term_id in _links(t, terms, domains, forms, words):
        t["attribute"].append(
            {
                "id": hsds.derived_id("attribute", sid, term_id),
                "link_id": sid,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": term_id,
                "value": "",
            }
        )
    for loc in locations:
        t["service_at_location"].append(
            {
                "id": hsds.derived_id("service_at_location", sid, _id("location:" + loc)),
                "service_id": sid,
                "location_id": _id("location:" + loc),
            }
        )
    freq, byday, opens, closes, text = schedule
    t["schedule"].append(
        {
            "id": _id(f"schedule:{i}"),
            "service_id": sid,
            "freq": freq,
            "byday": byday,
            "opens_at": opens,
            "closes_at": closes,
            "description": text,
        }
    )
    contact_name, phone = contact
    if contact_name or phone:
        t["contact"].append(
            {"id": _id(f"contact:{i}"), "service_id": sid, "name": contact_name, "title": "", "email": ""}
        )
        t["phone"].append(
            {"id": hsds.derived_id("phone", _id(f"contact:{i}")), "contact_id": _id(f"contact:{i}"), "number": phone}
        )


def _links(t, terms, domains, forms, words) -> list[str]:
    """The term ids a service links to; new keywords are added to the taxonomy table."""
    links = [hsds.fixed_term_id(hsds.DOMAIN_TAXONOMY, d) for d in domains]
    links += [
        hsds.fixed_term_id(hsds.FORM_TAXONOMY, {"g": "group", "i": "individual", "o": "online"}[f]) for f in forms
    ]
    for word in words:
        if word not in terms:
            terms[word] = _id("term:" + word)
            t["taxonomy_term"].append(
                {"id": terms[word], "code": word, "name": word, "description": "", "taxonomy": "koers-sociale-kaart"}
            )
        links.append(terms[word])
    return links


def load(maintainer) -> dict[str, int]:
    """Import the demo map, maintained by ``maintainer`` (a staff user of the Wijkteam Centrum)."""
    return hsds_import.import_tables(actor=maintainer, tables=tables())
