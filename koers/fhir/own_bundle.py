"""The person's own data as one FHIR R4 Bundle (type ``collection``), a format of their
"Mijn gegevens downloaden" page (issue #15).

Registered with ``koers.exports.formats`` (``exports`` sits below ``fhir`` and does not import
it). The Bundle holds every exportable type (``bulk_types.TYPES``) with what the person may read
of themself now (``access.categories_for``: their own table row), made by the same mappers as the
API; the page's decorator checks the person and logs the download.
"""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers import access
from koers.exports import formats
from koers.fhir import bulk_types
from koers.fhir.mappers.common import fhir_datetime
from koers.fhir.views import FHIR_JSON, json_number


def person_bundle(actor, person, *, base_url: str) -> dict:
    categories = {person.pk: access.categories_for(actor, person)}
    reader = bulk_types.Reader(categories, user=actor, show_bsn=True, person_ids=[person.pk])
    entries = []
    for export_type in bulk_types.TYPES.values():
        for _person_id, resource in bulk_types.resources(export_type, reader):
            entries.append({"fullUrl": f"{base_url}{resource['resourceType']}/{resource['id']}", "resource": resource})
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": fhir_datetime(timezone.now()),
        "entry": entries,
    }


def render(actor, person, *, base_url: str) -> bytes:
    bundle = person_bundle(actor, person, base_url=base_url)
    return json.dumps(bundle, ensure_ascii=False, indent=1, default=json_number).encode("utf-8")


def register() -> None:
    formats.register(
        formats.Format(
            key="fhir",
            label=_("Download als FHIR-bestand (JSON)"),
            description=_("de internationale standaard voor zorggegevens (HL7 FHIR R4)."),
            content_type=FHIR_JSON,
            extension="fhir.json",
            render=render,
        )
    )
