"""Is a change in score real? Reliable change and clinical significance. Pure: no database.

Jacobson, N. S. & Truax, P. (1991). Clinical significance: a statistical approach to defining
meaningful change in psychotherapy research. *Journal of Consulting and Clinical Psychology*,
59(1), 12–19. https://doi.org/10.1037/0022-006X.59.1.12

- Standard error of measurement ``SE = SD·√(1 − r)`` (SD of a reference group, r the
  reliability); standard error of the difference ``S_diff = √(2·SE²)``;
  reliable change index ``RCI = (x₂ − x₁) / S_diff``. A change is reliable when
  ``|RCI| > 1.96`` (it would happen by measurement error alone less than 5% of the time).
- Cut-off between the clinical ("dysfunctional") and functional populations:
  a = 2 SD beyond the clinical mean, in the direction of functioning;
  b = 2 SD beyond the functional mean, in the direction of dysfunction;
  c = (SD_f·M_d + SD_d·M_f) / (SD_d + SD_f), the point between the two means weighted by their
  spread. Koers uses c when both populations are known (Jacobson & Truax prefer it), else b, else
  a, else the instrument's published cut-off ("published").
- Clinically significant: a reliable change that crosses the cut-off. Recovered: a clinically
  significant change for the better (from the clinical into the functional range).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override

from koers.questionnaires.scoring import format_number

Z = 1.96
DIRECTIONS = ("improved", "unchanged", "deteriorated")
CUTOFF_KINDS = ("a", "b", "c", "published")


class NormsMissing(ValueError):
    """The change statistics need a standard deviation and a reliability that are not known."""


@dataclass(frozen=True)
class ChangeResult:
    before: float
    after: float
    difference: float  # after − before
    better: str  # "lower" | "higher": which way is an improvement
    sd: float
    reliability: float
    se: float
    s_diff: float
    rci: float
    threshold: float  # the smallest difference in points that is reliable (Z · S_diff)
    reliable: bool
    direction: str  # "improved" | "unchanged" | "deteriorated" (reliably; "unchanged" = not reliable)
    cutoff: float | None = None
    cutoff_kind: str | None = None  # "a" | "b" | "c" | "published"
    clinical_before: bool | None = None  # was the first score in the clinical range?
    clinical_after: bool | None = None
    clinically_significant: bool | None = None  # reliable and crossed the cut-off (either way)
    recovered: bool | None = None  # reliably improved from the clinical into the functional range
    provisional: bool = False  # the norms are Koers defaults, not verified published values

    def to_dict(self) -> dict:
        return {
            "before": self.before,
            "after": self.after,
            "difference": self.difference,
            "better": self.better,
            "sd": self.sd,
            "reliability": self.reliability,
            "se": round(self.se, 6),
            "s_diff": round(self.s_diff, 6),
            "rci": round(self.rci, 6),
            "threshold": round(self.threshold, 6),
            "reliable": self.reliable,
            "direction": self.direction,
            "cutoff": self.cutoff,
            "cutoff_kind": self.cutoff_kind,
            "clinical_before": self.clinical_before,
            "clinical_after": self.clinical_after,
            "clinically_significant": self.clinically_significant,
            "recovered": self.recovered,
            "provisional": self.provisional,
        }


def _finite(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    return float(value)


def _population(value, name: str) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        mean, sd = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be (mean, sd)") from None
    mean, sd = _finite(mean, f"{name} mean"), _finite(sd, f"{name} sd")
    if sd <= 0:
        raise ValueError(f"{name} sd must be greater than 0")
    return mean, sd


def choose_cutoff(
    *,
    better: str,
    clinical: tuple[float, float] | None = None,
    functional: tuple[float, float] | None = None,
    published: float | None = None,
) -> tuple[float | None, str | None]:
    """The cut-off and its kind: c when both populations are known, else b, else a, else the
    published one; (None, None) when there is nothing to go on."""
    if better not in ("lower", "higher"):
        raise ValueError("better must be 'lower' or 'higher'")
    toward_functional = -1 if better == "lower" else 1
    clinical = _population(clinical, "clinical")
    functional = _population(functional, "functional")
    if clinical and functional:
        (m_d, sd_d), (m_f, sd_f) = clinical, functional
        return (sd_f * m_d + sd_d * m_f) / (sd_d + sd_f), "c"
    if functional:
        m_f, sd_f = functional
        return m_f - toward_functional * 2 * sd_f, "b"
    if clinical:
        m_d, sd_d = clinical
        return m_d + toward_functional * 2 * sd_d, "a"
    if published is not None:
        return _finite(published, "cutoff"), "published"
    return None, None


def in_clinical_range(value: float, cutoff: float, better: str) -> bool:
    """The cut-off itself counts as clinical (a PHQ-9 of 10 is 'caseness'; a WHO-5 of 50 is low)."""
    return value >= cutoff if better == "lower" else value <= cutoff


def reliable_change(
    before,
    after,
    *,
    sd,
    reliability,
    better: str = "lower",
    cutoff=None,
    clinical: tuple[float, float] | None = None,
    functional: tuple[float, float] | None = None,
    provisional: bool = False,
) -> ChangeResult:
    """Jacobson & Truax (1991) for one person's two scores. ``cutoff`` is a published cut-off,
    used only when no population norms (``clinical``/``functional`` as (mean, sd)) are given."""
    before, after = _finite(before, "before"), _finite(after, "after")
    sd, reliability = _finite(sd, "sd"), _finite(reliability, "reliability")
    if sd <= 0:
        raise ValueError("sd must be greater than 0")
    if not 0 <= reliability < 1:
        raise ValueError("reliability must be at least 0 and less than 1")
    if better not in ("lower", "higher"):
        raise ValueError("better must be 'lower' or 'higher'")
    se = sd * math.sqrt(1 - reliability)
    s_diff = math.sqrt(2 * se * se)
    difference = after - before
    rci = difference / s_diff
    reliable = abs(rci) > Z
    improving = difference < 0 if better == "lower" else difference > 0
    direction = "unchanged" if not reliable else ("improved" if improving else "deteriorated")
    value, kind = choose_cutoff(better=better, clinical=clinical, functional=functional, published=cutoff)
    clinical_before = clinical_after = significant = recovered = None
    if value is not None:
        clinical_before = in_clinical_range(before, value, better)
        clinical_after = in_clinical_range(after, value, better)
        significant = reliable and clinical_before != clinical_after
        recovered = significant and direction == "improved"
    return ChangeResult(
        before=before,
        after=after,
        difference=difference,
        better=better,
        sd=sd,
        reliability=reliability,
        se=se,
        s_diff=s_diff,
        rci=rci,
        threshold=Z * s_diff,
        reliable=reliable,
        direction=direction,
        cutoff=value,
        cutoff_kind=kind,
        clinical_before=clinical_before,
        clinical_after=clinical_after,
        clinically_significant=significant,
        recovered=recovered,
        provisional=provisional,
    )


def for_instrument(inst, before, after, *, score: str | None = None, sd=None, reliability=None) -> ChangeResult:
    """``reliable_change`` with the norms of the instrument's main score (or the named subscale);
    ``sd`` and ``reliability`` override them. Raises NormsMissing when they are not known."""
    definition = inst.main if score is None else inst.score_def(score)
    if definition is None:
        raise NormsMissing(
            _("Vragenlijst %(instrument)s heeft geen score %(score)s.") % {"instrument": inst.id, "score": repr(score)}
        )
    norms = definition.norms
    sd_value = sd if sd is not None else (norms.sd if norms else None)
    r_value = reliability if reliability is not None else (norms.reliability if norms else None)
    if sd_value is None or r_value is None:
        raise NormsMissing(
            _(
                "Voor %(instrument)s zijn geen normen bekend om verandering te beoordelen: geef een "
                "standaarddeviatie en een betrouwbaarheid op."
            )
            % {"instrument": inst.id}
        )
    if definition.better is None:
        raise NormsMissing(
            _("Bij %(instrument)s staat niet of een hogere of een lagere score beter is.") % {"instrument": inst.id}
        )
    clinical = functional = None
    if norms and norms.clinical_mean is not None:
        clinical = (norms.clinical_mean, norms.clinical_sd)
    if norms and norms.functional_mean is not None:
        functional = (norms.functional_mean, norms.functional_sd)
    overridden = sd is not None and reliability is not None
    return reliable_change(
        before,
        after,
        sd=sd_value,
        reliability=r_value,
        better=definition.better,
        cutoff=norms.cutoff if norms else None,
        clinical=clinical,
        functional=functional,
        provisional=bool(norms and norms.provisional and not overridden),
    )


def explain(result: ChangeResult, inst=None, *, lang: str | None = None, decimals: int = 2, name: str = "") -> str:
    """A plain-language explanation for the person (Dutch B1, English through gettext), e.g.
    "Uw score ging van 18 naar 9. Dat is een echte verbetering, meer dan toeval."
    With ``name`` it is told about the person to someone else (a relative): "De score van Anna …"."""
    if lang is None:
        return _explain(result, inst, decimals, name)
    with override(lang):
        return _explain(result, inst, decimals, name)


def _explain(result: ChangeResult, inst, decimals: int, name: str = "") -> str:
    if inst is not None:
        decimals = inst.main.decimals
    numbers = {
        "before": format_number(result.before, decimals),
        "after": format_number(result.after, decimals),
        "name": name,
    }
    sentences = []
    if result.difference == 0 and name:
        sentences.append(_("De score van %(name)s is %(before)s gebleven, net als de vorige keer.") % numbers)
    elif result.difference == 0:
        sentences.append(_("Uw score is %(before)s gebleven, net als de vorige keer.") % numbers)
    else:
        if name:
            sentences.append(_("De score van %(name)s ging van %(before)s naar %(after)s.") % numbers)
        else:
            sentences.append(_("Uw score ging van %(before)s naar %(after)s.") % numbers)
        if result.direction == "improved":
            sentences.append(_("Dat is een echte verbetering, meer dan toeval."))
        elif result.direction == "deteriorated":
            sentences.append(_("Dat is een echte verslechtering, meer dan toeval."))
        else:
            # Not reliable is not the same as small: with few or unreliable measurements even a
            # large difference can be chance. The person hears that it is not yet certain.
            sentences.append(_("Of dit een echte verandering is, is nog niet zeker."))
    sentences += _side_of_the_border(result, name)
    if result.better == "lower":
        sentences.append(_("Bij deze vragenlijst is een lagere score beter."))
    else:
        sentences.append(_("Bij deze vragenlijst is een hogere score beter."))
    if result.direction == "deteriorated":
        if name:
            sentences.append(_("U kunt er samen met %(name)s over praten.") % numbers)
        else:
            sentences.append(_("Praat erover met uw zorgverlener."))
    return " ".join(sentences)


def _side_of_the_border(result: ChangeResult, name: str) -> list[str]:
    if result.recovered:
        if name:
            return [
                _("De score van %(name)s ligt nu aan de gezonde kant van de grens die bij deze vragenlijst hoort.")
                % {"name": name}
            ]
        return [_("Uw score ligt nu aan de gezonde kant van de grens die bij deze vragenlijst hoort.")]
    if result.clinically_significant and result.direction == "deteriorated":
        if name:
            return [
                _("De score van %(name)s ligt nu aan de ongunstige kant van de grens die bij deze vragenlijst hoort.")
                % {"name": name}
            ]
        return [_("Uw score ligt nu aan de ongunstige kant van de grens die bij deze vragenlijst hoort.")]
    return []


def direction_label(direction: str, lang: str | None = None) -> str:
    """Words for a professional: reliably improved / unchanged / reliably deteriorated."""
    labels = {
        "improved": lambda: _("betrouwbaar verbeterd"),
        "unchanged": lambda: _("niet betrouwbaar veranderd"),
        "deteriorated": lambda: _("betrouwbaar verslechterd"),
    }
    if direction not in labels:
        raise ValueError(f"unknown direction {direction!r}")
    if lang is None:
        return labels[direction]()
    with override(lang):
        return labels[direction]()
