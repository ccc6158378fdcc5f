"""Reading the elements of a FHIR Questionnaire: texts with their translations, extensions, numbers
and FHIRPath expressions. Pure. Each refusal is an ``InstrumentError`` that says where."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from koers import fhirpath
from koers.questionnaires.instrument_model import (
    FHIRPATH,
    MAX_EXPRESSION,
    TRANSLATION,
    InstrumentError,
    Text,
    _number_or_none,
)

_REGEX_FUNCTION = re.compile(r"\b(matches|replaceMatches)\s*\(")


def read_text(element: dict, key: str, language: str, where: str, *, required: bool = False, max_length=None) -> Text:
    value = element.get(key)
    if value is None:
        if required:
            raise InstrumentError(_("%(where)s: de tekst (%(key)s) ontbreekt.") % {"where": where, "key": key})
        return Text("", language)
    if not isinstance(value, str):
        raise InstrumentError(_("%(where)s: %(key)s moet tekst zijn.") % {"where": where, "key": key})
    if max_length and len(value) > max_length:
        raise InstrumentError(
            _("%(where)s: %(key)s is langer dan %(max)s tekens.") % {"where": where, "key": key, "max": max_length}
        )
    translations = []
    companion = element.get("_" + key) or {}
    if not isinstance(companion, dict):
        raise malformed("_" + key)
    for ext in listed(companion, "extension"):
        if not isinstance(ext, dict) or ext.get("url") != TRANSLATION:
            continue
        parts = {
            sub["url"]: sub
            for sub in listed(ext, "extension")
            if isinstance(sub, dict) and isinstance(sub.get("url"), str)
        }
        lang = (parts.get("lang") or {}).get("valueCode")
        content = (parts.get("content") or {}).get("valueString")
        if not isinstance(lang, str) or not isinstance(content, str):
            raise InstrumentError(
                _("%(where)s: een vertaling van %(key)s heeft geen 'lang' of geen 'content'.")
                % {"where": where, "key": key}
            )
        translations.append((lang, content))
    return Text(value, language, tuple(translations))


def malformed(key: str) -> InstrumentError:
    return InstrumentError(_("'%(key)s' heeft niet de vorm die FHIR voorschrijft.") % {"key": key})


def listed(element: dict, key: str) -> list:
    """A repeating FHIR element (e.g. ``extension``) as a list; missing or empty is an empty list.
    Anything else is refused with a message (it used to fail with a TypeError: a server error)."""
    value = element.get(key) or []
    if not isinstance(value, list):
        raise malformed(key)
    return value


def extensions_of(element: dict, url: str) -> list[dict]:
    return [ext for ext in listed(element, "extension") if isinstance(ext, dict) and ext.get("url") == url]


def extension_of(element: dict, url: str) -> dict | None:
    found = extensions_of(element, url)
    return found[0] if found else None


def numeric_value(ext: dict, where: str) -> int | float:
    for key in ("valueDecimal", "valueInteger"):
        if key in ext:
            number = _number_or_none(ext[key])
            if number is None or isinstance(ext[key], str):
                break
            return number
    raise InstrumentError(
        _("%(where)s: de score van dit antwoord (%(url)s) moet een getal zijn.") % {"where": where, "url": ext["url"]}
    )


def read_expression(value_expression, where: str) -> str:
    if not isinstance(value_expression, dict):
        raise InstrumentError(_("%(where)s: valueExpression ontbreekt.") % {"where": where})
    language = value_expression.get("language")
    if language != FHIRPATH:
        raise InstrumentError(
            _("%(where)s: de taal van de expressie is %(language)s; Koers rekent alleen met text/fhirpath.")
            % {"where": where, "language": repr(language)}
        )
    expression = value_expression.get("expression")
    if not isinstance(expression, str) or not expression.strip():
        raise InstrumentError(_("%(where)s: de expressie is leeg.") % {"where": where})
    if len(expression) > MAX_EXPRESSION:
        raise InstrumentError(
            _("%(where)s: de expressie is langer dan %(max)s tekens.") % {"where": where, "max": MAX_EXPRESSION}
        )
    if _REGEX_FUNCTION.search(expression):
        # A regular expression from a file can take exponential time on a crafted answer
        # (ReDoS) and Python's re has no time limit; scoring never needs one.
        raise InstrumentError(
            _("%(where)s: matches() en replaceMatches() zijn niet toegestaan in een scoringsexpressie.")
            % {"where": where}
        )
    try:
        fhirpath.compile(expression)
    except Exception as exc:  # any parse error of the engine, reported with the expression
        raise InstrumentError(
            _("%(where)s: de FHIRPath-expressie %(expression)s klopt niet: %(error)s")
            % {"where": where, "expression": repr(expression), "error": str(exc) or type(exc).__name__}
        ) from None
    return expression


def where_item(link_id: str) -> str:
    return _("Vraag %(item)s") % {"item": repr(link_id)}
