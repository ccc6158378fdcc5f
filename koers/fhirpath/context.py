"""The evaluation context: the %variables of an expression and the values it is given.

Every compiled piece of an expression is a function ``fn(focus: list, ctx: Ctx) -> list``
(:data:`Fn`); :class:`Ctx` carries the environment, ``$this``, ``$index`` and ``$total``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from .errors import FHIRPathError
from .model import DateTimeText, Node

Fn = Callable[[list, "Ctx"], list]

CONSTANTS = {
    "ucum": "http://unitsofmeasure.org",
    "sct": "http://snomed.info/sct",
    "loinc": "http://loinc.org",
}


class Collection(list):
    """A FHIRPath result: a plain list of Python values (elements as their JSON dicts, decimals as
    ``Decimal``). It also remembers the engine's own items in ``nodes``, so that passing it back
    in as an environment variable (an SDC ``variable``) keeps each element's type and parent,
    which ``weight()`` needs."""

    __slots__ = ("nodes",)


def to_collection(value) -> list:
    """An environment value (or the resource) as an engine collection."""
    if value is None:
        return []
    if value.__class__ is Collection:
        return value.nodes
    if isinstance(value, (list, tuple)):
        return [_item(v) for v in value if v is not None]
    return [_item(value)]


def _item(value):
    cls = value.__class__
    if cls is dict:
        return Node(value, None, None)
    if cls is float:
        return Decimal(repr(value))
    if cls in (int, bool, str, Decimal, Node, DateTimeText):
        return value
    if isinstance(value, dict):
        return Node(dict(value), None, None)
    raise FHIRPathError(f"cannot use a {cls.__name__} as a FHIRPath value")


class Ctx:
    __slots__ = ("env", "cache", "this", "index", "total", "root")

    def __init__(self, env, root):
        self.env = env
        self.cache = {}
        self.this = root
        self.index = None
        self.total = []
        self.root = root

    def var(self, name: str) -> list:
        cache = self.cache
        found = cache.get(name)
        if found is not None:
            return found
        env = self.env
        if env is not None and name in env:
            found = to_collection(env[name])
        elif name in ("context", "resource", "rootResource"):
            found = self.root
        elif name in CONSTANTS:
            found = [CONSTANTS[name]]
        elif name.startswith("vs-"):
            found = ["http://hl7.org/fhir/ValueSet/" + name[3:]]
        elif name.startswith("ext-"):
            found = ["http://hl7.org/fhir/StructureDefinition/" + name[4:]]
        else:
            raise FHIRPathError(f"the variable %{name} is not defined")
        cache[name] = found
        return found

    def questionnaire(self):
        env = self.env
        value = env.get("questionnaire") if env is not None else None
        if value.__class__ is Collection:
            value = value.nodes
        if isinstance(value, (list, tuple)):
            value = value[0] if len(value) == 1 else None
        if value.__class__ is Node:
            value = value.data
        return value if isinstance(value, dict) else None
