"""A small JSON Schema check for the subset docs/export-schema.json uses (jsonschema is not a
dependency of Koers): type, const, required, properties, additionalProperties, items, anyOf,
pattern and the formats date, date-time and time. Returns the problems as paths."""

from __future__ import annotations

import datetime
import re

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}
FORMATS = {
    "date": datetime.date.fromisoformat,
    "date-time": datetime.datetime.fromisoformat,
    "time": datetime.time.fromisoformat,
}


def _is(value, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, TYPES[kind])


def problems(value, schema: dict, path: str = "$") -> list[str]:  # noqa: C901 - one rule per keyword
    found: list[str] = []
    if "anyOf" in schema:
        if all(problems(value, option, path) for option in schema["anyOf"]):
            found.append(f"{path}: matches none of anyOf")
        return found
    if "const" in schema and value != schema["const"]:
        found.append(f"{path}: {value!r} is not {schema['const']!r}")
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(value, k) for k in kinds):
            return [f"{path}: {value!r} is not {kinds}"]
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if schema.get("format") in FORMATS:
            try:
                FORMATS[schema["format"]](value)
            except ValueError:
                found.append(f"{path}: {value!r} is not a {schema['format']}")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{path}: {name} missing")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                found += problems(item, properties[name], f"{path}.{name}")
            elif extra is False:
                found.append(f"{path}: {name} is not in the schema")
            elif isinstance(extra, dict):
                found += problems(item, extra, f"{path}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += problems(item, schema["items"], f"{path}[{index}]")
    return found
