"""The access log's hash chain: how one row's hash is computed (issue #11).

Each row of ``AccessLogEntry`` carries ``prev_hash`` (the previous row's ``row_hash``, in id
order) and ``row_hash`` = SHA-256 over a canonical serialisation of the row's own fields and
``prev_hash``. Changing a row breaks its own hash; removing or inserting a row breaks the next
row's ``prev_hash``. ``koers audit verify`` walks the chain (``koers.audit.verify``).

The serialisation is fixed (format ``v1``): a JSON object with sorted keys, no spaces, UTF-8,
the time in UTC with microseconds. The data migration that chained the rows existing before
this module (audit 0004) uses these functions too, so there is one definition of the format; a
change of format needs a new version name and a migration, never an edit here.

Only the standard library's ``hashlib`` is used: no secret, no home-made primitive. The chain
makes tampering *detectable*; without a secret anyone who can write rows can also compute
hashes, so the protection against writing comes from the database roles (docs/running.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

GENESIS = "0" * 64
FORMAT = "v1"

# The fields of a row that its hash covers, as (field name, column attribute) in one fixed order.
FIELDS = (
    "event_id",
    "occurred_at",
    "action",
    "outcome",
    "user_id",
    "user_display",
    "role",
    "organisation_id_copy",
    "organisation_display",
    "on_behalf_of_id",
    "purpose",
    "person_id",
    "object_type",
    "object_id",
    "client_address",
    "detail",
)


def _utc_iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("occurred_at must be timezone-aware")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(values: dict, prev_hash: str) -> bytes:
    """The bytes a row's hash is computed over: its fields (``FIELDS``) and ``prev_hash``."""
    data = {name: values[name] for name in FIELDS}
    data["event_id"] = str(data["event_id"])
    data["occurred_at"] = _utc_iso(data["occurred_at"])
    for name in ("user_id", "organisation_id_copy", "on_behalf_of_id", "person_id"):
        if data[name] is not None:
            data[name] = int(data[name])
    data["prev_hash"] = prev_hash
    data["format"] = FORMAT
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def row_hash(values: dict, prev_hash: str) -> str:
    """SHA-256 (hex) of the row's canonical form."""
    return hashlib.sha256(canonical(values, prev_hash)).hexdigest()


def values_of(entry) -> dict:
    """The hashed fields of a model instance (``AccessLogEntry``) as a dict."""
    return {name: getattr(entry, name) for name in FIELDS}


# Where a row's own bytes are split around its link (``around_prev``): 64 characters no hash has.
_MARK = "~" * 64
_PREV_KEY = b'"prev_hash":'


def around_prev(values: dict) -> tuple[bytes, bytes]:
    """The row's canonical bytes before and after the JSON string of its ``prev_hash``, so that the
    hash can be completed where the previous row is read: ``sha256(head + json(prev) + tail)`` is
    ``row_hash(values, prev)``, ``json(prev)`` being ``prev`` as ``canonical`` writes a string
    (``koers.audit.log`` on PostgreSQL, whose ``to_json`` writes a text the same way). The bytes
    are ``canonical``'s own: the format stays defined here only.

    Inside a JSON string every ``"`` is written ``\\"``, so ``"prev_hash":`` followed by the mark
    occurs once, as the key, whatever the row holds."""
    text = canonical(values, _MARK)
    key = _PREV_KEY + b'"' + _MARK.encode("ascii") + b'"'
    if text.count(key) != 1:
        raise ValueError("the row's canonical form does not hold its link exactly once")
    head, _key, tail = text.partition(key)
    return head + _PREV_KEY, tail
