"""Writes of self-monitoring, one module per meaning; every entry point calls these.

Portal quick entry, diary prompts, the professional's pages, the CSV/FHIR import task, the demo
and tests all change monitoring state only here. Per docs/conventions.md every service is
``<thing>_<verb>(*, actor, ...)``: ``access.require`` outside the transaction, validate (a
``ValidationError`` in plain words; nothing written), then one atomic write with its log row.

- ``entry``: checking values (units, plausible range, one value per moment) and recording them;
- ``observations``: correcting or removing a stored value;
- ``own_items``: the person's own questions;
- ``targets`` and ``phases``: the measurement plan, the care team's to write
  (``access.Category.MEASUREMENT_PLAN``; the person reads it);
- ``imports``: a device export or FHIR Bundle, from upload to the one write of the task;
- ``diary``: when the person is asked which diary questions.

The public services are importable from this package: ``services.target_set(actor=..., ...)``.
"""

from koers.monitoring.services.diary import diary_schedule_set
from koers.monitoring.services.entry import Checked, entries_check, observations_record
from koers.monitoring.services.imports import (
    import_mapping_set,
    import_queue,
    import_start,
    import_store,
    observations_import_fhir,
)
from koers.monitoring.services.observations import observation_correct, observation_remove
from koers.monitoring.services.own_items import custom_type_create, custom_type_retire
from koers.monitoring.services.phases import phase_create, phase_problems, phase_remove
from koers.monitoring.services.targets import target_problems, target_remove, target_set

__all__ = [
    "Checked",
    "custom_type_create",
    "custom_type_retire",
    "diary_schedule_set",
    "entries_check",
    "import_mapping_set",
    "import_queue",
    "import_start",
    "import_store",
    "observation_correct",
    "observation_remove",
    "observations_import_fhir",
    "observations_record",
    "phase_create",
    "phase_problems",
    "phase_remove",
    "target_remove",
    "target_problems",
    "target_set",
]
