"""A handover summary (handover.HandoverSummary, "overdrachtsbericht") → FHIR R4 DocumentReference.

A summary is a document frozen at one information moment; DocumentReference (not Communication)
fits it: ``status`` current, ``docStatus`` final, ``type`` the moment (Koers ``handover-moment``),
``category`` the kind of data the moment is about (Koers ``data-category``), ``subject`` the
Patient, ``date`` when it was written, ``author`` the Practitioner who sent it and their
Organization then. ``content`` holds two attachments of the same parts: the text as the reader
sees it (text/plain, Dutch, as on the page and in the PDF) and the parts as JSON
(application/json). Like the page, the mapper shows a part only when the reader may read its
category now: the caller passes ``categories`` (``access.categories_for``); a summary the reader
may not read at all is the caller's 404, not the mapper's. The deliveries (who received and read
it) are not mapped.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field

from koers.fhir.mappers import refs, systems
from koers.fhir.mappers.common import (
    choice,
    code,
    concept,
    drop_empty,
    element_list,
    expect_resource,
    fhir_datetime,
    get,
    parse_datetime,
    reference,
    reference_pk,
    reference_type,
    resource_pk,
)
from koers.fhir.mappers.errors import MappingError
from koers.handover import content as handover_content
from koers.handover.models import HandoverSummary

JSON_TYPE = "application/json"
TEXT_TYPE = "text/plain; charset=utf-8"
KINDS = tuple(HandoverSummary.Kind.values)


@dataclass(frozen=True)
class HandoverData:
    person_id: int
    kind: str
    category: str
    created_at: dt.datetime
    sender_id: int
    sender_organisation_id: int | None = None
    content: dict = field(default_factory=dict)  # the parts the reader may read
    id: int | None = None


def visible_content(content: dict, *, moment_category: str, categories) -> dict:
    """The parts of a summary's content this reader may read (the page's rule, ``present``)."""
    keys = {
        part.key
        for part in handover_content.present(content, moment_category=moment_category, categories=frozenset(categories))
    }
    return {k: v for k, v in content.items() if k in keys}


def handover_data(summary: HandoverSummary, *, categories) -> HandoverData:
    return HandoverData(
        id=summary.pk,
        person_id=summary.person_id,
        kind=summary.kind,
        category=summary.category,
        created_at=summary.created_at,
        sender_id=summary.sender_id,
        sender_organisation_id=summary.sender_organisation_id,
        content=visible_content(summary.content or {}, moment_category=summary.category, categories=categories),
    )


def _text(data: HandoverData) -> str:
    parts = handover_content.present(
        data.content,
        moment_category=data.category,
        categories=frozenset({data.category, *handover_content.PART_CATEGORY.values()}),
    )
    return "\n\n".join("\n".join([part.title, *part.lines]) for part in parts)


def _b64(value: str) -> str:
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


def document_reference_to_fhir(summary: HandoverSummary | HandoverData, *, categories=()) -> dict:
    data = summary if isinstance(summary, HandoverData) else handover_data(summary, categories=categories)
    label = str(HandoverSummary.Kind(data.kind).label) if data.kind in KINDS else data.kind
    author = [refs.practitioner(data.sender_id)]
    if data.sender_organisation_id is not None:
        author.append(reference(refs.ORGANIZATION, data.sender_organisation_id))
    return drop_empty(
        {
            "resourceType": "DocumentReference",
            "id": str(data.id) if data.id is not None else None,
            "status": "current",
            "docStatus": "final",
            "type": concept(systems.HANDOVER_MOMENT, data.kind, label),
            "category": [concept(systems.DATA_CATEGORY, data.category)],
            "subject": refs.patient(data.person_id),
            "date": fhir_datetime(data.created_at),
            "author": author,
            "description": f"Overdrachtsbericht: {label}",
            "content": [
                {"attachment": {"contentType": TEXT_TYPE, "language": "nl", "data": _b64(_text(data)), "title": label}},
                {"attachment": {"contentType": JSON_TYPE, "data": _b64(json.dumps(data.content, sort_keys=True))}},
            ],
        }
    )


def _json_content(resource: dict, path: str) -> dict:
    for where, item in element_list(resource, "content", path):
        attachment = get(item, "attachment", dict, where, required=True)
        if attachment.get("contentType") == JSON_TYPE:
            raw = get(attachment, "data", str, f"{where}.attachment", required=True)
            try:
                parsed = json.loads(base64.b64decode(raw, validate=True).decode("utf-8"))
            except (binascii.Error, ValueError):
                raise MappingError("is not base64 JSON", path=f"{where}.attachment.data") from None
            if not isinstance(parsed, dict):
                raise MappingError("the JSON must be an object of parts", path=f"{where}.attachment.data")
            return parsed
    raise MappingError(f"needs an attachment of type {JSON_TYPE}", path=f"{path}.content")


def _authors(resource: dict, path: str) -> tuple[int, int | None]:
    sender, organisation = None, None
    for where, ref in element_list(resource, "author", path):
        kind = reference_type(ref, where)
        if kind == refs.PRACTITIONER:
            sender = reference_pk(ref, kind, where)
        elif kind == refs.ORGANIZATION:
            organisation = reference_pk(ref, kind, where)
    if sender is None:
        raise MappingError("needs the Practitioner who sent it", path=f"{path}.author")
    return sender, organisation


def document_reference_from_fhir(resource) -> HandoverData:
    """The fields of a summary as Koers wrote it (for round trips; summaries are never taken in)."""
    expect_resource(resource, "DocumentReference")
    path = "DocumentReference"
    kind = code(get(resource, "type", dict, path, required=True), systems.HANDOVER_MOMENT, f"{path}.type")
    categories = element_list(resource, "category", path)
    if len(categories) != 1:
        raise MappingError("needs exactly one category", path=f"{path}.category")
    sender, organisation = _authors(resource, path)
    return HandoverData(
        id=resource_pk(resource, path),
        person_id=reference_pk(resource.get("subject"), refs.PATIENT, f"{path}.subject"),
        kind=choice(kind, KINDS, f"{path}.type"),
        category=code(categories[0][1], systems.DATA_CATEGORY, categories[0][0]),
        created_at=parse_datetime(resource.get("date"), f"{path}.date"),
        sender_id=sender,
        sender_organisation_id=organisation,
        content=_json_content(resource, path),
    )
