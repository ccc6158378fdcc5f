"""The largest id a row can have: a bigint, PostgreSQL's ``bigint`` and SQLite's integer.

Django keeps primary-key lookups with a larger number from the database, not foreign-key or
``__in`` ones (SQLite raised OverflowError, PostgreSQL an error: a server error either way). So
the edges that take an id from outside check it against this: the access guard (``person_for``,
a refusal row), the forms (``koers.lib.forms.IdField``) and compiled queries' parameters."""

MAX_ID = 2**63 - 1
