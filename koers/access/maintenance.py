"""What maintenance commands run on the server leave in the access log (NEN 7513): a kept
table's drift report shows person ids with kept and computed values (a read per person listed);
its repair stores those persons' rows again (an update per person). The command is the system;
the purpose is administration ("beheer")."""

from __future__ import annotations

from collections.abc import Iterable

from koers.access.guard import record_for_system
from koers.audit import log as audit_log


def maintenance_read(command: str, person_ids: Iterable[int], *, object_type: str) -> None:
    """Log what a maintenance command run on the server showed of these persons (a kept table's
    drift report: ids and kept against computed values): one read row per person."""
    _log(command, person_ids, object_type, audit_log.Action.READ, "beheer: bewaarde gegevens vergeleken met de bron")


def maintenance_repair(command: str, person_ids: Iterable[int], *, object_type: str) -> None:
    """Log that a maintenance run (``koers <kept data> repair``, nightly through the scheduler)
    computed these persons' kept rows again from their data and stored them: one update row per
    person."""
    detail = "beheer: bewaarde gegevens opnieuw berekend uit de bron"
    _log(command, person_ids, object_type, audit_log.Action.UPDATE, detail)


def _log(command: str, person_ids: Iterable[int], object_type: str, action: str, detail: str) -> None:
    rows = [(pid, detail) for pid in person_ids]
    purpose = audit_log.Purpose.ADMINISTRATION
    record_for_system(command, None, rows, action, object_type=object_type, purpose=purpose)
