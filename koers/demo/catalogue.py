"""Building blocks for ``koers generate``: names, conditions, goals, actions, decisions.

Plain data, in Dutch. Weights are rough shares in a primary-care population with chronic
conditions, good enough to make lists, filters and indexes behave as they would for real.
"""

from __future__ import annotations

GIVEN_FEMALE = (
    "Anna Emma Sophie Julia Lotte Sanne Eva Lisa Fleur Noor Anouk Iris Femke Marloes Ingrid Gerda Truus Wilma "
    "Ans Ellen Fatima Yasmina Esra Aylin Maria Johanna Cornelia Hendrika Petra Linda Monique Sandra Esther "
    "Marieke Saskia Karin Annemarie Joke Els Riet Greet Tineke Hanneke Naima Samira Priya Chantal Daphne"
).split()
GIVEN_MALE = (
    "Jan Piet Kees Henk Gert Johan Daan Bram Sem Lucas Noah Finn Milan Thomas Ruben Mohamed Yusuf Ahmed Mehmet "
    "Ricardo Hans Willem Cornelis Gerrit Hendrik Dirk Frank Marco Erik Peter Rob Martin Bas Wouter Jeroen Sander "
    "Mark Dennis Kevin Youssef Omar Stefan Arjen Teun Joost Maarten Rik Koen"
).split()
FAMILY = (
    "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|"
    "Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer|van der Linden|"
    "Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen|van den Broek|de Bruijn|de Bruin|van der Heijden|"
    "Schouten|van Beek|Willems|van Vliet|van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam|van der Wal|Prins|"
    "Blom|Huisman|Peeters|de Lange|Kuipers|Yilmaz|El Amrani|Demir|Martina|Aydın|Bouzid|Kaya|Şahin|Pinas|Nguyen"
).split("|")

# display, ICPC code ("" = no code), category, weight, medication [(name, dosage, reason)]
CONDITIONS = (
    ("Hypertensie", "K86", "somatic", 25, (("Amlodipine", "5 mg, 1 keer per dag", "bloeddruk"),)),
    ("Diabetes mellitus type 2", "T90", "somatic", 20, (("Metformine", "500 mg, 2 keer per dag", "diabetes"),)),
    ("Verhoogd cholesterol", "T93", "somatic", 12, (("Atorvastatine", "20 mg, 1 keer per dag", "cholesterol"),)),
    ("Overgewicht", "T82", "somatic", 10, ()),
    ("Depressie", "P76", "mental", 10, (("Sertraline", "50 mg, 1 keer per dag", "somberheid"),)),
    ("COPD", "R95", "somatic", 8, (("Tiotropium", "1 keer per dag", "COPD"), ("Salbutamol", "zo nodig", "benauwd"))),
    ("Astma", "R96", "somatic", 8, (("Budesonide/formoterol", "zo nodig", "astma"),)),
    ("Artrose van de knie", "L90", "somatic", 8, (("Paracetamol", "1000 mg, zo nodig", "pijn"),)),
    ("Angststoornis", "P74", "mental", 7, ()),
    ("Chronische lage rugpijn", "L03", "somatic", 5, (("Paracetamol", "1000 mg, 3 keer per dag", "pijn"),)),
    ("Slaapproblemen", "P06", "mental", 5, ()),
    ("Hartfalen", "K77", "somatic", 4, (("Furosemide", "40 mg, 1 keer per dag", "hart"),)),
    ("Atriumfibrilleren", "K78", "somatic", 4, (("Apixaban", "5 mg, 2 keer per dag", "bloedverdunning"),)),
    ("CVA (herseninfarct)", "K90", "somatic", 2, (("Clopidogrel", "75 mg, 1 keer per dag", "bloedverdunning"),)),
    ("Alcoholmisbruik", "P15", "mental", 2, ()),
    ("ADHD", "P81", "mental", 2, (("Methylfenidaat", "36 mg, 's ochtends", "concentratie"),)),
    ("Dementie", "P70", "mental", 2, ()),
    ("Nierfunctie verminderd", "", "somatic", 3, ()),
)
# Severe mental illness (EPA): always with the GGZ team.
SMI_CONDITIONS = (
    ("Schizofrenie", "P72", "mental", 1, (("Aripiprazol", "10 mg, 1 keer per dag", "psychose"),)),
    ("Bipolaire stoornis", "P73", "mental", 1, (("Lithiumcarbonaat", "800 mg, 's avonds", "stemming"),)),
)

# description, life domain, why it matters
GOALS = (
    ("Ik wil elke dag een half uur wandelen.", "health", "Dan voel ik me fitter."),
    ("Ik wil minder moe zijn en weer uitgerust wakker worden.", "health", "Dan kan ik de dag aan."),
    ("Ik wil stoppen met roken.", "health", "Voor mijn kleinkinderen."),
    ("Ik wil vijf kilo afvallen.", "health", "Mijn knieën doen minder pijn als ik lichter ben."),
    ("Ik wil mijn bloedsuiker zelf leren meten en begrijpen.", "learning", "Dan kan ik zelf bijsturen."),
    ("Ik wil mijn medicijnen niet meer vergeten.", "health", "Ik wil geen extra pillen erbij."),
    ("Ik wil weer boodschappen doen zonder stil te staan.", "daily", "Zelfstandig blijven."),
    ("Ik wil zelf koken, met minder zout.", "daily", "Mijn bloeddruk moet omlaag."),
    ("Ik wil weer aan het werk, ook al is het maar een paar uur.", "work", "Ik wil ergens bij horen."),
    ("Ik wil vrijwilligerswerk doen.", "work", "Iets betekenen voor anderen."),
    ("Ik wil een cursus volgen.", "learning", "Ik wil iets nieuws leren."),
    ("Ik wil twee keer per week onder de mensen zijn.", "social", "Ik zit te veel alleen."),
    ("Ik wil weer met mijn vrienden gaan fietsen.", "social", "Dat mis ik het meest."),
    ("Ik wil meer tijd met mijn kleinkinderen.", "social", "Zij geven me energie."),
    ("Ik wil zelfstandig blijven wonen.", "living", "Dit is mijn thuis."),
    ("Ik wil een rustiger huis zonder trap.", "living", "De trap wordt te zwaar."),
    ("Ik wil grip op mijn geld.", "living", "De rekeningen houden me wakker."),
    ("Ik wil minder piekeren.", "meaning", "Ik wil weer kunnen genieten."),
    ("Ik wil weer zingen in het koor.", "meaning", "Muziek maakt me blij."),
    ("Ik wil weer in de moestuin werken.", "meaning", "Buiten zijn doet me goed."),
)

# what, when, how often, obstacles, obstacle plan
ACTIONS = (
    (
        "Wandelen met de buurvrouw",
        "na de lunch",
        "3 keer per week",
        "Als het regent heb ik geen zin.",
        "Dan loop ik door het winkelcentrum.",
    ),  # fmt: skip
    (
        "Elke ochtend mijn waarden meten en opschrijven",
        "voor het ontbijt",
        "dagelijks",
        "Ik vergeet het.",
        "Meter naast de waterkoker.",
    ),  # fmt: skip
    ("Pillendoos met dagen vullen", "zondagavond", "elke week", "", ""),
    ("Aanmelden bij de beweeggroep in de wijk", "deze maand", "", "Ik ken daar niemand.", "Eerst een keer kijken."),
    (
        "Om 23 uur naar bed en om 7 uur op",
        "elke dag",
        "dagelijks",
        "In het weekend wordt het laat.",
        "Zondag toch om 8 uur op.",
    ),  # fmt: skip
    (
        "Stoppen-met-roken-begeleiding bij de POH",
        "volgende week",
        "elke 2 weken",
        "Stress op het werk.",
        "Nicotinekauwgom bij de hand.",
    ),  # fmt: skip
    ("Een nieuw recept met minder zout koken", "zaterdag", "1 keer per week", "", ""),
    ("Bellen met het wijkteam over de rekeningen", "maandag", "", "Ik schaam me.", "Mijn zoon belt mee."),
    ("Naar het koffie-uurtje in het buurthuis", "dinsdagochtend", "elke week", "Vervoer.", "De buurtbus bellen."),
    ("Piekerkwartier: zorgen opschrijven", "om 19 uur", "dagelijks", "Visite.", "Wekker zetten."),
    ("Open dag van het ROC bezoeken", "in maart", "", "", ""),
    ("Oefeningen van de fysiotherapeut", "'s ochtends", "dagelijks", "Pijn.", "Eerst paracetamol."),
)

# question, [(title, pros, cons)]
DECISIONS = (
    ("Hoe pakken we de somberheid aan?", (("Gesprekken bij de POH-GGZ", "Dichtbij.", "Wachttijd."),
                                         ("Antidepressivum", "Werkt bij een deel.", "Bijwerkingen."),
                                         ("Online zelfhulp", "Zelf bepalen wanneer.", "Minder contact."))),
    ("Wilt u stoppen met roken, en met welke hulp?", (("Nicotinepleisters met begeleiding", "Minder trek.", "Kosten."),
                                                      ("Groepstraining", "Steun van anderen.", "Vaste avonden."),
                                                      ("Zelf stoppen", "Eigen manier.", "Lukt minder vaak."))),
    ("Insuline starten of eerst leefstijl?", (("Insuline", "Snel lagere suikers.", "Spuiten, kans op hypo."),
                                              ("Drie maanden leefstijl", "Geen spuiten.", "Suiker blijft hoger."))),
    ("Cholesterolverlager: wel of niet?", (("Wel beginnen", "Kleiner risico op een infarct.", "Soms spierpijn."),
                                           ("Niet beginnen", "Geen pillen.", "Hoger risico."))),
    ("Knie: operatie of oefentherapie?", (("Oefentherapie", "Geen operatie.", "Duurt langer."),
                                          ("Nieuwe knie", "Minder pijn op termijn.", "Revalidatie, risico's."))),
    ("Medicijnen afbouwen: welke eerst?", (("Maagbeschermer eerst", "Weinig risico.", "Kans op maagklachten."),
                                           ("Alles houden", "Niets verandert.", "Veel pillen."))),
)  # fmt: skip

# what, method, frequency
FOLLOW_UPS = (
    ("Controle bloeddruk en gewicht", "consult", "elke 3 maanden"),
    ("Diabetescontrole", "consult", "elke 3 maanden"),
    ("Hoe gaat het met de doelen?", "phone", "elke 6 weken"),
    ("Jaarcontrole", "consult", "elk jaar"),
    ("Stemming en slaap", "video", "elke 4 weken"),
    ("Berichtje over de voortgang", "portal", "elke 2 weken"),
    ("Groepsbijeenkomst", "group", "elke maand"),
)

AGENDA = (
    ("Moe en slecht slapen", "gg"),
    ("Uitslag bloedonderzoek", "zz"),
    ("Pijn bij het lopen", "gg"),
    ("Medicijnen en bijwerkingen", "zz"),
    ("Werk en dagbesteding", "gg"),
    ("Geldzorgen", "gg"),
    ("Voetcontrole", "zz"),
)

CONSULT_SUMMARIES = (
    "Controle besproken; waarden stabiel.",
    "Doelen en acties samen bijgesteld.",
    "Gesproken over wat er speelt thuis en op het werk.",
    "Medicatie doorgenomen; geen bijwerkingen.",
    "Voortgang besproken; gaat de goede kant op.",
)
