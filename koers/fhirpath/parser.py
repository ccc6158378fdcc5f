"""A hand-written parser for FHIRPath expressions.

It follows the grammar fhirpath.js 5.2 uses (the FHIRPath grammar with `is`/`as` binding tighter
than `|`, as the specification's precedence table says), minus the 3.0 additions Koers does not
evaluate (`sort`, instance selectors). Unlike fhirpathpy's ANTLR parser it rejects what is not
FHIRPath: trailing text (``a b``), a missing operand (``1 +``), an unclosed call (``where(``).

The result is a tree of :class:`Ast` nodes; :mod:`.compiler` turns it into Python closures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import FHIRPathError, UnsupportedError


@dataclass(frozen=True, slots=True)
class Ast:
    """One node of the syntax tree.

    kind is one of: ``name`` (an identifier at the start of a path; value: name), ``literal``
    (value: (kind, text) with kind "bool", "string", "integer", "decimal", "long", "date",
    "datetime", "time", "quantity" or "empty"), ``member`` (value: name), ``function`` (value:
    name, args), ``this``, ``index``, ``total``, ``var`` (value: name), ``invoke`` (args: (left,
    invocation)), ``indexer`` (args: (left, index)), ``unary`` (value: op, args: (operand,)),
    ``binary`` (value: op, args: (left, right)), ``type`` (value: (op, type name), args: (left,)).
    """

    kind: str
    value: object = None
    args: tuple = ()
    pos: int = 0


# Binding power of each binary operator: higher binds tighter (FHIRPath precedence table).
BINARY = {
    "implies": 1,
    "or": 2,
    "xor": 2,
    "and": 3,
    "in": 4,
    "contains": 4,
    "=": 5,
    "~": 5,
    "!=": 5,
    "!~": 5,
    "<": 6,
    "<=": 6,
    ">": 6,
    ">=": 6,
    "|": 7,
    "is": 8,
    "as": 8,
    "+": 9,
    "-": 9,
    "&": 9,
    "*": 10,
    "/": 10,
    "div": 10,
    "mod": 10,
}
UNARY_POWER = 11
# Words the grammar reserves: never a plain identifier (write them in backticks to use them as names).
RESERVED = {"div", "mod", "and", "or", "xor", "implies", "true", "false"}
CALENDAR_UNITS = {
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hour",
    "hours",
    "minute",
    "minutes",
    "second",
    "seconds",
    "millisecond",
    "milliseconds",
}

_TIME = r"\d\d(?::\d\d(?::\d\d(?:\.\d+)?)?)?"
_ZONE = r"(?:Z|[+-]\d\d:\d\d)"
_DATE = r"\d{4}(?:-\d\d(?:-\d\d)?)?"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<time>@T{_TIME})
  | (?P<datetime>@{_DATE}T(?:{_TIME}{_ZONE}?)?)
  | (?P<date>@{_DATE})
  | (?P<long>\d+L)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'(?:\\.|[^'\\])*')
  | (?P<delimited>`(?:\\.|[^`\\])*`)
  | (?P<special>\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|!=|!~|[-+*/|&<>=~.,()\[\]{{}}%])
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {"'": "'", '"': '"', "`": "`", "\\": "\\", "/": "/", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # id, delimited, string, number, long, date, datetime, time, special, op, end
    text: str
    pos: int


def unescape(body: str, expression: str, pos: int) -> str:
    out = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1 : i + 2]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", body[i + 2 : i + 6]):
            out.append(chr(int(body[i + 2 : i + 6], 16)))
            i += 6
        else:
            raise FHIRPathError(f"unknown escape '\\{nxt}' at position {pos + i + 1}", expression)
    return "".join(out)


def tokenize(expression: str) -> list[Token]:
    tokens = []
    pos = 0
    while pos < len(expression):
        if expression.startswith("/*", pos) and expression.find("*/", pos + 2) < 0:
            raise FHIRPathError(f"comment opened at position {pos} is never closed", expression)
        match = _TOKEN.match(expression, pos)
        if match is None:
            quote = expression[pos]
            if quote in "'`":
                raise FHIRPathError(f"text opened with {quote} at position {pos} is never closed", expression)
            raise FHIRPathError(f"unexpected character {expression[pos]!r} at position {pos}", expression)
        kind = match.lastgroup
        if kind != "ws":
            tokens.append(Token(kind, match.group(), pos))
        pos = match.end()
    tokens.append(Token("end", "", pos))
    return tokens


class Parser:
    def __init__(self, expression: str):
        self.expression = expression
        self.tokens = tokenize(expression)
        self.i = 0

    # -- helpers -------------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def error(self, message: str, tok: Token | None = None) -> FHIRPathError:
        tok = tok or self.tok
        where = "at the end" if tok.kind == "end" else f"at position {tok.pos} ({tok.text!r})"
        return FHIRPathError(f"{message} {where}", self.expression)

    def expect(self, text: str) -> Token:
        if self.tok.kind == "op" and self.tok.text == text:
            return self.advance()
        raise self.error(f"expected {text!r}")

    def is_op(self, text: str) -> bool:
        return self.tok.kind == "op" and self.tok.text == text

    def binary_op(self) -> str | None:
        tok = self.tok
        if tok.kind == "op" and tok.text in BINARY:
            return tok.text
        if tok.kind == "id" and tok.text in BINARY:
            return tok.text
        return None

    # -- grammar -------------------------------------------------------------------------------
    def parse(self) -> Ast:
        if self.tok.kind == "end":
            raise FHIRPathError("the expression is empty", self.expression)
        node = self.expression_(0)
        if self.tok.kind != "end":
            raise self.error("unexpected text")
        return node

    def expression_(self, min_power: int) -> Ast:
        tok = self.tok
        if tok.kind == "op" and tok.text in ("+", "-"):
            self.advance()
            operand = self.expression_(UNARY_POWER)
            left = Ast("unary", tok.text, (operand,), tok.pos)
        else:
            left = self.term()
        while True:
            tok = self.tok
            if self.is_op("."):
                self.advance()
                left = Ast("invoke", None, (left, self.invocation()), tok.pos)
                continue
            if self.is_op("["):
                self.advance()
                index = self.expression_(0)
                self.expect("]")
                left = Ast("indexer", None, (left, index), tok.pos)
                continue
            op = self.binary_op()
            if op is None:
                break
            power = BINARY[op]
            if power <= min_power:
                break
            if op in ("is", "as") and 0 < min_power < power and min_power != UNARY_POWER:
                # `1 | 1 is Integer`, `1 > 2 is Boolean`: the specification's precedence table binds
                # `is` first, its own test suite (and ANTLR's grammar) reads `(1 | 1) is Integer`.
                raise UnsupportedError(
                    f"the operator '{op}' right after another operator without parentheses: FHIRPath's "
                    "precedence table and its test suite read it differently; write parentheses",
                    self.expression,
                )
            self.advance()
            if op in ("is", "as"):
                left = Ast("type", (op, self.type_specifier()), (left,), tok.pos)
            else:
                right = self.expression_(power)
                left = Ast("binary", op, (left, right), tok.pos)
        return left

    def identifier(self) -> str | None:
        tok = self.tok
        if tok.kind == "id" and tok.text not in RESERVED:
            self.advance()
            return tok.text
        if tok.kind == "delimited":
            self.advance()
            return unescape(tok.text[1:-1], self.expression, tok.pos + 1)
        return None

    def type_specifier(self) -> str:
        parts = []
        while True:
            name = self.identifier()
            if name is None:
                raise self.error("expected a type name")
            parts.append(name)
            if not self.is_op("."):
                return ".".join(parts)
            self.advance()

    def invocation(self) -> Ast:
        tok = self.tok
        if tok.kind == "special":
            return self.special()
        name = self.identifier()
        if name is None:
            raise self.error("expected a name or function after '.'")
        if self.is_op("("):
            return self.call(name, tok)
        return Ast("member", name, (), tok.pos)

    def special(self) -> Ast:
        tok = self.advance()
        kinds = {"$this": "this", "$index": "index", "$total": "total"}
        if tok.text not in kinds:
            raise self.error(f"unknown special variable {tok.text}", tok)
        return Ast(kinds[tok.text], None, (), tok.pos)

    def call(self, name: str, tok: Token) -> Ast:
        self.expect("(")
        args = []
        if not self.is_op(")"):
            args.append(self.expression_(0))
            while self.is_op(","):
                self.advance()
                args.append(self.expression_(0))
        self.expect(")")
        return Ast("function", name, tuple(args), tok.pos)

    def term(self) -> Ast:
        tok = self.tok
        kind = tok.kind
        if kind == "op":
            if tok.text == "(":
                self.advance()
                inner = self.expression_(0)
                self.expect(")")
                return inner
            if tok.text == "{":
                self.advance()
                self.expect("}")
                return Ast("literal", ("empty", "{}"), (), tok.pos)
            if tok.text == "%":
                self.advance()
                name_tok = self.tok
                if name_tok.kind == "string":
                    self.advance()
                    name = unescape(name_tok.text[1:-1], self.expression, name_tok.pos + 1)
                else:
                    name = self.identifier()
                    if name is None:
                        raise self.error("expected a variable name after '%'")
                return Ast("var", name, (), tok.pos)
            raise self.error("expected a value, name or function")
        if kind == "string":
            self.advance()
            return Ast("literal", ("string", unescape(tok.text[1:-1], self.expression, tok.pos + 1)), (), tok.pos)
        if kind == "number":
            self.advance()
            unit = self.tok
            if unit.kind == "string" or (unit.kind == "id" and unit.text in CALENDAR_UNITS):
                self.advance()
                return Ast("literal", ("quantity", f"{tok.text} {unit.text}"), (), tok.pos)
            return Ast("literal", ("decimal" if "." in tok.text else "integer", tok.text), (), tok.pos)
        if kind in ("long", "date", "datetime", "time"):
            self.advance()
            return Ast("literal", (kind, tok.text), (), tok.pos)
        if kind == "special":
            return self.special()
        if kind == "id" and tok.text in ("true", "false"):
            self.advance()
            return Ast("literal", ("bool", tok.text), (), tok.pos)
        name = self.identifier()
        if name is None:
            raise self.error("expected a value, name or function")
        if self.is_op("("):
            return self.call(name, tok)
        return Ast("name", name, (), tok.pos)


def parse(expression: str) -> Ast:
    if not isinstance(expression, str):
        raise FHIRPathError(f"an expression must be text, not {type(expression).__name__}")
    return Parser(expression).parse()
