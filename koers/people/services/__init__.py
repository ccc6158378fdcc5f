"""State changes of a person and their profile. Each is one transaction with its log row.

Access is checked *before* the transaction opens, so a refusal's log row is kept even
though the refusal raises. Then the input is validated (``ValidationError`` with a
plain-language message per field; nothing is written), then written and logged together.

``persons`` (register a person), ``profile`` (the profile, what matters), ``clinical``
(conditions, medication, support level); ``checks`` holds what they share (limits, field
checks). Import the services from here: ``from koers.people import services``.
"""

from koers.people.services.checks import (
    MAX_ALCOHOL_UNITS,
    MAX_EXERCISE_MINUTES,
    MAX_NAME,
    MAX_NOTE,
    MAX_OWN_WORDS,
    MAX_SLEEP_HOURS,
    PERSON_EDITABLE_PROFILE_FIELDS,
)
from koers.people.services.clinical import (
    _CONDITION_FIELDS,
    condition_add,
    condition_problems,
    condition_remove,
    condition_resolve,
    condition_update,
    medication_add,
    medication_stop,
    medication_update,
    support_level_decide,
)
from koers.people.services.persons import person_create, person_register, person_register_problems
from koers.people.services.profile import profile_update

__all__ = [
    "MAX_ALCOHOL_UNITS",
    "MAX_EXERCISE_MINUTES",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_OWN_WORDS",
    "MAX_SLEEP_HOURS",
    "PERSON_EDITABLE_PROFILE_FIELDS",
    "_CONDITION_FIELDS",
    "condition_add",
    "condition_problems",
    "condition_remove",
    "condition_resolve",
    "condition_update",
    "medication_add",
    "medication_stop",
    "medication_update",
    "person_create",
    "person_register",
    "person_register_problems",
    "profile_update",
    "support_level_decide",
]
