"""What the import pages show: the first rows of an uploaded file beside the column choice, and
how far the import is (with its errors per row). Built from the batch alone (no writes)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.monitoring import csvimport
from koers.monitoring.models import ImportBatch
from koers.monitoring.presenters import data_table


def mapping_start(batch) -> tuple[list[str], dict, dict | None]:
    """The file's column names, the proposed mapping and the first rows as a table."""
    columns = list(batch.mapping.get("header") or [])
    proposal = batch.mapping.get("proposed") or {}
    preview = None
    head = "\n".join(batch.content.splitlines()[:6])
    try:
        table = csvimport.read_table(head)
    except csvimport.CsvError:
        table = None
    if table is not None and table.rows:
        preview = data_table(
            _("De eerste regels van %(name)s") % {"name": batch.filename or _("het bestand")},
            [_("Regel"), *columns],
            [
                (str(n), *[(cells[i] if i < len(cells) else "") for i in range(len(columns))])
                for n, cells in table.rows[:5]
            ],
        )
    return columns, proposal, preview


def progress(batch) -> dict:
    """How far the import is, what came of it, and its errors per row as a table."""
    working = batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    total = max(batch.total_rows, 1)
    processed = min(batch.processed_rows, total)
    percent = int(processed * 100 / total)
    if batch.status == ImportBatch.Status.QUEUED:
        status_text = _("Wacht op verwerking…")
    else:
        status_text = _("Bezig: %(done)s van %(total)s regels gecontroleerd (%(percent)s%%).") % {
            "done": processed,
            "total": batch.total_rows,
            "percent": percent,
        }
    if batch.status == ImportBatch.Status.DONE:
        result_text = _("%(imported)s waarden ingelezen; %(skipped)s stonden al in Koers en zijn overgeslagen.") % {
            "imported": batch.imported,
            "skipped": batch.skipped,
        }
    elif batch.status == ImportBatch.Status.FAILED:
        count = len(batch.errors or [])
        result_text = ngettext(
            "Er is %(count)s fout gevonden. Verbeter het bestand en lees het opnieuw in.",
            "Er zijn %(count)s fouten gevonden. Verbeter het bestand en lees het opnieuw in.",
            count,
        ) % {"count": count}
    else:
        result_text = ""
    error_rows = [
        (str(e.get("row") or "—"), e.get("column") or "—", e.get("message") or "") for e in (batch.errors or [])
    ]
    error_table = None
    if error_rows:
        error_table = data_table(_("Fouten per regel"), [_("Regel"), _("Kolom"), _("Wat klopt er niet")], error_rows)
    return {
        "working": working,
        "total": total,
        "processed": processed,
        "percent": percent,
        "status_text": status_text,
        "result_text": result_text,
        "error_table": error_table,
    }
