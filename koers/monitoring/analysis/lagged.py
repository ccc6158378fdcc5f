"""Lagged associations between one person's daily variables: does X yesterday go with Y today?

Method (per call):

1. Put the variables on one calendar of local days (``align_daily``; NaN = no data that day).
2. Remove each variable's linear trend (least squares on the days with data) and standardise the
   residuals (divide by their SD), so a slow drift in both variables does not show up as an
   association and coefficients are in SD units: "one SD more X yesterday goes with ``b`` SD
   more Y today, given Y yesterday (and the other variables yesterday)".
3. Lag-1 model. With every day complete: statsmodels ``VAR(1)`` (constant term). With missing
   days: one OLS per outcome Y on all variables' values the day before, using only the days
   where Y today and every predictor yesterday are present (the number used is reported per
   outcome). Both give the same coefficients and standard errors when the data are complete
   (tested). CIs and p-values use the t-distribution with the residual degrees of freedom on
   both paths (statsmodels' VAR reports normal p-values; t is the honest choice at 30–60 days).
4. Every cross-lag coefficient (X yesterday → Y today, X ≠ Y) gets a 95% CI and a p-value; the
   p-values of all cross-lag pairs are corrected together with Benjamini–Hochberg
   (``statsmodels.stats.multitest.multipletests(method="fdr_bh")``) and ``significant`` means
   the corrected p is below ``alpha``. The autoregressive terms (Y yesterday → Y today) are
   reported separately and not part of that family.

Pure: numpy, scipy and statsmodels; no Django. Texts are in ``explain_dynamics``.

These are associations in time within one person, never causes: a third thing (a busy week,
an illness) can move both. The explanation texts say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from koers.monitoring.analysis.series import Daily, align_daily

MIN_DAYS = 30  # usable lag pairs per outcome, and at least ROWS_PER_PARAMETER per parameter
ROWS_PER_PARAMETER = 3
DEFAULT_ALPHA = 0.05


@dataclass(frozen=True)
class LagEdge:
    """One lag-1 coefficient: ``source`` yesterday → ``target`` today (standardised units)."""

    source: str
    target: str
    coefficient: float
    ci_low: float
    ci_high: float
    p: float
    p_adjusted: float | None  # BH-corrected over all cross-lag pairs; None for autoregressive terms
    significant: bool
    n_used: int

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "target": self.target,
            "coefficient": _r(self.coefficient, 3),
            "ci_low": _r(self.ci_low, 3),
            "ci_high": _r(self.ci_high, 3),
            "p": _r(self.p, 4),
            "p_adjusted": _r(self.p_adjusted, 4),
            "significant": self.significant,
            "n_used": self.n_used,
        }


@dataclass(frozen=True)
class LagResult:
    ok: bool
    reason: str | None
    names: tuple[str, ...]
    method: str | None = None  # "VAR" (complete days) or "OLS" (per outcome, with missing days)
    alpha: float = DEFAULT_ALPHA
    n_days: int = 0  # days on the common calendar
    n_used: dict[str, int] = field(default_factory=dict)  # lag pairs used per outcome
    cross: tuple[LagEdge, ...] = ()  # X yesterday → Y today, X ≠ Y, with BH
    autoregressive: tuple[LagEdge, ...] = ()  # Y yesterday → Y today
    first_date: str | None = None
    last_date: str | None = None
    n_required: int | None = None  # lag pairs needed per outcome
    flat: tuple[str, ...] = ()  # variables without variation (reason "no_variation")
    collinear: tuple[str, ...] = ()  # variables that are (almost) a sum of others (reason "collinear")

    @property
    def significant(self) -> tuple[LagEdge, ...]:
        return tuple(edge for edge in self.cross if edge.significant)

    def edge(self, source: str, target: str) -> LagEdge | None:
        for edge in (*self.cross, *self.autoregressive):
            if edge.source == source and edge.target == target:
                return edge
        return None

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "reason": self.reason,
            "names": list(self.names),
            "method": self.method,
            "alpha": self.alpha,
            "n_days": self.n_days,
            "n_used": dict(self.n_used),
            "first_date": self.first_date,
            "last_date": self.last_date,
            "n_required": self.n_required,
            "flat": list(self.flat),
            "collinear": list(self.collinear),
            "cross": [edge.as_dict() for edge in self.cross],
            "autoregressive": [edge.as_dict() for edge in self.autoregressive],
        }


def _r(value, digits: int):
    if value is None:
        return None
    value = float(value)
    if not np.isfinite(value):
        return None
    return round(value, digits)


def detrend_standardise(matrix: np.ndarray) -> np.ndarray:
    """Per column: remove the least-squares line over the day index, divide by the residual SD.

    NaN stays NaN. A column with fewer than 3 values or no variation becomes all NaN.
    """
    out = np.full(matrix.shape, np.nan)
    t = np.arange(matrix.shape[0], dtype=np.float64)
    for j in range(matrix.shape[1]):
        column = matrix[:, j]
        present = np.isfinite(column)
        if present.sum() < 3:
            continue
        slope, intercept = np.polyfit(t[present], column[present], 1)
        residual = column - (intercept + slope * t)
        sd = np.nanstd(residual[present], ddof=1)
        if not np.isfinite(sd) or sd <= 1e-12 * max(1.0, np.nanmax(np.abs(column))):
            continue
        out[:, j] = residual / sd
    return out


def lagged_associations(
    data: Sequence[Daily] | tuple[np.ndarray, np.ndarray],
    names: Sequence[str] | None = None,
    *,
    alpha: float = DEFAULT_ALPHA,
    min_days: int = MIN_DAYS,
) -> LagResult:
    """Lag-1 associations between two or more daily variables (see the module docstring).

    ``data`` is a list of ``Daily`` (names taken from them unless given) or an already aligned
    ``(dates, matrix)`` with ``names``. Too little data gives ``ok=False`` with a ``reason`` code:
    ``"too_few_variables"`` (fewer than two), ``"no_variation"`` (``flat`` names them),
    ``"collinear"`` (a variable moves exactly with others, e.g. the same item twice; ``collinear``
    names them — the model cannot tell them apart),
    ``"too_few_pairs"`` (some outcome has fewer than ``n_required`` usable yesterday/today pairs;
    ``n_used`` says how many).
    """
    dates, matrix, names = _aligned(data, names)
    k = len(names)
    base = {
        "names": names,
        "alpha": alpha,
        "n_days": int(matrix.shape[0]),
        "first_date": str(dates[0]) if len(dates) else None,
        "last_date": str(dates[-1]) if len(dates) else None,
    }
    if k < 2:
        return LagResult(ok=False, reason="too_few_variables", **base)
    z = detrend_standardise(matrix)
    flat = [names[j] for j in range(k) if not np.isfinite(z[:, j]).any()]
    if flat:
        return LagResult(ok=False, reason="no_variation", flat=tuple(flat), **base)
    needed = max(min_days, ROWS_PER_PARAMETER * (k + 1))
    complete = np.isfinite(z).all(axis=1)
    collinear = _collinear(z[complete], names)
    if collinear:
        return LagResult(ok=False, reason="collinear", collinear=collinear, **base)
    if complete.all():
        fit = _var_fit(z, names)
        method = "VAR"
    else:
        fit = _ols_fit(z, names)
        method = "OLS"
    too_few = [name for name in names if fit.n_used[name] < needed]
    if too_few:
        return LagResult(
            ok=False,
            reason="too_few_pairs",
            n_required=needed,
            method=method,
            n_used=fit.n_used,
            **base,
        )
    return _result(fit, names, method, alpha, base | {"n_required": needed})


def _aligned(
    data: Sequence[Daily] | tuple[np.ndarray, np.ndarray], names: Sequence[str] | None
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """(dates, matrix days × variables, names) from the dailies or the aligned matrix given;
    names and shapes that do not match are a programming error (``ValueError``)."""
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[1], np.ndarray):
        dates, matrix = data
        if names is None:
            raise ValueError("names are required with an aligned matrix")
    else:
        dailies = list(data)
        names = names or [d.name for d in dailies]
        dates, matrix = align_daily(dailies)
    names = tuple(names)
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != len(names):
        raise ValueError("matrix columns and names differ")
    if len(dates) != matrix.shape[0]:
        raise ValueError("matrix rows and dates differ")
    return dates, matrix, names


def _collinear(rows: np.ndarray, names: tuple[str, ...]) -> tuple[str, ...]:
    """Names of the variables that the others explain (almost) perfectly on the complete days."""
    k = len(names)
    if rows.shape[0] <= k:
        return ()
    if np.linalg.matrix_rank(rows, tol=1e-6 * np.sqrt(rows.shape[0])) == k:
        return ()
    found = []
    for j in range(k):
        others = np.column_stack([np.ones(rows.shape[0]), np.delete(rows, j, axis=1)])
        beta = np.linalg.lstsq(others, rows[:, j], rcond=None)[0]
        residual = rows[:, j] - others @ beta
        if float(residual @ residual) <= 1e-8 * rows.shape[0]:
            found.append(names[j])
    return tuple(found)


@dataclass
class _Fit:
    coef: np.ndarray  # [source, target]
    se: np.ndarray
    low: np.ndarray
    high: np.ndarray
    p: np.ndarray
    n_used: dict[str, int]


def _var_fit(z: np.ndarray, names: tuple[str, ...]) -> _Fit:
    from scipy import stats
    from statsmodels.tsa.api import VAR

    results = VAR(z).fit(1, trend="c")
    # params/stderr: rows const, L1.v0..L1.v(k-1); columns the equations v0..v(k-1).
    coef = np.asarray(results.params)[1:, :]
    se = np.asarray(results.stderr)[1:, :]
    dof = int(results.df_resid)
    quantile = stats.t.ppf(0.975, dof)
    p = 2 * stats.t.sf(np.abs(coef / se), dof)
    n = int(results.nobs)
    return _Fit(coef, se, coef - quantile * se, coef + quantile * se, p, {name: n for name in names})


def _ols_fit(z: np.ndarray, names: tuple[str, ...]) -> _Fit:
    from scipy import stats

    k = len(names)
    coef = np.full((k, k), np.nan)
    se = np.full((k, k), np.nan)
    p = np.full((k, k), np.nan)
    low = np.full((k, k), np.nan)
    high = np.full((k, k), np.nan)
    n_used: dict[str, int] = {}
    previous, today = z[:-1], z[1:]
    predictors_ok = np.isfinite(previous).all(axis=1)
    for j, name in enumerate(names):
        rows = predictors_ok & np.isfinite(today[:, j])
        n = int(rows.sum())
        n_used[name] = n
        dof = n - (k + 1)
        if dof < 2:
            continue
        x = np.column_stack([np.ones(n), previous[rows]])
        y = today[rows, j]
        beta, _residuals, rank, _sv = np.linalg.lstsq(x, y, rcond=None)
        if rank < k + 1:
            continue
        resid = y - x @ beta
        sigma2 = float(resid @ resid) / dof
        cov = sigma2 * np.linalg.inv(x.T @ x)
        b = beta[1:]
        s = np.sqrt(np.diag(cov))[1:]
        t = b / s
        quantile = stats.t.ppf(0.975, dof)
        coef[:, j], se[:, j] = b, s
        p[:, j] = 2 * stats.t.sf(np.abs(t), dof)
        low[:, j], high[:, j] = b - quantile * s, b + quantile * s
    return _Fit(coef, se, low, high, p, n_used)


def _result(fit: _Fit, names: tuple[str, ...], method: str, alpha: float, base: dict) -> LagResult:
    from statsmodels.stats.multitest import multipletests

    k = len(names)
    pairs = [(i, j) for j in range(k) for i in range(k) if i != j]
    p_cross = np.array([fit.p[i, j] for i, j in pairs])
    adjusted = np.full(p_cross.shape, np.nan)
    finite = np.isfinite(p_cross)
    if finite.any():
        adjusted[finite] = multipletests(p_cross[finite], alpha=alpha, method="fdr_bh")[1]
    cross = tuple(
        LagEdge(
            source=names[i],
            target=names[j],
            coefficient=float(fit.coef[i, j]),
            ci_low=float(fit.low[i, j]),
            ci_high=float(fit.high[i, j]),
            p=float(fit.p[i, j]),
            p_adjusted=float(adjusted[index]),
            significant=bool(np.isfinite(adjusted[index]) and adjusted[index] < alpha),
            n_used=fit.n_used[names[j]],
        )
        for index, (i, j) in enumerate(pairs)
    )
    autoregressive = tuple(
        LagEdge(
            source=names[j],
            target=names[j],
            coefficient=float(fit.coef[j, j]),
            ci_low=float(fit.low[j, j]),
            ci_high=float(fit.high[j, j]),
            p=float(fit.p[j, j]),
            p_adjusted=None,
            significant=bool(np.isfinite(fit.p[j, j]) and fit.p[j, j] < alpha),
            n_used=fit.n_used[names[j]],
        )
        for j in range(k)
    )
    return LagResult(
        ok=True,
        reason=None,
        method=method,
        n_used=fit.n_used,
        cross=cross,
        autoregressive=autoregressive,
        **base,
    )
