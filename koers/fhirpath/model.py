"""FHIR data as FHIRPath sees it: nodes with a type, navigation by name, choice types (value[x]).

Values in a collection are either System values (``bool``, ``int``, ``Decimal``, ``str``) or
:class:`Node` objects: an element of a FHIR resource with its JSON data, its model path and type,
its parent and the ``_name`` companion of a primitive (id/extensions).

The FHIR R4 model (``r4_model.json``) covers Questionnaire, QuestionnaireResponse, ValueSet,
CodeSystem and all data types; elements of other resources are navigated by their JSON names
only (no value[x] resolution, types taken from the JSON values).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from .errors import FHIRPathError, UnsupportedError

_MODEL = json.loads((Path(__file__).with_name("r4_model.json")).read_text(encoding="utf-8"))
TYPES: dict[str, str] = _MODEL["types"]
CHOICES: dict[str, list[str]] = _MODEL["choices"]
ELSEWHERE: dict[str, str] = _MODEL["elsewhere"]
PARENTS: dict[str, str] = _MODEL["parents"]
MODEL_ROOTS = {path.split(".", 1)[0] for path in TYPES}

SYSTEM_TYPES = {"Boolean", "String", "Integer", "Long", "Decimal", "Date", "DateTime", "Time", "Quantity"}
FHIR_TYPES = set(PARENTS) | set(PARENTS.values())
# FHIR primitive type -> the System type it converts to implicitly (as fhirpath.js does for is/ofType).
FHIR_TO_SYSTEM = {
    "boolean": "Boolean",
    "string": "String",
    "uri": "String",
    "code": "String",
    "oid": "String",
    "id": "String",
    "uuid": "String",
    "markdown": "String",
    "base64Binary": "String",
    "integer": "Integer",
    "unsignedInt": "Integer",
    "positiveInt": "Integer",
    "integer64": "Long",
    "decimal": "Decimal",
    "date": "DateTime",
    "dateTime": "DateTime",
    "instant": "DateTime",
    "time": "Time",
    "Quantity": "Quantity",
}
DATE_TYPES = frozenset({"date", "dateTime", "instant", "time"})


class DateTimeText(str):
    """The text of a FHIR date/dateTime/instant/time element. Koers does not evaluate date and
    time arithmetic or comparison yet; operators refuse this type with a clear error instead of
    comparing the text."""

    __slots__ = ()


class Node:
    """One element of a FHIR resource."""

    __slots__ = ("data", "path", "type", "parent", "ext")

    def __init__(self, data, path, type_, parent=None, ext=None):
        if data.__class__ is dict and "resourceType" in data:
            path = type_ = data["resourceType"]
        self.data = data
        self.path = path
        self.type = type_
        self.parent = parent
        self.ext = ext

    def __repr__(self):  # pragma: no cover - debugging aid
        return f"Node({self.type or '?'}: {self.data!r})"


def resource_node(data) -> Node:
    return Node(data, None, None)


def node_value(node: Node):
    """The System value of a primitive node; the node itself for a complex one (or no value)."""
    data = node.data
    cls = data.__class__
    if cls is str:
        return DateTimeText(data) if node.type in DATE_TYPES else data
    if cls is int:
        return Decimal(data) if node.type == "decimal" else data
    if cls is bool:
        return data
    if cls is float:
        return Decimal(repr(data))
    if cls is Decimal:
        return data
    return node


def value(item):
    """The System value of a collection item (a Node's primitive value, or the item itself)."""
    if item.__class__ is Node:
        return node_value(item)
    return item


def has_no_value(item) -> bool:
    """A primitive element with only an id/extensions (its `_name` companion) and no value: it is
    there to navigate (``.extension``), but it is not a value: operators, aggregates, exists(),
    count() and results leave it out."""
    return item.__class__ is Node and item.data is None


def present(coll: list) -> list:
    """``coll`` without the primitives that have no value (see has_no_value)."""
    for item in coll:
        if item.__class__ is Node and item.data is None:
            return [x for x in coll if x.__class__ is not Node or x.data is not None]
    return coll


def to_python(item):
    """How a result item is handed back to Python callers: System values as they are (decimals
    as ``Decimal``, dates as ``str``), elements as their JSON data."""
    if item.__class__ is Node:
        result = node_value(item)
        if result is item:
            return item.data
        if result.__class__ is DateTimeText:
            return str(result)
        return result
    return item


# (parent path, name) -> ("free"|"plain", name, node path, type) or ("choice", {json key: (order, path, type)}, ...)
_CHILD_INFO: dict[tuple[str | None, str], tuple] = {}


def _child_info(path: str | None, name: str) -> tuple:
    key = (path, name)
    info = _CHILD_INFO.get(key)
    if info is not None:
        return info
    if path is None or path.split(".", 1)[0] not in MODEL_ROOTS:
        info = ("free", name, None, None)
    else:
        child = path + "." + name
        child = ELSEWHERE.get(child, child)
        choices = CHOICES.get(child)
        if choices:
            table = {}
            for order, suffix in enumerate(choices):
                type_ = TYPES.get(child + suffix)
                node_path = type_ if type_ not in (None, "Element", "BackboneElement") else child + suffix
                table[name + suffix] = (order, node_path, type_)
            info = ("choice", table, None, None)
        elif name == "extension":
            info = ("plain", name, "Extension", "Extension")
        else:
            type_ = TYPES.get(child)
            node_path = child if type_ in (None, "Element", "BackboneElement") else type_
            info = ("plain", name, node_path, type_)
    if len(_CHILD_INFO) < 20000:
        _CHILD_INFO[key] = info
    return info


def primitive(value, type_):
    """The System value of a JSON primitive of FHIR type ``type_``; None for objects/arrays."""
    cls = value.__class__
    if cls is str:
        return DateTimeText(value) if type_ in DATE_TYPES else value
    if cls is int:
        return Decimal(value) if type_ == "decimal" else value
    if cls is bool:
        return value
    if cls is float:
        return Decimal(repr(value))
    if cls is Decimal:
        return value
    return None


def _nodes(value, ext, path, type_, parent, out: list, values: bool) -> None:
    """Append the element(s) in ``value`` (with their `_` companions ``ext``) to ``out``: as Nodes,
    or, when ``values``, primitives directly as their System values (what operators use)."""
    if value.__class__ is list:
        ext_list = ext if ext.__class__ is list else ()
        n_ext = len(ext_list)
        for i, item in enumerate(value):
            item_ext = ext_list[i] if i < n_ext else None
            if item is None:
                if item_ext is not None and not values:
                    out.append(Node(None, path, type_, parent, item_ext))
                continue
            if values:
                v = primitive(item, type_)
                if v is not None:
                    out.append(v)
                    continue
            out.append(Node(item, path, type_, parent, item_ext))
        for i in range(len(value), n_ext):
            if ext_list[i] is not None and not values:
                out.append(Node(None, path, type_, parent, ext_list[i]))
    elif value is not None:
        if values:
            v = primitive(value, type_)
            if v is not None:
                out.append(v)
                return
        out.append(Node(value, path, type_, parent, ext if ext.__class__ is dict else None))
    elif ext is not None and not values:
        if ext.__class__ is list:
            for item_ext in ext:
                if item_ext is not None:
                    out.append(Node(None, path, type_, parent, item_ext))
        else:
            out.append(Node(None, path, type_, parent, ext))


def child_nodes(node: Node, name: str, out: list, values: bool = False) -> None:
    """Append the children called ``name`` of ``node`` to ``out`` (see _nodes for ``values``)."""
    data = node.data
    if data.__class__ is not dict:
        # A primitive: only its id/extension, kept in the `_name` companion.
        ext = node.ext
        if ext.__class__ is dict and name in ext:
            if name == "extension":
                _nodes(ext[name], None, "Extension", "Extension", node, out, values)
            else:
                _nodes(ext[name], None, None, None, node, out, values)
        return
    kind, key, path, type_ = _child_info(node.path, name)
    if kind == "choice":
        best = None
        for json_key in data:
            base = json_key[1:] if json_key[:1] == "_" else json_key
            found = key.get(base)
            if found is not None and (best is None or found[0] < best[1][0]):
                best = (base, found)
        if best is not None:
            json_key, (_order, path, type_) = best
            _nodes(data.get(json_key), data.get("_" + json_key), path, type_, node, out, values)
        return
    value = data.get(key)
    if value.__class__ is dict:  # the common case: one object, no `_` companion
        out.append(Node(value, path, type_, node, None))
        return
    _nodes(value, data.get("_" + key), path, type_, node, out, values)


def children(node: Node) -> list:
    """All child nodes (the `children()` function), named by their JSON keys as fhirpath.js does
    (``valueCoding`` is an element of type Coding)."""
    out: list = []
    data = node.data
    if data.__class__ is dict:
        for key in data:
            if key == "resourceType":
                continue
            if key.startswith("_"):
                name = key[1:]
                if name in data:
                    continue
            else:
                name = key
            kind, _key, path, type_ = _child_info(node.path, name)
            if kind == "choice":
                path = type_ = None
            _nodes(data.get(name), data.get("_" + name), path, type_, node, out, False)
    elif node.ext.__class__ is dict:
        for key in node.ext:
            child_nodes(node, key, out)
    return out


# -- types -------------------------------------------------------------------------------------


def resolve_type(spec: str) -> tuple[str | None, str]:
    """Check a type specifier (``integer``, ``FHIR.Coding``, ``System.Integer``) -> (namespace, name)."""
    parts = spec.split(".")
    if len(parts) == 1:
        namespace, name = None, parts[0]
    elif len(parts) == 2:
        namespace, name = parts
    else:
        raise FHIRPathError(f"'{spec}' is not a type name")
    if namespace == "System":
        valid = name in SYSTEM_TYPES
    elif namespace == "FHIR":
        valid = name in FHIR_TYPES
    elif namespace is None:
        valid = name in SYSTEM_TYPES or name in FHIR_TYPES
    else:
        valid = False
    if not valid and namespace == "System" and name in FHIR_TYPES:
        return namespace, name  # System.Patient: a valid name that no System value has (is -> false)
    if not valid:
        raise FHIRPathError(f"'{spec}' is not a known type")
    return namespace, name


def _is_subtype(type_: str, wanted: str) -> bool:
    while type_:
        if type_ == wanted:
            return True
        type_ = PARENTS.get(type_)
    return False


def system_type(item) -> str:
    cls = item.__class__
    if cls is bool:
        return "Boolean"
    if cls is int:
        return "Integer"
    if cls is Decimal:
        return "Decimal"
    if cls is DateTimeText:
        return "DateTime"
    if cls is str:
        return "String"
    return "Object"


def is_type(item, namespace: str | None, name: str, convert: bool = False) -> bool:
    """Whether ``item`` is of the given type or a subtype (`is`, `as`). With ``convert`` (for
    `ofType()`), a FHIR primitive also matches the System type it converts to: ``integer``
    answers pass ``ofType(Integer)`` — as in fhirpath.js, while ``is`` follows the official test
    suite (``Patient.active.is(Boolean)`` is false: FHIR.boolean is not System.Boolean)."""
    if item.__class__ is Node:
        type_ = item.type
        if type_ and not type_.startswith("System."):
            if convert and namespace in (None, "System") and FHIR_TO_SYSTEM.get(type_) == name:
                return True
            if namespace in (None, "FHIR"):
                return _is_subtype(type_, name)
            return False
        if type_:  # System.String (element ids and such)
            return namespace in (None, "System") and type_[7:] == name
        inferred = node_value(item)
        if inferred is item:
            return False
        item = inferred
    if namespace == "FHIR":
        return False
    return system_type(item) == name


def unsupported(what: str) -> UnsupportedError:
    return UnsupportedError(f"{what} is not supported")
