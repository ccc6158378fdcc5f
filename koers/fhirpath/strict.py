"""Strict mode: check an expression's paths against the FHIR R4 model before it runs.

FHIRPath lets ``name.given1`` quietly yield nothing; the specification's strict mode makes it a
semantic error, and so does :func:`check_paths` when it is asked with the type of the context
(``check_paths("Patient.name.given1", "Patient")``). It follows each path through the model
(``r4_model.json``): an element the type does not have, a choice type written by its JSON name
(``Observation.valueQuantity``; FHIRPath says ``value`` or ``value.ofType(Quantity)``), a type
name at the start that is not the context's type, and an ordered function (``first()``,
``skip()``, ``[0]``) on the unordered result of ``children()``/``descendants()`` are refused
with a :class:`FHIRPathError` that names the element. Where the type cannot be known statically
(a %variable other than %resource/%context, ``repeat()``, ``resolve()``) the check stops: strict
mode never refuses a path it cannot see.
"""

from __future__ import annotations

from .errors import FHIRPathError
from .model import CHOICES, ELSEWHERE, FHIR_TYPES, TYPES, is_subtype
from .parser import Ast, parse

# Functions whose result holds items of the same type(s) as their input.
SAME_TYPE = {
    "where", "first", "last", "tail", "skip", "take", "single", "distinct", "trace",
    "intersect", "exclude", "union", "combine",
}  # fmt: skip
ORDERED = {"first", "last", "tail", "skip", "take", "single"}
# Functions whose (first) argument is evaluated on each input item.
ON_ITEMS = {"where", "select", "exists", "all", "repeat", "aggregate", "sort"}
WRAPPERS = ("Element", "BackboneElement")

# Static type of a collection: (frozenset of model paths / type names, ordered) or (None, ordered)
# when unknown.
Types = tuple


def check_paths(expression: str, context_type: str, *, json_choice_names: bool = False) -> None:
    """Raise FHIRPathError when a path in ``expression`` does not exist for ``context_type``.

    ``json_choice_names`` lets ``answer.valueCoding`` pass as fhirpath.js reads it (the element
    ``value`` of type Coding), as real SDC questionnaires write it; a name that is no element at
    all (a typo) is still refused."""
    if context_type not in FHIR_TYPES:
        raise FHIRPathError(f"'{context_type}' is not an R4 type", expression)
    try:
        checker = _Checker(context_type)
        checker.json_choice_names = json_choice_names
        checker.infer(parse(expression), (frozenset({context_type}), True))
    except FHIRPathError as exc:
        raise type(exc)(exc.message, expression) from None


def _element(type_: str, name: str) -> frozenset | None:
    """The model paths of ``type_.name``: empty when the type has no such element."""
    child = type_ + "." + name
    child = ELSEWHERE.get(child, child)
    choices = CHOICES.get(child)
    if choices:
        return frozenset(_path(child + suffix, TYPES.get(child + suffix)) for suffix in choices)
    for base in _bases(type_):
        found = TYPES.get(base + "." + name)
        if found is not None:
            if base != type_:
                child = base + "." + name
            return frozenset({_path(child, found)})
    return frozenset()


def _bases(type_: str):
    yield type_
    if "." not in type_:
        for parent in ("Element", "Resource", "DomainResource"):
            if parent != type_ and is_subtype(type_, parent):
                yield parent


def _path(child: str, type_: str | None) -> str:
    return child if type_ in (None, *WRAPPERS) else type_


def _choice_json_name(type_: str, name: str) -> str | None:
    for choice, suffixes in CHOICES.items():
        head, _, base = choice.rpartition(".")
        if head == type_ and name.startswith(base) and name[len(base) :] in suffixes:
            return base
    return None


class _Checker:
    def __init__(self, context_type: str):
        self.context_type = context_type
        self.json_choice_names = False

    def infer(self, ast: Ast, focus: Types) -> Types:
        return getattr(self, "i_" + ast.kind, self.i_other)(ast, focus)

    def i_other(self, ast: Ast, focus: Types) -> Types:
        for arg in ast.args:
            if isinstance(arg, Ast):
                self.infer(arg, focus)
        return None, True

    def i_this(self, ast: Ast, focus: Types) -> Types:
        return focus

    def i_var(self, ast: Ast, focus: Types) -> Types:
        if ast.value in ("resource", "context", "rootResource"):
            return frozenset({self.context_type}), True
        return None, True

    def i_name(self, ast: Ast, focus: Types) -> Types:
        name = ast.value
        if name[:1].isupper() and name in FHIR_TYPES and "." not in name and focus[0] == {self.context_type}:
            if not is_subtype(self.context_type, name):
                raise FHIRPathError(f"the path starts with {name}, but the context is a {self.context_type}")
            return focus
        return self.member(focus, name)

    def member(self, focus: Types, name: str) -> Types:
        types, ordered = focus
        if types is None:
            return None, ordered
        found: set = set()
        for type_ in types:
            base = _choice_json_name(type_, name)
            if base and not self.json_choice_names:
                raise FHIRPathError(
                    f"{type_} has no element '{name}': FHIRPath names the choice '{base}' "
                    f"(e.g. {base}.ofType({name[len(base) :]}))"
                )
            found |= _element(type_, name)
        if not found:  # none of the possible types (value[x] may be several) has it
            raise FHIRPathError(f"{' | '.join(sorted(types))} has no element '{name}'")
        if found & {"Resource", "DomainResource"}:
            return None, ordered  # contained, Bundle.entry.resource: any resource, known at run time
        return frozenset(found), ordered

    def i_invoke(self, ast: Ast, focus: Types) -> Types:
        left_ast, right = ast.args
        left = self.infer(left_ast, focus)
        if right.kind == "member":
            return self.member(left, right.value)
        if right.kind == "function":
            return self.function(right, left, focus)
        return self.infer(right, left)

    def i_function(self, ast: Ast, focus: Types) -> Types:
        return self.function(ast, focus, focus)

    def function(self, ast: Ast, inp: Types, outer: Types) -> Types:
        name = ast.value
        if name in ORDERED and not inp[1]:
            raise FHIRPathError(f"{name}() needs an ordered collection, and children()/descendants() is not ordered")
        if name in ("ofType", "as") and ast.args:
            return self._typed(ast.args[0]), inp[1]
        if name == "is":
            return None, True
        result = (None, True)
        for i, arg in enumerate(ast.args):
            result = self.infer(arg, inp if (name in ON_ITEMS and i == 0) or name == "trace" else outer)
        if name in ("children", "descendants"):
            return None, False
        if name == "extension":
            return frozenset({"Extension"}), inp[1]
        if name == "select" and ast.args:
            return result[0], inp[1]
        if name in SAME_TYPE:
            return inp
        return None, True

    def i_type(self, ast: Ast, focus: Types) -> Types:
        left = self.infer(ast.args[0], focus)
        op, spec = ast.value
        return (self._spec(spec), left[1]) if op == "as" else (None, True)

    def i_indexer(self, ast: Ast, focus: Types) -> Types:
        left = self.infer(ast.args[0], focus)
        if not left[1]:
            raise FHIRPathError("an index [ ] needs an ordered collection, and children()/descendants() is not ordered")
        self.infer(ast.args[1], focus)
        return left

    def _typed(self, arg: Ast) -> frozenset | None:
        if arg.kind == "name":
            return self._spec(arg.value)
        if arg.kind == "invoke" and arg.args[0].kind == "name" and arg.args[1].kind == "member":
            return self._spec(arg.args[0].value + "." + arg.args[1].value)
        return None

    @staticmethod
    def _spec(spec: str) -> frozenset | None:
        namespace, _, name = spec.rpartition(".")
        if namespace in ("", "FHIR") and name in FHIR_TYPES:
            return frozenset({name})
        return None
