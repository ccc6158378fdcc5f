"""Checks on an instrument's FHIRPath expressions at import, before anyone is scored with them. Pure.

- Every ``linkId`` literal an expression compares with (``item.where(linkId = '/44250-9')``,
  ``linkId in ('a' | 'b')``) must name an item of the questionnaire: a typo would otherwise give
  "no score" for everyone, silently.
- Every path on the response (``%resource``, the context) must exist in the FHIR R4 model:
  ``item.answr.value`` is refused (``koers.fhirpath.strict``), not scored as "nothing answered".
- Every ``%variable`` an expression uses must be in scope: a root variable defined before it, or
  an item-level variable of the item itself or a group around it (SDC scoping), or one of the
  environment's own (%resource, %questionnaire, …).

Both are read from the expression's syntax tree (``koers.fhirpath.parser``), never by searching text.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from koers.fhirpath import FHIRPathError
from koers.fhirpath.parser import Ast, parse
from koers.fhirpath.strict import check_paths
from koers.questionnaires.instrument_model import Instrument, InstrumentError

ENVIRONMENT = {"resource", "context", "rootResource", "questionnaire", "ucum", "sct", "loinc"}
COMPARISONS = {"=", "!=", "~", "!~"}


def _is_link_id(ast: Ast) -> bool:
    if ast.kind == "name":
        return ast.value == "linkId"
    return ast.kind == "invoke" and ast.args[1].kind == "member" and ast.args[1].value == "linkId"


def _strings(ast: Ast) -> list[str] | None:
    """The string literals of ``'a'`` or ``('a' | 'b' | …)``; None for anything else."""
    if ast.kind == "literal" and ast.value[0] == "string":
        return [ast.value[1]]
    if ast.kind == "binary" and ast.value == "|":
        left, right = _strings(ast.args[0]), _strings(ast.args[1])
        return left + right if left is not None and right is not None else None
    return None


def link_id_literals(expression: str) -> list[str]:
    """The linkIds an expression compares ``linkId`` with, in the order they appear."""
    found: list[str] = []

    def walk(ast: Ast) -> None:
        if ast.kind == "binary":
            left, right = ast.args
            if ast.value in COMPARISONS | {"in"} and _is_link_id(left):
                found.extend(_strings(right) or [])
            if ast.value in COMPARISONS | {"contains"} and _is_link_id(right):
                found.extend(_strings(left) or [])
        for arg in ast.args:
            if isinstance(arg, Ast):
                walk(arg)

    walk(parse(expression))
    return found


def variables_used(expression: str) -> set[str]:
    used: set[str] = set()

    def walk(ast: Ast) -> None:
        if ast.kind == "var":
            used.add(ast.value)
        for arg in ast.args:
            if isinstance(arg, Ast):
                walk(arg)

    walk(parse(expression))
    return used


def _where(kind: str, name: str) -> str:
    if kind == "variable":
        return _("Variabele %(name)s") % {"name": repr(name)}
    if kind == "flag":
        return _("Koers-scoring, signaal %(code)s") % {"code": repr(name)}
    return _("De berekening van vraag %(item)s") % {"item": repr(name)}


def _expressions_in_scope(instrument: Instrument):
    """(kind, name, expression, variables it may use, the item it belongs to) for every expression."""
    visible = set()
    for name, expression in instrument.variables:
        yield "variable", name, expression, set(visible), None
        visible.add(name)
    root = set(visible)
    calculations = [(score.name, score.expression, "score") for score in instrument.scores]
    calculations += [(item.link_id, item.calculated, "calculated") for item in instrument.shown_calculations]
    seen = set()
    for link_id, expression, kind in calculations:
        scoped = set(root)
        for name, variable_expression in instrument.variables_for(link_id):
            if (link_id, name) not in seen:
                yield "variable", name, variable_expression, set(scoped), link_id
            scoped.add(name)
        seen.update((link_id, name) for name, _e in instrument.variables_for(link_id))
        yield kind, link_id, expression, scoped, link_id
    for flag in instrument.flags:
        yield "flag", flag.code, flag.expression, root, None


def check_expressions(instrument: Instrument, link_ids: set[str]) -> None:
    """Refuse (InstrumentError) a linkId literal that names no item, or a variable out of scope."""
    for kind, name, expression, visible, item in _expressions_in_scope(instrument):
        where = _where(kind, name)
        try:  # paths on the response (%resource, the context): every element must exist in FHIR R4
            check_paths(expression, "QuestionnaireResponse", json_choice_names=True)
        except FHIRPathError as exc:
            raise InstrumentError(
                _("%(where)s leest iets wat een QuestionnaireResponse niet heeft: %(error)s")
                % {"where": where, "error": exc.message},
                item=item,
            ) from None
        for link_id in link_id_literals(expression):
            if link_id not in link_ids:
                raise InstrumentError(
                    _(
                        "%(where)s noemt linkId %(link)s, maar de vragenlijst heeft geen vraag met die linkId. "
                        "Kijk de schrijfwijze na."
                    )
                    % {"where": where, "link": repr(link_id)},
                    item=item,
                )
        unknown = sorted(variables_used(expression) - visible - ENVIRONMENT)
        unknown = [v for v in unknown if not v.startswith(("vs-", "ext-"))]
        if unknown:
            raise InstrumentError(
                _(
                    "%(where)s gebruikt de variabele %%%(variable)s, maar die is daar niet bekend: een variabele "
                    "geldt voor de vraag of groep waar zij staat en de vragen daaronder."
                )
                % {"where": where, "variable": unknown[0]},
                item=item,
            )
