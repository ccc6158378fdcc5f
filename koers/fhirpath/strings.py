"""The FHIRPath string functions (indexOf() … join()), with regular expressions written the
FHIRPath (JavaScript) way."""

from __future__ import annotations

import re

from .errors import FHIRPathError
from .model import Node, node_value
from .operators import describe
from .registry import FUNCTIONS, function, int_arg, str_arg, str_input


def _js_replacement(substitution: str):
    """FHIRPath (like JavaScript) writes group references as $1 or ${name} in replaceMatches()."""

    def expand(match: re.Match) -> str:
        out = []
        i = 0
        text = substitution
        while i < len(text):
            ch = text[i]
            if ch == "$" and i + 1 < len(text):
                nxt = text[i + 1]
                if nxt == "$":
                    out.append("$")
                    i += 2
                    continue
                if nxt.isdigit():
                    j = i + 1
                    while j < len(text) and text[j].isdigit():
                        j += 1
                    out.append(match.group(int(text[i + 1 : j])) or "")
                    i = j
                    continue
                if nxt == "{":
                    end = text.find("}", i)
                    if end > 0:
                        out.append(match.group(text[i + 2 : end]) or "")
                        i = end + 1
                        continue
            out.append(ch)
            i += 1
        return "".join(out)

    return expand


def _regex(pattern: str):
    # FHIRPath allows (?<name>...) named groups; Python spells them (?P<name>...).
    pattern = re.sub(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>", r"(?P<\1>", pattern)
    try:
        return re.compile(pattern, re.DOTALL)
    except re.error as exc:
        raise FHIRPathError(f"invalid regular expression {pattern!r}: {exc}") from None


# strings
def _string_fn(name: str, arg_count: int, impl, max_args: int | None = None):
    label = name + "()"

    def builder(compiler, inp, args, asts):
        def fn(focus, ctx):
            s = str_input(inp(focus, ctx), label)
            if s is None:
                return []
            values = []
            for arg in args:
                v = int_arg(arg, ctx, label) if name == "substring" else str_arg(arg, ctx, label)
                if v is None:
                    return []
                values.append(v)
            return impl(s, *values)

        return fn

    FUNCTIONS[name] = (arg_count, arg_count if max_args is None else max_args, builder)


def _substring(s, start, length=None):
    if start < 0 or start >= len(s):
        return []
    if length is None:
        return [s[start:]]
    return [s[start : start + max(length, 0)]]


_string_fn("indexOf", 1, lambda s, sub: [s.find(sub)])
_string_fn("substring", 1, _substring, 2)
_string_fn("startsWith", 1, lambda s, prefix: [s.startswith(prefix)])
_string_fn("endsWith", 1, lambda s, suffix: [s.endswith(suffix)])
_string_fn("contains", 1, lambda s, sub: [sub in s])
_string_fn("upper", 0, lambda s: [s.upper()])
_string_fn("lower", 0, lambda s: [s.lower()])
_string_fn("replace", 2, lambda s, pattern, sub: [s.replace(pattern, sub)])
_string_fn("matches", 1, lambda s, regex: [_regex(regex).search(s) is not None])
_string_fn("replaceMatches", 2, lambda s, regex, sub: [_regex(regex).sub(_js_replacement(sub), s)])
_string_fn("length", 0, lambda s: [len(s)])
_string_fn("toChars", 0, lambda s: list(s))
_string_fn("trim", 0, lambda s: [s.strip()])
_string_fn("split", 1, lambda s, sep: s.split(sep) if sep else list(s))


@function("join", 0, 1)
def _join(compiler, inp, args, asts):
    def join(focus, ctx):
        coll = inp(focus, ctx)
        separator = str_arg(args[0], ctx, "join()") if args else ""
        texts = []
        for item in coll:
            v = node_value(item) if item.__class__ is Node else item
            if not isinstance(v, str):
                raise FHIRPathError(f"join() works on text, not {describe(v)}")
            texts.append(v)
        return [(separator or "").join(texts)]

    return join
