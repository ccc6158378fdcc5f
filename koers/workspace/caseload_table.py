"""The caseload's rows as ready strings for the template (issue #18, "Speed").

The template read eight flags, three dates and a support level from every person and ran a
``{% url %}`` and a ``{% translate %}`` per cell: ~200 µs of template work per row, a third of
the request at 25 rows. Here each row becomes a dict of what the cells show (dict lookups are
the template's fast path), the labels are translated once per page and the links come from one
``reverse`` per route and process (``koers.lib.urls_cached``). The markup stays in the template
(workspace/caseload.html); the rendered page is the same (benchmarks/caseload_html_compare.py).
"""

from __future__ import annotations

from django.utils import dateformat, timezone
from django.utils.translation import gettext, gettext_noop

from koers.lib.urls_cached import reverse_ints

SUPPORT_LEVELS = {
    "self_management": gettext_noop("Zelfmanagement"),
    "chain_care": gettext_noop("Ketenzorg"),
    "case_management": gettext_noop("Casemanagement"),
}

# (flag, badge class, label, route of the link or None), in the order the badges are shown.
BADGES = (
    ("new_preparation", "badge-ok", gettext_noop("voorbereiding ingevuld"), None),
    ("actions_to_review", "badge-warn", gettext_noop("acties evalueren"), None),
    ("goals_proposed", "badge-warn", gettext_noop("doel voorgesteld"), None),
    ("decision_waiting", "badge-err", gettext_noop("besluit na bedenktijd"), None),
    ("worrying_result", "badge-err", gettext_noop("zorgelijke uitslag vragenlijst"), "questionnaires:list"),
    ("value_outside_target", "badge-err", gettext_noop("zelfmeting buiten streefgebied"), "monitoring:overview"),
    ("questionnaire_late", "badge-warn", gettext_noop("vragenlijst te laat"), "questionnaires:list"),
    ("screening_due", "badge-warn", gettext_noop("jaarlijkse lichamelijke controle"), "screening:overview"),
)


def rows(persons: list) -> list[dict]:
    """One dict per person of ``selectors.caseload_rows``, in their order."""
    support = {key: gettext(label) for key, label in SUPPORT_LEVELS.items()}
    labels = {flag: gettext(label) for flag, _cls, label, _route in BADGES}
    return [_row(p, support, labels) for p in persons]


def _row(p, support, labels) -> dict:
    return {
        "url": reverse_ints("workspace:person", (p.pk,)),
        "family_name": p.family_name,
        "given_name": p.given_name,
        "born": dateformat.format(p.birth_date, "j-n-Y") if p.birth_date else "",
        "support": support.get(p.support_level),
        "support_hidden": "support_level" in getattr(p, "hidden_columns", ()),
        "next": _when(p.next_consult_at, "j-n-Y H:i"),
        "last": _when(p.last_seen_at, "j-n-Y"),
        "badges": [
            {"cls": cls, "label": labels[flag], "href": reverse_ints(route, (p.pk,)) if route else None}
            for flag, cls, _label, route in BADGES
            if getattr(p, flag)
        ],
    }


def _when(value, fmt: str) -> str | None:
    """As the template's ``date`` filter shows an aware datetime: in the current time zone."""
    return dateformat.format(timezone.localtime(value), fmt) if value else None
