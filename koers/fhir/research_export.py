"""The pseudonymised research extract through the bulk export (issue #16; docs/research.md).

A research system client (``SystemClient.research_project`` set by an administrator) kicks off
``GET /fhir/$research-export?project=<its project>`` (``Prefer: respond-async``); the job is a
``BulkExport`` with ``project`` set and runs through the same task, status URL and file URL as
every ``$export``. The files are those of ``koers research-extract``, made by the same functions
(``koers.research.extract.tables``: the same cohort, pseudonyms, variables and generalisation),
as CSV with the codebook.

Consent is asked when the job runs (``extract.cohort``: newest research decision yes, in the care
of the client's organisation) and again at each download, as the Group ``$export`` does: every
file has an index beside it (the person of each record, ``-`` for the header and the codebook,
and the record's length in bytes), and the records of people no longer in the cohort are left
out. The pseudonyms never reach the access log.
"""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from koers.research import extract
from koers.research import pseudonym as ps

CSV = "text/csv"
NOBODY = "-"


def project_key(project: str) -> bytes:
    """The project's secret key (``KeyMissing``, a ``ValueError``, when none is configured)."""
    return ps.project_key(project, getattr(settings, "KOERS_RESEARCH_KEYS", None))


def _save(export, store, name: str, records) -> dict:
    """One CSV file and its index; ``records``: (person id or None, row), the header first."""
    count = 0
    with tempfile.TemporaryFile() as data, tempfile.TemporaryFile() as index:
        for person_id, row in records:
            record = extract.csv_record(row).encode("utf-8")
            data.write(record)
            index.write(f"{NOBODY if person_id is None else person_id}\t{len(record)}\n".encode())
            count += person_id is not None
        data.seek(0)
        index.seek(0)
        base = f"{export.folder()}/{name}"
        path = store.save(base, File(data))
        index_path = store.save(f"{base}.index", File(index))
    return {"type": name, "name": path, "index": index_path, "count": count, "format": CSV}


def build(export, store) -> tuple[list[dict], dict[int, set[str]]]:
    """Write the project's extract for the export's organisation; the files and the persons in it."""
    key = project_key(export.project)
    ids = extract.cohort(export.organisation_id)
    tables = extract.tables(export.project, key, ids, timezone.localdate())
    owner = {ps.pseudonym(key, export.project, "person", pid): pid for pid in ids}
    files = []
    for name in extract.VARIABLES:  # every data file starts with the person's pseudonym
        records = [(None, extract.header(name)), *((owner[row[0]], row) for row in tables[name])]
        files.append(_save(export, store, name, records))
    codebook = [(None, row) for row in [extract.CODEBOOK_HEADER, *extract.codebook_rows()]]
    files.append(_save(export, store, extract.CODEBOOK, codebook))
    return files, {pid: {"research"} for pid in ids}


def still_allowed(export) -> bool:
    """The client is still registered for this project (an administrator may end that)."""
    client = export.system_client
    return client is not None and client.research_project == export.project


def file_records(export, entry: dict, store) -> tuple[bytes, set[int]]:
    """The file with only the records of people still in the cohort now, and who they are."""
    allowed = set(extract.cohort(export.organisation_id))
    kept, persons = [], set()
    with store.open(entry["name"], "rb") as data, store.open(entry["index"], "rb") as index:
        for line in index:
            who, length = line.decode().rstrip("\n").split("\t")
            record = data.read(int(length))
            if who == NOBODY:
                kept.append(record)
            elif int(who) in allowed:
                kept.append(record)
                persons.add(int(who))
    return b"".join(kept), persons
