"""The measurement core: what screening and self-monitoring both need to describe, check and read a
measured value. Pure Python (no Django, no other Koers app), so it can be tested and reused alone.

- ``types``: a measurement type (code, LOINC codes, canonical UCUM unit, accepted units, plausible
  range, decimals, value kind) and a catalogue indexed by code and LOINC;
- ``units``: UCUM conversion to a type's canonical unit;
- ``values``: reading a number (decimal comma or point) and checking it against a type;
- ``targets``: target ranges and where a value stands against one;
- ``fhir``: the one FHIR R4 Observation mapper (JSON <-> plain value objects).

Problems are reported as codes (``values.Problem``, ``fhir.Problem``); the apps turn them into
plain Dutch words, each in its own context.
"""
