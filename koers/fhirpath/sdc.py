"""The SDC FHIRPath supplement ``weight()`` (alias ``ordinal()``).

It returns the score of each answer: the `ordinalValue` (R4) or `itemWeight` (R5) extension on
the answer's own value, or else on the matching `answerOption` of the Questionnaire item (found
through ``%questionnaire`` by linkId), or else on the concept in a ValueSet or CodeSystem the
Questionnaire (or the resource) contains. The search order and matching rules are those of
fhirpath.js 5.2.0 (``src/sdc-ig-supplements.js``), so both engines score the same answers the
same way. Looking a score up on a terminology server is not supported: that case raises
:class:`FHIRPathError` (fhirpath.js raises too unless it runs asynchronously with a server).
"""

from __future__ import annotations

from decimal import Decimal

from .errors import FHIRPathError
from .model import Node

SCORE_URLS = (
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
)
ANSWER_PATH = "QuestionnaireResponse.item.answer"


def _number(v):
    if v is None or v.__class__ is bool:
        return None
    if v.__class__ is int:
        return Decimal(v)
    if v.__class__ is float:
        return Decimal(repr(v))
    if v.__class__ is Decimal:
        return v
    return None


def score_of(data):
    """The valueDecimal of the first ordinalValue/itemWeight extension on ``data`` (or None)."""
    if data.__class__ is not dict:
        return None
    extensions = data.get("extension")
    if extensions.__class__ is not list:
        return None
    for ext in extensions:
        if ext.__class__ is dict and ext.get("url") in SCORE_URLS:
            return _number(ext.get("valueDecimal"))
    return None


def _capitalize(s):
    return s[:1].upper() + s[1:] if s else s


def _node_info(node: Node):
    """-> (score, is_questionnaire_response, value, value_type), as fhirpath.js's getResourceNodeInfo."""
    path = node.path
    data = node.data
    parent = node.parent
    if path == "Coding":
        return score_of(data), parent is not None and parent.path == ANSWER_PATH, data, "Coding"
    if path == "Questionnaire.item.answerOption":
        return score_of(data), None, data, None
    if path == ANSWER_PATH:
        if data.__class__ is dict:
            for key in data:
                if len(key) > 5 and key.startswith("value"):
                    value = data[key]
                    return score_of(data.get("_" + key) or value), True, value, key[5:]
        return None, True, None, None
    if path == "ValueSet.compose.include.concept":
        system = parent.data.get("system") if parent is not None and parent.data.__class__ is dict else None
        code = data.get("code") if data.__class__ is dict else None
        return score_of(data), None, {"code": code, "system": system}, "Coding"
    if path == "CodeSystem.concept":
        return score_of(data), None, None, None
    if parent is not None and parent.path == ANSWER_PATH:
        return score_of(node.ext or data), True, data, _capitalize(node.type or "")
    return None, None, None, None


def _link_ids(node: Node) -> list:
    while node is not None and not (node.data.__class__ is dict and node.data.get("linkId")) and node.parent:
        node = node.parent
    ids = []
    while node is not None and node.data.__class__ is dict and node.data.get("linkId"):
        ids.append(node.data["linkId"])
        node = node.parent
    return ids


def _questionnaire_item(questionnaire: dict, link_ids: list):
    if not link_ids:
        return None
    top = link_ids[-1]
    collection = questionnaire.get("item") or []
    current = None
    while collection:
        current = next((i for i in collection if i.__class__ is dict and i.get("linkId") == top), None)
        if current is not None:
            break
        collection = [child for i in collection if i.__class__ is dict for child in (i.get("item") or [])]
    for link_id in reversed(link_ids[:-1]):
        if current is None:
            break
        current = next((i for i in current.get("item") or [] if i.get("linkId") == link_id), None)
    return current


def _same_number(a, b) -> bool:
    a, b = _number(a), _number(b)
    return a is not None and b is not None and a == b


def _answer_option(q_item: dict, value, value_type: str):
    prop = "value" + value_type
    for option in q_item.get("answerOption") or []:
        if option.__class__ is not dict:
            continue
        other = option.get(prop)
        if value_type == "Coding":
            coding = option.get("valueCoding")
            coding = coding if coding.__class__ is dict else {}
            value_dict = value if value.__class__ is dict else {}
            if coding.get("code") == value_dict.get("code") and coding.get("system") == value_dict.get("system"):
                return option
        elif value_type in ("Integer", "Decimal"):
            if _same_number(value, other):
                return option
        elif value_type in ("Attachment", "Quantity", "Reference"):
            if other.__class__ is dict and value.__class__ is dict:
                if all(k == "extension" or other.get(k) == v for k, v in value.items()):
                    return option
        elif other == value and other is not None:
            return option
    return None


def _concept(concepts, code):
    for concept in concepts or []:
        if concept.__class__ is not dict:
            continue
        if concept.get("code") == code:
            return concept
        found = _concept(concept.get("concept"), code)
        if found is not None:
            return found
    return None


def _contained_of(node: Node):
    while node is not None:
        data = node.data
        if data.__class__ is dict and data.get("resourceType") and data.get("contained"):
            return data["contained"]
        node = node.parent
    return None


def _from_terminology(node, questionnaire, value_set_url, code, system):
    """A score from a contained ValueSet or CodeSystem; (found, score)."""
    score = None
    if not code:
        return None
    if value_set_url:
        vs_id = value_set_url[1:] if value_set_url.startswith("#") else None
        contained = (questionnaire or {}).get("contained") or []
        value_set = next(
            (
                r
                for r in contained
                if r.__class__ is dict
                and r.get("resourceType") == "ValueSet"
                and (r.get("id") == vs_id if vs_id else r.get("url") == value_set_url)
            ),
            None,
        )
        if value_set is not None:
            item = None
            for include in (value_set.get("compose") or {}).get("include") or []:
                if include.get("system") == system:
                    item = _concept(include.get("concept"), code)
                    if item is not None:
                        break
            score = score_of(item) if item is not None else None
        elif vs_id:
            raise FHIRPathError(f"weight(): the Questionnaire has no contained ValueSet with id '{vs_id}'")
    if system and score is None:
        contained = (_contained_of(node) or []) + ((questionnaire or {}).get("contained") or [])
        code_system = next(
            (
                r
                for r in contained
                if r.__class__ is dict and r.get("resourceType") == "CodeSystem" and r.get("url") == system
            ),
            None,
        )
        if code_system is None:
            raise FHIRPathError(
                f"weight(): no score for code '{code}' of system '{system}' in the Questionnaire; "
                "looking scores up on a terminology server is not supported"
            )
        score = score_of(_concept(code_system.get("concept"), code))
    return score


def weight(coll: list, questionnaire) -> list:
    out = []
    for node in coll:
        if node.__class__ is not Node or node.data is None:
            continue
        score, in_response, value, value_type = _node_info(node)
        if score is not None:
            out.append(score)
        elif in_response and value is not None and value_type:
            if questionnaire is None:
                raise FHIRPathError("weight()/ordinal() needs %questionnaire to find the answer's score")
            link_ids = _link_ids(node)
            q_item = _questionnaire_item(questionnaire, link_ids)
            if q_item is None:
                raise FHIRPathError(
                    f"weight(): the Questionnaire has no item with linkId '{link_ids[0] if link_ids else '?'}'"
                )
            option = _answer_option(q_item, value, value_type)
            option_score = score_of(option)
            if option_score is not None:
                out.append(option_score)
            else:
                value_system = value.get("system") if value.__class__ is dict else None
                value_set = q_item.get("answerValueSet")
                if (option is not None and value_system) or value_set:
                    code = value.get("code") if value.__class__ is dict else None
                    found = _from_terminology(node, questionnaire, value_set, code, value_system)
                    if found is not None:
                        out.append(found)
        elif value_type == "Coding" and value.__class__ is dict and value.get("system"):
            found = _from_terminology(node, None, None, value.get("code"), value.get("system"))
            if found is not None:
                out.append(found)
    return out
