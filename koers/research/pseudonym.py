"""Keyed pseudonyms and generalisation for research extracts (issue #16; docs/research.md). Pure.

A pseudonym is HMAC-SHA256 (Python's ``hmac``, no home-made cryptography) of the project name
and the kind and id of a record, under the project's own secret key: the same person has the
same pseudonym in every extract of one project, a different one in every other project, and
without the key nobody can go from a pseudonym back to the person or link two projects. Dates
become months and ages five-year bands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re

MIN_KEY_LENGTH = 32
PROJECT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
ENV_PREFIX = "KOERS_RESEARCH_KEY_"
OLDEST_BAND = 90  # 90 and older is one band: few people, easy to single out


class KeyMissing(ValueError):
    """The project has no secret key (or one too short to be safe)."""


def check_project(name: str) -> str:
    if not PROJECT_NAME.match(name or ""):
        raise ValueError("a project name is 2-40 lower-case letters, digits and hyphens, e.g. 'herstel-2027'")
    return name


def env_name(project: str) -> str:
    """The environment variable that holds the project's key: KOERS_RESEARCH_KEY_HERSTEL_2027."""
    return ENV_PREFIX + check_project(project).upper().replace("-", "_")


def project_key(project: str, configured: dict | None = None, environ=None) -> bytes:
    """The project's key from the setting ``KOERS_RESEARCH_KEYS`` (``configured``) or the
    environment; ``KeyMissing`` when there is none of at least 32 characters."""
    environ = os.environ if environ is None else environ
    key = (configured or {}).get(project) or environ.get(env_name(project), "")
    if len(key) < MIN_KEY_LENGTH:
        raise KeyMissing(
            f"no key for project {project!r}: set {env_name(project)} to a random text of at least "
            f"{MIN_KEY_LENGTH} characters (e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return key.encode()


def pseudonym(key: bytes, project: str, kind: str, record_id: int) -> str:
    """32 hexadecimal characters (128 bits of HMAC-SHA256) for one record of one project."""
    message = f"{project}\x1f{kind}\x1f{record_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def month(moment: dt.date | dt.datetime | None) -> str:
    """A date as its month, "2026-03"; no date: empty."""
    return "" if moment is None else f"{moment.year:04d}-{moment.month:02d}"


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_band(birth: dt.date, on: dt.date) -> str:
    """Age in five-year bands ("35-39"), 90 and older together ("90+")."""
    age = max(age_on(birth, on), 0)
    if age >= OLDEST_BAND:
        return f"{OLDEST_BAND}+"
    low = age - age % 5
    return f"{low}-{low + 4}"
