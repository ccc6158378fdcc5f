"""``reverse`` with whole-number arguments, worked out once per process per URL name.

Django's ``reverse`` walks the URL resolver's possibilities, checks every argument against the
pattern and quotes the result on each call: ~0.1 ms, about forty times on a care plan page (the
person tabs, the header's menu, the plan's buttons). For a given URL name and number of
arguments the answer has a fixed shape: ``/personen/<id>/zorgplan/``. ``reverse_ints`` reverses
once with stand-in numbers, keeps the text around them and afterwards puts the real numbers in
their place; a URL without arguments is kept whole.

Exactly ``reverse``'s answer, because:
- only arguments that are ``int`` (not ``bool``) and not negative take this way; they become
  ``str(n)`` under the ``int``, ``slug``, ``str`` and ``path`` converters alike, none of which
  quote digits, as Django's quoting does not either;
- a name whose stand-in reverse fails, or whose answer does not hold each stand-in exactly once
  in order (a converter that rewrites numbers, a pattern that accepts only some numbers), is
  marked and always goes to ``reverse``; so are keyword arguments;
- the key holds everything ``reverse`` depends on besides the name and arguments: the URL
  configuration (``get_urlconf``), the script prefix, the current app and the active language;
  a test that swaps ROOT_URLCONF clears the cache.

Only URLs are kept (no person data: an id is put in per call, never stored).
"""

from __future__ import annotations

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Stand-ins: ten digits each, never an id in the same URL (ids are compared, not searched for).
_STAND_INS = tuple(7_391_000_001 + i for i in range(6))
_UNCACHEABLE = object()
_SHAPES: dict[tuple, object] = {}


def _shape(view_name: str, count: int, current_app):
    try:
        url = reverse(view_name, args=_STAND_INS[:count], current_app=current_app)
    except NoReverseMatch:
        return _UNCACHEABLE
    parts = []
    rest = url
    for stand_in in _STAND_INS[:count]:
        text = str(stand_in)
        if url.count(text) != 1:
            return _UNCACHEABLE
        head, sep, rest = rest.partition(text)
        if not sep:
            return _UNCACHEABLE
        parts.append(head)
    parts.append(rest)
    return tuple(parts)


def reverse_ints(view_name: str, args=(), current_app=None, *, where: tuple | None = None) -> str:
    """``reverse(view_name, args=args, current_app=current_app)``, from a kept shape when every
    argument is a non-negative ``int``; raises ``NoReverseMatch`` as ``reverse`` does. ``where``:
    the active ``(language, URL configuration, script prefix)`` when the caller has them
    (``koers.lib.template_state``); else they are looked up."""
    count = len(args)
    if count > len(_STAND_INS) or not all(type(a) is int and a >= 0 for a in args):
        return reverse(view_name, args=args, current_app=current_app)
    language, urlconf, prefix = where or (get_language(), get_urlconf(), get_script_prefix())
    key = (urlconf, prefix, language, current_app, view_name, count)
    shape = _SHAPES.get(key)
    if shape is None:
        shape = _SHAPES[key] = _shape(view_name, count, current_app)
    if shape is _UNCACHEABLE:
        return reverse(view_name, args=args, current_app=current_app)
    if not count:
        return shape[0]
    out = [shape[0]]
    for arg, tail in zip(args, shape[1:], strict=True):
        out.append(str(arg))
        out.append(tail)
    return "".join(out)


def forget() -> None:
    _SHAPES.clear()


@receiver(setting_changed)
def _forget_on_change(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "LANGUAGES", "INSTALLED_APPS"}:
        forget()
