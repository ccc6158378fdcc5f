"""Reading a FHIR Questionnaire into an Instrument, checking everything on the way. Pure.

Every refusal is an ``InstrumentError`` whose message says where (which item, which answer,
which part of the Koers scoring extension) and what is wrong, in plain words.
"""

from __future__ import annotations

import copy
import json
import re

from django.utils.translation import gettext as _

from koers import fhirpath
from koers.questionnaires.instrument_model import (
    ANSWER_TYPES,
    BETTER,
    CALCULATED,
    DOMAINS,
    FHIRPATH,
    HIDDEN,
    ID_PATTERN,
    LINK_ID_MAX,
    MAX_DEPTH,
    MAX_EXPRESSION,
    MAX_ITEMS,
    MAX_VALUE,
    MIN_VALUE,
    SCORE_URLS,
    SCORING,
    STRUCTURE_TYPES,
    TITLE_MAX,
    TRANSLATION,
    VARIABLE,
    VERSION_MAX,
    Band,
    Display,
    Flag,
    Instrument,
    InstrumentError,
    Item,
    Norms,
    Option,
    ScoreDef,
    Text,
    _number_or_none,
)

_REGEX_FUNCTION = re.compile(r"\b(matches|replaceMatches)\s*\(")


def _text(element: dict, key: str, language: str, where: str, *, required: bool = False, max_length=None) -> Text:
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
        raise _malformed("_" + key)
    for ext in _listed(companion, "extension"):
        if not isinstance(ext, dict) or ext.get("url") != TRANSLATION:
            continue
        parts = {
            sub["url"]: sub
            for sub in _listed(ext, "extension")
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


def _malformed(key: str) -> InstrumentError:
    return InstrumentError(_("'%(key)s' heeft niet de vorm die FHIR voorschrijft.") % {"key": key})


def _listed(element: dict, key: str) -> list:
    """A repeating FHIR element (e.g. ``extension``) as a list; missing or empty is an empty list.
    Anything else is refused with a message (it used to fail with a TypeError: a server error)."""
    value = element.get(key) or []
    if not isinstance(value, list):
        raise _malformed(key)
    return value


def _extensions(element: dict, url: str) -> list[dict]:
    return [ext for ext in _listed(element, "extension") if isinstance(ext, dict) and ext.get("url") == url]


def _extension(element: dict, url: str) -> dict | None:
    found = _extensions(element, url)
    return found[0] if found else None


def _numeric_value(ext: dict, where: str) -> int | float:
    for key in ("valueDecimal", "valueInteger"):
        if key in ext:
            number = _number_or_none(ext[key])
            if number is None or isinstance(ext[key], str):
                break
            return number
    raise InstrumentError(
        _("%(where)s: de score van dit antwoord (%(url)s) moet een getal zijn.") % {"where": where, "url": ext["url"]}
    )


def _expression(value_expression, where: str) -> str:
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


def _where_item(link_id: str) -> str:
    return _("Vraag %(item)s") % {"item": repr(link_id)}


def _parse_options(raw: dict, link_id: str, language: str) -> tuple[Option, ...]:
    where = _where_item(link_id)
    if raw.get("answerValueSet") and not raw.get("answerOption"):
        raise InstrumentError(
            _(
                "%(where)s gebruikt answerValueSet; Koers heeft de antwoorden in de vragenlijst zelf nodig "
                "(answerOption)."
            )
            % {"where": where},
            item=link_id,
        )
    answer_options = raw.get("answerOption")
    if not isinstance(answer_options, list) or not answer_options:
        raise InstrumentError(
            _("%(where)s is een keuzevraag zonder antwoordmogelijkheden (answerOption).") % {"where": where},
            item=link_id,
        )
    options = []
    codes = set()
    for position, answer_option in enumerate(answer_options, start=1):
        option_where = _("%(where)s, antwoord %(position)s") % {"where": where, "position": position}
        if not isinstance(answer_option, dict) or not isinstance(answer_option.get("valueCoding"), dict):
            raise InstrumentError(
                _("%(where)s: Koers ondersteunt antwoorden als valueCoding (met een code).") % {"where": option_where},
                item=link_id,
            )
        coding = answer_option["valueCoding"]
        code = coding.get("code")
        if not isinstance(code, str) or not code.strip():
            raise InstrumentError(_("%(where)s heeft geen code.") % {"where": option_where}, item=link_id)
        if code in codes:
            raise InstrumentError(
                _("%(where)s: de code %(code)s komt twee keer voor.") % {"where": option_where, "code": repr(code)},
                item=link_id,
            )
        codes.add(code)
        value = None
        score_extension = None
        for element in (coding, answer_option):
            for url in SCORE_URLS:
                ext = _extension(element, url)
                if ext is not None:
                    candidate = _numeric_value(ext, option_where)
                    if value is not None and candidate != value:
                        raise InstrumentError(
                            _("%(where)s heeft twee verschillende scores (%(a)s en %(b)s).")
                            % {"where": option_where, "a": value, "b": candidate},
                            item=link_id,
                        )
                    value = candidate
                    score_extension = score_extension or ext
        response_coding = {key: coding[key] for key in ("system", "version", "code", "display") if key in coding}
        response_extensions = [ext for ext in _listed(coding, "extension") if isinstance(ext, dict)]
        if score_extension is not None and not any(ext.get("url") in SCORE_URLS for ext in response_extensions):
            response_extensions.append(score_extension)  # a response carries the score on its Coding
        if response_extensions:
            response_coding["extension"] = copy.deepcopy(response_extensions)
        display = (
            _text(coding, "display", language, option_where, max_length=1000)
            if "display" in coding
            else Text(code, language)
        )
        options.append(Option(code, coding.get("system"), display, value, response_coding))
    return tuple(options)


def _parse_items(raw_items, language: str, parents: tuple[str, ...], seen: set, out: list, displays: list) -> None:
    if not isinstance(raw_items, list):
        raise InstrumentError(_("'item' moet een lijst met vragen zijn."))
    if len(parents) > MAX_DEPTH:
        raise InstrumentError(
            _("Groep %(group)s ligt dieper dan %(max)s groepen in elkaar.")
            % {"group": repr(parents[-1]), "max": MAX_DEPTH}
        )
    for position, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            raise InstrumentError(_("Vraag nummer %(position)s is geen object.") % {"position": position})
        link_id = raw.get("linkId")
        if not isinstance(link_id, str) or not link_id.strip():
            raise InstrumentError(_("Vraag nummer %(position)s heeft geen linkId.") % {"position": position})
        if len(link_id) > LINK_ID_MAX:
            raise InstrumentError(
                _("De linkId %(item)s is langer dan %(max)s tekens.") % {"item": repr(link_id[:80]), "max": LINK_ID_MAX}
            )
        where = _where_item(link_id)
        if link_id in seen:
            raise InstrumentError(_("%(where)s: deze linkId komt twee keer voor.") % {"where": where}, item=link_id)
        seen.add(link_id)
        if len(seen) > MAX_ITEMS:
            raise InstrumentError(_("De vragenlijst heeft meer dan %(max)s vragen.") % {"max": MAX_ITEMS})
        item_type = raw.get("type")
        if item_type not in ANSWER_TYPES + STRUCTURE_TYPES:
            raise InstrumentError(
                _("%(where)s heeft het type %(type)s; Koers kan vragen van deze typen afnemen: %(types)s.")
                % {"where": where, "type": repr(item_type), "types": ", ".join(ANSWER_TYPES + STRUCTURE_TYPES)},
                item=link_id,
            )
        if raw.get("repeats"):
            raise InstrumentError(
                _("%(where)s mag meer dan één antwoord hebben (repeats); dat ondersteunt Koers niet.")
                % {"where": where},
                item=link_id,
            )
        calculated_ext = _extension(raw, CALCULATED)
        calculated = _expression(calculated_ext.get("valueExpression"), where) if calculated_ext else None
        if calculated and item_type not in ("integer", "decimal"):
            raise InstrumentError(
                _("%(where)s berekent een score, maar is geen getal (type integer of decimal).") % {"where": where},
                item=link_id,
            )
        if item_type == "group":
            children = raw.get("item")
            if not children:
                raise InstrumentError(_("%(where)s is een groep zonder vragen.") % {"where": where}, item=link_id)
            _parse_items(children, language, parents + (link_id,), seen, out, displays)
            continue
        if item_type == "display":
            displays.append(Display(link_id, _text(raw, "text", language, where, max_length=4000), parents))
            continue
        if raw.get("item"):
            raise InstrumentError(
                _("%(where)s heeft vragen onder een vraag; zet ze in een groep (type group).") % {"where": where},
                item=link_id,
            )
        hidden_ext = _extension(raw, HIDDEN)
        options = _parse_options(raw, link_id, language) if item_type == "choice" else ()
        min_value = max_value = None
        if item_type in ("integer", "decimal"):
            for url, name in ((MIN_VALUE, "min"), (MAX_VALUE, "max")):
                ext = _extension(raw, url)
                if ext is not None:
                    number = None
                    for key in ("valueInteger", "valueDecimal"):
                        if key in ext and not isinstance(ext[key], str):
                            number = _number_or_none(ext[key])
                    if number is None:
                        raise InstrumentError(
                            _("%(where)s: de %(name)s-waarde moet een getal zijn.") % {"where": where, "name": name},
                            item=link_id,
                        )
                    if name == "min":
                        min_value = number
                    else:
                        max_value = number
            if min_value is not None and max_value is not None and min_value > max_value:
                raise InstrumentError(
                    _("%(where)s: de kleinste waarde is groter dan de grootste.") % {"where": where}, item=link_id
                )
        max_length = raw.get("maxLength")
        bad_length = not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
        if max_length is not None and bad_length:
            raise InstrumentError(_("%(where)s: maxLength moet een positief geheel getal zijn.") % {"where": where})
        out.append(
            Item(
                link_id=link_id,
                type=item_type,
                texts=_text(raw, "text", language, where, required=calculated is None, max_length=4000),
                options=options,
                required=bool(raw.get("required", False)),
                read_only=bool(raw.get("readOnly", False)),
                hidden=bool(hidden_ext and hidden_ext.get("valueBoolean")),
                calculated=calculated,
                min_value=min_value,
                max_value=max_value,
                max_length=max_length,
                prefix=raw.get("prefix") or "",
                parents=parents,
            )
        )


def _sub(ext: dict) -> dict[str, list[dict]]:
    parts: dict[str, list[dict]] = {}
    for sub in _listed(ext, "extension"):
        if isinstance(sub, dict) and isinstance(sub.get("url"), str):
            parts.setdefault(sub["url"], []).append(sub)
    return parts


def _one(parts, name, key, where, *, kind=str, required=False):
    found = parts.get(name, [])
    if len(found) > 1:
        raise InstrumentError(_("%(where)s: '%(name)s' komt meer dan één keer voor.") % {"where": where, "name": name})
    if not found or key not in found[0]:
        if required:
            raise InstrumentError(_("%(where)s: '%(name)s' ontbreekt.") % {"where": where, "name": name})
        return None
    value = found[0][key]
    if kind is float:
        number = _number_or_none(value) if not isinstance(value, str) else None
        if number is None:
            raise InstrumentError(_("%(where)s: '%(name)s' moet een getal zijn.") % {"where": where, "name": name})
        return number
    if kind is bool:
        if not isinstance(value, bool):
            raise InstrumentError(_("%(where)s: '%(name)s' moet true of false zijn.") % {"where": where, "name": name})
        return value
    if not isinstance(value, str):
        raise InstrumentError(_("%(where)s: '%(name)s' moet tekst zijn.") % {"where": where, "name": name})
    return value


def _choice(value, allowed, where, name):
    if value is not None and value not in allowed:
        raise InstrumentError(
            _("%(where)s: '%(name)s' is %(value)s; kies uit %(allowed)s.")
            % {"where": where, "name": name, "value": repr(value), "allowed": ", ".join(allowed)}
        )
    return value


def _label(parts, name, language, where, fallback: Text) -> Text:
    found = parts.get(name, [])
    if not found:
        return fallback
    return _text(found[0], "valueString", language, where)


def _parse_norms(ext: dict, where: str) -> Norms:
    parts = _sub(ext)
    where = _("%(where)s, normen") % {"where": where}
    numbers = {
        name: _one(parts, name, "valueDecimal", where, kind=float)
        for name in ("reliability", "sd", "cutoff", "clinicalMean", "clinicalSd", "functionalMean", "functionalSd")
    }
    texts = {
        name: _one(parts, name, "valueString", where) or ""
        for name in ("reliabilitySource", "sdSource", "cutoffSource", "populationSource")
    }
    reliability = numbers["reliability"]
    if reliability is not None and not 0 <= reliability < 1:
        raise InstrumentError(_("%(where)s: de betrouwbaarheid moet tussen 0 en 1 liggen.") % {"where": where})
    for name in ("sd", "clinicalSd", "functionalSd"):
        if numbers[name] is not None and numbers[name] <= 0:
            raise InstrumentError(
                _("%(where)s: '%(name)s' (een standaarddeviatie) moet groter dan 0 zijn.")
                % {"where": where, "name": name}
            )
    for mean, sd in (("clinicalMean", "clinicalSd"), ("functionalMean", "functionalSd")):
        if (numbers[mean] is None) != (numbers[sd] is None):
            raise InstrumentError(
                _("%(where)s: geef '%(mean)s' en '%(sd)s' allebei, of geen van beide.")
                % {"where": where, "mean": mean, "sd": sd}
            )
    return Norms(
        reliability=reliability,
        reliability_source=texts["reliabilitySource"],
        sd=numbers["sd"],
        sd_source=texts["sdSource"],
        cutoff=numbers["cutoff"],
        cutoff_source=texts["cutoffSource"],
        clinical_mean=numbers["clinicalMean"],
        clinical_sd=numbers["clinicalSd"],
        functional_mean=numbers["functionalMean"],
        functional_sd=numbers["functionalSd"],
        population_source=texts["populationSource"],
        provisional=bool(_one(parts, "provisional", "valueBoolean", where, kind=bool)),
    )


def _parse_score(ext: dict, calculated: dict[str, Item], language: str, root_domain, root_better) -> ScoreDef:
    parts = _sub(ext)
    name = _one(parts, "item", "valueString", _("Koers-scoring, score"), required=True)
    where = _("Koers-scoring, score %(name)s") % {"name": repr(name)}
    if name not in calculated:
        raise InstrumentError(
            _("%(where)s: er is geen vraag %(name)s met een calculatedExpression.")
            % {"where": where, "name": repr(name)}
        )
    item = calculated[name]
    minimum = _one(parts, "min", "valueDecimal", where, kind=float)
    maximum = _one(parts, "max", "valueDecimal", where, kind=float)
    if minimum is not None and maximum is not None and minimum >= maximum:
        raise InstrumentError(_("%(where)s: 'min' moet kleiner zijn dan 'max'.") % {"where": where})
    bands = []
    codes = set()
    for band_ext in parts.get("band", []):
        band_parts = _sub(band_ext)
        code = _one(band_parts, "code", "valueCode", where, required=True)
        band_where = _("%(where)s, band %(code)s") % {"where": where, "code": repr(code)}
        if code in codes:
            raise InstrumentError(_("%(where)s komt twee keer voor.") % {"where": band_where})
        codes.add(code)
        lower = _one(band_parts, "from", "valueDecimal", band_where, kind=float, required=True)
        if bands and lower <= bands[-1].lower:
            raise InstrumentError(_("%(where)s: zet de banden op volgorde van laag naar hoog.") % {"where": band_where})
        if minimum is not None and lower < minimum:
            raise InstrumentError(_("%(where)s begint onder de laagste score.") % {"where": band_where})
        if maximum is not None and lower > maximum:
            raise InstrumentError(_("%(where)s begint boven de hoogste score.") % {"where": band_where})
        bands.append(
            Band(
                code=code,
                lower=lower,
                label_text=_label(band_parts, "label", language, band_where, Text(code, language)),
                attention=bool(_one(band_parts, "attention", "valueBoolean", band_where, kind=bool)),
            )
        )
    norms_ext = parts.get("norms", [])
    if len(norms_ext) > 1:
        raise InstrumentError(_("%(where)s: 'norms' komt meer dan één keer voor.") % {"where": where})
    max_missing = _one(parts, "maxMissing", "valueInteger", where, kind=float)
    if max_missing is not None and (not isinstance(max_missing, int) or max_missing < 0):
        raise InstrumentError(_("%(where)s: 'maxMissing' moet een geheel getal van 0 of meer zijn.") % {"where": where})
    decimals = _one(parts, "decimals", "valueInteger", where, kind=float)
    if decimals is not None and (not isinstance(decimals, int) or not 0 <= decimals <= 4):
        raise InstrumentError(
            _("%(where)s: 'decimals' moet een geheel getal van 0 tot en met 4 zijn.") % {"where": where}
        )
    return ScoreDef(
        name=name,
        label_text=_label(parts, "label", language, where, item.texts if item.texts.default else Text(name, language)),
        expression=item.calculated,
        minimum=minimum,
        maximum=maximum,
        bands=tuple(bands),
        norms=_parse_norms(norms_ext[0], where) if norms_ext else None,
        domain=_choice(_one(parts, "domain", "valueCode", where), DOMAINS, where, "domain") or root_domain,
        better=_choice(_one(parts, "better", "valueCode", where), BETTER, where, "better") or root_better,
        max_missing=max_missing,
        decimals=decimals if decimals is not None else (0 if item.type == "integer" else 2),
    )


def _parse(resource, *, shipped: bool) -> Instrument:
    if isinstance(resource, bytes):
        try:
            resource = resource.decode("utf-8")
        except UnicodeDecodeError:
            raise InstrumentError(_("Het bestand is geen UTF-8-tekst.")) from None
    if isinstance(resource, str):
        try:
            resource = json.loads(resource)
        except json.JSONDecodeError as exc:
            raise InstrumentError(
                _("Dit is geen geldige JSON: %(error)s (regel %(line)s, kolom %(column)s).")
                % {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
            ) from None
    if not isinstance(resource, dict):
        raise InstrumentError(_("Een vragenlijst is een JSON-object (een FHIR Questionnaire)."))
    if resource.get("resourceType") != "Questionnaire":
        raise InstrumentError(
            _("Dit is geen FHIR Questionnaire (resourceType is %(type)s).")
            % {"type": repr(resource.get("resourceType"))}
        )
    instrument_id = resource.get("id")
    if not isinstance(instrument_id, str) or not ID_PATTERN.match(instrument_id):
        raise InstrumentError(
            _("De vragenlijst heeft geen geldige id (letters, cijfers, '-' en '.', hoogstens 64 tekens).")
        )
    version = resource.get("version")
    if not isinstance(version, str) or not version.strip() or len(version) > VERSION_MAX:
        raise InstrumentError(
            _("De vragenlijst heeft geen versie (version, hoogstens %(max)s tekens).") % {"max": VERSION_MAX}
        )
    language = resource.get("language") or "nl"
    if not isinstance(language, str):
        raise InstrumentError(_("'language' moet een taalcode zijn, zoals nl of en."))
    title = _text(resource, "title", language, _("De vragenlijst"), required=True, max_length=TITLE_MAX)
    if not title.default.strip():
        raise InstrumentError(_("De vragenlijst heeft geen titel (title)."))
    status = resource.get("status")
    if status not in ("draft", "active", "retired"):
        raise InstrumentError(
            _("De status van de vragenlijst is %(status)s; dat moet draft, active of retired zijn.")
            % {"status": repr(status)}
        )
    licence_text = resource.get("copyright")
    if not isinstance(licence_text, str) or not licence_text.strip():
        raise InstrumentError(
            _("De vragenlijst noemt geen licentie (copyright). Zet daar onder welke voorwaarden u haar mag gebruiken.")
        )
    items: list[Item] = []
    displays: list[Display] = []
    _parse_items(resource.get("item") or [], language, (), set(), items, displays)
    if not any(item.answerable for item in items):
        raise InstrumentError(_("De vragenlijst heeft geen vragen om te beantwoorden."))

    variables = []
    names = set()
    for position, ext in enumerate(_extensions(resource, VARIABLE), start=1):
        value_expression = ext.get("valueExpression") or {}
        name = value_expression.get("name") if isinstance(value_expression, dict) else None
        where = _("Variabele %(name)s") % {"name": repr(name) if name else position}
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InstrumentError(_("%(where)s heeft geen geldige naam.") % {"where": where})
        if name in names or name in ("resource", "context", "questionnaire", "ucum", "sct", "loinc"):
            raise InstrumentError(_("%(where)s: deze naam is al in gebruik.") % {"where": where})
        names.add(name)
        variables.append((name, _expression(value_expression, where)))

    calculated = {item.link_id: item for item in items if item.calculated}
    if not calculated:
        raise InstrumentError(
            _(
                "De vragenlijst heeft geen score: Koers rekent scores uit met een SDC calculatedExpression "
                "(FHIRPath) op een verborgen vraag van het type integer of decimal."
            )
        )
    scoring = _extension(resource, SCORING)
    parts = _sub(scoring) if scoring else {}
    where = _("Koers-scoring")
    domain = _choice(_one(parts, "domain", "valueCode", where), DOMAINS, where, "domain")
    better = _choice(_one(parts, "better", "valueCode", where), BETTER, where, "better")
    scores = [_parse_score(ext, calculated, language, domain, better) for ext in parts.get("score", [])]
    seen_scores = set()
    for score in scores:
        if score.name in seen_scores:
            raise InstrumentError(_("Koers-scoring: score %(name)s komt twee keer voor.") % {"name": repr(score.name)})
        seen_scores.add(score.name)
    for item in calculated.values():  # calculated items the scoring extension does not describe
        if item.link_id not in seen_scores:
            scores.append(
                ScoreDef(
                    name=item.link_id,
                    label_text=item.texts if item.texts.default else Text(item.link_id, language),
                    expression=item.calculated,
                    minimum=item.min_value,
                    maximum=item.max_value,
                    domain=domain,
                    better=better,
                    decimals=0 if item.type == "integer" else 2,
                )
            )
    flags = []
    for ext in parts.get("flag", []):
        flag_parts = _sub(ext)
        code = _one(flag_parts, "code", "valueCode", _("Koers-scoring, signaal"), required=True)
        flag_where = _("Koers-scoring, signaal %(code)s") % {"code": repr(code)}
        expression_ext = flag_parts.get("expression", [])
        if len(expression_ext) != 1:
            raise InstrumentError(_("%(where)s heeft geen (of meer dan één) expressie.") % {"where": flag_where})
        flags.append(
            Flag(
                code=code,
                expression=_expression(expression_ext[0].get("valueExpression"), flag_where),
                label_text=_label(flag_parts, "label", language, flag_where, Text(code, language)),
            )
        )
    if len({flag.code for flag in flags}) != len(flags):
        raise InstrumentError(_("Koers-scoring: een signaal komt twee keer voor."))
    citations = tuple(ext.get("valueString") for ext in parts.get("citation", []) if ext.get("valueString"))
    publisher = resource.get("publisher") or ""
    instrument = Instrument(
        id=instrument_id,
        url=resource.get("url") or "",
        version=version,
        name=resource.get("name") or instrument_id,
        title_text=title,
        status=status,
        language=language,
        publisher=publisher if isinstance(publisher, str) else "",
        copyright=licence_text,
        items=tuple(items),
        scores=tuple(scores),
        variables=tuple(variables),
        flags=tuple(flags),
        displays=tuple(displays),
        domain=domain,
        better=better,
        licence=_one(parts, "licence", "valueString", where) or "",
        non_commercial=bool(_one(parts, "nonCommercial", "valueBoolean", where, kind=bool)),
        citations=citations,
        shipped=shipped,
        _questionnaire=copy.deepcopy(resource),
    )
    _smoke_test(instrument)
    return instrument


def _smoke_test(instrument: Instrument) -> None:
    """Score an empty and a fully answered response: an expression that refers to an unknown
    variable or cannot compute on real answers is found at import, not at a person's result."""
    from koers.questionnaires import scoring  # scoring imports this module

    full = {}
    for item in instrument.answer_items:
        if item.type == "choice":
            scored = [option for option in item.options if option.value is not None]
            full[item.link_id] = (scored or list(item.options))[-1].code
        elif item.type in ("integer", "decimal"):
            full[item.link_id] = item.max_value if item.max_value is not None else (item.min_value or 1)
        elif item.type == "boolean":
            full[item.link_id] = True
        elif item.type == "date":
            full[item.link_id] = "2024-01-01"
        else:
            full[item.link_id] = "x"
    for answers in ({}, full):
        try:
            result = scoring.score(instrument, answers)
        except scoring.ScoringError as exc:
            raise InstrumentError(
                _("De scores laten zich niet uitrekenen: %(error)s") % {"error": exc.message}, item=exc.link_id
            ) from None
        if answers and instrument.main.max_missing is not None and not result.scorable:
            raise InstrumentError(
                _("Met alle vragen beantwoord geeft de score %(name)s geen uitkomst; kijk de expressie na.")
                % {"name": repr(instrument.main.name)}
            )
