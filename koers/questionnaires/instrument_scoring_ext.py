"""Koers's scoring extension on a FHIR Questionnaire: the scores with their bands and norms, the
flags, the domain, which way is better, the licence. Pure."""

from __future__ import annotations

from django.utils.translation import gettext as _

from koers.questionnaires.instrument_elements import (
    extension_of,
    listed,
    read_expression,
    read_text,
)
from koers.questionnaires.instrument_model import (
    BETTER,
    DOMAINS,
    SCORING,
    Band,
    Flag,
    InstrumentError,
    Item,
    Norms,
    ScoreDef,
    Text,
    _number_or_none,
)


def sub_extensions(ext: dict) -> dict[str, list[dict]]:
    parts: dict[str, list[dict]] = {}
    for sub in listed(ext, "extension"):
        if isinstance(sub, dict) and isinstance(sub.get("url"), str):
            parts.setdefault(sub["url"], []).append(sub)
    return parts


def one_value(parts, name, key, where, *, kind=str, required=False):
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


def choice_of(value, allowed, where, name):
    if value is not None and value not in allowed:
        raise InstrumentError(
            _("%(where)s: '%(name)s' is %(value)s; kies uit %(allowed)s.")
            % {"where": where, "name": name, "value": repr(value), "allowed": ", ".join(allowed)}
        )
    return value


def label_of(parts, name, language, where, fallback: Text) -> Text:
    found = parts.get(name, [])
    if not found:
        return fallback
    return read_text(found[0], "valueString", language, where)


def parse_norms(ext: dict, where: str) -> Norms:
    parts = sub_extensions(ext)
    where = _("%(where)s, normen") % {"where": where}
    numbers = {
        name: one_value(parts, name, "valueDecimal", where, kind=float)
        for name in ("reliability", "sd", "cutoff", "clinicalMean", "clinicalSd", "functionalMean", "functionalSd")
    }
    texts = {
        name: one_value(parts, name, "valueString", where) or ""
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
        provisional=bool(one_value(parts, "provisional", "valueBoolean", where, kind=bool)),
    )


def parse_score(ext: dict, calculated: dict[str, Item], language: str, root_domain, root_better) -> ScoreDef:
    """One score of the scoring extension: a calculated item with its range, bands, norms and rounding."""
    parts = sub_extensions(ext)
    name = one_value(parts, "item", "valueString", _("Koers-scoring, score"), required=True)
    where = _("Koers-scoring, score %(name)s") % {"name": repr(name)}
    if name not in calculated:
        raise InstrumentError(
            _("%(where)s: er is geen vraag %(name)s met een calculatedExpression.")
            % {"where": where, "name": repr(name)}
        )
    item = calculated[name]
    minimum = one_value(parts, "min", "valueDecimal", where, kind=float)
    maximum = one_value(parts, "max", "valueDecimal", where, kind=float)
    if minimum is not None and maximum is not None and minimum >= maximum:
        raise InstrumentError(_("%(where)s: 'min' moet kleiner zijn dan 'max'.") % {"where": where})
    bands = _bands(parts, where, language, minimum, maximum)
    norms_ext = parts.get("norms", [])
    if len(norms_ext) > 1:
        raise InstrumentError(_("%(where)s: 'norms' komt meer dan één keer voor.") % {"where": where})
    max_missing, decimals = _missing_and_decimals(parts, where)
    return ScoreDef(
        name=name,
        label_text=label_of(
            parts, "label", language, where, item.texts if item.texts.default else Text(name, language)
        ),
        expression=item.calculated,
        minimum=minimum,
        maximum=maximum,
        bands=tuple(bands),
        norms=parse_norms(norms_ext[0], where) if norms_ext else None,
        domain=choice_of(one_value(parts, "domain", "valueCode", where), DOMAINS, where, "domain") or root_domain,
        better=choice_of(one_value(parts, "better", "valueCode", where), BETTER, where, "better") or root_better,
        max_missing=max_missing,
        decimals=decimals if decimals is not None else (0 if item.type == "integer" else 2),
    )


def _bands(parts, where: str, language: str, minimum, maximum) -> list[Band]:
    """The score's bands, each a unique code from a lower bound, in order and inside min..max."""
    bands: list[Band] = []
    codes = set()
    for band_ext in parts.get("band", []):
        band_parts = sub_extensions(band_ext)
        code = one_value(band_parts, "code", "valueCode", where, required=True)
        band_where = _("%(where)s, band %(code)s") % {"where": where, "code": repr(code)}
        if code in codes:
            raise InstrumentError(_("%(where)s komt twee keer voor.") % {"where": band_where})
        codes.add(code)
        lower = one_value(band_parts, "from", "valueDecimal", band_where, kind=float, required=True)
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
                label_text=label_of(band_parts, "label", language, band_where, Text(code, language)),
                attention=bool(one_value(band_parts, "attention", "valueBoolean", band_where, kind=bool)),
            )
        )
    return bands


def _missing_and_decimals(parts, where: str) -> tuple:
    """(maxMissing, decimals) of a score: how many answers may be missing, how it is rounded (None if not given)."""
    max_missing = one_value(parts, "maxMissing", "valueInteger", where, kind=float)
    if max_missing is not None and (not isinstance(max_missing, int) or max_missing < 0):
        raise InstrumentError(_("%(where)s: 'maxMissing' moet een geheel getal van 0 of meer zijn.") % {"where": where})
    decimals = one_value(parts, "decimals", "valueInteger", where, kind=float)
    if decimals is not None and (not isinstance(decimals, int) or not 0 <= decimals <= 4):
        raise InstrumentError(
            _("%(where)s: 'decimals' moet een geheel getal van 0 tot en met 4 zijn.") % {"where": where}
        )
    return max_missing, decimals


def parse_scoring(resource: dict, calculated: dict[str, Item], language: str) -> dict:
    """The Instrument fields the scoring extension gives (domain, better, scores, flags, citations,
    licence, non_commercial), checked in that order; calculated items it does not describe become
    scores of their own."""
    scoring = extension_of(resource, SCORING)
    parts = sub_extensions(scoring) if scoring else {}
    where = _("Koers-scoring")
    domain = choice_of(one_value(parts, "domain", "valueCode", where), DOMAINS, where, "domain")
    better = choice_of(one_value(parts, "better", "valueCode", where), BETTER, where, "better")
    scores = _scores(parts, calculated, language, domain, better)
    flags = _flags(parts, language)
    citations = tuple(ext.get("valueString") for ext in parts.get("citation", []) if ext.get("valueString"))
    return {
        "domain": domain,
        "better": better,
        "scores": tuple(scores),
        "flags": tuple(flags),
        "citations": citations,
        "licence": one_value(parts, "licence", "valueString", where) or "",
        "non_commercial": bool(one_value(parts, "nonCommercial", "valueBoolean", where, kind=bool)),
    }


def _scores(parts, calculated: dict[str, Item], language: str, domain, better) -> list[ScoreDef]:
    scores = [parse_score(ext, calculated, language, domain, better) for ext in parts.get("score", [])]
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
    return scores


def _flags(parts, language: str) -> list[Flag]:
    flags = []
    for ext in parts.get("flag", []):
        flag_parts = sub_extensions(ext)
        code = one_value(flag_parts, "code", "valueCode", _("Koers-scoring, signaal"), required=True)
        flag_where = _("Koers-scoring, signaal %(code)s") % {"code": repr(code)}
        expression_ext = flag_parts.get("expression", [])
        if len(expression_ext) != 1:
            raise InstrumentError(_("%(where)s heeft geen (of meer dan één) expressie.") % {"where": flag_where})
        flags.append(
            Flag(
                code=code,
                expression=read_expression(expression_ext[0].get("valueExpression"), flag_where),
                label_text=label_of(flag_parts, "label", language, flag_where, Text(code, language)),
            )
        )
    if len({flag.code for flag in flags}) != len(flags):
        raise InstrumentError(_("Koers-scoring: een signaal komt twee keer voor."))
    return flags
