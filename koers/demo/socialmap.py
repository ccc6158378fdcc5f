"""Demo social map (issue #16): twenty community resources around Utrecht, written for Koers.

Providers, addresses and people are made up (the PC4 areas are real Utrecht areas, so
'nearby' works with the demo's postcodes). Loaded by ``koers demo`` through the social map's
HSDS import, so the demo also proves the import: the Wijkteam Centrum maintains the map.
"""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

from django.contrib.auth.models import Permission

from koers.socialmap import hsds, hsds_import
from koers.socialmap.services import MAINTAIN_PERMISSION

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

# The resources: one row each in data/socialmap_services.csv (provider key; location keys, domains
# and keywords separated by ";"; forms as letters g/i/o; the schedule's freq, byday, opens, closes
# and text; the contact's name and phone). Read into the tuples ``_service`` takes.
SERVICES_CSV = Path(__file__).parent / "data" / "socialmap_services.csv"


def _split(value: str) -> list[str]:
    return [part for part in value.split(";") if part]


def _read_services() -> list[tuple]:
    with SERVICES_CSV.open(encoding="utf-8", newline="") as handle:
        return [
            (
                r["provider"],
                _split(r["locations"]),
                r["name"],
                r["description"],
                _split(r["life_domains"]),
                r["forms"],
                r["eligibility"],
                r["fees"],
                (r["freq"], r["byday"], r["opens_at"], r["closes_at"], r["when"]),
                (r["contact"], r["phone"]),
                _split(r["keywords"]),
            )
            for r in csv.DictReader(handle)
        ]


SERVICES = _read_services()


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


def grant_maintainer_role(user) -> None:
    """Give a professional the map-maintainer role (``socialmap.services.MAINTAIN_PERMISSION``)."""
    app_label, codename = MAINTAIN_PERMISSION.split(".")
    user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)


def load(maintainer) -> dict[str, int]:
    """Import the demo map, maintained by ``maintainer`` (a professional of the Wijkteam Centrum,
    who gets the map-maintainer role)."""
    grant_maintainer_role(maintainer)
    return hsds_import.import_tables(actor=maintainer, tables=tables())
