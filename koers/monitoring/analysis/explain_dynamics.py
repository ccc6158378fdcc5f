"""How items move together and signs of a coming change, in plain language (Dutch source, B1,
"u"): the lagged-association and early-warning results. (One item's course over time:
``explain_course``.)

Rules the texts keep: a lagged association is a link in time ("na een dag met … was … de dag
erna meestal …"), never a cause, and says that something else can drive both; an early-warning
indicator describes the past, says that these indicators miss many changes and often rise
without one, and is never a prediction. Numbers are formatted for the active language.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.monitoring.analysis.early_warning import EarlyWarningResult
from koers.monitoring.analysis.lagged import LagEdge, LagResult


def _n(value: float | None, decimals: int = 2) -> str:
    if value is None:
        return "-"
    return number_format(round(float(value), decimals), decimal_pos=decimals, use_l10n=True)


def _p(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 0.001:
        return "< " + _n(0.001, 3)
    return "= " + _n(value, 3)


def explain_failed() -> str:
    return _("Deze berekening lukte niet met deze gegevens. De andere onderdelen staan hieronder.")


# ---- lagged associations ------------------------------------------------------------------


def _not_causal() -> str:
    return _(
        "Dit is een samenhang in de tijd, geen bewijs dat het een het ander veroorzaakt. Iets anders, "
        "zoals een drukke week of ziekte, kan allebei beïnvloeden."
    )


def explain_lag_edge(edge: LagEdge, labels: Mapping[str, str]) -> str:
    """One sentence for one cross-lag link: source yesterday → target today."""
    source = labels.get(edge.source, edge.source)
    target = labels.get(edge.target, edge.target)
    values = {
        "source": source,
        "target": target,
        "b": _n(abs(edge.coefficient)),
        "low": _n(edge.ci_low),
        "high": _n(edge.ci_high),
    }
    if edge.coefficient >= 0:
        text = _(
            "Na een dag met een hogere score voor %(source)s was %(target)s de dag erna gemiddeld ook hoger "
            "(sterkte %(b)s; 95%%-betrouwbaarheidsinterval %(low)s tot %(high)s)."
        )
    else:
        text = _(
            "Na een dag met een hogere score voor %(source)s was %(target)s de dag erna gemiddeld lager "
            "(sterkte %(b)s; 95%%-betrouwbaarheidsinterval %(low)s tot %(high)s)."
        )
    return text % values


def explain_lagged(result: LagResult, labels: Mapping[str, str] | None = None) -> str:
    labels = dict(labels or {})
    if not result.ok:
        return _lag_reason(result, labels)
    days = min(result.n_used.values()) if result.n_used else 0
    pairs = len(result.cross)
    intro = _(
        "We hebben gekeken of een onderwerp op de ene dag samengaat met een ander onderwerp op de volgende "
        "dag, over %(days)s paren van opeenvolgende dagen. Langzame veranderingen zijn eerst weggehaald, "
        "en de vorige dag van het onderwerp zelf telt mee."
    ) % {"days": days}
    correction = ngettext(
        "Omdat we %(count)s verband tegelijk bekeken, is gecorrigeerd voor toevalstreffers (Benjamini–Hochberg).",
        "Omdat we %(count)s verbanden tegelijk bekeken, is gecorrigeerd voor toevalstreffers (Benjamini–Hochberg).",
        pairs,
    ) % {"count": pairs}
    found = result.significant
    if not found:
        body = _(
            "We vonden geen duidelijke samenhang van de ene dag op de volgende. Dat betekent niet dat die er "
            "niet is: met meer dagen kan een kleiner verband zichtbaar worden."
        )
        return " ".join([intro, correction, body])
    sentences = [explain_lag_edge(edge, labels) for edge in sorted(found, key=lambda e: -abs(e.coefficient))]
    return " ".join([intro, correction, *sentences, _not_causal()])


def _lag_reason(result: LagResult, labels: Mapping[str, str]) -> str:
    if result.reason == "too_few_variables":
        return _("Voor samenhang tussen dagen zijn minstens twee onderwerpen nodig.")
    if result.reason == "no_variation":
        names = ", ".join(labels.get(name, name) for name in result.flat)
        return _("Bij %(names)s veranderen de waarden (bijna) niet, dus er valt geen samenhang te meten.") % {
            "names": names
        }
    if result.reason == "collinear":
        names = ", ".join(labels.get(name, name) for name in result.collinear)
        return _(
            "%(names)s gaan precies met elkaar mee, dus de berekening kan ze niet uit elkaar houden. "
            "Kies er één van om samenhang van dag tot dag te bekijken."
        ) % {"names": names}
    if result.reason == "too_few_pairs":
        least = min(result.n_used.values()) if result.n_used else 0
        return _(
            "Er zijn nog te weinig opeenvolgende dagen waarop alles is ingevuld: %(least)s, en er zijn er "
            "minstens %(needed)s nodig om samenhang van dag tot dag te kunnen zien."
        ) % {"least": least, "needed": result.n_required}
    return explain_failed()


def lag_table(result: LagResult, labels: Mapping[str, str] | None = None) -> list[str]:
    """Text rows for the terminal: every cross-lag pair, the found ones marked with *."""
    labels = dict(labels or {})
    rows = [
        _("gisteren → vandaag: sterkte [95%%-interval], gecorrigeerde p") % {},
    ]
    for edge in sorted(result.cross, key=lambda e: e.p_adjusted if e.p_adjusted is not None else 2.0):
        mark = "*" if edge.significant else " "
        rows.append(
            f"{mark} {labels.get(edge.source, edge.source)} → {labels.get(edge.target, edge.target)}: "
            f"{_n(edge.coefficient)} [{_n(edge.ci_low)}; {_n(edge.ci_high)}], p {_p(edge.p_adjusted)}"
        )
    rows.append(_("* samenhang gevonden (na correctie); n = %(n)s paren van dagen.") % {"n": _n_used(result)})
    return rows


def _n_used(result: LagResult) -> str:
    values = sorted(set(result.n_used.values()))
    if not values:
        return "0"
    return str(values[0]) if len(values) == 1 else f"{values[0]}–{values[-1]}"


# ---- early warning ------------------------------------------------------------------------


def _not_a_prediction() -> str:
    return _(
        "Deze maten missen veel terugvallen en stijgen ook vaak zonder dat er iets gebeurt. Ze beschrijven "
        "wat er al gebeurd is en zijn geen voorspelling."
    )


def explain_early_warning(result: EarlyWarningResult, name: str, unit: str = "") -> str:
    if not result.ok:
        return _ews_reason(result, name)
    intro = _(
        "We hebben gekeken of %(name)s van dag tot dag meer ging schommelen en of opeenvolgende dagen meer op "
        "elkaar gingen lijken, steeds over %(window)s dagen."
    ) % {"name": name, "window": result.window}
    variance, autocorrelation = result.variance, result.autocorrelation
    if variance.rising and autocorrelation.rising:
        found = _(
            "Allebei namen toe: de schommelingen werden groter en opeenvolgende dagen gingen meer op elkaar "
            "lijken, meer dan bij een stabiel verloop te verwachten is. Soms gaat zo'n patroon vooraf aan een "
            "grote verandering, maar vaak ook niet. Het is een reden om het samen te bespreken."
        )
    elif variance.rising:
        found = _(
            "De schommelingen werden groter, meer dan bij een stabiel verloop te verwachten is. Soms gaat zo'n "
            "patroon vooraf aan een grote verandering, maar vaak ook niet. Het is een reden om het samen te "
            "bespreken."
        )
    elif autocorrelation.rising:
        found = _(
            "Opeenvolgende dagen gingen meer op elkaar lijken, meer dan bij een stabiel verloop te verwachten "
            "is. Soms gaat zo'n patroon vooraf aan een grote verandering, maar vaak ook niet. Het is een reden "
            "om het samen te bespreken."
        )
    else:
        found = _("We zagen geen duidelijke toename van deze twee maten.")
    numbers = _(
        "Kendalls tau voor de schommelingen %(tv)s (p %(pv)s), voor de gelijkenis van dag tot dag %(ta)s "
        "(p %(pa)s); p vergeleken met %(count)s nagebootste stabiele reeksen."
    ) % {
        "tv": _n(variance.tau),
        "pv": _p(variance.p_adjusted if variance.p_adjusted is not None else variance.p),
        "ta": _n(autocorrelation.tau),
        "pa": _p(autocorrelation.p_adjusted if autocorrelation.p_adjusted is not None else autocorrelation.p),
        "count": result.n_surrogates,
    }
    correction = ngettext(
        "Omdat we %(count)s maat tegelijk bekeken, is gecorrigeerd voor toevalstreffers (Benjamini–Hochberg).",
        "Omdat we %(count)s maten tegelijk bekeken, is gecorrigeerd voor toevalstreffers (Benjamini–Hochberg).",
        result.n_tests,
    ) % {"count": result.n_tests}
    return " ".join([intro, found, numbers, correction, _not_a_prediction()])


def _ews_reason(result: EarlyWarningResult, name: str) -> str:
    if result.reason == "too_few_days":
        return _(
            "Voor vroege signalen zijn minstens %(needed)s dagen met gegevens nodig; bij %(name)s zijn er nu %(n)s."
        ) % {"needed": result.n_required, "name": name, "n": result.n_present}
    if result.reason == "too_many_missing":
        return _(
            "Bij %(name)s ontbreken op %(missing)s van de %(n)s dagen gegevens. Met zoveel gaten zeggen deze "
            "maten niets betrouwbaars."
        ) % {"name": name, "missing": result.n_missing, "n": result.n_days}
    if result.reason == "no_variation":
        return _("De waarden van %(name)s veranderen niet, dus er valt niets te meten.") % {"name": name}
    if result.reason == "window_does_not_fit":
        return _("Het gekozen venster van %(window)s dagen past niet bij %(n)s dagen gegevens.") % {
            "window": result.window,
            "n": result.n_days,
        }
    return explain_failed()
