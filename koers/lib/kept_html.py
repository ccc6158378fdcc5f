"""Parts of pages rendered once per content and kept in the database (issue #18, "Speed").

A page part that shows the same HTML until what it shows changes (the care plan's plan part,
``careplans.kept_page``; the person overview's cards, ``workspace.kept_overview``) is rendered
once and kept in a table of its own with ``digest``, ``html`` and ``rendered_at`` columns, one row
per owner and *variant* (the language and what the reader may not see). What is shared is here:

- ``digest``: sha256 of everything the HTML was rendered from — the content, the owner (links),
  the variant, the time zone, the script prefix and the release (``koers.lib.release``: code,
  templates, message catalogues). A kept row is used only when its digest is this one, so a page
  never shows older content, another language or another release's HTML, and no write has to
  forget anything: a stale row is never shown, and is replaced the next time the part is rendered.
- ``plain``: model instances as plain data for the digest — every field value, the related
  objects read with them and their prefetched rows, so that a change to anything loaded changes
  the digest. Anything it does not know gives no digest: the part is rendered, not kept.
- ``keep``: one ``INSERT … ON CONFLICT … DO UPDATE`` (~0.1 ms), in a savepoint inside a
  transaction, so that a failure (a read-only database) leaves the page's own work alone; it is
  logged and the part is rendered again next time. Keeping is a derived write of a read page, not
  a change to care data; the page's read is logged (NEN 7513).
- ``prune``: rows rendered more than ``KEEP_DAYS`` ago are removed (nightly), so kept copies of
  care data stay few.

Never kept under ``DEBUG``: a template may change under a running process.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from contextlib import nullcontext
from datetime import timedelta
from decimal import Decimal

import orjson
from django.conf import settings
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models.query import QuerySet
from django.urls import get_script_prefix
from django.utils import timezone

from koers.lib import release

logger = logging.getLogger(__name__)

KEEP_DAYS = 30


def digest(owner: int, variant: str, content) -> str | None:
    """What HTML rendered from ``content`` for ``owner`` in ``variant`` depends on, as sha256
    (None: the content is not plain data, ``plain`` included; such a part is not kept)."""
    try:
        data = orjson.dumps(content, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=_decimal)
    except TypeError:
        return None
    found = hashlib.sha256(release.digest().encode())
    found.update(f"\0{owner}\0{variant}\0{timezone.get_current_timezone_name()}\0".encode())
    found.update(get_script_prefix().encode() + b"\0" + data)
    return found.hexdigest()


def plain(value, _path: tuple = ()):
    """``value`` with every model instance in it as ``[label, {field: value, …}, …]``: its own
    attributes (fields, annotations, what code set on it; not those starting with "_", which no
    template reads, but for its prefetched rows), the related objects read with it
    (``select_related``, ``attach``) and its prefetched rows, recursively. An instance already on
    the way down (a child's parent) is ``[label, pk]``. A queryset not read yet, or anything
    else ``orjson`` cannot write, makes ``digest`` give None."""
    if isinstance(value, models.Model):
        return _instance(value, _path)
    if isinstance(value, list | tuple):
        return [plain(item, _path) for item in value]
    if isinstance(value, dict):
        return {key: plain(item, _path) for key, item in value.items()}
    if isinstance(value, QuerySet):
        if value._result_cache is None:
            return _NotPlain()
        return [plain(item, _path) for item in value._result_cache]
    return value


def keep(model: type[models.Model], row: dict) -> None:
    """Store ``row`` (the owner's field, ``variant``, ``digest``, ``html``) in ``model``, replacing
    the owner's row in that variant; ``rendered_at`` is now. Never under ``DEBUG``; a failure is
    logged, not raised."""
    if settings.DEBUG:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    names = tuple(row)
    values = [*row.values(), connection.ops.adapt_datetimefield_value(timezone.now())]
    # One statement, atomic by itself; inside a transaction (a test, ATOMIC_REQUESTS) in a
    # savepoint, so that a failure does not break the page's own transaction.
    try:
        with transaction.atomic(using=alias) if connection.in_atomic_block else nullcontext():
            with connection.cursor() as cursor:
                cursor.execute(upsert_sql(model, names, connection.ops.quote_name), values)
    except DatabaseError:
        owner = next(iter(row.values()))
        logger.warning("%s %s was not kept; it is rendered again next time.", model.__name__, owner)


def prune(model: type[models.Model], *, days: int = KEEP_DAYS) -> int:
    """Remove the rows of ``model`` rendered more than ``days`` ago: their part is rendered again
    at its next view. Returns how many were removed."""
    removed, _by_model = model.objects.filter(rendered_at__lt=timezone.now() - timedelta(days=days)).delete()
    return removed


@functools.cache
def upsert_sql(model: type[models.Model], names: tuple[str, ...], quote) -> str:
    """``INSERT … ON CONFLICT (owner, variant) DO UPDATE`` for ``names`` and ``rendered_at``:
    PostgreSQL and SQLite (3.24+) alike, as ``bulk_create``'s ``update_conflicts`` writes it,
    without building that query on every keep (0.4 against ~0.1 ms). ``names`` start with the
    owner's field and ``variant``, the unique pair."""
    meta = model._meta
    columns = [quote(meta.get_field(name).column) for name in (*names, "rendered_at")]
    owner, variant, *updated = columns
    changes = ", ".join(f"{name} = EXCLUDED.{name}" for name in updated)
    places = ", ".join(["%s"] * len(columns))
    return (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) VALUES ({places}) "  # noqa: S608  # nosec B608  # quoted model identifiers; values are parameters
        f"ON CONFLICT ({owner}, {variant}) DO UPDATE SET {changes}"
    )


class KeptHtml(models.Model):
    """The columns of a table of kept HTML; a concrete model adds its owner (a foreign key) and a
    unique constraint on the owner and ``variant``, the pair ``keep`` replaces on."""

    # The language and what the reader may not see ("nl|crisis_plan,health").
    variant = models.CharField(max_length=200)
    # sha256 of the release, the language, the time zone and the content (``digest``).
    digest = models.CharField(max_length=64)
    html = models.TextField()
    rendered_at = models.DateTimeField()

    class Meta:
        abstract = True


class _NotPlain:
    """Stands in for what ``plain`` cannot write: ``orjson`` refuses it, so no digest."""


def _decimal(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _instance(obj: models.Model, path: tuple):
    label = obj._meta.label
    if any(obj is above for above in path):
        return [label, obj.pk]
    path = (*path, obj)
    # A template reads no attribute starting with "_": such attributes are left out (what the
    # access layer notes on a person for this request, say) but for the prefetched rows.
    fields = {
        name: plain(value, path)
        for name, value in obj.__dict__.items()
        if not name.startswith("_") or name == "_prefetched_objects_cache"
    }
    related = {name: plain(value, path) for name, value in obj._state.fields_cache.items()}
    return [label, fields, related]
