"""Django's ``date`` filter, with each formatted date kept per process (issue #18, "Speed").

Registered as a template builtin in settings.TEMPLATES (``builtins``), so ``{{ value|date:"j-n-Y" }}``
everywhere comes here. Django's filter looks the format up through the language's format modules
and walks the format string character by character on every call: 25–35 µs a date, about ten
dates on a care plan (a goal's target date, an action's review date, a condition's onset, the
version's times). What it returns depends only on the value, the format, the active language
(month and day names, named formats) and, for a date-time, the time zone the template engine
converted it to (``expects_localtime``), which is in the value's ``tzinfo``; so the text is kept
under exactly those. Anything else (``None``, a string, a time, a lazy format) goes to Django's
filter unchanged, and so does the first formatting of each key: the output is Django's, byte for
byte (tests/test_template_caches.py). A format written in a template is a safe string: still a str.

Only a date and its text are kept, never whose date it is. The store is bounded: it is emptied
when it holds ``LIMIT`` texts, and whenever a setting changes (tests override formats, languages
and time zones).
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date as django_date
from django.utils.translation import get_language

register = template.Library()

LIMIT = 20_000
# (type, value, fold, time zone, format, language) → Django's text.
_FORMATTED: dict[tuple, str] = {}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    kind = type(value)
    if (kind is not dt.date and kind is not dt.datetime) or (arg is not None and not isinstance(arg, str)):
        return django_date(value, arg)
    if kind is dt.datetime:
        # Equal aware date-times may sit in different zones, and equal naive ones may differ in
        # ``fold`` (the repeated hour when summer time ends): both change the text.
        key = (kind, value, value.fold, str(value.tzinfo), arg, get_language())
    else:
        key = (kind, value, 0, None, arg, get_language())
    text = _FORMATTED.get(key)
    if text is None:
        text = django_date(value, arg)
        if len(_FORMATTED) >= LIMIT:
            _FORMATTED.clear()
        _FORMATTED[key] = text
    return text


@receiver(setting_changed)
def _forget(**kwargs):
    _FORMATTED.clear()
