"""``AnyOf``: a column among many integer ids, for ``$export``'s chunks of persons (issue #15).

``filter(person_id__in=ids)`` with 2,000 ids costs ~50–100 ms before the database sees it: Django
prepares every id on its own and psycopg splits a query with 2,000 placeholders. ``AnyOf`` sends
the ids as one array parameter on PostgreSQL (``person_id = ANY(%s)``, which the planner treats
as the IN list it is); elsewhere (SQLite) it writes the same ``IN (…)`` as ``__in``. Used directly
as a filter expression: ``queryset.filter(AnyOf(F("person_id"), ids))``.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def __init__(self, lhs, ids):
        super().__init__(lhs, [int(pk) for pk in ids])  # integers only: ids of rows

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            column = self.lhs.output_field.db_type(connection)  # the column's own type: no cast per row
            return f"{lhs} = ANY(%s::{column}[])", (*params, self.rhs)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*params, *self.rhs)
